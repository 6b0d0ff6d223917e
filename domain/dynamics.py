"""Group dynamics: who talks, who is silent, whether talk goes through the leader.

Pure rules (docs/architecture.md, "The practice behind the rules": communication
structure, process recognition). Nothing here reads the clock, the network or message text: the
handler passes in counts, ids and times.

Definitions (also in the README, section "Group dynamics"):

- A *message* is one counted group message during an open meeting.
- An *exchange* is an addressed message: a reply to another person's message,
  or a mention of a group member (@username or a text mention). One message
  gives one exchange per distinct person it addresses. A message that
  addresses nobody speaks to the whole group and is not an exchange: we cannot
  know whom it answers, and guessing would bias the figure.
- *Share of talk* counts members only (facilitators lead, they do not take
  part in the pool): a member's messages / all members' messages. The *fair
  share* is 1 / the number of members in the meeting.
- *Silent*: once the meeting has been open for 20 minutes, a member with at
  most one message per full 20 minutes of meeting (0-1 messages in 20-39
  minutes, up to 2 in 40-59, ...).
- *Monopolising*: more than twice the fair share, once members have sent at
  least 20 messages in total.
- *Circularity*: member-to-member exchanges / all exchanges that involve at
  least one member (facilitator-to-facilitator exchanges are left out).
  0 means everything goes through the facilitators, 1 means members address
  each other. Below 0.30 is *vertical*, from 0.60 *circular*, between *mixed*.
- *Sub-group*: two members who each sent at least 3 exchanges to the other,
  and more than half of each one's exchanges went to the other.

The running tally (`MeetingTally`) is a small mutable accumulator on purpose:
it is updated on every group message and must cost a few microseconds, so it
avoids building a new frozen object per message. Every decision function takes
plain values and returns frozen results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

FACILITATOR_ROLES = ("facilitator", "cofacilitator")
#: Telegram's id for anonymous group admins (posting as the group): counted
#: together as one facilitator.
ANONYMOUS_ADMIN_ID = 1087968824

SILENT_WINDOW = timedelta(minutes=20)
MONOPOLY_FACTOR = 2.0
MONOPOLY_MIN_MESSAGES = 20
VERTICAL_BELOW = 0.30
CIRCULAR_FROM = 0.60
SUBGROUP_MIN_EACH_WAY = 3


class Structure(StrEnum):
    VERTICAL = "vertical"
    MIXED = "mixed"
    CIRCULAR = "circular"


def word_count(text: str | None) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split()) if text else 0


# --- the running tally of one open meeting ----------------------------------------


class MemberCounts:
    """Running counts of one person in one meeting (numbers and times only)."""

    __slots__ = (
        "messages",
        "words",
        "replies_given",
        "replies_received",
        "first_message_at",
        "last_message_at",
        "longest_silence_s",
    )

    def __init__(
        self,
        messages: int = 0,
        words: int = 0,
        replies_given: int = 0,
        replies_received: int = 0,
        first_message_at: datetime | None = None,
        last_message_at: datetime | None = None,
        longest_silence_s: int = 0,
    ) -> None:
        self.messages = messages
        self.words = words
        self.replies_given = replies_given
        self.replies_received = replies_received
        self.first_message_at = first_message_at
        self.last_message_at = last_message_at
        self.longest_silence_s = longest_silence_s

    def as_tuple(self) -> tuple:
        return (
            self.messages,
            self.words,
            self.replies_given,
            self.replies_received,
            self.first_message_at,
            self.last_message_at,
            self.longest_silence_s,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MemberCounts) and self.as_tuple() == other.as_tuple()

    def __repr__(self) -> str:
        return f"MemberCounts{self.as_tuple()!r}"


class MeetingTally:
    """Everything counted in one open meeting, kept in memory between flushes.

    `dirty_people` / `dirty_edges` say what changed since the last flush; the
    flush writes absolute values, so writing twice is harmless.
    """

    __slots__ = ("opened_at", "people", "edges", "last_activity_at", "dirty_people", "dirty_edges")

    def __init__(self, opened_at: datetime) -> None:
        self.opened_at = opened_at
        self.people: dict[int, MemberCounts] = {}
        self.edges: dict[tuple[int, int], int] = {}
        self.last_activity_at: datetime = opened_at
        self.dirty_people: set[int] = set()
        self.dirty_edges: set[tuple[int, int]] = set()

    def record(self, sender: int, at: datetime, words: int, targets: Iterable[int] = ()) -> None:
        """Count one message; `targets` are the distinct people it addresses."""
        counts = self.people.get(sender)
        if counts is None:
            counts = self.people[sender] = MemberCounts()
        previous = counts.last_message_at or self.opened_at
        gap = int((at - previous).total_seconds())
        if gap > counts.longest_silence_s:
            counts.longest_silence_s = gap
        counts.messages += 1
        counts.words += words
        if counts.first_message_at is None:
            counts.first_message_at = at
        if counts.last_message_at is None or at > counts.last_message_at:
            counts.last_message_at = at
        self.dirty_people.add(sender)
        for target in targets:
            if target == sender:
                continue
            counts.replies_given += 1
            received = self.people.get(target)
            if received is None:
                received = self.people[target] = MemberCounts()
            received.replies_received += 1
            self.dirty_people.add(target)
            key = (sender, target)
            self.edges[key] = self.edges.get(key, 0) + 1
            self.dirty_edges.add(key)
        self.touch(at)

    def touch(self, at: datetime) -> None:
        """Someone wrote in the group (counted or not): the group is not silent."""
        if at > self.last_activity_at:
            self.last_activity_at = at

    def forget(self, user_id: int) -> bool:
        """Remove a person from every figure, including others' reply counts."""
        found = self.people.pop(user_id, None) is not None
        self.dirty_people.discard(user_id)
        for key in [k for k in self.edges if user_id in k]:
            count = self.edges.pop(key)
            self.dirty_edges.discard(key)
            found = True
            other = key[1] if key[0] == user_id else key[0]
            counts = self.people.get(other)
            if counts is None:
                continue
            if key[0] == user_id:
                counts.replies_received = max(0, counts.replies_received - count)
            else:
                counts.replies_given = max(0, counts.replies_given - count)
            self.dirty_people.add(other)
        return found

    def messages_by_person(self) -> dict[int, int]:
        return {user_id: c.messages for user_id, c in self.people.items()}


def close_silences(
    counts: Mapping[int, MemberCounts], opened_at: datetime, closed_at: datetime
) -> dict[int, int]:
    """Longest silence per person once the meeting is over: the gap after their
    last message up to the close counts too."""
    result = {}
    for user_id, c in counts.items():
        last = c.last_message_at or opened_at
        trailing = max(0, int((closed_at - last).total_seconds()))
        result[user_id] = max(c.longest_silence_s, trailing)
    return result


# --- figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class TalkShare:
    user_id: int
    messages: int
    share: float  # of all members' messages, 0..1
    fair_share: float  # 1 / members in the meeting

    @property
    def ratio(self) -> float:
        """Share against the fair share: 1.0 is exactly fair."""
        return self.share / self.fair_share if self.fair_share else 0.0


def talk_shares(messages: Mapping[int, int], member_ids: Iterable[int]) -> list[TalkShare]:
    """Each member's share of the members' talk, against a fair share.

    `member_ids` are the members (not facilitators) in the meeting; members
    who said nothing are included with 0. Sorted by messages, most first."""
    members = list(dict.fromkeys(member_ids))
    if not members:
        return []
    total = sum(messages.get(m, 0) for m in members)
    fair = 1 / len(members)
    shares = [
        TalkShare(m, messages.get(m, 0), messages.get(m, 0) / total if total else 0.0, fair)
        for m in members
    ]
    return sorted(shares, key=lambda s: (-s.messages, members.index(s.user_id)))


def silent_members(
    messages: Mapping[int, int],
    member_ids: Iterable[int],
    opened_at: datetime,
    until: datetime,
) -> list[int]:
    """Members with at most one message per full 20 minutes of open meeting."""
    windows = int((until - opened_at) / SILENT_WINDOW)
    if windows < 1:
        return []
    return [m for m in dict.fromkeys(member_ids) if messages.get(m, 0) <= windows]


def members_silent_since_start(
    messages: Mapping[int, int], member_ids: Iterable[int], opened_at: datetime, now: datetime
) -> list[int]:
    """Members who have not written at all, once the meeting is 20 minutes old."""
    if now - opened_at < SILENT_WINDOW:
        return []
    return [m for m in dict.fromkeys(member_ids) if messages.get(m, 0) == 0]


def monopolisers(messages: Mapping[int, int], member_ids: Iterable[int]) -> list[int]:
    """Members over twice the fair share, once members sent at least 20 messages."""
    shares = talk_shares(messages, member_ids)
    if sum(s.messages for s in shares) < MONOPOLY_MIN_MESSAGES:
        return []
    return [s.user_id for s in shares if s.share > MONOPOLY_FACTOR * s.fair_share]


@dataclass(frozen=True)
class Circularity:
    member_to_member: int
    total: int  # exchanges involving at least one member

    @property
    def value(self) -> float | None:
        return self.member_to_member / self.total if self.total else None

    @property
    def structure(self) -> Structure | None:
        value = self.value
        return None if value is None else structure_label(value)


def structure_label(value: float) -> Structure:
    if value < VERTICAL_BELOW:
        return Structure.VERTICAL
    if value >= CIRCULAR_FROM:
        return Structure.CIRCULAR
    return Structure.MIXED


def circularity(
    edges: Mapping[tuple[int, int], int], facilitator_ids: Iterable[int]
) -> Circularity:
    """Share of member-to-member exchanges among exchanges that involve a member."""
    leaders = set(facilitator_ids)
    between_members = total = 0
    for (sender, target), count in edges.items():
        sender_leads, target_leads = sender in leaders, target in leaders
        if sender_leads and target_leads:
            continue
        total += count
        if not sender_leads and not target_leads:
            between_members += count
    return Circularity(between_members, total)


def subgroups(
    edges: Mapping[tuple[int, int], int], member_ids: Iterable[int]
) -> list[tuple[int, int]]:
    """Pairs of members who mostly address each other (a possible sub-group)."""
    members = set(member_ids)
    given: dict[int, int] = {}
    for (sender, _), count in edges.items():
        given[sender] = given.get(sender, 0) + count
    pairs = []
    for (a, b), a_to_b in edges.items():
        if a >= b or a not in members or b not in members:
            continue
        b_to_a = edges.get((b, a), 0)
        if min(a_to_b, b_to_a) < SUBGROUP_MIN_EACH_WAY:
            continue
        if a_to_b * 2 > given[a] and b_to_a * 2 > given[b]:
            pairs.append((a, b))
    # Both directions need 3 exchanges, so visiting keys with a < b finds every pair.
    return sorted(pairs)


# --- live decisions during a meeting -------------------------------------------------


def group_silence_prompt_due(
    last_activity_at: datetime,
    last_prompt_at: datetime | None,
    now: datetime,
    *,
    silence: timedelta,
    every: timedelta,
) -> bool:
    """No message for `silence`, and no silence prompt in the last `every`."""
    if now - last_activity_at < silence:
        return False
    return last_prompt_at is None or now - last_prompt_at >= every


# --- the report ----------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    role: str  # facilitator / cofacilitator / member

    @property
    def leads(self) -> bool:
        return self.role in FACILITATOR_ROLES


@dataclass(frozen=True)
class PersonFigures:
    person: Person
    messages: int
    words: int
    share: float | None  # of members' talk; None for facilitators


@dataclass(frozen=True)
class DynamicsReport:
    people: tuple[PersonFigures, ...]  # members by messages (most first), then facilitators
    member_messages: int
    facilitator_messages: int
    fair_share: float | None
    circularity: Circularity
    silent: tuple[int, ...]
    monopolising: tuple[int, ...]
    subgroups: tuple[tuple[int, int], ...]
    suggestions: tuple[str, ...]

    @property
    def facilitator_share_of_all(self) -> float | None:
        total = self.member_messages + self.facilitator_messages
        return self.facilitator_messages / total if total else None


def build_report(
    people: Iterable[Person],
    counts: Mapping[int, MemberCounts],
    edges: Mapping[tuple[int, int], int],
    *,
    opened_at: datetime,
    until: datetime,
) -> DynamicsReport:
    """Every figure of one meeting. `people` is the roster; anyone who spoke but is
    not on it counts as a member."""
    roster = {p.user_id: p for p in people}
    for user_id in counts:
        if user_id not in roster:
            roster[user_id] = Person(user_id, "", "member")
    members = [p.user_id for p in roster.values() if not p.leads]
    leaders = [p.user_id for p in roster.values() if p.leads]
    messages = {u: c.messages for u, c in counts.items()}
    shares = talk_shares(messages, members)
    member_rows = [
        PersonFigures(roster[s.user_id], s.messages, _words(counts, s.user_id), s.share)
        for s in shares
    ]
    leader_rows = sorted(
        (
            PersonFigures(roster[u], messages.get(u, 0), _words(counts, u), None)
            for u in leaders
            if messages.get(u, 0) or roster[u].name
        ),
        key=lambda f: -f.messages,
    )
    structure = circularity(edges, leaders)
    silent = tuple(silent_members(messages, members, opened_at, until))
    loud = tuple(monopolisers(messages, members))
    pairs = tuple(subgroups(edges, members))
    return DynamicsReport(
        people=tuple(member_rows + leader_rows),
        member_messages=sum(s.messages for s in shares),
        facilitator_messages=sum(messages.get(u, 0) for u in leaders),
        fair_share=shares[0].fair_share if shares else None,
        circularity=structure,
        silent=silent,
        monopolising=loud,
        subgroups=pairs,
        suggestions=tuple(suggestions(structure, silent, loud, pairs)),
    )


def _words(counts: Mapping[int, MemberCounts], user_id: int) -> int:
    c = counts.get(user_id)
    return c.words if c else 0


def suggestions(
    structure: Circularity,
    silent: Iterable[int],
    monopolising: Iterable[int],
    pairs: Iterable[tuple[int, int]],
) -> list[str]:
    """What the facilitator might try next, as content keys (docs/architecture.md: invite
    quieter members, link members to each other, acknowledge and redirect a
    monopoliser, bring sub-groups back into the group; never "tell X to stop")."""
    keys = []
    if list(silent):
        keys.append("invite_quiet")
    if list(monopolising):
        keys.append("acknowledge_redirect")
    label = structure.structure
    if label is Structure.VERTICAL:
        keys.append("link_members")
    elif label is Structure.MIXED:
        keys.append("keep_linking")
    elif label is Structure.CIRCULAR:
        keys.append("circular_praise")
    if list(pairs):
        keys.append("widen_pairs")
    if not keys:
        keys.append("too_early")
    return keys


@dataclass(frozen=True)
class TrendPoint:
    seq: int
    circularity: float | None
    silent: int
