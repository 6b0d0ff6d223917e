"""The WHO-5 contract other features use: ask_who5 + on_who5_done."""

from __future__ import annotations

from intake_seed import seed_circle

from handlers.who5 import ask_who5, on_who5_done
from storage import who5 as who5_store

FINISHED: list[tuple[int, int, str, int]] = []


@on_who5_done("test_who5_contract")
async def _record(app, user_id: int, group_id: int, timepoint: str, raw: int) -> None:
    FINISHED.append((user_id, group_id, timepoint, raw))


async def test_ask_who5_scores_stores_and_calls_back_once(sandbox):
    FINISHED.clear()
    c = await seed_circle(sandbox)
    ana = c.members[0]
    assert await ask_who5(sandbox.app, ana.id, c.group, "end", then="test_who5_contract")
    await sandbox.settle()
    assert "dua minggu terakhir" in ana.dm_texts()[-2]
    question = ana.last_dm()
    assert sandbox.buttons(question)[0] == "Sepanjang waktu"
    assert len(sandbox.buttons(question)) == 6
    for label in (
        "Sepanjang waktu",
        "Hampir sepanjang waktu",
        "Tidak pernah",
        "Sesekali",
        "Sesekali",
    ):
        await ana.press(ana.last_dm(), label)
    assert [(ana.id, c.group.id, "end", 11)] == FINISHED
    assert "Terima kasih" in ana.last_dm().text
    score = await who5_store.score_at(c.db, c.group.id, ana.id, "end")
    assert (score.items, score.raw, score.percent) == ((5, 4, 0, 1, 1), 11, 44)
    # Someone else pressing a member's questionnaire changes nothing.
    assert await ask_who5(sandbox.app, ana.id, c.group, "followup_30")
    await sandbox.settle()
    budi = c.members[1]
    await budi.press(ana.last_dm(), "Sepanjang waktu")
    assert budi.answers()[-1]["show_alert"] is True
    # Asking again for a finished time point does not ask, and calls back at once.
    count = len(ana.dm_texts())
    assert await ask_who5(sandbox.app, ana.id, c.group, "end", then="test_who5_contract")
    await sandbox.settle()
    assert len(ana.dm_texts()) == count
    assert FINISHED[-1] == (ana.id, c.group.id, "end", 11)
    assert [s.timepoint for s in await who5_store.who5_for_group(c.db, c.group.id)] == ["end"]


async def test_a_double_press_counts_once_and_a_crash_loses_nothing(sandbox):
    c = await seed_circle(sandbox)
    ana = c.members[0]
    assert await ask_who5(sandbox.app, ana.id, c.group, "followup_7")
    await sandbox.settle()
    first = ana.last_dm()
    await ana.press(first, "Sepanjang waktu")
    await sandbox.crash_restart()
    await ana.press(first, "Sepanjang waktu")  # the same message, now at question 2
    stale = await who5_store.open_session(
        c.db, c.group.id, ana.id, "followup_7", None, sandbox.clock.now()
    )
    assert stale.answers == (5, 5)
    # An old button for question 1 is stale now.
    first.reply_markup = {
        "inline_keyboard": [[{"text": "old", "callback_data": f"w5:a:{stale.id}:0:3"}]]
    }
    await ana.press(first, "old")
    session = await who5_store.get_session(c.db, stale.id)
    assert session.answers == (5, 5)


async def test_an_unreachable_member_is_reported_false(sandbox):
    c = await seed_circle(sandbox, started=False)
    assert not await ask_who5(sandbox.app, c.members[0].id, c.group, "end")
