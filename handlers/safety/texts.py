"""What the crisis watch says: care messages and facilitators' alerts, rendered
from the locale files. Nothing here sends."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatType

from core.config import Settings
from core.i18n import Html, Translator, choose_language
from domain.crisis import Grade, grade_of
from handlers.buttons import ButtonSigner
from handlers.safety.buttons import Acknowledge, HelpNow, SafeForNow
from storage.groups import Group

#: A DM text quoted in a facilitator alert is cut to this many characters.
QUOTE_LIMIT = 1200


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


def resource_lines(t: Translator, resources: tuple[str, ...]) -> Html:
    return Html("\n".join(t("safety.resource_line", resource=r) for r in resources))


def care_text(
    t: Translator,
    name: str,
    resources: tuple[str, ...],
    extra: str | None = None,
    *,
    facilitator_told: bool = True,
    grade: Grade = Grade.CONCERN,
) -> str:
    """The member's private care message. Imminent: it leads with 112 / 119 and
    asks whether they are safe right now."""
    closing = t(
        "safety.care_closing_facilitator" if facilitator_told else "safety.care_closing_alone"
    )
    key = "safety.care_imminent" if grade == Grade.IMMINENT else "safety.care"
    text = t(key, name=name or "🤍", resources=resource_lines(t, resources), closing=Html(closing))
    return f"{text}\n\n{extra}" if extra else text


def care_buttons(
    t: Translator, signer: ButtonSigner, event_ref: str, user_id: int, *, with_safe: bool = True
) -> InlineKeyboardMarkup:
    """Signed for the member in their private chat (chat id = user id); the event is
    named by its random ref."""
    buttons = []
    if with_safe:
        data = SafeForNow(event_ref).pack(signer, chat_id=user_id, for_user=user_id)
        buttons.append(InlineKeyboardButton(t.plain("safety.button_safe"), callback_data=data))
    data = HelpNow(event_ref).pack(signer, chat_id=user_id, for_user=user_id)
    buttons.append(InlineKeyboardButton(t.plain("safety.button_help"), callback_data=data))
    return InlineKeyboardMarkup([[button] for button in buttons])


def acknowledge_button(
    t: Translator, signer: ButtonSigner, alert_ref: str, facilitator_id: int
) -> InlineKeyboardMarkup:
    data = Acknowledge(alert_ref).pack(signer, chat_id=facilitator_id, for_user=facilitator_id)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t.plain("safety.button_acknowledge"), callback_data=data)]]
    )


def member_language(settings: Settings, user, group: Group | None) -> str:
    code = getattr(user, "language_code", None)
    return choose_language(code, group.language if group else None, settings.defaults.language)


def display_name(first_name: str, username: str | None) -> str:
    name = first_name or "?"
    return f"{name} (@{username})" if username else name


def message_link(chat, message_id: int) -> str | None:
    """A t.me link to a group message; basic groups have none."""
    if getattr(chat, "username", None):
        return f"https://t.me/{chat.username}/{message_id}"
    if chat.type == ChatType.SUPERGROUP and str(chat.id).startswith("-100"):
        return f"https://t.me/c/{str(chat.id)[4:]}/{message_id}"
    return None


def _label(t: Translator, prefix: str, key: str) -> str:
    return t.plain(f"{prefix}.{key}") if t.has(f"{prefix}.{key}") else key


def level_label(t: Translator, category: str) -> str:
    """ "high: plan": the grade and the category, as an alert names them."""
    grade = grade_of(category)
    return t.plain(
        "safety.level",
        grade=_label(t, "safety.grades", grade.label),
        category=_label(t, "safety.categories", category),
    )


def alert_text(
    t: Translator,
    group: Group,
    member: str,
    *,
    source: str,
    category: str,
    link: str | None,
    dm_text: str | None,
    message_time: datetime,
    reached: bool | None,
) -> str:
    """A facilitator's alert for a finding (an urgent one has its own texts)."""
    title = group.topic or group.title or str(group.id)
    level = level_label(t, category)
    source_label = _label(t, "safety.sources", source)
    reached_line = _reached(t, reached, dm_text is not None)
    common = {"member": member, "group": title, "category": level, "reached": reached_line}
    if dm_text is not None:
        quote = dm_text if len(dm_text) <= QUOTE_LIMIT else dm_text[:QUOTE_LIMIT] + "…"
        text = t("safety.alert_private", source=source_label, text=quote, **common)
    elif link is not None:
        text = t("safety.alert_group", link=link, **common)
    elif source in ("group", "caption"):
        local = message_time.astimezone(ZoneInfo(group.timezone)).strftime("%Y-%m-%d %H:%M")
        text = t("safety.alert_group_nolink", time=local, **common)
    else:
        text = t("safety.alert_concern", source=source_label, **common)
    return _without_blank_lines(text)


def urgent_text(
    t: Translator,
    group: Group,
    member: str,
    *,
    category: str | None,
    where: str,
    repeat: int,
) -> str:
    """An urgent alert: an act in progress (category) or "I need help now" (None)."""
    title = group.topic or group.title or str(group.id)
    if category is None:
        text = t("safety.alert_urgent", member=member, group=title)
    else:
        level = level_label(t, category)
        text = t("safety.alert_imminent", member=member, group=title, category=level)
    parts = [text, where, t("safety.urgent_until_acknowledged")]
    if repeat > 1:
        parts.insert(0, t("safety.urgent_repeat", count=repeat))
    return _without_blank_lines("\n".join(p for p in parts if p))


def where_line(
    t: Translator,
    group: Group,
    *,
    source: str,
    link: str | None,
    dm_text: str | None,
    message_time: datetime,
) -> str:
    """Where the urgent message was: its link, its time (basic groups) or, for a
    private message, the words quoted (they were written to the bot)."""
    if dm_text is not None:
        quote = dm_text if len(dm_text) <= QUOTE_LIMIT else dm_text[:QUOTE_LIMIT] + "…"
        return t("safety.where_private", source=_label(t, "safety.sources", source), text=quote)
    if link is not None:
        return t("safety.where_link", link=link)
    if source in ("group", "caption"):
        local = message_time.astimezone(ZoneInfo(group.timezone)).strftime("%Y-%m-%d %H:%M")
        return t("safety.where_time", time=local)
    return ""


def _reached(t: Translator, reached: bool | None, private: bool) -> Html:
    if reached is None:
        return Html("")
    if reached:
        return Html(t("safety.reached_dm_only" if private else "safety.reached_yes"))
    return Html(t("safety.reached_no"))


def _without_blank_lines(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip())
