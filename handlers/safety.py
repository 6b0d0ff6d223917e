"""Crisis watch: every text the bot sees is checked, in memory, for signs that
the writer may be in danger.

On a match the member gets, privately and at once, a warm message with crisis
contacts and a few safety steps (two buttons: "I'm safe for now", "I need help
now"); every facilitator of the member's group gets a private alert with a link
to the message (group) or its text (DM): the danger limit of confidentiality
stated in the contract. Nothing is echoed into the group, except a neutral
notice that names no one when the member cannot be written to privately.
Alerts about one member repeat at most every [safety] alert_repeat_minutes,
unless urgent. A safety_events row keeps time, member, source and category;
never the words.

PUBLIC: `raise_concern(app, ...)` for other features (the intake screening).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from core.config import Settings
from core.events import subscribe
from core.i18n import LANGUAGES, Html, Translator, catalog, choose_language, translator
from domain.crisis import CrisisLexicon, CrisisMatcher
from handlers.common import answer_callback, is_group_chat, is_private_chat, reply
from handlers.context import LingkarContext, runtime
from handlers.handler_groups import COMMANDS, WATCH
from handlers.messaging import Priority, send_dm
from storage import groups as group_store
from storage import intake as intake_store
from storage import safety as safety_store
from storage import users as user_store
from storage.dm_states import get_dm_state
from storage.groups import Group

log = logging.getLogger(__name__)

PREFIX = "sf"
#: A DM text quoted in a facilitator alert is cut to this many characters.
QUOTE_LIMIT = 1200
#: DM flows (storage.dm_states) by prefix -> the source recorded for a concern.
_FLOW_SOURCES = (
    ("agenda.saved", "dm"),  # an item was saved; the next text is not part of it
    ("agenda", "agenda"),
    ("intake", "intake"),
    ("who5", "intake"),
    ("eval", "evaluation"),
)


# -- the lexicon -------------------------------------------------------------------
def _lexicon(language: str) -> CrisisLexicon:
    messages = catalog(language)
    prefix = "safety.lexicon."
    categories = {
        key[len(prefix) :]: tuple(value)
        for key, value in messages.items()
        if key.startswith(prefix) and isinstance(value, list)
    }
    return CrisisLexicon(
        categories=categories,
        exceptions=tuple(messages.get("safety.normalise.exceptions", ())),
        variants=tuple(messages.get("safety.normalise.variants", ())),
        fillers=tuple(messages.get("safety.normalise.fillers", ())),
        near=tuple(messages.get("safety.normalise.near", ())),
        negations=tuple(messages.get("safety.normalise.negations", ())),
        roots=tuple(messages.get("safety.normalise.roots", ())),
        slots=tuple(messages.get("safety.risk.slots", ())),
        rules=tuple(messages.get("safety.risk.rules", ())),
        laughing_emoji=str(messages.get("safety.risk.laughing_emoji", "")),
    )


@cache
def crisis_matcher() -> CrisisMatcher:
    """One matcher over every language's lexicon (members mix languages)."""
    return CrisisMatcher(_lexicon(language) for language in LANGUAGES)


# -- resources -----------------------------------------------------------------------
def group_resources(group: Group | None) -> tuple[str, ...] | None:
    """A group's own crisis contacts (groups.crisis_resources, a JSON list), if valid."""
    if group is None or not group.crisis_resources:
        return None
    try:
        items = json.loads(group.crisis_resources)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    items = [str(x).strip()[:300] for x in items if isinstance(x, str) and x.strip()]
    return tuple(items[:10]) or None


def resources_for(settings: Settings, group: Group | None, language: str) -> tuple[str, ...]:
    return group_resources(group) or settings.safety.resources(language)


def care_text(
    t: Translator,
    name: str,
    resources: tuple[str, ...],
    extra: str | None = None,
    *,
    facilitator_told: bool = True,
) -> str:
    lines = "\n".join(t("safety.resource_line", resource=r) for r in resources)
    closing = t(
        "safety.care_closing_facilitator" if facilitator_told else "safety.care_closing_alone"
    )
    text = t("safety.care", name=name or "🤍", resources=Html(lines), closing=Html(closing))
    return f"{text}\n\n{extra}" if extra else text


def care_buttons(
    t: Translator, event_id: int, user_id: int, *, with_safe: bool = True
) -> InlineKeyboardMarkup:
    row = []
    if with_safe:
        row.append(
            InlineKeyboardButton(
                t.plain("safety.button_safe"), callback_data=f"{PREFIX}:ok:{event_id}:{user_id}"
            )
        )
    row.append(
        InlineKeyboardButton(
            t.plain("safety.button_help"), callback_data=f"{PREFIX}:help:{event_id}:{user_id}"
        )
    )
    return InlineKeyboardMarkup([[button] for button in row])


def _member_language(settings: Settings, user, group: Group | None) -> str:
    code = getattr(user, "language_code", None)
    return choose_language(code, group.language if group else None, settings.defaults.language)


def _display_name(first_name: str, username: str | None) -> str:
    name = first_name or "?"
    return f"{name} (@{username})" if username else name


def message_link(chat, message_id: int) -> str | None:
    """A t.me link to a group message; basic groups have none."""
    if getattr(chat, "username", None):
        return f"https://t.me/{chat.username}/{message_id}"
    if chat.type == ChatType.SUPERGROUP and str(chat.id).startswith("-100"):
        return f"https://t.me/c/{str(chat.id)[4:]}/{message_id}"
    return None


# -- sending that must not be lost --------------------------------------------------
async def send_dm_retrying(app: Application, user_id: int, text: str, reply_markup=None):
    """send_dm as a SAFETY message: it goes before ordinary messages, delivery retries
    it through short outages (5xx, timeouts, RetryAfter) and keeps it for after a
    restart if it still cannot go (SendDeferred). None if the member is unreachable."""
    return await send_dm(app, user_id, text, reply_markup=reply_markup, priority=Priority.SAFETY)


# -- alerts --------------------------------------------------------------------------
async def _target_groups(app: Application, user_id: int, group_id: int | None) -> list[Group]:
    db = runtime(app).db
    if group_id is not None:
        group = await group_store.group_by_id(db, group_id)
        return [group] if group is not None else []
    return await group_store.groups_of_user(db, user_id)


async def _throttled(app: Application, user_id: int, group_id, now: datetime) -> bool:
    rt = runtime(app)
    last = await safety_store.last_alert_at(rt.db, user_id, group_id)
    return last is not None and now - last < timedelta(
        minutes=rt.settings.safety.alert_repeat_minutes
    )


async def raise_concern(
    app: Application,
    *,
    user_id: int,
    group_id: int | None,
    source: str,
    category: str,
    urgent: bool = False,
    message_link: str | None = None,
    dm_text: str | None = None,
    message_time: datetime | None = None,
    member_reached: bool | None = None,
) -> None:
    """Alert the facilitators of `group_id` (or of all the member's groups if None)
    that a member may be in danger, and record a safety event per group.

    Alerts about the same member in the same group repeat at most every
    [safety] alert_repeat_minutes unless `urgent`. `message_link` (group
    message) or `dm_text` (their private words) go into the alert; a group
    message without a link (basic groups) is described by `message_time`.
    `member_reached`: whether the member received the crisis contacts privately
    (True), could not be written to (False), or unknown (None).
    """
    rt = runtime(app)
    now = rt.clock.now()
    groups = await _target_groups(app, user_id, group_id)
    if not groups:
        await safety_store.record_event(
            rt.db,
            user_id=user_id,
            group_id=None,
            source=source,
            category=category,
            urgent=urgent,
            alerted=False,
            now=now,
        )
        return
    user = await user_store.get_user(rt.db, user_id)
    name = _display_name(user.first_name if user else str(user_id), user.username if user else None)
    for group in groups:
        alert = urgent or not await _throttled(app, user_id, group.id, now)
        await safety_store.record_event(
            rt.db,
            user_id=user_id,
            group_id=group.id,
            source=source,
            category=category,
            urgent=urgent,
            alerted=alert,
            now=now,
        )
        if not alert:
            log.info("safety: repeat concern in group %s, alert held back", group.id)
            continue
        await _alert_facilitators(
            app,
            group,
            user_id,
            name,
            source=source,
            category=category,
            urgent=urgent,
            link=message_link,
            dm_text=dm_text,
            message_time=message_time or now,
            member_reached=member_reached,
        )


async def _alert_facilitators(
    app: Application,
    group: Group,
    user_id: int,
    name: str,
    *,
    source: str,
    category: str,
    urgent: bool,
    link: str | None,
    dm_text: str | None,
    message_time: datetime,
    member_reached: bool | None,
) -> None:
    rt = runtime(app)
    t = translator(group.language)
    title = group.topic or group.title or str(group.id)
    category_label = (
        t.plain(f"safety.categories.{category}")
        if t.has(f"safety.categories.{category}")
        else category
    )
    source_label = (
        t.plain(f"safety.sources.{source}") if t.has(f"safety.sources.{source}") else source
    )
    # Already rendered (HTML): inserted as it is.
    if member_reached is None:
        reached = Html("")
    elif member_reached:
        reached = Html(t("safety.reached_dm_only" if dm_text else "safety.reached_yes"))
    else:
        reached = Html(t("safety.reached_no"))
    if urgent:
        text = t("safety.alert_urgent", member=name, group=title)
    elif dm_text is not None:
        quote = dm_text if len(dm_text) <= QUOTE_LIMIT else dm_text[:QUOTE_LIMIT] + "…"
        text = t(
            "safety.alert_private",
            member=name,
            group=title,
            source=source_label,
            category=category_label,
            text=quote,
            reached=reached,
        )
    elif link is not None:
        text = t(
            "safety.alert_group",
            member=name,
            group=title,
            category=category_label,
            link=link,
            reached=reached,
        )
    elif source in ("group", "caption"):
        local = message_time.astimezone(ZoneInfo(group.timezone)).strftime("%Y-%m-%d %H:%M")
        text = t(
            "safety.alert_group_nolink",
            member=name,
            group=title,
            category=category_label,
            time=local,
            reached=reached,
        )
    else:
        text = t(
            "safety.alert_concern",
            member=name,
            group=title,
            category=category_label,
            source=source_label,
            reached=reached,
        )
    text = "\n".join(line for line in text.split("\n") if line.strip())
    sent = 0
    for facilitator in await group_store.facilitators(rt.db, group.id):
        if facilitator.user_id == user_id:
            continue  # a facilitator in distress gets the care message, not an alert about themselves
        try:
            delivered = await send_dm_retrying(app, facilitator.user_id, text)
        except Exception:  # one facilitator's failure must not stop the others
            log.exception("safety: could not alert a facilitator")
            continue
        if delivered is not None:
            sent += 1
    log.info("safety: alert for group %s sent to %d facilitator(s)", group.id, sent)


# -- the watcher ---------------------------------------------------------------------
async def _has_other_facilitator(
    context: LingkarContext, groups: list[Group], user_id: int
) -> bool:
    """Whether someone other than the member leads one of these groups (to tell them)."""
    for group in groups:
        leads = await group_store.facilitators(context.db, group.id)
        if any(f.user_id != user_id for f in leads):
            return True
    return False


_ANSWERED_KEY = "safety.answered_update"
#: Commands whose text configures the group (crisis contacts, contract rules).
_CONFIGURATION = re.compile(r"(?i)^/(settings|contract|setup)(@\w+)?(\s|$)")


def answered_by_crisis_watch(update: Update, context: LingkarContext) -> bool:
    """True if the crisis watch already answered this update with care (so the DM
    router does not follow it with "I'm not waiting for an answer")."""
    data = context.chat_data
    return data is not None and data.get(_ANSWERED_KEY) == update.update_id


_SEEN_KEY = "safety.answered_messages"
_SEEN_LIMIT = 5000


def _already_answered(
    context: LingkarContext, chat_id: int, message_id: int, *, edited: bool
) -> bool:
    """Remember (in memory) which messages were answered, so editing one does not
    send the same care and alert again."""
    seen: dict = context.bot_data.setdefault(_SEEN_KEY, {})
    key = (chat_id, message_id)
    if edited and key in seen:
        return True
    if len(seen) >= _SEEN_LIMIT:
        seen.pop(next(iter(seen)))
    seen[key] = True
    return False


def _dm_source(flow: str | None) -> str:
    if flow:
        for prefix, source in _FLOW_SOURCES:
            if flow.startswith(prefix):
                return source
    return "dm"


async def watch(update: Update, context: LingkarContext) -> None:
    """WATCH group: never raises, never stops other handlers."""
    try:
        await _watch(update, context)
    except Exception:
        log.exception("safety: the crisis watch failed on an update")


async def _watch(update: Update, context: LingkarContext) -> None:
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None or user.is_bot:
        return
    if message.sender_chat is not None:  # anonymous admins and channels: no person to reach
        return
    text = message.text or message.caption
    if text and _CONFIGURATION.match(text):
        return  # "/settings resources Suicide hotline ...": setting the bot up, not a cry
    concern = crisis_matcher().check(text)
    if concern is None:
        return
    if _already_answered(
        context, chat.id, message.message_id, edited=update.edited_message is not None
    ):
        return  # an edit of a message that was already answered (a typo fixed)
    log.info("safety: concern (%s) in a %s chat", concern.category, chat.type)
    rt = context.runtime
    now = context.clock.now()
    if is_group_chat(chat):
        group = await group_store.group_by_chat(context.db, chat.id)
        groups = [group] if group is not None else []
        source = "group" if message.text else "caption"
        dm_text = None
        link = message_link(chat, message.message_id)
    elif is_private_chat(chat):
        state = await get_dm_state(context.db, user.id)
        source = _dm_source(state.flow if state else None)
        state_group = state.group_id if state and state.group_id else None
        if state_group is not None:
            one = await group_store.group_by_id(context.db, state_group)
            groups = [one] if one else []
        else:
            groups = await group_store.groups_of_user(context.db, user.id)
        dm_text = text
        link = None
    else:
        return
    group = groups[0] if groups else None
    app = context.application
    # Had this member the contacts (and their facilitators an alert) a moment ago?
    repeat = await _throttled(app, user.id, safety_store.ANY_GROUP, now)
    event_id, alert_first = 0, False
    if group is not None:
        # The first group's event carries the buttons; raise_concern records the others.
        alert_first = not await _throttled(app, user.id, group.id, now)
        event_id = await safety_store.record_event(
            context.db,
            user_id=user.id,
            group_id=group.id,
            source=source,
            category=concern.category,
            urgent=False,
            alerted=alert_first,
            now=now,
        )
    # The member always gets the contacts at once: every worrying message is answered.
    language = _member_language(context.settings, user, group)
    t = translator(language)
    care = await send_dm_retrying(
        app,
        user.id,
        care_text(
            t,
            user.first_name,
            resources_for(rt.settings, group, language),
            facilitator_told=await _has_other_facilitator(context, groups, user.id),
        ),
        reply_markup=care_buttons(t, event_id, user.id),
    )
    reached = care is not None
    if reached and is_private_chat(chat) and context.chat_data is not None:
        context.chat_data[_ANSWERED_KEY] = update.update_id
    if not reached and is_group_chat(chat) and not repeat:
        # Once per repeat window, so the group is not reminded of one person over and over.
        gt = translator(group.language if group else rt.settings.defaults.language)
        lines = "\n".join(
            gt("safety.resource_line", resource=r)
            for r in resources_for(rt.settings, group, gt.language)
        )
        notice = gt("safety.group_notice", resources=Html(lines))
        await reply(update, context, notice, priority=Priority.SAFETY)
    if group is None:
        return
    if alert_first:
        await _alert_facilitators(
            app,
            group,
            user.id,
            _display_name(user.first_name, user.username),
            source=source,
            category=concern.category,
            urgent=False,
            link=link,
            dm_text=dm_text,
            message_time=message.edit_date or message.date or now,
            member_reached=reached,
        )
    for other in groups[1:]:
        await raise_concern(
            app,
            user_id=user.id,
            group_id=other.id,
            source=source,
            category=concern.category,
            message_link=link,
            dm_text=dm_text,
            member_reached=reached,
        )


# -- /settings resources (facilitators) -----------------------------------------------
RESOURCE_WORDS = ("resources", "kontak", "sumber", "crisis", "krisis")
MAX_RESOURCES = 10
MAX_RESOURCE_CHARS = 200


def parse_resources(text: str) -> tuple[str, ...] | None:
    """ "a | b | c" (or one per line) -> the contacts; None if unusable."""
    items = [part.strip() for part in text.replace("\n", "|").split("|")]
    items = [item for item in items if item]
    if not 1 <= len(items) <= MAX_RESOURCES or any(len(i) > MAX_RESOURCE_CHARS for i in items):
        return None
    return tuple(items)


async def settings_resources(update: Update, context: LingkarContext) -> None:
    """`/settings resources ...`: see, set or reset the group's crisis contacts.
    Registered before the lifecycle's /settings, and only for these words."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None or message is None:
        return
    group = await group_store.group_by_chat(context.db, chat.id)
    t = translator(group.language if group else context.settings.defaults.language)
    if group is None or not await group_store.is_facilitator(context.db, group.id, user.id):
        await reply(update, context, t("safety.facilitators_only"))
        return
    value = (message.text or "").split(maxsplit=2)[2:] or [""]
    value = value[0].strip()
    now = context.clock.now()
    if not value:
        own = group_resources(group)
        lines = "\n".join(
            t("safety.resource_line", resource=r)
            for r in resources_for(context.settings, group, group.language)
        )
        origin = t.plain(
            "safety.resources_origin_group" if own else "safety.resources_origin_default"
        )
        await reply(
            update, context, t("safety.resources_current", origin=origin, resources=Html(lines))
        )
        return
    if value.lower() in ("default", "bawaan", "reset"):
        await group_store.update_group(context.db, group.id, now, crisis_resources=None)
        await reply(update, context, t("safety.resources_reset"))
        return
    items = parse_resources(value)
    if items is None:
        await reply(update, context, t("safety.resources_bad"))
        return
    await group_store.update_group(
        context.db, group.id, now, crisis_resources=json.dumps(list(items), ensure_ascii=False)
    )
    lines = "\n".join(t("safety.resource_line", resource=r) for r in items)
    await reply(update, context, t("safety.resources_saved", resources=Html(lines)))


# -- the member's buttons ----------------------------------------------------------
async def on_button(update: Update, context: LingkarContext) -> None:
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    parts = (query.data or "").split(":")
    t = translator(_member_language(context.settings, user, None))
    if len(parts) != 4 or parts[1] not in ("ok", "help") or not all(p.isdigit() for p in parts[2:]):
        await answer_callback(update, t.plain("core.button_stale"), alert=True)
        return
    action, event_id, owner = parts[1], int(parts[2]), int(parts[3])
    if user.id != owner:
        await answer_callback(update, t.plain("safety.not_yours"), alert=True)
        return
    event = await safety_store.get_event(context.db, event_id) if event_id else None
    if event is not None and event.user_id != user.id:  # forgotten or not theirs
        event = None
    group = (
        await group_store.group_by_id(context.db, event.group_id)
        if event and event.group_id
        else None
    )
    language = _member_language(context.settings, user, group)
    t = translator(language)
    resources = resources_for(context.settings, group, language)
    group_id = event.group_id if event else None
    has_facilitator = await _has_other_facilitator(
        context, await _target_groups(context.application, user.id, group_id), user.id
    )
    if action == "help":
        await answer_callback(
            update,
            t.plain("safety.help_answer" if has_facilitator else "safety.help_answer_alone"),
        )
        await raise_concern(
            context.application,
            user_id=user.id,
            group_id=group_id,
            source="button",
            category=event.category if event else "wanting_to_die",
            urgent=True,
            member_reached=True,
        )
        key = "safety.help_noted" if has_facilitator else "safety.help_noted_alone"
        extra, with_safe = t(key), False
    else:
        await answer_callback(update, t.plain("safety.safe_answer"))
        extra, with_safe = t("safety.safe_noted"), False
    # The contacts stay on screen: only a line is added and the buttons change.
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(
            care_text(t, user.first_name, resources, extra, facilitator_told=has_facilitator),
            reply_markup=care_buttons(t, event_id, user.id, with_safe=with_safe),
        )


# -- a member who blocks the bot ------------------------------------------------------
async def on_private_status(update: Update, context: LingkarContext) -> None:
    """A member blocked the bot: marked unreachable, and the facilitators of their
    groups are told once (the intake tells those of an unfinished intake itself).
    WATCH group: it never stops other handlers."""
    change = update.my_chat_member
    if change is None or not is_private_chat(change.chat) or change.from_user is None:
        return
    if change.new_chat_member.status not in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        return
    user_id = change.from_user.id
    if not await user_store.mark_blocked(context.db, user_id, context.clock.now()):
        return  # not news: already told
    # The intake tells the facilitators of an unfinished intake itself.
    skip = {i.group_id for i in await intake_store.open_intakes_of_user(context.db, user_id)}
    await tell_facilitators_blocked(context.application, user_id, skip_groups=skip)


async def tell_facilitators_blocked(
    app: Application, user_id: int, *, skip_groups: frozenset[int] | set[int] = frozenset()
) -> None:
    """Facilitators of the member's groups learn they can no longer be written to."""
    db = runtime(app).db
    user = await user_store.get_user(db, user_id)
    name = _display_name(user.first_name if user else str(user_id), None)
    for group in await group_store.groups_of_user(db, user_id, roles=("member",)):
        if group.id in skip_groups:
            continue
        t = translator(group.language)
        text = t("safety.member_blocked", name=name, group=group.topic or group.title)
        for facilitator in await group_store.facilitators(db, group.id):
            if facilitator.user_id != user_id:
                await send_dm(app, facilitator.user_id, text)


async def _on_member_blocked(app: Application, user_id: int) -> None:
    """A DM bounced off a block the bot had not heard about (no status update came)."""
    await tell_facilitators_blocked(app, user_id)


def register(app: Application) -> None:

    crisis_matcher()  # compile at start, not on the first message
    subscribe(app, "member_blocked", _on_member_blocked)
    texts = (filters.TEXT | filters.CAPTION) & (
        filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE
    )
    app.add_handler(MessageHandler(texts, watch, block=True), group=WATCH)
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"), group=COMMANDS)
    app.add_handler(
        # WATCH, not MEMBERSHIP: there it would hide the update from the membership handler.
        ChatMemberHandler(on_private_status, ChatMemberHandler.MY_CHAT_MEMBER),
        group=WATCH,
    )
    # Before the lifecycle's /settings (this module registers first): only
    # "/settings resources ..." in a group comes here.
    words = "|".join(RESOURCE_WORDS)
    app.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS
            & filters.UpdateType.MESSAGE
            & filters.Regex(rf"(?is)^/settings(@\w+)?\s+({words})\b"),
            settings_resources,
        ),
        group=COMMANDS,
    )
