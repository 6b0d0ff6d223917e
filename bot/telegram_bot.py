"""The bot object: PTB's ExtBot with HTML as the default parse mode, sent only
where the Bot API takes it. And the Application, without PTB's one memory that
grows with every chat (LingkarApplication).

With `Defaults(parse_mode=...)` PTB adds `parse_mode` to every request built by
its shared send path, including methods that have no such parameter (for
example editMessageReplyMarkup). Telegram ignores it, but it is not part of
the API, so we drop it there and every request stays exactly to the spec.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import InvalidToken
from telegram.ext import Application, ExtBot

log = logging.getLogger(__name__)

#: Bot API methods with a top-level `parse_mode` parameter.
TAKES_PARSE_MODE = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageCaption",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "copyMessage",
        "sendPaidMedia",
    }
)


class LingkarBot(ExtBot):
    async def _do_post(self, endpoint: str, data: dict[str, Any], *args: Any, **kwargs: Any):
        if "parse_mode" in data and endpoint not in TAKES_PARSE_MODE:
            data = {key: value for key, value in data.items() if key != "parse_mode"}
        return await super()._do_post(endpoint, data, *args, **kwargs)

    @property
    def username(self) -> str:  # type: ignore[override]
        # username is optional in getMe's User; a Bot API server that leaves it out
        # must not break PTB's CommandHandler, which lowercases it for every command.
        return self.bot.username or ""

    async def delete_webhook(self, *args: Any, **kwargs: Any) -> bool:
        # PTB calls this before polling. getMe has already accepted the token by then,
        # so a 404 (which PTB raises as InvalidToken) means a Bot API server without
        # webhooks: there is none to delete, and polling works without it.
        try:
            return await super().delete_webhook(*args, **kwargs)
        except InvalidToken:
            log.warning("telegram: deleteWebhook is not supported here; polling anyway")
            return True


class LingkarApplication(Application):
    """PTB's Application, minus a set of every chat and every user ever seen.

    After each update PTB notes its chat and user ids "to be updated in persistence"
    in two sets that only a persistence run empties (PTB 22). Lingkar has no PTB
    persistence (its state is in storage), so the sets would grow with every chat
    for the life of the process (about 2 MB per 25,000 chats, bench/churn.py).
    Without persistence nothing is noted."""

    __slots__ = ()

    def _mark_for_persistence_update(self, *, update: object | None = None, job=None) -> None:
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)
