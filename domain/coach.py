"""The process coach: patterns forming in a meeting, and what a leader might do about them.

Pure rules (docs/architecture.md, "The practice behind the rules": communication
structure, leading technique). The inputs are the counts the dynamics feature keeps
anyway -- messages per person and who addressed whom, both cumulative since the
meeting opened -- sampled once a minute, plus the roster and the attendance.
Never message text, never the clock: the caller passes `now`.

A *window* is the difference between the newest sample and the newest sample
at least `window_minutes` older (or the oldest one kept): what happened in the
last few minutes. The patterns (`Kind`):

- subgroup: a few members (2 up to `subgroup_max_size`, at most half the
  members; more than two only while someone outside them speaks too) who, in
  the window, address mostly each other: at least
  `subgroup_min_exchanges` exchanges inside, `subgroup_cohesion` of all the
  exchanges they are part of stay inside, and those are at least
  `subgroup_min_share` of the window's exchanges. Found greedily from the
  strongest two-way pair, growing while the cluster gets tighter.
- isolated: a member who wrote `isolated_min_messages` in the window and got no
  reply or mention, while other members were addressed at least
  `isolated_min_exchanges` times (so the group does reply, just not to them).
- silent: once the meeting is `silent_after_minutes` old, members who have not
  written at all; with attendance taken, those who checked in are the pattern
  and those who did not are listed apart (absent is not silent).
- monopolising: one member with more than `monopoly_share` of the members'
  messages in the window (and more than twice the fair share), once members
  wrote `monopoly_min_messages` in it.
- vertical: circularity of the window's exchanges below `vertical_below`, from
  `structure_min_exchanges` exchanges: talk runs through the facilitators.
- circular: in the working stage, circularity from `circular_from`, with no
  sub-group and at least half the members (and three) in member-to-member
  exchanges: the group talks past the facilitators, which is what a working
  group does (a good sign).
- long_silence: nobody wrote for `long_silence_minutes` (raised once per silence).

Nothing is observed in a meeting where nobody has written at all: it may be held
in a room or a call, with the chat used for its structure only.
- burst: `burst_messages` in the last `burst_minutes` after a silence of
  `long_silence_minutes`.
- late: members who arrived late: attendance marked them late, or without a
  check-in their first message came `late_minutes` after the opening.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.dynamics import circularity

Edges = Mapping[tuple[int, int], int]


class Kind(StrEnum):
    LONG_SILENCE = "long_silence"
    BURST = "burst"
    ISOLATED = "isolated"
    SUBGROUP = "subgroup"
    MONOPOLISING = "monopolising"
    SILENT = "silent"
    VERTICAL = "vertical"
    LATE = "late"
    CIRCULAR = "circular"


#: Most urgent first: a silence is now or never; a good sign can wait.
PRIORITY: tuple[Kind, ...] = tuple(Kind)


@dataclass(frozen=True)
class Thresholds:
    window_minutes: int = 10
    subgroup_min_exchanges: int = 6
    subgroup_cohesion: float = 0.75
    subgroup_min_share: float = 0.3
    subgroup_max_size: int = 4
    isolated_min_messages: int = 3
    isolated_min_exchanges: int = 4
    silent_after_minutes: int = 15
    monopoly_share: float = 0.4
    monopoly_min_messages: int = 10
    vertical_below: float = 0.3
    circular_from: float = 0.6
    structure_min_exchanges: int = 8
    long_silence_minutes: int = 5
    burst_messages: int = 6
    burst_minutes: int = 2
    late_minutes: int = 10


@dataclass(frozen=True)
class Sample:
    """Cumulative counts of one meeting at one moment (taken once a minute)."""

    at: datetime
    messages: Mapping[int, int]
    edges: Edges

    @property
    def total(self) -> int:
        return sum(self.messages.values())


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    messages: dict[int, int]
    edges: dict[tuple[int, int], int]


def baseline(samples: Sequence[Sample], at: datetime) -> Sample | None:
    """The newest sample taken at or before `at`; None if all are newer."""
    found = None
    for sample in samples:
        if sample.at > at:
            break
        found = sample
    return found


def window(samples: Sequence[Sample], span: timedelta) -> Window:
    """What happened between the newest sample and `span` before it (or the oldest
    sample kept, when the meeting or the process is younger than that)."""
    latest = samples[-1]
    base = baseline(samples, latest.at - span) or samples[0]
    return difference(base, latest)


def difference(base: Sample, latest: Sample) -> Window:
    """Counts added between two samples; people forgotten meanwhile drop out."""
    messages = {
        u: n - base.messages.get(u, 0)
        for u, n in latest.messages.items()
        if n > base.messages.get(u, 0)
    }
    edges = {
        k: n - base.edges.get(k, 0) for k, n in latest.edges.items() if n > base.edges.get(k, 0)
    }
    return Window(base.at, latest.at, messages, edges)


@dataclass(frozen=True)
class Observation:
    kind: Kind
    #: Who it is about (named only to facilitators, in private).
    members: tuple[int, ...] = ()
    #: Share of the window's traffic (subgroup: its exchanges; monopolising: messages).
    share: float | None = None
    #: Circularity for vertical / circular; minutes for a silence; messages for a
    #: burst; for silent, 1 when attendance was taken (they checked in).
    value: float | None = None
    #: silent: members who have not checked in either (listed apart, not the pattern).
    absent: tuple[int, ...] = ()
    #: Tells apart occurrences about the same people (a long silence: when it began).
    occurrence: str = ""

    @property
    def subject(self) -> str:
        """The same pattern about the same people: what the throttle remembers."""
        people = ",".join(map(str, sorted(self.members)))
        return f"{self.kind.value}:{people}:{self.occurrence}"


@dataclass(frozen=True)
class MeetingState:
    """Everything the coach looks at in one open meeting, at one tick."""

    now: datetime
    opened_at: datetime
    stage: str
    samples: Sequence[Sample]
    member_ids: Sequence[int]  # members in the group now (not facilitators)
    facilitator_ids: Collection[int]
    last_activity_at: datetime
    #: Checked in ("I'm here"); None when no attendance was taken.
    present: Collection[int] | None = None
    late: Collection[int] = ()
    first_message_at: Mapping[int, datetime] | None = None


# --- the reply network -------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    members: tuple[int, ...]
    inside: int  # exchanges between the cluster's members
    touching: int  # exchanges with a cluster member at either end
    share: float  # inside / all exchanges involving a member

    @property
    def cohesion(self) -> float:
        return self.inside / self.touching if self.touching else 0.0


def _undirected(edges: Edges, members: Collection[int]) -> dict[tuple[int, int], int]:
    weights: dict[tuple[int, int], int] = {}
    for (a, b), n in edges.items():
        if a in members and b in members and a != b:
            key = (a, b) if a < b else (b, a)
            weights[key] = weights.get(key, 0) + n
    return weights


def _measure(edges: Edges, cluster: frozenset[int]) -> tuple[int, int]:
    inside = touching = 0
    for (a, b), n in edges.items():
        a_in, b_in = a in cluster, b in cluster
        if a_in or b_in:
            touching += n
            if a_in and b_in:
                inside += n
    return inside, touching


def _grow(edges: Edges, seed: frozenset[int], weights, limit: int) -> frozenset[int]:
    """Add the neighbour that makes the cluster tightest, while it gets tighter.

    A neighbour must talk both ways with the cluster: someone who only speaks
    to it (or is only spoken to) is an audience or a target, not a member."""
    cluster = seed
    inside, touching = _measure(edges, cluster)
    while len(cluster) < limit:
        neighbours = {u for pair in weights for u in pair if set(pair) & cluster} - cluster
        best = None
        for candidate in sorted(neighbours):
            says = any(edges.get((candidate, m), 0) for m in cluster)
            hears = any(edges.get((m, candidate), 0) for m in cluster)
            if not (says and hears):
                continue
            grown = cluster | {candidate}
            g_inside, g_touching = _measure(edges, grown)
            # Strictly tighter than now, and than any other candidate (in integers).
            tighter = g_touching and g_inside * touching > inside * g_touching
            if tighter and (best is None or g_inside * best[2] > best[1] * g_touching):
                best = (grown, g_inside, g_touching)
        if best is None:
            break
        cluster, inside, touching = best
    return cluster


def clusters(
    edges: Edges,
    member_ids: Collection[int],
    th: Thresholds,
    speakers: Collection[int] | None = None,
) -> list[Cluster]:
    """Sub-groups in a window's exchanges, largest traffic first, disjoint.
    `speakers`: members who wrote in the window (default: those in an exchange)."""
    members = set(member_ids)
    if speakers is None:
        speakers = {u for pair in edges for u in pair if u in members}
    involving = sum(
        n for (a, b), n in edges.items() if a in members or b in members
    )  # the window's exchanges that involve a member
    limit = min(th.subgroup_max_size, len(members) // 2)
    if involving < th.subgroup_min_exchanges or limit < 2:
        return []
    found: list[Cluster] = []
    taken: set[int] = set()
    while True:
        weights = _undirected(edges, members - taken)
        seeds = sorted(
            (w, pair)
            for pair, w in weights.items()
            if edges.get(pair, 0) and edges.get((pair[1], pair[0]), 0)  # both ways
        )
        best: Cluster | None = None
        for _, (a, b) in reversed(seeds):
            grown = _grow(edges, frozenset((a, b)), weights, limit)
            inside, touching = _measure(edges, grown)
            cluster = Cluster(tuple(sorted(grown)), inside, touching, inside / involving)
            fits = _qualifies(cluster, edges, th, speakers)
            if fits and (best is None or cluster.inside > best.inside):
                best = cluster
        if best is None:
            return found
        found.append(best)
        taken.update(best.members)


def _qualifies(cluster: Cluster, edges: Edges, th: Thresholds, speakers: Collection[int]) -> bool:
    if cluster.inside < th.subgroup_min_exchanges:
        return False
    if cluster.cohesion < th.subgroup_cohesion or cluster.share < th.subgroup_min_share:
        return False
    inside = set(cluster.members)
    # More than a pair, with nobody else speaking: that is the active part of the
    # group (the others are silent, a pattern of its own), not a sub-group.
    if len(inside) > 2 and not set(speakers) - inside:
        return False
    # Everyone in it both speaks and is spoken to inside it: a cluster, not a fan.
    senders = {a for (a, b), n in edges.items() if n and a in inside and b in inside}
    targets = {b for (a, b), n in edges.items() if n and a in inside and b in inside}
    return senders == inside == targets


def isolated(win: Window, member_ids: Iterable[int], th: Thresholds) -> list[int]:
    """Members who keep writing in the window while nobody addresses them, though
    other members do get answers (so the group does reply: just not to them).

    Answers to the facilitators do not count as "the group replies": when all
    talk goes through the leader, every member is unanswered, which is the
    vertical pattern, not isolation."""
    members = list(dict.fromkeys(member_ids))
    received: dict[int, int] = {}
    for (_, target), n in win.edges.items():
        received[target] = received.get(target, 0) + n
    answered = sum(received.get(m, 0) for m in members)
    return [
        m
        for m in members
        if win.messages.get(m, 0) >= th.isolated_min_messages
        and not received.get(m)
        and answered >= th.isolated_min_exchanges
    ]


def monopoliser(win: Window, member_ids: Sequence[int], th: Thresholds) -> tuple[int, float] | None:
    members = list(dict.fromkeys(member_ids))
    if len(members) < 2:
        return None
    total = sum(win.messages.get(m, 0) for m in members)
    if total < th.monopoly_min_messages:
        return None
    top = max(members, key=lambda m: (win.messages.get(m, 0), -members.index(m)))
    share = win.messages.get(top, 0) / total
    if share > th.monopoly_share and share > 2 / len(members):
        return top, share
    return None


def silent_since_start(state: MeetingState, th: Thresholds) -> Observation | None:
    if state.now - state.opened_at < timedelta(minutes=th.silent_after_minutes):
        return None
    written = state.samples[-1].messages
    quiet = [m for m in dict.fromkeys(state.member_ids) if not written.get(m)]
    if state.present is None:
        return Observation(Kind.SILENT, tuple(quiet)) if quiet else None
    here = tuple(m for m in quiet if m in state.present)
    away = tuple(m for m in quiet if m not in state.present)
    return Observation(Kind.SILENT, here, value=1.0, absent=away) if here else None


def late_arrivals(state: MeetingState, th: Thresholds) -> list[int]:
    """Marked late at check-in, or (without a check-in) first wrote `late_minutes` in."""
    checked_in = state.present or ()
    first = state.first_message_at or {}
    cut = state.opened_at + timedelta(minutes=th.late_minutes)
    return [
        m
        for m in dict.fromkeys(state.member_ids)
        if m in state.late or (m not in checked_in and m in first and first[m] >= cut)
    ]


def burst(samples: Sequence[Sample], th: Thresholds) -> int | None:
    """Messages in the last `burst_minutes` if they follow a long silence."""
    latest = samples[-1]
    start = baseline(samples, latest.at - timedelta(minutes=th.burst_minutes))
    if start is None:
        return None
    quiet_from = baseline(samples, start.at - timedelta(minutes=th.long_silence_minutes))
    if quiet_from is None or quiet_from.total != start.total:
        return None
    added = latest.total - start.total
    return added if added >= th.burst_messages else None


# --- all together --------------------------------------------------------------------


def observe(state: MeetingState, th: Thresholds) -> list[Observation]:
    """Every pattern visible now, most urgent first."""
    if not state.samples or not any(state.samples[-1].messages.values()):
        # Nobody has written in this meeting: it may well be happening elsewhere
        # (a room, a call) with the group chat used for structure only.
        return []
    found: list[Observation] = []
    silence = state.now - state.last_activity_at
    if silence >= timedelta(minutes=th.long_silence_minutes):
        # One silence is one pattern, however long it lasts.
        since = state.last_activity_at.isoformat()
        found.append(
            Observation(Kind.LONG_SILENCE, value=silence.total_seconds() // 60, occurrence=since)
        )
    added = burst(state.samples, th)
    if added is not None:
        found.append(Observation(Kind.BURST, value=float(added)))
    win = window(state.samples, timedelta(minutes=th.window_minutes))
    members = list(dict.fromkeys(m for m in state.member_ids if m not in state.facilitator_ids))
    found += [Observation(Kind.ISOLATED, (m,)) for m in isolated(win, members, th)]
    speakers = [m for m in members if win.messages.get(m)]
    groups = clusters(win.edges, members, th, speakers)
    found += [Observation(Kind.SUBGROUP, c.members, share=c.share) for c in groups]
    loud = monopoliser(win, members, th)
    if loud is not None:
        found.append(Observation(Kind.MONOPOLISING, (loud[0],), share=loud[1]))
    quiet = silent_since_start(state, th)
    if quiet is not None:
        found.append(quiet)
    structure = circularity(win.edges, state.facilitator_ids)
    value = structure.value
    if value is not None and structure.total >= th.structure_min_exchanges:
        if value < th.vertical_below:
            found.append(Observation(Kind.VERTICAL, value=value))
        elif value >= th.circular_from and state.stage == "working" and not groups:
            # Around the circle, not inside a clique: enough members in it.
            talking = {u for pair in win.edges for u in pair if u in members}
            if len(talking) >= max(3, (len(members) + 1) // 2):
                found.append(Observation(Kind.CIRCULAR, value=value))
    late = late_arrivals(state, th)
    if late:
        found.append(Observation(Kind.LATE, tuple(late)))
    return sorted(found, key=lambda o: PRIORITY.index(o.kind))


# --- what to suggest -----------------------------------------------------------------


class Technique(StrEnum):
    PROCESS_COMMENT = "process_comment"
    HERE_AND_NOW = "here_and_now"
    LINKING = "linking"
    DRAWING_OUT = "drawing_out"
    BLOCKING = "blocking"
    NAMING = "naming"
    WAIT = "wait"
    AFFIRM = "affirm"


@dataclass(frozen=True)
class Suggestion:
    """One way to answer a pattern; its words are coach.suggest.<id> in the content."""

    id: str
    kind: Kind
    technique: Technique
    #: Has a here-and-now question the facilitator can post to the group as is.
    question: bool = True
    confronting: bool = False
    stages: frozenset[str] | None = None  # None: any stage
    styles: frozenset[str] | None = None  # None: any style


def _s(*names: str) -> frozenset[str]:
    return frozenset(names)


_EARLY = _s("pre", "forming")
_LATER = _s("transition", "working", "termination", "post")
_CHALLENGING = _s("developmental", "interactional")

#: In order of preference: the first that fits the stage and style is offered.
SUGGESTIONS: tuple[Suggestion, ...] = (
    Suggestion("silence_wait", Kind.LONG_SILENCE, Technique.WAIT, False, stages=_s("transition")),
    Suggestion("silence_here_now", Kind.LONG_SILENCE, Technique.HERE_AND_NOW),
    Suggestion("burst_here_now", Kind.BURST, Technique.HERE_AND_NOW),
    Suggestion("isolated_link", Kind.ISOLATED, Technique.LINKING),
    Suggestion(
        "subgroup_name", Kind.SUBGROUP, Technique.NAMING, confronting=True, styles=_CHALLENGING
    ),
    Suggestion("subgroup_link", Kind.SUBGROUP, Technique.LINKING),
    Suggestion(
        "monopoly_process",
        Kind.MONOPOLISING,
        Technique.PROCESS_COMMENT,
        confronting=True,
        stages=_s("working", "termination"),
        styles=_s("interactional"),
    ),
    Suggestion(
        "monopoly_block",
        Kind.MONOPOLISING,
        Technique.BLOCKING,
        confronting=True,
        stages=_LATER,
        styles=_CHALLENGING,
    ),
    Suggestion("monopoly_redirect", Kind.MONOPOLISING, Technique.DRAWING_OUT),
    Suggestion("silent_wait", Kind.SILENT, Technique.WAIT, False, stages=_s("transition")),
    Suggestion("silent_draw_out", Kind.SILENT, Technique.DRAWING_OUT),
    Suggestion("vertical_early", Kind.VERTICAL, Technique.LINKING, stages=_EARLY),
    Suggestion("vertical_supportive", Kind.VERTICAL, Technique.LINKING, styles=_s("supportive")),
    Suggestion("vertical_name", Kind.VERTICAL, Technique.NAMING),
    Suggestion("late_welcome", Kind.LATE, Technique.HERE_AND_NOW),
    Suggestion("circular_affirm", Kind.CIRCULAR, Technique.AFFIRM, False),
)


def allowed(suggestion: Suggestion, style: str) -> bool:
    """Supportive groups are never offered a confronting move (docs/architecture.md)."""
    return not (style == "supportive" and suggestion.confronting)


def suggestion_for(kind: Kind, stage: str, style: str) -> Suggestion | None:
    for suggestion in SUGGESTIONS:
        if suggestion.kind is not kind or not allowed(suggestion, style):
            continue
        if suggestion.stages is not None and stage not in suggestion.stages:
            continue
        if suggestion.styles is not None and style not in suggestion.styles:
            continue
        return suggestion
    return None


def suggestion_by_id(suggestion_id: str) -> Suggestion | None:
    return next((s for s in SUGGESTIONS if s.id == suggestion_id), None)


# --- pacing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    every: timedelta  # at most one suggestion per meeting in this time
    repeat: timedelta  # the same pattern about the same people not again before


def next_observation(
    observations: Sequence[Observation],
    *,
    now: datetime,
    last_sent_at: datetime | None,
    sent_subjects: Mapping[str, datetime],
    muted: Collection[Kind],
    pace: Pace,
) -> Observation | None:
    """The one pattern to raise now, or None: throttled, muted kinds skipped."""
    if last_sent_at is not None and now - last_sent_at < pace.every:
        return None
    for observation in observations:
        if observation.kind in muted:
            continue
        last = sent_subjects.get(observation.subject)
        if last is not None and now - last < pace.repeat:
            continue
        return observation
    return None


# --- did it help? ------------------------------------------------------------------------


def focus(kind: Kind, win: Window, members: Sequence[int], facilitator_ids: Collection[int]):
    """One number for the pattern in a window, to compare before and after a move:
    a sub-group's share of exchanges, a member's replies received, a monopoliser's
    share of messages, messages written by the silent; None where it means nothing."""
    if kind is Kind.SUBGROUP and len(members) >= 2:
        inside, _ = _measure(win.edges, frozenset(members))
        everyone = sum(
            n
            for (a, b), n in win.edges.items()
            if a not in facilitator_ids or b not in facilitator_ids
        )
        return inside / everyone if everyone else None
    if kind is Kind.ISOLATED and members:
        return float(sum(n for (_, b), n in win.edges.items() if b == members[0]))
    if kind is Kind.MONOPOLISING and members:
        total = sum(n for u, n in win.messages.items() if u not in facilitator_ids)
        return win.messages.get(members[0], 0) / total if total else None
    if kind is Kind.SILENT:
        return float(sum(win.messages.get(m, 0) for m in members))
    return None
