"""People who used /forgetme while meetings were being counted: not counted again
in those meetings (their counts there were just deleted).

Kept only as long as it matters: a person stays on the list until every meeting
that was open when they asked stops being counted, so the list is bounded by
the open meetings, not by every /forgetme the process has seen. A meeting opened
later counts them afresh from nothing, as it would after a restart.
"""

from __future__ import annotations

from collections.abc import Iterable


class Forgetting:
    """The forgotten people, and the open meetings each is kept for."""

    def __init__(self) -> None:
        #: Who is not counted now. A plain set, read on every counted message (the
        #: hot path) and by each flush; changed in place, never replaced.
        self.people: set[int] = set()
        self._kept_for: dict[int, set[int]] = {}

    def forget(self, user_id: int, open_meetings: Iterable[int]) -> None:
        """They asked while these meetings were counted (none open: nothing to keep)."""
        meetings = set(open_meetings)
        if not meetings:
            return
        self._kept_for.setdefault(user_id, set()).update(meetings)
        self.people.add(user_id)

    def meeting_over(self, meeting_id: int) -> None:
        """A meeting stopped being counted: whoever was kept only for it is let go."""
        for user_id, meetings in list(self._kept_for.items()):
            meetings.discard(meeting_id)
            if not meetings:
                del self._kept_for[user_id]
                self.people.discard(user_id)

    def __len__(self) -> int:
        return len(self._kept_for)
