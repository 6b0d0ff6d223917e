"""Each rehearsal scenario played through the studio (no browser): the members react
to what the trainee does, the scenario ends, and the debrief reports it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sandbox.studio.scenarios import ORDER, load_scenario
from sandbox.studio.world import Studio

START = datetime(2026, 12, 1, 12, tzinfo=UTC)

#: What a good facilitator does in each scenario (English), then the clock moves.
MOVES = {
    "silent": ["How are you feeling right now, here with each other?"],
    "monopoliser": ["Anna, thank you. I notice you carry a lot. What do the others feel?"],
    "subgroup": ["What is happening in the group right now, for all of you?"],
    "crisis": ["Chloe, I'm here with you. Let's talk."],
    "late_leave": ["Welcome, Daniel. Ella, I'd like you to stay and tell us more."],
}


@pytest.fixture
async def studio(tmp_path):
    studio = Studio(tmp_path, "en", realtime=False, clock_start=START)
    await studio.start()
    yield studio
    await studio.stop()


def test_every_scenario_file_loads_and_names_real_lines():
    for scenario_id in ORDER:
        scenario = load_scenario(scenario_id)
        assert any(beat.end for beat in scenario.beats)


async def _play(studio: Studio, scenario_id: str, moves: list[str]) -> dict:
    await studio.act("scenario", {"id": scenario_id})
    state = studio.snapshot()
    me = state["people"][0]
    group = state["groups"][0]
    assert state["scenario"]["id"] == scenario_id and me["role"] == "facilitator"
    await studio.act("clock", {"minutes": 5})
    for text in moves:
        await studio.act("send", {"user": me["id"], "chat": group["id"], "text": text})
    for _ in range(6):
        if studio.scenario.done:
            break
        await studio.act("clock", {"minutes": 2})
    assert studio.scenario.done, studio.scenario.fired
    return (await studio.act("debrief", {}))["debrief"]


@pytest.mark.parametrize("scenario_id", ORDER)
async def test_each_scenario_reacts_and_ends_with_a_debrief(studio, scenario_id):
    debrief = await _play(studio, scenario_id, MOVES[scenario_id])
    headings = [s["heading"] for s in debrief["sections"]]
    assert headings == [
        "Figures",
        "The group's dynamics",
        "What you did",
        "Crisis response",
        "How the group reacted",
        "The service report",
    ]
    report = debrief["sections"][-1]
    assert report["link"]["name"].endswith(".docx")
    assert debrief["sections"][1]["image"]


async def test_the_monopoliser_keeps_talking_until_addressed(studio):
    await studio.act("scenario", {"id": "monopoliser"})
    await studio.act("clock", {"minutes": 8})
    run = studio.scenario
    assert {"long1", "long2", "long3", "again"} <= set(run.fired)
    assert "yields" not in run.fired and not run.done


async def test_the_crisis_debrief_measures_the_answer_time(studio):
    await studio.act("scenario", {"id": "crisis"})
    await studio.act("clock", {"minutes": 1})
    run = studio.scenario
    assert "disclose" in run.fired
    me = studio.snapshot()["people"][0]
    # The bot alerted the facilitator privately, naming the member.
    assert "Chloe" in (studio.emulator.bot_messages(run.facilitator)[-1].text or "")
    await studio.act("clock", {"minutes": 1})
    await studio.act("send", {"user": me["id"], "chat": run.group.id, "text": "Chloe, I'm here."})
    await studio.act("clock", {"minutes": 1})
    debrief = (await studio.act("debrief", {}))["debrief"]
    crisis = next(s for s in debrief["sections"] if s["heading"] == "Crisis response")
    assert crisis["lines"] == ["You answered 70 seconds after the disclosure."]


async def test_late_leave_the_doubter_leaves_when_nobody_speaks_to_her(studio):
    await studio.act("scenario", {"id": "late_leave"})
    await studio.act("clock", {"minutes": 10})
    run = studio.scenario
    assert "leaves" in run.fired and run.done
    ella = run.members[4]
    assert run.group.member(ella).status == "left"
