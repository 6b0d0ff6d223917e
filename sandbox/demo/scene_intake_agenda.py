"""Private intake through the invitation link (one member flagged by the safety question), then named and anonymous agenda items posted by the facilitator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import translator

if TYPE_CHECKING:
    from sandbox.demo import Demo
    from sandbox.harness import Actor
    from sandbox.model import Message

#: What the members write, by language (their own words in the demo story).
WORDS = {
    "id": {
        "goals": [
            "Aku ingin lebih tenang menghadapi ujian",
            "Belajar bicara di depan orang lain",
            "Tidak merasa sendirian lagi",
        ],
        "anonymous_item": "Aku takut mengecewakan orang tuaku kalau nilaiku turun",
        "named_item": "Cara membagi waktu antara belajar dan kerja paruh waktu",
    },
    "en": {
        "goals": [
            "I want to feel calmer before exams",
            "Learn to speak up in front of others",
            "Stop feeling so alone with this",
        ],
        "anonymous_item": "I'm afraid of letting my parents down if my grades drop",
        "named_item": "How to split my time between studying and a part-time job",
    },
}


def _link_message(demo: Demo) -> Message | None:
    for message in reversed(demo.sandbox.messages_to(demo.group)):
        if any("?start=" in str(b.get("url", "")) for b in message.buttons):
            return message
    return None


async def _intake(demo: Demo, member: Actor, link: str, goal: str, *, flagged: bool) -> None:
    t = translator(demo.lang)
    await member.open_link(link)
    await member.press(member.last_dm(), t.plain("intake.continue_button"))
    await member.press(member.last_dm(), t.plain("intake.consent_yes"))
    await member.dm(goal)
    answers = (2, 2, 1, 2, 1) if flagged else (3, 4, 3, 3, 4)
    for value in answers:
        await member.press(member.last_dm(), t.plain(f"who5.answer_{value}"))
    await member.press(member.last_dm(), t.plain("intake.answer_yes"))
    await member.press(
        member.last_dm(), t.plain("intake.answer_unsure" if flagged else "intake.answer_yes")
    )
    await member.press(
        member.last_dm(), t.plain("intake.safety_yes" if flagged else "intake.safety_no")
    )


def _last_with_button(actor: Actor, label: str) -> Message | None:
    for message in reversed(actor.dms()):
        if label in message.button_texts:
            return message
    return None


async def play(demo: Demo) -> None:
    dewi = demo.facilitator
    t = translator(demo.lang)
    words = WORDS.get(demo.lang, WORDS["en"])
    ana, budi, citra = demo.members[0], demo.members[1], demo.members[2]

    # The invitation with its private link (posted at setup, or asked for with /join).
    if _link_message(demo) is None:
        await ana.send(demo.group, "/join")
    invitation = _link_message(demo)
    link = next(b["url"] for b in invitation.buttons if "?start=" in str(b.get("url", "")))

    demo.narrate("intake")
    for member, goal, flagged in zip(
        (ana, budi, citra), words["goals"], (False, False, True), strict=True
    ):
        await _intake(demo, member, link, goal, flagged=flagged)

    # The facilitator talks with the flagged member privately, then clears them to join.
    keep = _last_with_button(dewi, t.plain("intake.decide_keep"))
    if keep is not None:
        await dewi.press(keep, t.plain("intake.decide_keep"))
        cleared = _last_with_button(dewi, t.plain("intake.decide_cleared"))
        if cleared is not None:
            await dewi.press(cleared, t.plain("intake.decide_cleared"))

    demo.narrate("members")
    await dewi.dm("/members")
    overview = dewi.last_dm()
    if t.plain("intake.members_nudge_button") in overview.button_texts:
        await dewi.press(overview, t.plain("intake.members_nudge_button"))

    demo.narrate("agenda")
    await ana.dm("/agenda")
    await ana.press(ana.last_dm(), t.plain("agenda.add_button"))
    await ana.dm(words["anonymous_item"])
    await budi.dm("/agenda")
    await budi.press(budi.last_dm(), t.plain("agenda.add_button"))
    await budi.dm(words["named_item"])
    await budi.press(budi.last_dm(), t.plain("agenda.show_name_button"))

    # The facilitator reviews in private and posts the items when the group is ready.
    await dewi.send(demo.group, "/agenda")
    review = dewi.last_dm()
    for _ in range(2):
        if t.plain("agenda.post_button") in review.button_texts:
            await dewi.press(review, t.plain("agenda.post_button"))
