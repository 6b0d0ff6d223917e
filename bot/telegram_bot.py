"""The bot object: PTB's ExtBot with HTML as the default parse mode, sent only
where the Bot API takes it.

With `Defaults(parse_mode=...)` PTB adds `parse_mode` to every request built by
its shared send path, including methods that have no such parameter (for
example editMessageReplyMarkup). Telegram ignores it, but it is not part of
the API, so we drop it there and every request stays exactly to the spec.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import InvalidToken
from telegram.ext import ExtBot

from storage import effects

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
        journal = effects.current.get()
        if journal is None or endpoint.startswith("get"):
            return await super()._do_post(endpoint, data, *args, **kwargs)
        # Handling an update or a job (several workers): a call an earlier run of
        # it already made is answered from the journal, not sent twice.
        chat_id = effects.chat_of(data)
        made, result = journal.take(endpoint, chat_id)
        if made:
            return result
        result = await super()._do_post(endpoint, data, *args, **kwargs)
        await journal.record(endpoint, chat_id, result)
        return result

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
