"""/dynamics: the report of one group, only ever sent to a facilitator in a private
chat (figures from services/dynamics_report.py, words from the locale, and the picture),
with its typed, signed buttons: choose a group, switch the silence prompts."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application

from core.i18n import Html, Translator, translator
from domain.dynamics import DynamicsReport, Person
from handlers.buttons import ButtonData
from handlers.common import (
    answer_callback,
    group_name,
    is_group_chat,
    reply,
    translator_for,
    user_translator,
)
from handlers.context import LingkarContext, runtime
from handlers.messaging import send_dm
from services import dynamics, people
from services import dynamics_report as service
from services.reports.dynamics_chart import (
    ChartLabels,
    DynamicsChart,
    Node,
    ShareBar,
    TrendSpot,
    render_png,
)
from storage.groups import Group
from storage.participation import MeetingWindow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShowReport(ButtonData):
    """A facilitator of several groups picks the one to see."""

    TAG = "dy.show"
    group: str


@dataclass(frozen=True)
class SilencePrompts(ButtonData):
    """The report's switch: each button names the state it sets, so an old one is harmless."""

    TAG = "dy.silence"
    group: str
    on: bool


def _button(app: Application, label: str, data: ButtonData, user_id: int) -> InlineKeyboardButton:
    signer = runtime(app).buttons
    return InlineKeyboardButton(
        label, callback_data=data.pack(signer, chat_id=user_id, for_user=user_id)
    )


def silence_markup(app: Application, t: Translator, group: Group, on: bool, user_id: int):
    """The report's switch for this group's silence prompts (sent in the user's DM)."""
    label = t.plain("dynamics.silence_on_button" if on else "dynamics.silence_off_button")
    button = _button(app, label, SilencePrompts(group.ref, not on), user_id)
    return InlineKeyboardMarkup([[button]])


# -- the command and the buttons ------------------------------------------------------------------
async def dynamics_command(update: Update, context: LingkarContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return
    app = context.application
    if is_group_chat(chat):
        group = await people.group_of_chat(context.runtime, chat.id)
        t = await translator_for(update, context)
        if group is None or not await people.leads(context.runtime, group, user.id):
            await reply(update, context, t("dynamics.only_facilitators"))
            return
        if not await send_report(app, group, user.id):
            # Nothing of the report in the group: only a neutral request to start the bot.
            bot = context.runtime.bot_username
            await reply(
                update, context, t("dynamics.start_bot_first", name=user.first_name, bot=bot)
            )
        return
    t = user_translator(context, user)
    groups = await people.groups_of(context.runtime, user.id, leading=True)
    if not groups:
        await reply(update, context, t("dynamics.no_groups"))
    elif len(groups) == 1:
        await send_report(app, groups[0], user.id)
    else:
        rows = [[_button(app, group_name(g), ShowReport(g.ref), user.id)] for g in groups]
        markup = InlineKeyboardMarkup(rows)
        await reply(update, context, t("dynamics.choose_group"), reply_markup=markup)


async def _facilitated_group(
    update: Update, context: LingkarContext, group_ref: str
) -> Group | None:
    """The group a button names by its random ref, if it is live and the presser
    facilitates it (else they are told)."""
    user = update.effective_user
    t = user_translator(context, user)
    group = await people.group_by_ref(context.runtime, group_ref)
    if group is None or not group.active:
        await answer_callback(update, t.plain("dynamics.group_gone"), alert=True)
        return None
    if not await people.leads(context.runtime, group, user.id):
        await answer_callback(update, t.plain("dynamics.wrong_person"), alert=True)
        return None
    return group


async def on_show(update: Update, context: LingkarContext, data: ShowReport) -> None:
    group = await _facilitated_group(update, context, data.group)
    if group is not None:
        await answer_callback(update)
        await send_report(context.application, group, update.effective_user.id)


async def on_silence(update: Update, context: LingkarContext, data: SilencePrompts) -> None:
    user = update.effective_user
    named = await _facilitated_group(update, context, data.group)
    if named is None:
        return
    group = await service.switch_silence_prompts(context.runtime, named.id, user.id, data.on)
    if group is None:
        return
    t = translator(group.language)
    minutes = context.settings.dynamics.group_silence_minutes
    await answer_callback(update)
    # A fresh message with the switch in its new position.
    text = (
        t("dynamics.silence_now_on", minutes=minutes) if data.on else t("dynamics.silence_now_off")
    )
    markup = silence_markup(context.application, t, group, data.on, user.id)
    await send_dm(context.application, user.id, text, reply_markup=markup)


async def send_report(app: Application, group: Group, user_id: int) -> bool:
    """The report and its picture to one facilitator in private; False if unreachable."""
    rt = runtime(app)
    t = translator(group.language)
    counter = rt.services[dynamics.SERVICE]
    figures = await service.report_figures(
        rt, counter, group, t.plain("dynamics.anonymous_facilitators")
    )
    markup = silence_markup(app, t, group, group.silence_prompts, user_id)
    if figures is None:
        text = t("dynamics.no_meeting", group=group.topic or group.title)
        return await send_dm(app, user_id, text, reply_markup=markup) is not None
    names = {f.person.user_id: _name(t, f.person) for f in figures.report.people}
    text = render_text(
        t, group, figures.meeting, figures.report, names, figures.spots, figures.until
    )
    if await send_dm(app, user_id, text, reply_markup=markup) is None:
        return False
    chart = chart_data(
        t, group, figures.meeting, figures.report, names, figures.edges, figures.spots
    )
    picture = await asyncio.to_thread(render_png, chart)
    try:
        await app.bot.send_photo(user_id, picture)
    except TelegramError as exc:
        log.warning("dynamics: picture not sent (%s)", type(exc).__name__)
    return True


# -- words and the picture --------------------------------------------------------------------------
def _percent(value: float | None) -> str:
    return f"{(value or 0) * 100:.0f}"


def _count(t: Translator, messages: int) -> str:
    return t.plain(
        "dynamics.messages_one" if messages == 1 else "dynamics.messages_many", n=messages
    )


def _name(t: Translator, person: Person) -> str:
    return person.name or t.plain("dynamics.someone")


def render_text(
    t: Translator,
    group: Group,
    meeting: MeetingWindow,
    report: DynamicsReport,
    names: dict[int, str],
    spots: list[TrendSpot],
    until: datetime,
) -> str:
    minutes = max(0, int((until - meeting.opened_at).total_seconds() // 60))
    key = "dynamics.meeting_open" if meeting.is_open else "dynamics.meeting_closed"
    lines = [
        t("dynamics.title", group=group.topic or group.title),
        t(key, seq=meeting.seq, minutes=minutes),
        "",
        *_share_lines(t, report),
        "",
        *_structure_lines(t, report, names),
        *_trend_lines(t, spots),
        "",
        t("dynamics.suggestions_title"),
    ]
    lines += [
        t("dynamics.suggestion_line", text=t.plain(f"dynamics.suggestions.{idea}"))
        for idea in report.suggestions
    ]
    lines += ["", t("dynamics.how_counted")]
    return "\n".join(lines)


def _share_lines(t: Translator, report: DynamicsReport) -> list[str]:
    """Who took how much of the members' talk, and the facilitators' part."""
    total = _count(t, report.member_messages)
    lines = [t("dynamics.members_title", total=total, fair=_percent(report.fair_share))]
    member_rows = [f for f in report.people if not f.person.leads]
    for figures in member_rows:
        key = "dynamics.member_line"
        if figures.person.user_id in report.monopolising:
            key = "dynamics.member_line_loud"
        elif figures.person.user_id in report.silent:
            key = "dynamics.member_line_quiet"
        messages, share = _count(t, figures.messages), _percent(figures.share)
        lines.append(t(key, name=_name(t, figures.person), messages=messages, share=share))
    if not member_rows:
        lines.append(t("dynamics.no_members"))
    if report.facilitator_messages:
        messages = _count(t, report.facilitator_messages)
        share = _percent(report.facilitator_share_of_all)
        lines.append(t("dynamics.facilitators_line", messages=messages, share=share))
    return lines


def _structure_lines(t: Translator, report: DynamicsReport, names: dict[int, str]) -> list[str]:
    """Circularity, quiet members and pairs."""
    value, label = report.circularity.value, report.circularity.structure
    if value is None or label is None:
        lines = [t("dynamics.circularity_none")]
    else:
        described = t.plain(f"dynamics.label_{label.value}")
        lines = [t("dynamics.circularity_line", value=f"{value:.2f}", label=described)]
    sep = t.plain("dynamics.list_sep")
    if report.silent:
        lines.append(t("dynamics.silent_line", names=sep.join(names[u] for u in report.silent)))
    else:
        lines.append(t("dynamics.silent_none"))
    if report.subgroups:
        pairs = sep.join(t("dynamics.pair", a=names[a], b=names[b]) for a, b in report.subgroups)
        lines.append(t("dynamics.subgroup_line", pairs=Html(pairs)))
    return lines


def _trend_lines(t: Translator, spots: list[TrendSpot]) -> list[str]:
    if len(spots) < 2:
        return []
    points = " · ".join(
        t.plain(
            "dynamics.trend_point",
            seq=spot.seq,
            value="-" if spot.circularity is None else f"{spot.circularity:.2f}",
            silent=spot.silent,
        )
        for spot in spots
    )
    return [t("dynamics.trend_line", points=points)]


def chart_data(
    t: Translator,
    group: Group,
    meeting: MeetingWindow,
    report: DynamicsReport,
    names: dict[int, str],
    edges: dict[tuple[int, int], int],
    spots: list[TrendSpot],
) -> DynamicsChart:
    labels = ChartLabels(
        title=t.plain("dynamics.chart.title", group=group.topic or group.title, seq=meeting.seq),
        **{
            field: t.plain(f"dynamics.chart.{field}")
            for field in (
                "share_title",
                "share_axis",
                "fair_share",
                "network_title",
                "facilitator",
                "member",
                "trend_title",
                "trend_axis",
                "circularity",
                "silent",
                "no_data",
            )
        },
    )
    bars = [
        ShareBar(names[f.person.user_id], f.share or 0.0, f.person.user_id in report.silent)
        for f in report.people
        if not f.person.leads
    ]
    speaking = {u for pair in edges for u in pair}
    nodes = [
        Node(f.person.user_id, names[f.person.user_id], f.person.leads)
        for f in report.people
        if not f.person.leads or f.messages or f.person.user_id in speaking
    ]
    listed = {n.key for n in nodes}
    drawn = [(a, b, n) for (a, b), n in sorted(edges.items()) if a in listed and b in listed]
    return DynamicsChart(labels, bars, report.fair_share, nodes, drawn, spots)
