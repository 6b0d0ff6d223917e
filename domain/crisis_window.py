"""A member's recent messages count together (crisis watch, in memory only).

Signals that are each below the line ("semuanya udah siap", then "selamat
tinggal semua" a few minutes later) add up: two different cues within the
window, or a cue after a concern, are a *preparation* finding (high). Only
cue kinds, grades and times are kept, never words; per member the last few
entries, for a bounded number of members (the least recently seen go first).
Pure: time is passed in.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.crisis import CUES_CATEGORY, CUES_NEEDED, Assessment, Concern, Grade

WINDOW = timedelta(minutes=30)
MAX_MEMBERS = 10_000
MAX_ENTRIES = 16


@dataclass(frozen=True)
class _Entry:
    at: datetime
    cues: frozenset[str]
    grade: Grade | None


class RiskWindow:
    def __init__(
        self, span: timedelta = WINDOW, members: int = MAX_MEMBERS, entries: int = MAX_ENTRIES
    ) -> None:
        self.span = span
        self._members = members
        self._entries = entries
        self._recent: OrderedDict[int, deque[_Entry]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._recent)

    def add(self, member: int, now: datetime, assessment: Assessment) -> Concern | None:
        """Note one message; a finding when the member's recent messages add up
        to more than this one shows on its own (None otherwise)."""
        concern = assessment.concern
        if not assessment.cues and concern is None:
            return None
        recent = self._recent_of(member, now)
        earlier_cues = frozenset().union(*(e.cues for e in recent))
        earlier_concern = any(e.grade is not None for e in recent)
        recent.append(_Entry(now, assessment.cues, concern.grade if concern else None))
        if concern is not None and concern.grade >= Grade.HIGH:
            return None  # already above what the window could add
        cues = earlier_cues | assessment.cues
        adds_up = len(cues) >= CUES_NEEDED or (assessment.cues and earlier_concern)
        if not adds_up or (len(assessment.cues) >= CUES_NEEDED):
            return None  # one message with two cues is found by the matcher itself
        recent.clear()  # counted: the next lone cue starts afresh
        return Concern(CUES_CATEGORY, "window: " + " + ".join(sorted(cues)))

    def _recent_of(self, member: int, now: datetime) -> deque[_Entry]:
        recent = self._recent.get(member)
        if recent is None:
            recent = deque(maxlen=self._entries)
            self._recent[member] = recent
            while len(self._recent) > self._members:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(member)
        while recent and now - recent[0].at > self.span:
            recent.popleft()
        return recent

    def forget(self, member: int) -> None:
        """A member's data is deleted (/forgetme): nothing of them stays here either."""
        self._recent.pop(member, None)
