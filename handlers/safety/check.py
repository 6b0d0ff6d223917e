"""The crisis check on a fetched batch: the texts of updates already fetched
(a getUpdates batch) checked back to back, the answers kept for the watch.

One check after another keeps the matcher's tables in the CPU's caches, where
between updates PTB's parsing and the other handlers push them out
(bench/README.md, finding 26: 15-25 µs an update). The answers are those of
`core.crisis_content.assess`, a pure function of the text; each is kept with
its text object and taken once, so a new text that happens to get the same
id() never takes it. handlers/safety/watch.assess_ahead picks the texts the
watch will check; the update fetcher calls it.
"""

from __future__ import annotations

from collections.abc import Iterable

from core import crisis_content
from domain.crisis import Assessment

#: Answers waiting, at most (a getUpdates batch is up to 100); beyond, they start afresh.
AHEAD_LIMIT = 1024
_ahead: dict[int, tuple[str, Assessment]] = {}


def assess(text: str | None) -> Assessment:
    """The watch's check (looked up in core.crisis_content when called)."""
    return crisis_content.assess(text)


def assess_many(texts: Iterable[str]) -> None:
    """Check these texts now, back to back, and keep the answers for `assessed`.
    Never raises: a text whose check fails is left to the watch (which logs)."""
    ahead = _ahead
    for text in texts:
        if text and id(text) not in ahead:
            try:
                found = assess(text)
            except Exception:
                continue
            if len(ahead) >= AHEAD_LIMIT:
                ahead.clear()
            ahead[id(text)] = (text, found)


def assessed(text: str | None) -> Assessment:
    """The answer `assess_many` kept for this very text object (once), else `assess`."""
    if _ahead and text:
        found = _ahead.pop(id(text), None)
        if found is not None and found[0] is text:
            return found[1]
    return assess(text)
