"""After a rehearsal: what the group did, what the trainee did, and the bot's own
figures, chart and service report, obtained the way a facilitator gets them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.control import find_button
from sandbox.model import Message
from sandbox.studio.view import file_url

if TYPE_CHECKING:
    from sandbox.studio.scenarios import ScenarioRun
    from sandbox.studio.world import Studio


def _newest(messages: list[Message], *, photo: bool = False, document: bool = False):
    for message in reversed(messages):
        if (photo and message.photo) or (document and message.document):
            return message
    return None


async def _ask_the_bot(studio: Studio, run: ScenarioRun) -> tuple[Message | None, Message | None]:
    """The facilitator asks for the dynamics, ends the meeting, approves the summary and
    makes the service report, as in Telegram. Returns (chart, report) messages."""
    emulator, t = studio.emulator, run.t
    me, group = run.facilitator, run.group

    async def say(chat, text: str) -> None:
        emulator.user_sends(me, chat, text)
        await studio.settle()

    async def press(label: str) -> bool:
        try:
            message, exact = find_button(emulator, label, emulator.private_chat(me))
        except LookupError:
            return False
        emulator.press(me, message, text=exact)
        await studio.settle()
        return True

    await say(group, "/dynamics")
    chart = _newest(emulator.bot_messages(me), photo=True)
    await say(group, "/meeting end")
    await press(t.plain("meetings.summary_approve_button"))
    await say(me, "/report")
    menu = emulator.bot_messages(me)[-1]
    if menu.buttons and "callback_data" in menu.buttons[0]:
        emulator.press(me, menu, text=menu.button_texts[0])
        await studio.settle()
        await press(t.plain("evaluation.report.make"))
    report = _newest(emulator.bot_messages(me), document=True)
    return chart, report


def _moves(run: ScenarioRun) -> list[str]:
    t = run.t
    said = [text for _, kind, text in run.actions if kind == "group"]
    commands = sorted({text.split()[0] for text in said if text.startswith("/")})
    herenow = [text for text in said if not text.startswith("/") and run.cues(text, "herenow")]
    herenow += [text for text in said if text.startswith("/herenow")]
    group_turns = sum(1 for text in said if not text.startswith("/") and run.cues(text, "group"))
    named = [
        m.first_name
        for m in run.members
        if any(
            text and not text.startswith("/") and m.first_name.lower() in text.lower()
            for text in said
        )
    ]
    stages = [text for text in said if text.startswith("/stage")]
    none = t.plain("studio.debrief.none")
    return [
        f"{t.plain('studio.debrief.herenow_questions')}: {len(herenow)}",
        *[f"• {text}" for text in herenow[:6]],
        f"{t.plain('studio.debrief.group_turns')}: {group_turns}",
        f"{t.plain('studio.debrief.addressed')}: {', '.join(named) or none}",
        f"{t.plain('studio.debrief.commands')}: {', '.join(commands) or none}",
        f"{t.plain('studio.debrief.stage_moves')}: {', '.join(stages) or none}",
    ]


def _crisis(run: ScenarioRun) -> list[str]:
    t = run.t
    crisis = next((b for b in run.scenario.beats if b.crisis), None)
    if crisis is None:
        return [t.plain("studio.debrief.crisis_absent")]
    disclosed = run.fired.get(crisis.id)
    if disclosed is None or run.answered_at is None:
        return [t.plain("studio.debrief.crisis_none")]
    seconds = int((run.answered_at - disclosed).total_seconds())
    return [t.plain("studio.debrief.crisis_time", seconds=seconds)]


def _beats(run: ScenarioRun) -> list[str]:
    t = run.t
    lines = []
    for beat in run.scenario.beats:
        key = "studio.debrief.beat_fired" if beat.id in run.fired else "studio.debrief.beat_missed"
        name = run.members[beat.who].first_name
        lines.append(t.plain(key, beat=f"{name} · {beat.id}"))
    return lines


async def make_debrief(studio: Studio) -> dict[str, Any]:
    """The debrief of the scenario being played (the meeting is ended on the way)."""
    run = studio.scenario
    t = run.t
    minutes = int((studio.now - run.started_at).total_seconds() // 60)
    figures = [
        f"{t.plain('studio.debrief.messages_you')}: "
        f"{sum(1 for _, kind, _ in run.actions if kind == 'group')}",
        f"{t.plain('studio.debrief.messages_members')}: {run.member_messages}",
        f"{t.plain('studio.debrief.minutes')}: {minutes}",
    ]
    chart, report = await _ask_the_bot(studio, run)
    dynamics = [t.plain("studio.debrief.no_chart")]
    image = None
    if chart is not None:
        image = file_url(chart.photo[-1]["file_id"])
        texts = [m for m in studio.emulator.bot_messages(run.facilitator) if m.text]
        before = [m for m in texts if m.message_id < chart.message_id]
        dynamics = (before[-1].text or "").splitlines() if before else []
    sections: list[dict[str, Any]] = [
        {"heading": t.plain("studio.debrief.figures"), "lines": figures},
        {"heading": t.plain("studio.debrief.dynamics"), "lines": dynamics, "image": image},
        {"heading": t.plain("studio.debrief.moves"), "lines": _moves(run)},
        {"heading": t.plain("studio.debrief.crisis"), "lines": _crisis(run)},
        {"heading": t.plain("studio.debrief.beats"), "lines": _beats(run)},
    ]
    report_section: dict[str, Any] = {"heading": t.plain("studio.debrief.report"), "lines": []}
    if report is not None:
        report_section["lines"] = [t.plain("studio.debrief.closed")]
        report_section["link"] = {
            "name": report.document.get("file_name", "report.docx"),
            "url": file_url(report.document["file_id"]),
        }
    else:
        report_section["lines"] = [t.plain("studio.debrief.no_report")]
    sections.append(report_section)
    return {"title": t.plain("studio.debrief.title", title=run.title()), "sections": sections}
