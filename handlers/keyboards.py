"""Inline keyboards of typed, signed buttons (handlers/buttons.py), and the join link.

Every callback button of the lifecycle, intake and agenda features is built here:
`keyboard(signer, chat_id, rows)` packs each ButtonData for the chat it is sent to
(and, with `for_user`, for one person), so a press elsewhere or by someone else
never unpacks.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.i18n import Translator
from handlers.buttons import ButtonData, ButtonSigner
from handlers.context import Runtime
from storage.groups import Group

Row = Sequence[tuple[str, ButtonData]]


class Keys:
    """Makes signed buttons for one chat (the chat the message goes to) and, with
    `for_user`, for one person in it."""

    def __init__(self, signer: ButtonSigner, chat_id: int, for_user: int | None = None) -> None:
        self.signer, self.chat_id, self.for_user = signer, chat_id, for_user

    def button(self, text: str, data: ButtonData) -> InlineKeyboardButton:
        packed = data.pack(self.signer, chat_id=self.chat_id, for_user=self.for_user)
        return InlineKeyboardButton(text, callback_data=packed)


def keyboard(
    signer: ButtonSigner, chat_id: int, rows: Sequence[Row], *, for_user: int | None = None
) -> InlineKeyboardMarkup:
    """Rows of (label, button data), signed for `chat_id` (and `for_user`)."""
    keys = Keys(signer, chat_id, for_user)
    return InlineKeyboardMarkup([[keys.button(label, data) for label, data in row] for row in rows])


def join_link(rt: Runtime, group: Group) -> str:
    """The deep link a member opens to join: https://t.me/<bot>?start=<join_token>,
    opaque and unguessable (the intake handles /start <join_token>)."""
    return f"https://t.me/{rt.bot_username}?start={group.join_token}"


def join_keyboard(rt: Runtime, group: Group, t: Translator, key: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t.plain(key), url=join_link(rt, group))]])
