"""Telegram outages in the middle of things: retried with back-off, nothing lost, nothing doubled."""

from __future__ import annotations

from datetime import timedelta

from handlers.context import runtime
from handlers.messaging import send_dm
from storage import jobs as job_store


async def test_a_scheduled_dm_survives_a_telegram_outage_and_is_sent_once(sandbox):
    ana = sandbox.user("Ana")
    await ana.start_bot()
    rt = runtime(sandbox.app)

    async def note(app, job):
        await send_dm(app, job.user_id, "catatan terjadwal")

    rt.scheduler.register_kind("test.note", note)
    job_id = await rt.scheduler.schedule(
        "test.note", sandbox.clock.now() + timedelta(minutes=5), user_id=ana.id
    )
    sandbox.emulator.fail_next(2, status=502, method="sendMessage")
    await sandbox.advance(timedelta(minutes=10))
    assert ana.dm_texts().count("catatan terjadwal") == 1
    job = await job_store.get_job(rt.db, job_id)
    # Delivery retried the 502s itself: the job ran once (tests/e2e/test_delivery.py).
    assert job.status == "done" and job.attempts == 1
    assert [c.status for c in sandbox.sent_calls("sendMessage")][-3:] == [502, 502, 200]


async def test_a_command_during_an_outage_does_not_crash_the_bot(sandbox):
    ana = sandbox.user("Ana")
    sandbox.emulator.fail_next(1, status=500, method="sendMessage")
    await ana.start_bot()  # the welcome meets the outage, is sent again...
    assert len(ana.dm_texts()) == 1 and "Halo, Ana" in ana.last_dm().text
    await ana.dm("/start")  # ...and the bot is still there
    assert "Halo, Ana" in ana.last_dm().text


async def test_a_job_that_keeps_failing_is_reported_to_the_facilitators(sandbox):
    from storage import groups as group_store
    from storage.users import upsert_user

    dewi = sandbox.user("Dewi")
    await dewi.start_bot()
    grp = await sandbox.group("Lingkar Remaja", admins=[dewi])
    rt = runtime(sandbox.app)
    now = sandbox.clock.now()
    group = await group_store.ensure_group(rt.db, grp.id, grp.title, "id", "Asia/Jakarta", now)
    await upsert_user(rt.db, dewi.id, "Dewi", None, "id", now, started=True)
    await group_store.upsert_member(rt.db, group.id, dewi.id, now, role="facilitator")

    async def broken(app, job):
        raise RuntimeError("always")

    rt.scheduler.register_kind("test.broken", broken)
    await rt.scheduler.schedule("test.broken", now + timedelta(minutes=1), group_id=group.id)
    await sandbox.advance(timedelta(hours=2))
    report = next(text for text in dewi.dm_texts() if "Lingkar Remaja" in text)
    # In plain words: what failed, not the job's internal name.
    assert "tidak berhasil mengirim pesan terjadwal untuk kelompok" in report
    assert "test.broken" not in report


async def test_every_job_kind_has_a_name_facilitators_understand(sandbox):
    from core.i18n import translator

    kinds = runtime(sandbox.app).scheduler._kinds
    assert len(kinds) >= 10
    for language in ("id", "en"):
        t = translator(language)
        for kind in kinds:
            name = f"core.job_kind.{kind.replace('.', '_')}"
            assert t.has(name), f"{language}: no name for the job kind {kind}"
            assert "." not in t(name) and "_" not in t(name)
