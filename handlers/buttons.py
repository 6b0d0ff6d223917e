"""Typed, signed button data: every inline button the bot sends.

Telegram does not check that a button press carries data the bot put on a
button: a modified client can send any callback data, for any message it can
see. So each press is trusted only as far as a MAC lets us:

- every family of buttons is a frozen dataclass subclassing `ButtonData`, with
  a unique `TAG` and int / str / bool fields;
- `pack()` writes ``TAG:field:field:MAC``, where MAC is HMAC-SHA256 (key made
  at first start and kept in the database, storage/secrets.py) over the
  payload, the chat the button is sent to and, for a button meant for one
  person, that person; it refuses data over Telegram's 64 bytes;
- `button_handler(Family, callback)` is the only way a press reaches a
  feature: it checks the MAC against the chat the press came from and the
  person who pressed, answers "not for you / expired" on any mismatch
  (nothing changes), and hands `callback` the typed instance.

A valid MAC proves the bot made this button for this chat (and person); it
does not grant rights. Whoever presses is still checked against server-side
records (facilitator role rows, invitation rows) by the service.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self, get_type_hints

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from core.i18n import choose_language, translator

if TYPE_CHECKING:
    from handlers.context import LingkarContext

log = logging.getLogger(__name__)

#: Telegram's limit on callback data, in bytes.
MAX_DATA_BYTES = 64
#: MAC length in bytes before base64 (8 bytes: 2**64 guesses per forged press).
MAC_BYTES = 8
_TAG = re.compile(r"^[a-z0-9]+(\.[a-z0-9]+)*$")
_FIELD_TYPES = (int, str, bool)


class ButtonSigner:
    """Makes and checks the MAC of button data with the bot's own key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("a button key needs at least 16 bytes")
        self._key = key

    def mac(self, body: str, chat_id: int, person: int | None) -> str:
        message = f"{body}\x1f{chat_id}\x1f{'' if person is None else person}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()[:MAC_BYTES]
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def verify(self, body: str, mac: str, chat_id: int, presser_id: int | None) -> bool:
        """True if `mac` was made for this chat, for the presser or for anyone in it."""
        candidates = [None] if presser_id is None else [presser_id, None]
        return any(
            hmac.compare_digest(self.mac(body, chat_id, person), mac) for person in candidates
        )


@dataclasses.dataclass(frozen=True)
class ButtonData:
    """Base of every button family. Subclasses set `TAG` and declare fields."""

    TAG: ClassVar[str] = ""
    _families: ClassVar[dict[str, type[ButtonData]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not _TAG.match(cls.TAG):
            raise TypeError(f"{cls.__name__}.TAG must be short lowercase words joined by '.'")
        if cls.TAG in ButtonData._families:
            raise TypeError(f"button tag {cls.TAG!r} is used twice")
        ButtonData._families[cls.TAG] = cls

    @classmethod
    def families(cls) -> dict[str, type[ButtonData]]:
        """Every button family defined so far, by tag (for the attack matrix)."""
        return dict(ButtonData._families)

    @classmethod
    def _fields(cls) -> list[tuple[str, type]]:
        hints = get_type_hints(cls)
        found = [(f.name, hints[f.name]) for f in dataclasses.fields(cls)]
        for name, kind in found:
            if kind not in _FIELD_TYPES:
                raise TypeError(f"{cls.__name__}.{name}: button fields are int, str or bool")
        return found

    @classmethod
    def pattern(cls) -> str:
        """The CallbackQueryHandler pattern that claims this family's presses."""
        return rf"^{re.escape(cls.TAG)}:"

    def _body(self) -> str:
        parts = [self.TAG]
        for name, kind in self._fields():
            value = getattr(self, name)
            if kind is bool:
                parts.append("1" if value else "0")
            else:
                text = str(value)
                if ":" in text:
                    raise ValueError(f"{self.TAG}.{name} may not contain ':'")
                parts.append(text)
        return ":".join(parts)

    def pack(self, signer: ButtonSigner, *, chat_id: int, for_user: int | None = None) -> str:
        """The callback data for a button sent to `chat_id` (and meant for `for_user`)."""
        body = self._body()
        data = f"{body}:{signer.mac(body, chat_id, for_user)}"
        if len(data.encode()) > MAX_DATA_BYTES:
            raise ValueError(f"button data for {self.TAG} is over {MAX_DATA_BYTES} bytes")
        return data

    @classmethod
    def unpack(
        cls, data: str | None, signer: ButtonSigner, *, chat_id: int, presser_id: int | None
    ) -> Self | None:
        """The typed button, or None if the data is malformed, forged or moved."""
        if not data or len(data.encode()) > MAX_DATA_BYTES:
            return None
        body, _, mac = data.rpartition(":")
        parts = body.split(":")
        fields = cls._fields()
        if parts[0] != cls.TAG or len(parts) != len(fields) + 1:
            return None
        if not signer.verify(body, mac, chat_id, presser_id):
            return None
        values: dict[str, Any] = {}
        for (name, kind), raw in zip(fields, parts[1:], strict=True):
            if kind is int:
                if not re.fullmatch(r"-?\d{1,19}", raw):
                    return None
                values[name] = int(raw)
            elif kind is bool:
                if raw not in ("0", "1"):
                    return None
                values[name] = raw == "1"
            else:
                values[name] = raw
        return cls(**values)


ButtonCallback = Callable[[Update, "LingkarContext", Any], Awaitable[None]]


def button_handler(family: type[ButtonData], callback: ButtonCallback) -> CallbackQueryHandler:
    """The handler for one family: verify, then call `callback(update, context, data)`."""

    async def handle(update: Update, context: LingkarContext) -> None:
        query = update.callback_query
        chat = query.message.chat if query.message is not None else None
        data = None
        if chat is not None:
            data = family.unpack(
                query.data, context.buttons, chat_id=chat.id, presser_id=query.from_user.id
            )
        if data is None:
            log.info("buttons: refused a %s press whose data failed its check", family.TAG)
            await _refuse(update, context)
            return
        await callback(update, context, data)

    return CallbackQueryHandler(handle, pattern=family.pattern())


async def _refuse(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    language = choose_language(
        user.language_code if user else None, context.settings.defaults.language
    )
    # A query too old to answer raises BadRequest: there is nothing to tell.
    with contextlib.suppress(BadRequest):
        await update.callback_query.answer(
            translator(language).plain("core.button_not_yours"), show_alert=True
        )
