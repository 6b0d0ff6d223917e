"""/herenow: fitting prompts, no repeats, supportive groups, the group's own prompts,
the "another" button, and post_prompt for other features."""

from __future__ import annotations

from lifecycle_helpers import db, group_row, set_up_group, with_button

from core.i18n import catalog
from domain.prompts import bank_from_catalog
from handlers.prompts import post_prompt
from storage import groups as group_store
from storage import lifecycle as lifecycle_store

ANOTHER = "🔄 Another question"


def _bank_texts(stage: str, *, exclude_intensity: str | None = None) -> dict[str, str]:
    flat = catalog("en")
    return {
        flat[f"prompts.bank.{p.key}.text"]: p.intensity
        for p in bank_from_catalog(flat)
        if p.stage == stage and p.intensity != exclude_intensity
    }


async def _move(sb, dewi, chat, stage: str) -> None:
    await dewi.send(chat, f"/stage {stage}")
    await dewi.press(sb.last_message(chat), "Yes, move")


async def test_herenow_posts_a_prompt_for_the_current_stage(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    await dewi.send(chat, "/herenow")
    posted = sb.last_message(chat)
    assert posted.text.startswith("💬 Here and now")
    prompt = posted.text.split("\n", 1)[1]
    assert prompt in _bank_texts("forming")  # pre-group borrows the forming bank
    assert posted.button_texts == [ANOTHER]

    await _move(sb, dewi, chat, "transition")
    await dewi.send(chat, "/herenow")
    assert sb.last_message(chat).text.split("\n", 1)[1] in _bank_texts("transition")


async def test_no_repeat_until_the_bank_is_used_up(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await set_up_group(sb, dewi)
    await _move(sb, dewi, chat, "working")
    bank = _bank_texts("working")
    seen = []
    for _ in range(len(bank)):
        await dewi.send(chat, "/herenow")
        seen.append(sb.last_message(chat).text.split("\n", 1)[1])
    assert sorted(seen) == sorted(bank)
    await dewi.send(chat, "/herenow")  # a new round starts, not with the last one
    assert sb.last_message(chat).text.split("\n", 1)[1] != seen[-1]
    group = await group_row(sb, chat)
    assert len(await lifecycle_store.prompts_used(db(sb), group.id, "working")) == len(bank) + 1


async def test_supportive_groups_never_get_confronting_prompts(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await set_up_group(sb, dewi)
    await dewi.send(chat, "/settings style supportive")
    await _move(sb, dewi, chat, "transition")
    gentle = _bank_texts("transition", exclude_intensity="confronting")
    for _ in range(len(gentle) + 3):
        await dewi.send(chat, "/herenow")
        assert sb.last_message(chat).text.split("\n", 1)[1] in gentle


async def test_another_button_is_for_facilitators_and_works_after_a_restart(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    await dewi.send(chat, "/herenow")
    posted = sb.last_message(chat)
    first = posted.text
    await ana.press(posted, ANOTHER)
    assert ana.answers()[-1]["show_alert"] and posted.text == first
    await sb.restart()
    await dewi.press(posted, ANOTHER)
    assert posted.text != first and posted.text.startswith("💬 Here and now")
    group = await group_row(sb, chat)
    assert len(await lifecycle_store.prompts_used(db(sb), group.id, "forming")) == 2


async def test_the_groups_own_prompt_comes_first_and_stays_private_until_used(sandbox_en):
    sb = sandbox_en
    dewi, ana = sb.user("Dewi"), sb.user("Ana")
    chat = await set_up_group(sb, dewi, [ana])
    before = len(sb.texts(chat))
    await dewi.send(chat, "/herenow add What is <i>one</i> hope you brought today?")
    assert "Forming" in dewi.dm_texts()[-1]
    assert len(sb.texts(chat)) == before  # not shown to the group yet
    await dewi.send(chat, "/herenow")
    assert sb.last_message(chat).text.endswith("What is <i>one</i> hope you brought today?")

    await ana.send(chat, "/herenow add Something else")
    await ana.send(chat, "/herenow")
    assert "for the group's facilitators" in sb.texts(chat)[-1]
    await dewi.send(chat, "/herenow add")
    assert "Write your question" in dewi.dm_texts()[-1]
    await dewi.send(chat, "/herenow add " + "why " * 200)
    assert "under 500" in dewi.dm_texts()[-1]
    group = await group_row(sb, chat)
    assert len(await lifecycle_store.custom_prompts(db(sb), group.id, "forming")) == 1


async def test_prompts_follow_the_group_language(sandbox):
    sb = sandbox
    dewi = sb.user("Dewi")
    chat = await set_up_group(sb, dewi, done="✅ Selesai")
    await dewi.send(chat, "/herenow")
    posted = sb.last_message(chat)
    assert posted.text.startswith("💬 Di sini, saat ini")
    with_button(sb, chat, "🔄 Pertanyaan lain")


async def test_post_prompt_for_other_features(sandbox_en):
    sb = sandbox_en
    dewi = sb.user("Dewi")
    chat = await set_up_group(sb, dewi)
    group = await group_row(sb, chat)
    closing = {t for t, _ in _bank_texts("forming").items() if "finish today" in t}
    for _ in range(15):  # mid-meeting silences never get a closing question
        assert await post_prompt(sb.app, group, cause="silence")
        await sb.settle()
        assert sb.last_message(chat).text.startswith("💬 It has gone quiet")
        assert sb.last_message(chat).text.split("\n", 1)[1] not in closing
    rows = await db(sb).fetchall("SELECT cause FROM prompts_used WHERE group_id = ?", (group.id,))
    assert [r["cause"] for r in rows] == ["silence"] * 15

    # A caller holding an older copy of the group still gets a prompt for the current stage.
    await _move(sb, dewi, chat, "working")
    assert await post_prompt(sb.app, group, cause="meeting", meeting_id=None)
    await sb.settle()
    assert sb.last_message(chat).text.split("\n", 1)[1] in _bank_texts("working")

    await sb.remove_bot(chat, by=dewi)
    gone = await group_store.group_by_id(db(sb), group.id)
    assert not await post_prompt(sb.app, gone, cause="silence")
    assert not await post_prompt(sb.app, group, cause="silence")
