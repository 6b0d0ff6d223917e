"""The /dynamics report of one group: figures from storage, words from the locale,
and the picture. Only ever sent to a facilitator in a private chat."""

from __future__ import annotations

from datetime import datetime

from core.i18n import Html, Translator
from domain.dynamics import (
    FACILITATOR_ROLES,
    DynamicsReport,
    MemberCounts,
    Person,
    build_report,
    circularity,
    silent_members,
)
from handlers.common import ANONYMOUS_ADMIN_ID
from services.reports.dynamics_chart import (
    ChartLabels,
    DynamicsChart,
    Node,
    ShareBar,
    TrendSpot,
)
from storage import participation as store
from storage.db import Database
from storage.groups import Group
from storage.participation import MeetingWindow

TREND_MEETINGS = 8


async def people_of(
    db: Database, group_id: int, start: datetime, end: datetime, t: Translator
) -> list[Person]:
    """The meeting's roster as domain people; anonymous admins count as facilitators."""
    people = [
        Person(entry.user_id, entry.first_name, entry.role)
        for entry in await store.roster(db, group_id, start, end)
    ]
    people.append(
        Person(ANONYMOUS_ADMIN_ID, t.plain("dynamics.anonymous_facilitators"), "facilitator")
    )
    return people


def _leaders(people: list[Person]) -> list[int]:
    return [p.user_id for p in people if p.role in FACILITATOR_ROLES]


def _members(people: list[Person], counts: dict[int, MemberCounts]) -> list[int]:
    leaders = set(_leaders(people))
    listed = [p.user_id for p in people if p.user_id not in leaders]
    return listed + [u for u in counts if u not in leaders and u not in listed]


async def trend(
    db: Database, group: Group, now: datetime, t: Translator, *, limit: int = TREND_MEETINGS
) -> list[TrendSpot]:
    spots = []
    for meeting in await store.held_meetings(db, group.id, limit=limit):
        until = meeting.closed_at or now
        counts, edges = await store.load_counts(db, meeting.meeting_id)
        people = await people_of(db, group.id, meeting.opened_at, until, t)
        messages = {u: c.messages for u, c in counts.items()}
        structure = circularity(edges, _leaders(people))
        quiet = silent_members(messages, _members(people, counts), meeting.opened_at, until)
        spots.append(TrendSpot(meeting.seq, structure.value, len(quiet)))
    return spots


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
    title = group.topic or group.title
    lines = [
        t("dynamics.title", group=title),
        t(
            "dynamics.meeting_open" if meeting.is_open else "dynamics.meeting_closed",
            seq=meeting.seq,
            minutes=minutes,
        ),
        "",
        t(
            "dynamics.members_title",
            total=_count(t, report.member_messages),
            fair=_percent(report.fair_share),
        ),
    ]
    member_rows = [f for f in report.people if not f.person.leads]
    for figures in member_rows:
        key = "dynamics.member_line"
        if figures.person.user_id in report.monopolising:
            key = "dynamics.member_line_loud"
        elif figures.person.user_id in report.silent:
            key = "dynamics.member_line_quiet"
        lines.append(
            t(
                key,
                name=_name(t, figures.person),
                messages=_count(t, figures.messages),
                share=_percent(figures.share),
            )
        )
    if not member_rows:
        lines.append(t("dynamics.no_members"))
    if report.facilitator_messages:
        lines.append(
            t(
                "dynamics.facilitators_line",
                messages=_count(t, report.facilitator_messages),
                share=_percent(report.facilitator_share_of_all),
            )
        )
    lines.append("")
    value, label = report.circularity.value, report.circularity.structure
    if value is None or label is None:
        lines.append(t("dynamics.circularity_none"))
    else:
        lines.append(
            t(
                "dynamics.circularity_line",
                value=f"{value:.2f}",
                label=t.plain(f"dynamics.label_{label.value}"),
            )
        )
    sep = t.plain("dynamics.list_sep")
    if report.silent:
        lines.append(t("dynamics.silent_line", names=sep.join(names[u] for u in report.silent)))
    else:
        lines.append(t("dynamics.silent_none"))
    if report.subgroups:
        pairs = sep.join(t("dynamics.pair", a=names[a], b=names[b]) for a, b in report.subgroups)
        lines.append(t("dynamics.subgroup_line", pairs=Html(pairs)))
    if len(spots) > 1:
        points = " · ".join(
            t.plain(
                "dynamics.trend_point",
                seq=spot.seq,
                value="-" if spot.circularity is None else f"{spot.circularity:.2f}",
                silent=spot.silent,
            )
            for spot in spots
        )
        lines.append(t("dynamics.trend_line", points=points))
    lines += ["", t("dynamics.suggestions_title")]
    lines += [
        t("dynamics.suggestion_line", text=t.plain(f"dynamics.suggestions.{key}"))
        for key in report.suggestions
    ]
    lines += ["", t("dynamics.how_counted")]
    return "\n".join(lines)


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


async def build(
    db: Database, group: Group, now: datetime, t: Translator
) -> tuple[str, DynamicsChart | None]:
    """The report text and the chart data (None when no meeting took place yet)."""
    meeting = await store.meeting_for_report(db, group.id)
    if meeting is None:
        return t("dynamics.no_meeting", group=group.topic or group.title), None
    until = meeting.closed_at or now
    counts, edges = await store.load_counts(db, meeting.meeting_id)
    people = await people_of(db, group.id, meeting.opened_at, until, t)
    report = build_report(people, counts, edges, opened_at=meeting.opened_at, until=until)
    names = {f.person.user_id: _name(t, f.person) for f in report.people}
    spots = await trend(db, group, now, t)
    text = render_text(t, group, meeting, report, names, spots, until)
    return text, chart_data(t, group, meeting, report, names, edges, spots)
