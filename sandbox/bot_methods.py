"""The Bot API methods the emulator answers, one `api_<lowercase name>` each.

A mixin over `TelegramEmulator`'s state so the world (emulator.py) and the
protocol (here) stay readable apart. Parameters arrive as Telegram would
receive them: strings for everything, or already-decoded JSON values.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from sandbox.errors import ApiError, bad_request, conflict, forbidden, too_many_requests
from sandbox.formatting import MAX_CAPTION, MAX_TEXT, ParseError, render, utf16_len
from sandbox.model import PRESENT, Chat, Event, Message, UploadedFile
from sandbox.webhook import WebhookDelivery, secret_problem, webhook_url_problem

if TYPE_CHECKING:
    from sandbox.emulator import TelegramEmulator

SEND_METHODS = frozenset(
    {"sendmessage", "senddocument", "sendphoto", "copymessage", "forwardmessage"}
)


def _decode(value: Any) -> Any:
    """Nested objects may arrive JSON-encoded (form data, query strings)."""
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value


def _int(params: dict[str, Any], name: str, default: int | None = None) -> int:
    value = params.get(name)
    if value is None or value == "":
        if default is None:
            raise bad_request(f"{name} is empty" if name != "chat_id" else "chat_id is empty")
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def _bool(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


class BotMethods:
    """Methods of the Bot API; `self` is a TelegramEmulator."""

    def _init_bot_state(self: TelegramEmulator) -> None:
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.profile: dict[tuple[str, str], str] = {}
        self.files: dict[str, UploadedFile] = {}
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.webhook_url = ""
        self.webhook: WebhookDelivery | None = None

    # --- lookups shared by methods -------------------------------------------
    def _chat(self: TelegramEmulator, params: dict[str, Any], name: str = "chat_id") -> Chat:
        raw = params.get(name)
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        chat: Chat | None = None
        if isinstance(raw, str) and raw.startswith("@"):
            chat = next(
                (
                    c
                    for c in self.chats.values()
                    if c.username and c.username.lower() == raw[1:].lower()
                ),
                None,
            )
        else:
            try:
                chat = self.chats.get(int(raw))
            except ValueError:
                raise bad_request("chat not found") from None
            if chat is None and int(raw) in self.users and int(raw) != self.bot.id:
                user = self.users[int(raw)]
                if not user.started:
                    raise forbidden("bot can't initiate conversation with a user")
        if chat is None:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise bad_request(
                "group chat was upgraded to a supergroup chat", migrate_to_chat_id=chat.migrated_to
            )
        return chat

    def _writable_chat(self: TelegramEmulator, params: dict[str, Any]) -> Chat:
        chat = self._chat(params)
        if chat.type == "private":
            user = chat.user
            if user is not None and user.blocked:
                raise forbidden("bot was blocked by the user")
            if user is not None and not user.started:
                raise forbidden("bot can't initiate conversation with a user")
            return chat
        status = chat.member(self.bot).status
        kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
        if status == "kicked":
            raise forbidden(f"bot was kicked from the {kind}")
        if status not in PRESENT:
            raise forbidden(f"bot is not a member of the {kind}")
        return chat

    def _message(self: TelegramEmulator, chat: Chat, message_id: int, missing: str) -> Message:
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise bad_request(missing)
        return message

    def _flood(self: TelegramEmulator, chat: Chat) -> None:
        if self.flood is not None:
            wait = self.flood.check(chat.id, chat.is_group)
            if wait is not None:
                raise too_many_requests(wait)

    def _markup(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = _decode(params.get("reply_markup"))
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard") or []:
            for button in row:
                if not button.get("text"):
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")
                if set(button) == {"text"}:
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                url = button.get("url")
                if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                    raise bad_request(
                        f"inline keyboard button URL '{url}' is invalid: wrong HTTP URL"
                    )
        return markup

    def _text(
        self: TelegramEmulator, params: dict[str, Any], key: str = "text", *, caption: bool = False
    ) -> tuple[str | None, list[dict[str, Any]]]:
        raw = params.get(key)
        if raw is None or (not caption and raw == ""):
            if caption:
                return None, []
            raise bad_request("message text is empty")
        raw = str(raw)
        entities_key = "caption_entities" if caption else "entities"
        try:
            if params.get("parse_mode"):
                text, entities = render(raw, params["parse_mode"])
            else:
                text, entities = raw, _decode(params.get(entities_key)) or []
        except ParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        if not text.strip():
            if caption:
                return None, []
            raise bad_request("message text is empty")
        if utf16_len(text) > (MAX_CAPTION if caption else MAX_TEXT):
            raise bad_request("message caption is too long" if caption else "message is too long")
        return text, entities

    def _placement(
        self: TelegramEmulator, chat: Chat, params: dict[str, Any]
    ) -> tuple[Message | None, int | None]:
        """Which message this replies to and which forum topic it lands in."""
        reply = _decode(params.get("reply_parameters")) or {}
        reply_id = reply.get("message_id") or params.get("reply_to_message_id")
        target = None
        if reply_id:
            target = chat.messages.get(int(reply_id))
            if target is None or target.deleted:
                if not (
                    reply.get("allow_sending_without_reply")
                    or _bool(params, "allow_sending_without_reply")
                ):
                    raise bad_request("message to be replied not found")
                target = None
        thread = params.get("message_thread_id")
        thread_id = int(thread) if thread not in (None, "") else None
        if thread_id is None and target is not None and chat.is_forum:
            thread_id = target.thread_id
        if (
            thread_id is not None
            and chat.is_forum
            and thread_id != 1
            and thread_id not in chat.topics
        ):
            raise bad_request("message thread not found")
        if thread_id is not None and not chat.is_forum and chat.type != "private":
            thread_id = None
        return target, thread_id

    def _bot_message(
        self: TelegramEmulator, chat: Chat, params: dict[str, Any], **fields: Any
    ) -> Message:
        reply_to, thread_id = self._placement(chat, params)
        markup = self._markup(params)
        self._flood(chat)
        message = self._new_message(
            chat,
            self.bot,
            from_bot=True,
            reply_markup=markup,
            reply_to=reply_to,
            thread_id=thread_id,
            **fields,
        )
        if _bool(params, "protect_content"):
            message.extra["has_protected_content"] = True
        self._emit(Event("message", chat, message, self.bot))
        return message

    def _store_file(self: TelegramEmulator, upload: UploadedFile) -> tuple[str, str]:
        digest = hashlib.sha1(upload.content).hexdigest()[:16]
        file_id = f"BQAC{len(self.files) + 1:04d}{digest}"
        self.files[file_id] = upload
        return file_id, f"AgAD{digest[:12]}"

    def _upload(self: TelegramEmulator, params: dict[str, Any], name: str) -> UploadedFile:
        value = params.get(name)
        if isinstance(value, UploadedFile):
            return value
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return UploadedFile(value.rsplit("/", 1)[-1] or "file", b"", "application/octet-stream")
        if not value:
            raise bad_request(f"there is no {name} in the request")
        raise bad_request("wrong file identifier/HTTP URL specified")

    # --- identity and polling --------------------------------------------------
    def api_getme(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot.to_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def api_getupdates(
        self: TelegramEmulator, params: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise conflict(
                "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
            )
        allowed = _decode(params.get("allowed_updates"))
        if allowed is not None:
            self.allowed_updates = list(allowed)
        self._confirm(_int(params, "offset", 0))
        limit = min(max(_int(params, "limit", 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        return await self._wait_for_updates(timeout, limit)

    async def api_setwebhook(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        secret = str(params.get("secret_token") or "")
        problem = (webhook_url_problem(url) if url else "") or secret_problem(secret)
        if problem:
            raise bad_request(problem)
        allowed = _decode(params.get("allowed_updates"))
        if allowed is not None:
            self.allowed_updates = list(allowed)
        if _bool(params, "drop_pending_updates"):
            self.updates.clear()
        await self._stop_webhook()
        self.webhook_url = url
        if url:
            self.webhook = WebhookDelivery(self, url, secret)
            self.webhook.notify()
        return True

    async def api_deletewebhook(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        await self._stop_webhook()
        if _bool(params, "drop_pending_updates"):
            self.updates.clear()
        return True

    async def _stop_webhook(self: TelegramEmulator) -> None:
        self.webhook_url = ""
        delivery, self.webhook = self.webhook, None
        if delivery is not None:
            await delivery.stop()

    def api_getwebhookinfo(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        info = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.webhook is not None:
            info |= self.webhook.info()
            if self.allowed_updates:
                info["allowed_updates"] = list(self.allowed_updates)
        return info

    def api_logout(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        return True

    def api_close(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        return True

    # --- sending ------------------------------------------------------------------
    def api_sendmessage(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._writable_chat(params)
        text, entities = self._text(params)
        message = self._bot_message(
            chat, params, text=text, raw=str(params["text"]), entities=entities
        )
        preview = _decode(params.get("link_preview_options"))
        if preview:
            message.extra["link_preview_options"] = preview
        return message.to_json()

    def _send_file(self: TelegramEmulator, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat = self._writable_chat(params)
        upload = self._upload(params, kind)
        caption, entities = self._text(params, "caption", caption=True)
        file_id, unique = self._store_file(upload)
        fields: dict[str, Any] = {
            "file": upload,
            "caption_mode": True,
            "text": caption,
            "raw": params.get("caption"),
            "entities": entities,
        }
        if kind == "document":
            fields["document"] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_name": upload.filename,
                "mime_type": upload.mime_type,
                "file_size": len(upload.content),
            }
        else:
            fields["photo"] = [
                {
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "width": 90,
                    "height": 90,
                    "file_size": len(upload.content),
                },
            ]
        return self._bot_message(chat, params, **fields).to_json()

    def api_senddocument(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        return self._send_file(params, "document")

    def api_sendphoto(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        return self._send_file(params, "photo")

    def api_getfile(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id") or "")
        upload = self.files.get(file_id)
        if upload is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": file_id[-12:],
            "file_size": len(upload.content),
            "file_path": f"documents/{file_id}/{upload.filename}",
        }

    def api_sendchataction(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        chat = self._writable_chat(params)
        self.chat_actions.append((chat.id, str(params.get("action"))))
        return True

    def _source(self: TelegramEmulator, params: dict[str, Any]) -> Message:
        source_chat = self._chat(params, "from_chat_id")
        return self._message(source_chat, _int(params, "message_id"), "message to copy not found")

    def api_copymessage(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._writable_chat(params)
        source = self._source(params)
        copy = self._bot_message(
            chat,
            params,
            text=source.text,
            raw=source.raw,
            entities=list(source.entities),
            document=source.document,
            photo=source.photo,
            caption_mode=source.caption_mode,
        )
        return {"message_id": copy.message_id}

    def api_forwardmessage(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._writable_chat(params)
        source = self._source(params)
        origin = (
            {"type": "user", "date": source.date, "sender_user": source.sender.to_json()}
            if source.sender is not None and source.sender_chat is None
            else {"type": "chat", "date": source.date, "sender_chat": source.chat.to_json()}
        )
        forwarded = self._bot_message(
            chat,
            {k: v for k, v in params.items() if k != "reply_markup"},
            text=source.text,
            raw=source.raw,
            entities=list(source.entities),
            document=source.document,
            photo=source.photo,
            caption_mode=source.caption_mode,
            forward_origin=origin,
        )
        return forwarded.to_json()

    # --- editing and deleting ------------------------------------------------------
    def _editable(self: TelegramEmulator, params: dict[str, Any]) -> Message:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message = self._message(chat, _int(params, "message_id"), "message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _finish_edit(
        self: TelegramEmulator, message: Message, before: tuple[Any, ...]
    ) -> dict[str, Any]:
        after = (message.text, message.entities, message.reply_markup)
        if after == before:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.edit_date = self.timestamp()
        self._emit(Event("edit", message.chat, message, self.bot))
        return message.to_json()

    def api_editmessagetext(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if message.caption_mode:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._text(params)
        markup = self._markup(params)
        before = (message.text, message.entities, message.reply_markup)
        if before != (text, entities, markup):
            message.edits.append(message.text or "")
        message.text, message.raw, message.entities, message.reply_markup = (
            text,
            str(params["text"]),
            entities,
            markup,
        )
        return self._finish_edit(message, before)

    def api_editmessagecaption(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        caption, entities = self._text(params, "caption", caption=True)
        before = (message.text, message.entities, message.reply_markup)
        message.text, message.raw, message.entities, message.reply_markup = (
            caption,
            params.get("caption"),
            entities,
            self._markup(params),
        )
        return self._finish_edit(message, before)

    def api_editmessagereplymarkup(
        self: TelegramEmulator, params: dict[str, Any]
    ) -> dict[str, Any]:
        message = self._editable(params)
        before = (message.text, message.entities, message.reply_markup)
        message.reply_markup = self._markup(params)
        return self._finish_edit(message, before)

    def _delete(self: TelegramEmulator, chat: Chat, message_id: int) -> None:
        message = self._message(chat, message_id, "message to delete not found")
        if (
            chat.is_group
            and not message.from_bot
            and not chat.member(self.bot).can("can_delete_messages")
        ):
            raise bad_request("message can't be deleted")
        message.deleted = True
        self._emit(Event("delete", chat, message, self.bot))

    def api_deletemessage(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        self._delete(self._chat(params), _int(params, "message_id"))
        return True

    def api_deletemessages(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        ids = _decode(params.get("message_ids")) or []
        if not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must contain 1-100 identifiers")
        for message_id in ids:
            if (
                chat.messages.get(int(message_id)) is not None
                and not chat.messages[int(message_id)].deleted
            ):
                self._delete(chat, int(message_id))
        return True

    def api_answercallbackquery(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        query = self.callback_queries.get(str(params.get("callback_query_id")))
        if query is None or query["answer"] is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answer"] = {
            "text": text,
            "show_alert": _bool(params, "show_alert"),
            "url": params.get("url"),
        }
        if text:
            message = self._message_for_query(query)
            self._emit(
                Event(
                    "answer",
                    message.chat if message else None,
                    message,
                    self.users.get(query["query"]["from"]["id"]),
                    str(text),
                )
            )
        return True

    def _message_for_query(self: TelegramEmulator, query: dict[str, Any]) -> Message | None:
        data = query["query"].get("message")
        chat = self.chats.get(data["chat"]["id"]) if data else None
        return chat.messages.get(data["message_id"]) if chat and data else None

    # --- chats and members -----------------------------------------------------------
    def api_getchat(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        data = {
            **chat.to_json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if chat.pinned:
            data["pinned_message"] = chat.messages[chat.pinned[-1]].to_json()
        if chat.migrated_from is not None:
            data["migrated_from_chat_id"] = chat.migrated_from
        return data

    def api_getchatmember(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        user = self.users.get(_int(params, "user_id"))
        if user is None:
            raise bad_request("PARTICIPANT_ID_INVALID")
        if chat.type == "private":
            return {"status": "member", "user": user.to_json()}
        return chat.member(user).to_json()

    def api_getchatadministrators(
        self: TelegramEmulator, params: dict[str, Any]
    ) -> list[dict[str, Any]]:
        chat = self._chat(params)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        return [
            m.to_json() for m in chat.members.values() if m.status in ("creator", "administrator")
        ]

    def api_getchatmembercount(self: TelegramEmulator, params: dict[str, Any]) -> int:
        chat = self._chat(params)
        if chat.type == "private":
            return 2
        return sum(1 for m in chat.members.values() if m.status in PRESENT)

    def api_leavechat(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        chat = self._writable_chat(params)
        if chat.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        self._bot_member_update(chat, self.bot, type(chat.member(self.bot))(self.bot, "left"))
        return True

    def api_pinchatmessage(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        chat = self._writable_chat(params)
        if chat.is_group and not chat.member(self.bot).can("can_pin_messages"):
            raise bad_request("not enough rights to manage pinned messages in the chat")
        message = self._message(chat, _int(params, "message_id"), "message to pin not found")
        if message.message_id in chat.pinned:
            chat.pinned.remove(message.message_id)
        chat.pinned.append(message.message_id)
        if chat.is_group and not _bool(params, "disable_notification"):
            service = self._new_message(
                chat,
                self.bot,
                from_bot=True,
                service={"pinned_message": message.to_json(with_reply=False)},
            )
            self._emit(Event("message", chat, service, self.bot))
        return True

    def api_unpinchatmessage(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        chat = self._writable_chat(params)
        if chat.is_group and not chat.member(self.bot).can("can_pin_messages"):
            raise bad_request("not enough rights to manage pinned messages in the chat")
        message_id = params.get("message_id")
        if message_id:
            if int(message_id) not in chat.pinned:
                raise bad_request("message to unpin not found")
            chat.pinned.remove(int(message_id))
        elif chat.pinned:
            chat.pinned.pop()
        return True

    def api_unpinallchatmessages(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        self._writable_chat(params).pinned.clear()
        return True

    def api_createchatinvitelink(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._writable_chat(params)
        if not chat.member(self.bot).can("can_invite_users"):
            raise bad_request("not enough rights to manage chat invite links")
        link = {
            "invite_link": f"https://t.me/+SANDBOX{abs(chat.id) % 100000:05d}{len(chat.invite_links) + 1:03d}",
            "creator": self.bot.to_json(),
            "creates_join_request": _bool(params, "creates_join_request"),
            "is_primary": False,
            "is_revoked": False,
        }
        for key in ("name", "expire_date", "member_limit"):
            if params.get(key) not in (None, ""):
                link[key] = params[key] if key == "name" else int(params[key])
        chat.invite_links.append(link)
        return link

    # --- bot profile -------------------------------------------------------------------
    def _scope_key(self: TelegramEmulator, params: dict[str, Any]) -> tuple[str, str]:
        scope = _decode(params.get("scope")) or {"type": "default"}
        scope = dict(scope)
        for key in ("chat_id", "user_id"):
            if key in scope and not str(scope[key]).startswith("@"):
                scope[key] = int(scope[key])
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def api_setmycommands(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        commands = _decode(params.get("commands")) or []
        for command in commands:
            name = str(command.get("command", ""))
            if not (
                1 <= len(name) <= 32 and name == name.lower() and name.replace("_", "").isalnum()
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def api_getmycommands(self: TelegramEmulator, params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands.get(self._scope_key(params), [])

    def api_deletemycommands(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def commands_for(self: TelegramEmulator, user: Any, chat: Chat | None = None) -> list[str]:
        """The command menu `user` would see in `chat` (their DM if None), by Telegram's scope order."""
        chat = chat or self.private_chat(user)
        if chat.type == "private":
            scopes = [
                {"type": "chat", "chat_id": chat.id},
                {"type": "all_private_chats"},
                {"type": "default"},
            ]
        else:
            admin = chat.member(user).status in ("creator", "administrator")
            scopes = [{"type": "chat_member", "chat_id": chat.id, "user_id": user.id}]
            if admin:
                scopes.append({"type": "chat_administrators", "chat_id": chat.id})
            scopes.append({"type": "chat", "chat_id": chat.id})
            if admin:
                scopes.append({"type": "all_chat_administrators"})
            scopes += [{"type": "all_group_chats"}, {"type": "default"}]
        for scope in scopes:
            for language in (user.language_code or "", ""):
                found = self.commands.get((json.dumps(scope, sort_keys=True), language))
                if found:
                    return [c["command"] for c in found]
        return []

    def _set_profile(
        self: TelegramEmulator, params: dict[str, Any], field: str, limit: int
    ) -> bool:
        value = str(params.get(field) or "")
        if len(value) > limit:
            raise bad_request(f"{field} is too long")
        self.profile[(field, str(params.get("language_code") or ""))] = value
        return True

    def _get_profile(self: TelegramEmulator, params: dict[str, Any], field: str) -> dict[str, str]:
        language = str(params.get("language_code") or "")
        value = self.profile.get((field, language), self.profile.get((field, ""), ""))
        if field == "name" and not value:
            value = self.bot.first_name
        return {field: value}

    def api_setmydescription(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        return self._set_profile(params, "description", 512)

    def api_getmydescription(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, str]:
        return self._get_profile(params, "description")

    def api_setmyshortdescription(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        return self._set_profile(params, "short_description", 120)

    def api_getmyshortdescription(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, str]:
        return self._get_profile(params, "short_description")

    def api_setmyname(self: TelegramEmulator, params: dict[str, Any]) -> bool:
        return self._set_profile(params, "name", 64)

    def api_getmyname(self: TelegramEmulator, params: dict[str, Any]) -> dict[str, str]:
        return self._get_profile(params, "name")


__all__ = ["BotMethods", "SEND_METHODS", "ApiError"]
