"""Recall and false-alarm rate of the crisis watch on the labelled sentences.

tests/data/crisis_{id,en}.tsv are the sentences the rules were tuned on;
tests/data/crisis_{id,en}_heldout.tsv were held out (never looked at while
tuning) and give the honest figures (docs/crisis-watch.md). Each crisis line is
labelled "crisis:<category>"; recall per category counts a sentence as found
when the watch alerts at all, and "graded" when its grade is at least the
label's (an attempt answered as imminent, a plan as high or imminent).

Run: python tests/crisis_figures.py [--heldout] [-v] [--rules | --model | --both]
(--rules, the default: the rules alone; --model: the learned second opinion
alone; --both: rules OR model, what the watch runs.)
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Figures:
    language: str
    crisis: int
    ordinary: int
    missed: tuple[str, ...]
    false_alarms: tuple[str, ...]
    #: category -> (sentences, found, graded at least as high as labelled)
    by_category: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    under_graded: tuple[str, ...] = ()

    @property
    def recall(self) -> float:
        return 1 - len(self.missed) / self.crisis

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.ordinary

    def line(self) -> str:
        return (
            f"{self.language}: recall {self.recall:.3f} ({self.crisis - len(self.missed)}/{self.crisis}),"
            f" false alarms {self.false_alarm_rate:.3f} ({len(self.false_alarms)}/{self.ordinary})"
        )

    def recall_of_grade(self, grade) -> float:
        from domain.crisis import grade_of

        rows = [v for c, v in self.by_category.items() if grade_of(c) == grade]
        total = sum(n for n, _, _ in rows)
        return sum(f for _, f, _ in rows) / total if total else 1.0


def labelled(language: str, heldout: bool = False) -> list[tuple[str, str]]:
    """(label, sentence) pairs; label is "ordinary" or a crisis category."""
    name = f"crisis_{language}_heldout.tsv" if heldout else f"crisis_{language}.tsv"
    return rows_of(DATA / name)


def rows_of(path: Path) -> list[tuple[str, str]]:
    """(label, sentence) pairs of one labelled file, "crisis:" taken off the label."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t", 1)
        rows.append((label.removeprefix("crisis:"), sentence))
    return rows


def _checker(mode: str):
    """text -> Concern | None: the rules, the model alone, or both (as the watch)."""
    from core.crisis_content import assess, crisis_matcher, crisis_model, things
    from domain.crisis import QUIET
    from domain.crisis_model import second_opinion

    if mode == "model":  # as the watch consults it, when the rules are silent
        return lambda text: second_opinion(QUIET, crisis_model(), text, things()).concern
    if mode == "both":
        return lambda text: assess(text).concern
    return crisis_matcher().check


def figures(language: str, heldout: bool = False, mode: str = "rules") -> Figures:
    from domain.crisis import grade_of

    check = _checker(mode)
    rows = labelled(language, heldout)
    missed, alarms, under = [], [], []
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for label, sentence in rows:
        concern = check(sentence)
        if label == "ordinary":
            if concern is not None:
                alarms.append(sentence)
            continue
        count = counts[label]
        count[0] += 1
        if concern is None:
            missed.append(sentence)
            continue
        count[1] += 1
        if concern.grade >= grade_of(label):
            count[2] += 1
        else:
            under.append(f"{sentence}  [{label} -> {concern.category}]")
    return Figures(
        language,
        sum(1 for label, _ in rows if label != "ordinary"),
        sum(1 for label, _ in rows if label == "ordinary"),
        tuple(missed),
        tuple(alarms),
        {c: tuple(v) for c, v in sorted(counts.items())},
        tuple(under),
    )


def main() -> None:
    verbose = "-v" in sys.argv
    heldout = "--heldout" in sys.argv
    mode = next((m for m in ("model", "both") if f"--{m}" in sys.argv), "rules")
    for language in ("id", "en"):
        result = figures(language, heldout, mode)
        print(result.line())
        for category, (n, found, graded) in result.by_category.items():
            print(f"  {category:17} {found}/{n} found, {graded}/{n} graded at least as high")
        if verbose:
            for sentence in result.missed:
                print(f"  missed: {sentence}")
            for sentence in result.false_alarms:
                print(f"  false alarm: {sentence}")
            for sentence in result.under_graded:
                print(f"  under-graded: {sentence}")


if __name__ == "__main__":
    main()
