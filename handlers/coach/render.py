"""The coach's words: a suggestion as the facilitators read it, and the summary
after the meeting. Names appear only here, in the facilitators' private chats;
the caller brings them (services/coach.py: `Readers.names`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from core import l10n
from core.i18n import Translator
from domain.coach import Kind, Technique, suggestion_by_id
from domain.locales import zone_or_default
from handlers.common import group_name
from services.coach import Summary
from storage.coach import SuggestionRecord
from storage.groups import Group


def names_list(t: Translator, user_ids: Sequence[int], names: Mapping[int, str]) -> str:
    shown = [names.get(u) or t.plain("coach.someone") for u in user_ids]
    if len(shown) <= 1:
        return "".join(shown)
    return t.plain("coach.list_sep").join(shown[:-1]) + t.plain("coach.and") + shown[-1]


def observation_line(
    t: Translator, record: SuggestionRecord, names: Mapping[int, str], minutes: int
) -> str:
    kind = Kind(record.kind)
    key = f"coach.seen.{kind.value}"
    if kind is Kind.SILENT and record.value is None:
        key = "coach.seen.silent_unknown"  # no attendance taken: we cannot say they came
    line = t(
        key,
        names=names_list(t, record.members, names),
        share=f"{(record.share or 0) * 100:.0f}",
        minutes=minutes,
        value=_value(kind, record.value),
    )
    if kind is Kind.SILENT and record.absent:
        line += " " + t("coach.seen.silent_absent", names=names_list(t, record.absent, names))
    return line


def _value(kind: Kind, value: float | None) -> str:
    if value is None:
        return "-"
    if kind in (Kind.VERTICAL, Kind.CIRCULAR):
        return f"{value:.2f}"
    return f"{value:.0f}"


def render_suggestion(
    t: Translator, group: Group, record: SuggestionRecord, names: Mapping[int, str], minutes: int
) -> str:
    """`minutes`: the window the observation looked over ([coach] window_minutes)."""
    suggestion = suggestion_by_id(record.suggestion)
    lines = [
        t("coach.title", group=group_name(group)),
        "",
        observation_line(t, record, names, minutes),
    ]
    if suggestion is not None:
        base = f"coach.suggest.{suggestion.id}"
        lines += [
            "",
            t("coach.technique_line", technique=t.plain(f"coach.technique.{suggestion.technique}")),
            t(f"{base}.text"),
        ]
        if suggestion.question:
            lines.append(t("coach.question_line", question=t.plain(f"{base}.question")))
    lines += ["", t("coach.footer")]
    return "\n".join(lines)


def render_summary(
    t: Translator, group: Group, seq: int, summary: Summary, names: Mapping[int, str]
) -> str:
    """`names`: everyone `summary.people()` lists."""
    zone = zone_or_default(group.timezone)

    def clock(moment: datetime) -> str:
        return l10n.clock(t, moment.astimezone(zone))

    lines = [
        t("coach.summary.title", group=group_name(group), seq=seq),
        "",
        t("coach.summary.seen_title"),
    ]
    seen = sorted(summary.seen, key=lambda item: item[1])
    for observation, first in seen:
        pattern = t.plain(
            f"coach.pattern.{observation.kind.value}",
            names=names_list(t, observation.members, names),
        )
        lines.append(t("coach.summary.seen_line", time=clock(first), pattern=pattern))
    if not seen:
        lines.append(t("coach.summary.seen_none"))
    lines += ["", t("coach.summary.done_title")]
    for record in summary.records:
        lines += _summary_record(t, record, names, clock)
    if not summary.records:
        lines.append(t("coach.summary.done_none"))
    lines += ["", t("coach.summary.footer")]
    return "\n".join(lines)


def _summary_record(t: Translator, record: SuggestionRecord, names, clock) -> list[str]:
    suggestion = suggestion_by_id(record.suggestion)
    technique = suggestion.technique if suggestion else Technique.NAMING
    pattern = t.plain(f"coach.pattern.{record.kind}", names=names_list(t, record.members, names))
    name = names.get(record.decided_by) or t.plain("coach.someone")
    outcome = t.plain(f"coach.summary.outcome_{record.outcome or 'none'}", name=name)
    lines = [
        t(
            "coach.summary.done_line",
            time=clock(record.created_at),
            pattern=pattern,
            technique=t.plain(f"coach.technique.{technique}"),
            outcome=outcome,
        )
    ]
    if record.measured_at is None:
        lines.append(t("coach.summary.change_unknown"))
        return lines
    lines.append(
        t(
            "coach.summary.change_circularity",
            before=_fixed(record.circularity_before),
            after=_fixed(record.circularity_after),
        )
    )
    kind = Kind(record.kind)
    if kind in (Kind.SUBGROUP, Kind.MONOPOLISING):
        before, after = _percent(record.focus_before), _percent(record.focus_after)
    elif kind in (Kind.ISOLATED, Kind.SILENT):
        before, after = _whole(record.focus_before), _whole(record.focus_after)
    else:
        return lines
    lines.append(t(f"coach.summary.change_{kind.value}", before=before, after=after))
    return lines


def _fixed(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}"


def _whole(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"
