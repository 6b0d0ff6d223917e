"""The harness drives the real Application: actors act, settle waits, transcripts read well."""

from __future__ import annotations

from datetime import timedelta

from sandbox.demo import run_demo


async def test_start_in_dm_is_answered_and_recorded(sandbox):
    dewi = sandbox.user("Dewi")
    await dewi.start_bot()
    assert dewi.last_dm() is not None and "Dewi" in dewi.last_dm().text
    assert dewi.user.started
    assert sandbox.sent_calls("sendMessage")[-1].params["chat_id"] == dewi.id
    assert "[DM Dewi] Dewi: /start" in sandbox.transcript()


async def test_group_with_bot_and_deep_link(sandbox):
    dewi, ana = sandbox.user("Dewi"), sandbox.user("Ana")
    group = await sandbox.group("Lingkar Remaja", members=[dewi, ana], admins=[dewi])
    await dewi.send(group, "/help")
    assert sandbox.last_message(group) is not None
    await ana.open_link("https://t.me/lingkar_bot?start=hello")
    assert ana.dm_texts()


async def test_restart_and_crash_restart_keep_serving(sandbox):
    ana = sandbox.user("Ana")
    await ana.start_bot()
    before = len(ana.dms())
    await sandbox.restart()
    await ana.dm("/help")
    await sandbox.crash_restart()
    await ana.dm("/help")
    assert len(ana.dms()) == before + 2
    assert not [c for c in sandbox.failed_calls() if c.method != "getUpdates"]


async def test_advance_moves_the_fake_clock(sandbox):
    start = sandbox.clock.now()
    await sandbox.advance(timedelta(hours=2))
    assert sandbox.clock.now() == start + timedelta(hours=2)


async def test_english_sandbox(sandbox_en):
    anna = sandbox_en.user("Anna")
    await anna.start_bot()
    assert anna.user.language_code == "en" and anna.dm_texts()


def test_demo_always_exits_zero(capsys):
    assert run_demo("id") == 0
    assert "Dewi" in capsys.readouterr().out
