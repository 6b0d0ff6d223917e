"""What members and facilitators see of the agenda (texts and signed buttons), and
showing it again after a press."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from core import l10n
from core.i18n import Html, Translator, translator
from domain import agenda as rules
from handlers.agenda.buttons import (
    AddItem,
    CarryOver,
    EditItem,
    MarkDiscussed,
    MoveUp,
    PostNext,
    SetVisibility,
    WithdrawItem,
)
from handlers.common import answer_callback, group_name
from handlers.context import Runtime
from handlers.keyboards import keyboard
from services import agenda as service
from storage.agenda import AgendaItem
from storage.groups import Group


def number(t: Translator, value: int) -> str:
    return l10n.number(t, value, 0)


def item_line(t: Translator, n: int, item: AgendaItem, *, carried: bool = True) -> str:
    visibility = "agenda.visibility_anonymous" if item.anonymous else "agenda.visibility_named"
    mark = t.plain("agenda.carried_mark") if carried and item.carried_over else ""
    return t(
        "agenda.item_line", number=n, text=item.text, visibility=t.plain(visibility), carried=mark
    )


async def member_view(rt: Runtime, group: Group, user_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """A member's own open items, in their DM."""
    t = translator(group.language)
    items = await service.own_open_items(rt, group, user_id)
    lines = [item_line(t, n, item) for n, item in enumerate(items, start=1)]
    body = "\n".join(lines) if lines else t("agenda.menu_empty")
    text = t("agenda.menu", group=group_name(group), items=Html(body))
    rows: list = [[(t.plain("agenda.add_button"), AddItem(group.ref))]]
    for n, item in enumerate(items[: rules.MAX_ITEMS_WITH_BUTTONS], start=1):
        toggle = (
            (t.plain("agenda.named_button", number=n), SetVisibility(item.ref, False))
            if item.anonymous
            else (t.plain("agenda.anonymous_button", number=n), SetVisibility(item.ref, True))
        )
        rows.append(
            [
                (t.plain("agenda.edit_button", number=n), EditItem(item.ref)),
                (t.plain("agenda.withdraw_button", number=n), WithdrawItem(item.ref)),
            ]
        )
        rows.append([toggle])
    return text, keyboard(rt.buttons, user_id, rows)


def saved_view(rt: Runtime, t: Translator, item: AgendaItem) -> tuple[str, InlineKeyboardMarkup]:
    key = "agenda.saved_anonymous" if item.anonymous else "agenda.saved_named"
    toggle = (
        (t.plain("agenda.show_name_button"), SetVisibility(item.ref, False))
        if item.anonymous
        else (t.plain("agenda.keep_anonymous_button"), SetVisibility(item.ref, True))
    )
    rows = [
        [toggle],
        [
            (t.plain("agenda.edit_one_button"), EditItem(item.ref)),
            (t.plain("agenda.withdraw_one_button"), WithdrawItem(item.ref)),
        ],
    ]
    return t(key, text=item.text), keyboard(rt.buttons, item.author_id, rows)


def _review_line(t: Translator, n: int, item: AgendaItem, limit: int | None) -> str:
    shown = item.text if limit is None else rules.preview(item.text, limit)
    marks = ""
    if item.posted_at is not None:
        marks += t.plain("agenda.mark_posted")
    if item.carried_over:
        marks += t.plain("agenda.mark_carried")
    # Only a named item has an author_name; anonymous ones never show one.
    who = item.author_name if item.author_name else t.plain("agenda.review_anonymous")
    return t("agenda.review_line", number=n, who=who, text=shown, marks=marks)


async def review_view(rt: Runtime, group: Group, chat_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """The facilitators' review, for one facilitator's DM (`chat_id`)."""
    t = translator(group.language)
    items = await service.open_items(rt, group)
    add_own = [(t.plain("agenda.add_own_button"), AddItem(group.ref))]
    if not items:
        text = t("agenda.review_empty", group=group_name(group))
        return text, keyboard(rt.buttons, chat_id, [add_own])
    limit = rules.review_text_limit([len(i.text) for i in items])
    lines = [_review_line(t, n, item, limit) for n, item in enumerate(items, start=1)]
    text = t(
        "agenda.review", group=group_name(group), count=len(items), items=Html("\n".join(lines))
    )
    upcoming = await service.next_to_post(rt, group.id)
    rows: list = []
    if upcoming is not None:
        rows.append([(t.plain("agenda.post_button"), PostNext(group.ref, upcoming.ref))])
    for n, item in enumerate(items[: rules.MAX_ITEMS_WITH_BUTTONS], start=1):
        rows.append(
            [
                (t.plain("agenda.up_button", number=n), MoveUp(item.ref)),
                (t.plain("agenda.discussed_button", number=n), MarkDiscussed(item.ref)),
                (t.plain("agenda.carry_button", number=n), CarryOver(item.ref)),
            ]
        )
    rows.append(add_own)
    return text, keyboard(rt.buttons, chat_id, rows)


View = Callable[[Runtime, Group, int], Awaitable[tuple[str, InlineKeyboardMarkup]]]


async def show_after_press(
    update: Update, rt: Runtime, answer: str | None, view: View, group: Group
) -> None:
    """Answer the press with `answer`, then redraw the pressed message."""
    await answer_callback(update, answer)
    await redraw(update, rt, view, group)


async def redraw(update: Update, rt: Runtime, view: View, group: Group) -> None:
    """The pressed message again, as `view` now shows it to the presser."""
    text, markup = await view(rt, group, update.effective_user.id)
    with contextlib.suppress(BadRequest):  # unchanged, or too old to edit
        await update.callback_query.edit_message_text(text, reply_markup=markup)
