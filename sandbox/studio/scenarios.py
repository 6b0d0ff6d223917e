"""Rehearsal scenarios: scripted members who behave as groups do, and react to the trainee.

A scenario is a rules file (sandbox/studio/scenarios/<id>.toml) of beats: who says
which line (core/content/<lang>/studio.toml, studio.scenario.<id>.<line>), when:

- `start`: when the scenario starts; `after:<beat>`: when another beat happened;
- `quiet:<minutes>`: when nobody has written in the group for that long;
- `says:<cue>`: when the facilitator writes something with a cue word
  (studio.cues.<cue>; /herenow counts as a here-and-now question);
- `addressed:<member>`: when the facilitator names that member or replies to them;
- `answered:<beat>`: the facilitator's first message or button after that beat.

`delay` (seconds) waits before the line, `reply` answers another beat's line,
`after` holds a trigger until that beat happened, `unless` drops a beat once
another one happened, `join`/`leave` move the member in or out of the group,
`crisis` marks the disclosure whose answer time the debrief measures, and `end`
ends the scenario. Every member acts through the emulator, as a person would.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

from core.i18n import LANGUAGES, translator
from sandbox.model import Chat, Event, Message, User

if TYPE_CHECKING:
    from sandbox.studio.world import Studio

#: The scenarios in the order the page lists them.
ORDER = ("silent", "monopoliser", "subgroup", "crisis", "late_leave")
TRIGGERS = ("start", "after", "quiet", "says", "addressed", "answered")


class ScenarioError(ValueError):
    """A rules file that names an unknown trigger, member, line or beat."""


@dataclass(frozen=True)
class Beat:
    id: str
    on: str
    who: int
    line: str
    delay: int = 0
    reply: str | None = None
    after: str | None = None
    unless: str | None = None
    end: bool = False
    crisis: bool = False
    join: bool = False
    leave: bool = False

    @property
    def trigger(self) -> tuple[str, str]:
        kind, _, arg = self.on.partition(":")
        return kind, arg


@dataclass(frozen=True)
class Scenario:
    id: str
    stage: str
    members: int
    beats: tuple[Beat, ...]
    absent: tuple[int, ...] = ()


def scenario_ids() -> tuple[str, ...]:
    return ORDER


def load_scenario(scenario_id: str) -> Scenario:
    if scenario_id not in ORDER:
        raise ScenarioError(f"no scenario {scenario_id!r}")
    text = resources.files("sandbox.studio").joinpath("scenarios", f"{scenario_id}.toml")
    data = tomllib.loads(text.read_text(encoding="utf-8"))
    beats = tuple(Beat(**raw) for raw in data["beat"])
    scenario = Scenario(
        scenario_id, data["stage"], int(data["members"]), beats, tuple(data.get("absent", ()))
    )
    _check(scenario)
    return scenario


def _check(scenario: Scenario) -> None:
    ids = {b.id for b in scenario.beats}
    for beat in scenario.beats:
        kind, arg = beat.trigger
        if kind not in TRIGGERS:
            raise ScenarioError(f"{scenario.id}.{beat.id}: unknown trigger {beat.on!r}")
        named = [arg] if kind in ("after", "answered") else []
        named += [b for b in (beat.reply, beat.after, beat.unless) if b]
        if any(name not in ids for name in named):
            raise ScenarioError(f"{scenario.id}.{beat.id}: names a beat that does not exist")
        if not 0 <= beat.who < scenario.members:
            raise ScenarioError(f"{scenario.id}.{beat.id}: no member {beat.who}")
        for lang in LANGUAGES:
            if not translator(lang).has(f"studio.scenario.{scenario.id}.{beat.line}"):
                raise ScenarioError(f"{scenario.id}.{beat.id}: no {lang} line {beat.line!r}")
    if not any(b.end for b in scenario.beats):
        raise ScenarioError(f"{scenario.id}: no beat ends it")


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", text.lower()) is not None


@dataclass
class ScenarioRun:
    """One scenario being played: what happened, what is due, what the trainee did."""

    studio: Studio
    scenario: Scenario
    facilitator: User
    members: list[User]
    group: Chat
    started_at: datetime
    fired: dict[str, datetime] = field(default_factory=dict)
    sent: dict[str, Message] = field(default_factory=dict)
    pending: list[tuple[datetime, Beat]] = field(default_factory=list)
    last_activity: datetime | None = None
    answered_at: datetime | None = None
    #: What the trainee did, for the debrief: (time, kind, text).
    actions: list[tuple[datetime, str, str]] = field(default_factory=list)
    member_messages: int = 0
    ended_at: datetime | None = None
    _seen: int = 0

    @property
    def t(self):
        return translator(self.studio.lang)

    @property
    def done(self) -> bool:
        return self.ended_at is not None

    def start(self) -> None:
        self._seen = len(self.studio.emulator.events)
        self.last_activity = self.started_at
        for beat in self.scenario.beats:
            if beat.trigger[0] == "start":
                self._schedule(beat, self.started_at)

    # -- time ---------------------------------------------------------------------------
    def _schedule(self, beat: Beat, at: datetime) -> None:
        if beat.id in self.fired or any(b.id == beat.id for _, b in self.pending):
            return
        self.pending.append((at + timedelta(seconds=beat.delay), beat))

    def _quiet_due(self) -> list[tuple[datetime, Beat]]:
        due = []
        for beat in self.scenario.beats:
            kind, arg = beat.trigger
            if kind == "quiet" and self._may_fire(beat) and self.last_activity is not None:
                due.append((self.last_activity + timedelta(minutes=float(arg)), beat))
        return due

    def _may_fire(self, beat: Beat) -> bool:
        if beat.id in self.fired or self.done:
            return False
        if beat.after and beat.after not in self.fired:
            return False
        return not (beat.unless and beat.unless in self.fired)

    def next_due(self) -> datetime | None:
        if self.done:
            return None
        times = [at for at, beat in self.pending if self._may_fire(beat)]
        times += [at for at, _ in self._quiet_due()]
        return min(times, default=None)

    async def run_due(self, now: datetime) -> None:
        """Fire every beat due by `now`, oldest first."""
        due = [(at, b) for at, b in self.pending if at <= now] + [
            (at, b) for at, b in self._quiet_due() if at <= now
        ]
        self.pending = [(at, b) for at, b in self.pending if at > now]
        for _, beat in sorted(due, key=lambda pair: pair[0]):
            if self._may_fire(beat):
                await self._fire(beat, now)

    async def _fire(self, beat: Beat, now: datetime) -> None:
        emulator = self.studio.emulator
        member = self.members[beat.who]
        self.fired[beat.id] = now
        if beat.join:
            emulator.join(self.group, member)
        text = self.t.plain(f"studio.scenario.{self.scenario.id}.{beat.line}")
        reply_to = self.sent.get(beat.reply) if beat.reply else None
        if self.group.member(member).status in ("member", "administrator", "creator"):
            self.sent[beat.id] = emulator.user_sends(member, self.group, text, reply_to=reply_to)
        if beat.leave:
            emulator.leave(self.group, member)
        for other in self.scenario.beats:
            if other.trigger == ("after", beat.id):
                self._schedule(other, now)
        if beat.end:
            self.ended_at = now
        self.studio.publish({"type": "scenario", "scenario": self.status()})

    # -- what the trainee did -------------------------------------------------------------
    async def react(self, now: datetime) -> None:
        """Read what happened since last time and schedule the beats it triggers."""
        events = self.studio.emulator.events
        fresh, self._seen = events[self._seen :], len(events)
        for event in fresh:
            self._observe(event, now)

    def _observe(self, event: Event, now: datetime) -> None:
        actor = event.actor
        message = event.message
        if event.kind == "message" and message is not None and message.chat is self.group:
            self.last_activity = now
            if message.sender is not None and message.sender.id != self.facilitator.id:
                self.member_messages += not message.from_bot
                return
        if actor is None or actor.id != self.facilitator.id:
            return
        if event.kind == "press":
            self.actions.append((now, "press", event.detail))
            self._answered(now)
        elif event.kind == "message" and message is not None and not message.from_bot:
            in_group = message.chat is self.group
            text = message.text or ""
            self.actions.append((now, "group" if in_group else "dm", text))
            self._answered(now)
            if in_group:
                self._heard(message, text, now)

    def _answered(self, now: datetime) -> None:
        for beat in self.scenario.beats:
            kind, arg = beat.trigger
            if kind == "answered" and arg in self.fired and self._may_fire(beat):
                if self.answered_at is None and any(
                    b.crisis and b.id == arg for b in self.scenario.beats
                ):
                    self.answered_at = now
                self._schedule(beat, now)

    def cues(self, text: str, cue: str) -> bool:
        if cue == "herenow" and text.strip().lower().startswith("/herenow"):
            return True
        words = self.t.raw(f"studio.cues.{cue}")
        return any(word.strip() and word.lower() in text.lower() for word in words)

    def addressed(self, message: Message, index: int) -> bool:
        member = self.members[index]
        reply = message.reply_to
        if reply is not None and reply.sender is not None and reply.sender.id == member.id:
            return True
        return _has_word(message.text or "", member.first_name)

    def _heard(self, message: Message, text: str, now: datetime) -> None:
        for beat in self.scenario.beats:
            kind, arg = beat.trigger
            if not self._may_fire(beat):
                continue
            if (kind == "says" and self.cues(text, arg)) or (
                kind == "addressed" and self.addressed(message, int(arg))
            ):
                self._schedule(beat, now)

    # -- for the page --------------------------------------------------------------------
    def title(self) -> str:
        return self.t.plain(f"studio.scenario.{self.scenario.id}.title")

    def status(self) -> dict[str, Any]:
        return {
            "id": self.scenario.id,
            "title": self.title(),
            "brief": self.t.plain(f"studio.scenario.{self.scenario.id}.brief"),
            "facilitator": self.facilitator.first_name,
            "done": self.done,
        }

    def roles(self) -> dict[int, str]:
        return {self.facilitator.id: "facilitator", **{m.id: "member" for m in self.members}}
