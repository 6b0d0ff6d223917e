"""Recall and false-alarm rate of the crisis watch on the labelled sentences in
tests/data/crisis_{id,en}.tsv. Run: python tests/crisis_figures.py [-v]"""

from __future__ import annotations

import sys
from dataclasses import dataclass
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


def labelled(language: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / f"crisis_{language}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t", 1)
        rows.append((label, sentence))
    return rows


def figures(language: str) -> Figures:
    from handlers.safety import crisis_matcher

    matcher = crisis_matcher()
    rows = labelled(language)
    missed = tuple(s for label, s in rows if label == "crisis" and matcher.check(s) is None)
    alarms = tuple(s for label, s in rows if label == "ordinary" and matcher.check(s) is not None)
    return Figures(
        language,
        sum(1 for label, _ in rows if label == "crisis"),
        sum(1 for label, _ in rows if label == "ordinary"),
        missed,
        alarms,
    )


def main() -> None:
    verbose = "-v" in sys.argv
    for language in ("id", "en"):
        result = figures(language)
        print(result.line())
        if verbose:
            for sentence in result.missed:
                print(f"  missed: {sentence}")
            for sentence in result.false_alarms:
                print(f"  false alarm: {sentence}")


if __name__ == "__main__":
    main()
