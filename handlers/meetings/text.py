"""Meeting times and views worded for people: local time of the group, its language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core import l10n
from core.i18n import Html, Translator
from domain.locales import DEFAULT_TIMEZONE, zone_or_default
from domain.meetings import ClosingSummary, time_left
from domain.schedule import Problem, Refusal
from storage.groups import Group
from storage.meetings import Meeting


def zone_of(group: Group, default: str = DEFAULT_TIMEZONE) -> ZoneInfo:
    return zone_or_default(group.timezone, default)


def clock_time(t: Translator, local: datetime) -> str:
    return l10n.clock(t, local)


def day_text(t: Translator, day: date) -> str:
    return l10n.day(t, day)


def when_text(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """ "Tuesday 1 December 2026, 19:00" in the group's zone."""
    return local_when_text(t, moment.astimezone(zone))


def local_when_text(t: Translator, local: datetime) -> str:
    """The same for a wall time that has no instant (a refused, non-existent time)."""
    return t.plain("meetings.when", day=day_text(t, local.date()), time=clock_time(t, local))


def short_day(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    return l10n.day(t, moment.astimezone(zone).date(), "day_button")


def time_left_text(t: Translator, now: datetime, starts_at: datetime) -> str:
    left = time_left(now, starts_at)
    key = {"days": "in_days", "hours": "in_hours", "minutes": "in_minutes"}[left.unit]
    if left.amount == 1:
        key += "_one"
    return t.plain(f"meetings.{key}", n=left.amount)


def meeting_line(
    t: Translator, meeting: Meeting, zone: ZoneInfo, now: datetime | None = None
) -> str:
    status = meeting.status
    if status == "scheduled" and now is not None and meeting.ends_at <= now:
        status = "missed"  # its time passed while the bot was offline
    status = "" if status == "scheduled" else " " + t.plain(f"meetings.status_{status}")
    return t(
        "meetings.list_line",
        seq=meeting.seq,
        when=when_text(t, meeting.starts_at, zone),
        minutes=meeting.duration_minutes,
        status=status,
    )


def plan_text(
    t: Translator, group: Group, meetings: list[Meeting], now: datetime | None = None
) -> str:
    zone = zone_of(group)
    if not meetings:
        return t("meetings.list_empty", title=group.topic or group.title)
    lines = [t("meetings.list_title", title=group.topic or group.title, zone=zone.key)]
    lines += [meeting_line(t, m, zone, now) for m in meetings]
    lines += ["", t("meetings.list_hint")]
    return "\n".join(lines)


def refusal_text(t: Translator, refusal: Refusal, zone: ZoneInfo) -> str:
    key = f"meetings.bad_{refusal.problem.value}"
    if refusal.problem is Problem.GAP and refusal.when is not None:
        return t(key, when=local_when_text(t, refusal.when), zone=zone.key)
    if refusal.problem is Problem.PAST and refusal.when is not None:
        return t(key, when=local_when_text(t, refusal.when))
    if refusal.problem is Problem.NUMBER and refusal.other is not None:
        return t("meetings.bad_number_not_planned", number=refusal.other)
    if refusal.problem is Problem.OVERLAP and refusal.other is not None:
        return t("meetings.bad_overlap_with", number=refusal.other)
    return t(key)


def _items_lines(t: Translator, title: str, shown: list[str], private: int) -> list[str]:
    lines = [t(title)] + [t("meetings.bullet", text=text) for text in shown]
    if private:
        lines.append(t("meetings.summary_private_items", count=private))
    return lines


def summary_text(t: Translator, group: Group, summary: ClosingSummary) -> str:
    """The closing summary as the facilitator first sees it (and may rewrite)."""
    lines = [t("meetings.summary_title", seq=summary.seq, title=group.topic or group.title)]
    if summary.present:
        names = ", ".join(
            t("meetings.summary_late_name", name=a.name)
            if a.late
            else t("meetings.name", name=a.name)
            for a in summary.present
        )
        lines.append(t("meetings.summary_present", count=len(summary.present), names=Html(names)))
    else:
        lines.append(t("meetings.summary_present_none"))
    if summary.absent:
        # The group reads this: absent members are missed, not named.
        lines.append(t("meetings.summary_absent", count=len(summary.absent)))
    if summary.discussed or summary.discussed_private:
        lines += _items_lines(
            t, "meetings.summary_discussed", summary.discussed, summary.discussed_private
        )
    if summary.carried or summary.carried_private:
        lines += _items_lines(
            t, "meetings.summary_carried", summary.carried, summary.carried_private
        )
    if not (
        summary.discussed or summary.carried or summary.discussed_private or summary.carried_private
    ):
        lines.append(t("meetings.summary_no_items"))
    if summary.next_starts_at is not None:
        when = when_text(t, summary.next_starts_at, zone_of(group))
        lines.append(t("meetings.summary_next", when=when))
    else:
        lines.append(t("meetings.summary_no_next"))
    lines.append(t("meetings.summary_thanks"))
    return "\n".join(lines)
