"""/contract with consent, group rules and the private list of who has not agreed;
/stage with confirmation, early-move warnings, history and stale buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lifecycle_helpers import containing, db, group_row, recorder, set_up_group, with_button

from storage import consents as consent_store
from storage import lifecycle as lifecycle_store
from storage.timefmt import to_db


async def test_contract_lists_the_asas_goal_and_meeting_times(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await set_up_group(sb, dewi)
    await dewi.send(chat, "/settings goal Feel less alone with exam stress")
    group = await group_row(sb, chat)
    start = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # 18:00 in Jakarta
    await db(sb).execute(
        "INSERT INTO meetings(group_id, seq, starts_at, ends_at, created_at) VALUES (?, 1, ?, ?, ?)",
        (group.id, to_db(start), to_db(start + timedelta(minutes=90)), to_db(sb.clock.now())),
    )
    await dewi.send(chat, "/contract")
    text = sb.last_message(chat).text
    for fragment in (
        "Confidentiality",
        "facilitators are told",
        "Voluntariness",
        "Openness",
        "Taking part",
        "Respect",
        "Independence",
        "bring what matters back into the group",
        "start and end on time",
        "Feel less alone with exam stress",
        "Mon 7 Dec 2026, 18:00–19:30",
    ):
        assert fragment in text, fragment
    assert sb.buttons(sb.last_message(chat)) == ["🤝 I agree"]


async def test_members_agree_and_facilitators_see_privately_who_has_not(sandbox_en):
    sb = sandbox_en
    dewi, ana, budi, citra = sb.user("Dewi"), sb.user("Ana"), sb.user("Budi"), sb.user("Citra")
    chat = await set_up_group(sb, dewi, [ana, budi, citra])
    group = await group_row(sb, chat)
    await ana.send(chat, "/contract")  # anyone may read it
    contract = sb.last_message(chat)
    await ana.press(contract, "🤝 I agree")
    assert "noted" in ana.answers()[-1]["text"]
    await ana.press(contract, "🤝 I agree")
    assert "already agreed" in ana.answers()[-1]["text"]
    consent = await consent_store.latest_consent(db(sb), group.id, ana.id, "contract")
    assert consent.decision == "given" and consent.at == sb.clock.now()

    await dewi.send(chat, "/contract")
    status = dewi.dm_texts()[-1]
    assert "1 of 3" in status and "Budi" in status and "Citra" in status and "Ana" not in status
    assert not containing(sb, chat, "Not yet")  # never in the group

    await sb.restart()
    await budi.press(contract, "🤝 I agree")  # an old contract message still works
    await citra.press(with_button(sb, chat, "🤝 I agree"), "🤝 I agree")
    assert "everyone has agreed" in dewi.dm_texts()[-1]
    assert await consent_store.users_with_consent(db(sb), group.id, "contract") == {
        ana.id,
        budi.id,
        citra.id,
    }
    await dewi.send(chat, "/contract status")
    assert "everyone has agreed" in dewi.dm_texts()[-1]


async def test_group_rules_added_and_removed_by_facilitators_only(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    group = await group_row(sb, chat)
    await dewi.send(chat, "/contract add Cameras on during meetings")
    await dewi.send(chat, "/contract add <b>No</b> phones")
    assert "Rule 2 added" in sb.texts(chat)[-1]
    await dewi.send(chat, "/contract")
    text = sb.last_message(chat).text
    assert "Our own rules" in text and "1. Cameras on during meetings" in text
    assert "2. <b>No</b> phones" in text  # shown as typed, never as markup

    await ana.send(chat, "/contract add No homework")
    await ana.send(chat, "/contract remove 1")
    assert len(await lifecycle_store.contract_rules(db(sb), group.id)) == 2
    assert "for the group's facilitators" in sb.texts(chat)[-1]

    await dewi.send(chat, "/contract remove 7")
    assert "has 2 rule(s)" in dewi.dm_texts()[-1]
    await dewi.send(chat, "/contract add")
    assert "write the rule" in dewi.dm_texts()[-1]
    await dewi.send(chat, "/contract add " + "long " * 100)
    assert "under 300" in dewi.dm_texts()[-1]
    await dewi.send(chat, "/contract remove 1")
    rules = await lifecycle_store.contract_rules(db(sb), group.id)
    assert [(r.number, r.text) for r in rules] == [(1, "<b>No</b> phones")]


async def test_contract_before_setup_is_answered_kindly(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await sb.group("Circle", admins=[dewi], bot_admin=True)
    await dewi.send(chat, "/contract")
    assert "not set up yet" in sb.texts(chat)[-1]


async def test_stage_view_and_moves_with_confirmation(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    members = [sb.user(n) for n in ("Ana", "Budi", "Citra", "Dimas")]
    chat = await set_up_group(sb, dewi, members)
    group = await group_row(sb, chat)
    changed = recorder(sb.app, "stage_changed")

    await dewi.send(chat, "/stage next")
    second = sb.last_message(chat)  # a second confirmation, left waiting
    await dewi.send(chat, "/stage")
    view = sb.last_message(chat)
    assert "Stage: Pre-group" in view.text and "What you might do now" in view.text
    await dewi.press(view, "Move to Forming…")
    assert "Move the group from Pre-group to Forming?" in view.text
    await members[0].press(view, "Yes, move")
    assert members[0].answers()[-1]["show_alert"]
    assert (await group_row(sb, chat)).stage == "pre"

    await dewi.press(view, "Yes, move")
    assert (await group_row(sb, chat)).stage == "forming"
    assert "moved from Pre-group to Forming" in view.text
    assert containing(sb, chat, "We are beginning")
    join = with_button(sb, chat, "Join the group privately")
    assert join.buttons[0]["url"] == f"https://t.me/lingkar_bot?start={group.join_token}"
    assert [(e["old"], e["new"], e["by"]) for e in changed] == [("pre", "forming", dewi.id)]

    # The other confirmation is now out of date and changes nothing.
    await dewi.press(second, "Yes, move")
    assert "out of date" in dewi.answers()[-1]["text"] and "out of date" in second.text
    assert len(changed) == 1

    await dewi.send(chat, "/stage next")
    confirm = sb.last_message(chat)
    assert "not agreed to the contract" in confirm.text  # a warning, not a block
    await dewi.press(confirm, "Not now")
    assert "stays in the Forming stage" in confirm.text
    assert (await group_row(sb, chat)).stage == "forming"

    history = await lifecycle_store.stage_history(db(sb), group.id)
    assert [(h.from_stage, h.to_stage, h.moved_by) for h in history] == [
        ("pre", "forming", dewi.id)
    ]


async def test_early_move_to_working_warns_but_does_not_block(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    members = [sb.user(n) for n in ("Ana", "Budi", "Citra", "Dimas")]
    chat = await set_up_group(sb, dewi, members)
    await dewi.send(chat, "/stage kerja")  # Indonesian names work too
    confirm = sb.last_message(chat)
    assert "skips a stage" in confirm.text
    assert "Only 0 of 4 members have an open agenda item" in confirm.text
    assert "4 member(s) have not agreed" in confirm.text
    await sb.restart()
    await dewi.press(confirm, "Yes, move")
    group = await group_row(sb, chat)
    assert group.stage == "working"
    history = await lifecycle_store.stage_history(db(sb), group.id)
    assert set(history[-1].warnings) == {"skips", "contract_open", "agenda_thin"}
    assert containing(sb, chat, "A new stage: working")


async def test_stage_bad_input(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    await dewi.send(chat, "/stage nirvana")
    assert "don't know the stage" in dewi.dm_texts()[-1] and "termination" in dewi.dm_texts()[-1]
    await dewi.send(chat, "/stage pre")
    assert "already in the Pre-group stage" in dewi.dm_texts()[-1]
    await ana.send(chat, "/stage next")
    assert "for the group's facilitators" in sb.texts(chat)[-1]
    await dewi.send(chat, "/stage", anonymous=True)
    assert "anonymously" in sb.texts(chat)[-1]
    assert (await group_row(sb, chat)).stage == "pre"
    await dewi.dm("/stage")
    assert "inside the group chat" in dewi.dm_texts()[-1]


async def test_moving_to_post_ends_the_group(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await set_up_group(sb, dewi)
    await dewi.send(chat, "/stage post")
    await dewi.press(sb.last_message(chat), "Yes, move")
    group = await group_row(sb, chat)
    assert group.stage == "post" and group.ended_at is not None
    await dewi.send(chat, "/stage")
    assert "This is the last stage" in sb.texts(chat)[-1]
    await dewi.send(chat, "/stage next")
    assert "already in the last stage" in dewi.dm_texts()[-1]
