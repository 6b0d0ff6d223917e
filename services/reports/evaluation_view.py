"""The /evaluation text: the laiseg trend (aggregated), per-member outcomes
(WHO-5 with marked changes, goal attainment, action-plan follow-through) and
the curative-factor counts. Only aggregates with 3+ answers show numbers."""

from __future__ import annotations

from core.i18n import Html, Translator
from domain.evaluation import LAISEG_SCALES, direction
from services.reports.formatting import (
    arrow,
    date_text,
    factor_label,
    number,
    timepoint_label,
    who5_point,
)
from services.reports.model import EvaluationView


def render_view(view: EvaluationView, t: Translator) -> str:
    lines = [t("evaluation.view.title", group=view.group_title)]
    lines += _laiseg_lines(view, t)
    lines += ["", t("evaluation.view.members_title")]
    members = [m for m in view.members if m.who5 or m.goal or m.actions.plans]
    if not members:
        lines.append(t("evaluation.view.no_member_data"))
    for member in members:
        lines += _member_lines(member, t)
    if view.factors.respondents:
        lines.append("")
    if view.factors.shown:
        lines.append(t("evaluation.view.factors_title", count=view.factors.respondents))
        lines += [
            t("evaluation.view.factors_line", label=factor_label(t, key), count=count)
            for key, count in view.factors.counts
        ]
    elif view.factors.respondents:
        lines.append(t("evaluation.view.factors_few", count=view.factors.respondents))
    if any(m.who5 for m in members):
        lines += ["", t("evaluation.view.marked_note")]
    return "\n".join(lines)


def _laiseg_lines(view: EvaluationView, t: Translator) -> list[str]:
    """The immediate evaluations meeting by meeting, and the trend."""
    if not view.trend:
        return ["", t("evaluation.view.no_meetings")]
    lines = ["", t("evaluation.view.laiseg_title")]
    starts = dict(view.meetings)
    for meeting in view.trend:
        lines.append(
            t(
                "evaluation.view.meeting_line",
                seq=meeting.seq,
                date=date_text(t, starts[meeting.seq], view.timezone),
                answered=meeting.respondents,
            )
        )
        shown = [
            t.plain(
                "evaluation.view.item",
                label=t.plain(f"evaluation.label.{key}"),
                value=number(t, meeting.items[key].mean),
            )
            for key in LAISEG_SCALES
            if meeting.items[key].shown
        ]
        if shown:
            lines.append(t("evaluation.view.items_line", items=" · ".join(shown)))
        elif meeting.respondents:
            lines.append(t("evaluation.view.too_few"))
    trend = _trend(view, t)
    if trend:
        lines.append(trend)
    return lines


def _member_lines(member, t: Translator) -> list[str]:
    lines = [t("evaluation.view.member_line", name=member.name)]
    if member.who5:
        points = " → ".join(who5_point(t, p) for p in member.who5)
        lines.append(t("evaluation.view.who5_line", points=points))
    if member.goal:
        points = " → ".join(f"{timepoint_label(t, k)} {v}/10" for k, v in member.goal)
        lines.append(t("evaluation.view.goal_line", points=points))
    if member.actions.plans:
        a = member.actions
        lines.append(
            t(
                "evaluation.view.actions_line",
                plans=a.plans,
                done=a.done,
                partly=a.partly,
                not_yet=a.not_yet,
            )
        )
    return lines


def _trend(view: EvaluationView, t: Translator) -> str | None:
    """First to last meeting with numbers shown, per item: an arrow."""
    shown = [m for m in view.trend if any(m.items[k].shown for k in LAISEG_SCALES)]
    if len(shown) < 2:
        return None
    first, last = shown[0], shown[-1]
    items = []
    for key in LAISEG_SCALES:
        move = direction(first.items[key].mean, last.items[key].mean)
        if move is not None:
            items.append(f"{t.plain(f'evaluation.label.{key}')} {arrow(t, move)}")
    if not items:
        return None
    return t(
        "evaluation.view.trend_line",
        first=first.seq,
        last=last.seq,
        items=Html(" · ".join(_escape(i) for i in items)),
    )


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)
