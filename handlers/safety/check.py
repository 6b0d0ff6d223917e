"""The crisis check on a fetched batch: the texts of a getUpdates batch checked
back to back before its updates are handled, the answers kept for the watch.

One check after another keeps the matcher's tables in the CPU's caches, where
between updates PTB's parsing and the other handlers push them out
(bench/README.md, finding 26). The answers are those of
`core.crisis_content.assess`, a pure function of the text; each is kept with
its text object and taken once, so a new text that happens to get the same
id() never takes it.

`BatchCheck` is owned by the application (handlers/safety registers one); the
update inlet (bot/update_order.UpdateInlet) calls it for each batch. Members'
words are kept no longer than the batch after theirs: a new batch drops the
answers of the one before the last (the next getUpdates answer often arrives
while the last batch's updates are still being handled, ~5% of them over HTTP;
dropping them then meant checking those texts again), and every answer is
dropped once every update put so far has been handled.
"""

from __future__ import annotations

from collections.abc import Iterable

from core import crisis_content
from domain.crisis import Assessment

#: Answers kept at most (a getUpdates batch is up to 100); a bigger batch keeps its first.
AHEAD_LIMIT = 1024


def assess(text: str | None) -> Assessment:
    """The watch's check (looked up in core.crisis_content when called)."""
    return crisis_content.assess(text)


class BatchCheck:
    """The answers computed ahead for the last two batches, by text object."""

    def __init__(self, limit: int = AHEAD_LIMIT) -> None:
        self.limit = limit
        self._answers: dict[int, tuple[str, Assessment]] = {}
        #: The batch before: its updates may still be waiting to be handled.
        self._before: dict[int, tuple[str, Assessment]] = {}

    def __len__(self) -> int:
        return len(self._answers) + len(self._before)

    def check(self, texts: Iterable[str]) -> None:
        """A new batch: forget the answers of the batch before the last, check these
        texts now, back to back. Never raises: a text whose check fails is left to
        the watch."""
        answers = self._before
        answers.clear()
        # The last batch's answers become the batch before; the emptied dict takes these.
        self._before, self._answers = self._answers, answers
        for text in texts:
            if len(answers) >= self.limit:
                break
            if text and id(text) not in answers:
                try:
                    answers[id(text)] = (text, assess(text))
                except Exception:
                    continue

    def take(self, text: str | None) -> Assessment:
        """The answer computed ahead for this very text object (once), else the check."""
        if text:
            for answers in (self._answers, self._before):
                found = answers.pop(id(text), None) if answers else None
                if found is not None and found[0] is text:
                    return found[1]
        return assess(text)

    def clear(self) -> None:
        """Drop every answer (everything put so far was handled)."""
        self._answers.clear()
        self._before.clear()
