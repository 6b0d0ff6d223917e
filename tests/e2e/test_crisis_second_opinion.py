"""The learned second opinion end to end: when the rules are silent and the
model's score reaches its threshold, the member gets the private care message
and the facilitators an alert naming it (grade concern); nothing in the group."""

from __future__ import annotations

import pytest

from core import crisis_content
from domain.crisis import CrisisLexicon, CrisisMatcher
from domain.crisis_model import MODEL_CATEGORY
from storage import groups as group_store
from storage import safety as safety_store
from storage import users as user_store

#: Rules that know one made-up phrase only: whatever the watch finds, the model found.
_NO_FINDINGS = CrisisMatcher([CrisisLexicon(categories={"active_ideation": ["xyzzy plugh"]})])


class _SilentRules:
    """The shipped rules' reading of words (the slots, which are the model's
    concepts) without a finding of their own."""

    def __init__(self) -> None:
        self._shipped = crisis_content.build_matcher()
        self.slots = self._shipped.slots

    def assess(self, text, slots=None):
        self._shipped.assess(text, slots)  # fills `slots` as the watch's scan does
        return _NO_FINDINGS.assess(text)


_SILENT_RULES = _SilentRules()


@pytest.fixture
def rules_silent(monkeypatch):
    monkeypatch.setattr(crisis_content, "crisis_matcher", lambda: _SILENT_RULES)
    # The model reads its concepts through the matcher it was loaded with.
    crisis_content.crisis_model.cache_clear()
    yield
    crisis_content.crisis_model.cache_clear()


async def _setup(sb):
    fac = sb.user("Fasil", language_code="id")
    member = sb.user("Rina", language_code="id")
    chat = await sb.group(
        "Lingkar Remaja", admins=[fac], members=[member], supergroup=True, bot_admin=True
    )
    await fac.start_bot()
    await member.start_bot()
    db = sb.app.bot_data["lingkar.runtime"].db
    now = sb.clock.now()
    group = await group_store.ensure_group(db, chat.id, "Lingkar Remaja", "id", "Asia/Jakarta", now)
    for actor, role in ((fac, "facilitator"), (member, "member")):
        await user_store.upsert_user(
            db, actor.id, actor.user.first_name, actor.user.username, "id", now
        )
        await group_store.upsert_member(db, group.id, actor.id, now, role=role)
    await group_store.update_group(db, group.id, now, setup_done=1)
    return fac, member, chat, db


async def test_a_model_only_finding_gets_the_private_care_message(sandbox, rules_silent):
    sb = sandbox
    fac, member, chat, db = await _setup(sb)
    before_group = len(sb.texts(chat))
    await member.send(chat, "aku pengen bunuh diri aja")
    care = member.last_dm()
    assert care is not None and "119" in care.text
    assert sb.buttons(care) == ["Aku aman untuk saat ini", "Aku butuh bantuan sekarang"]
    alert = fac.last_dm()
    assert alert is not None and "Rina" in alert.text and "pendapat kedua" in alert.text
    assert len(sb.texts(chat)) == before_group  # nothing echoed in the group
    events = await safety_store.events_of_user(db, member.id)
    assert [(e.category, e.grade) for e in events] == [(MODEL_CATEGORY, "concern")]


async def test_ordinary_talk_stays_quiet_with_the_model_too(sandbox, rules_silent):
    sb = sandbox
    _, member, chat, db = await _setup(sb)
    dms = len(member.dm_texts())
    await member.send(chat, "besok kita rapat jam sembilan ya, jangan telat")
    await member.send(chat, "hari ini aku masak rendang buat keluarga")
    await member.send(chat, "hp aku udah mau mati nih baterainya")  # about a thing
    assert len(member.dm_texts()) == dms
    assert await safety_store.events_of_user(db, member.id) == []
