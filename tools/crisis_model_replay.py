"""Replay the second opinion's cross-validation: `python tools/crisis_model_replay.py`.

The training script's own cross-validation (tools/train_crisis_model.py: folds
grouped by batch, so each sentence is scored by a model that saw none of its
batch), printed per language and category, with what the watch would do on
the tuning sentences: the rules' false alarms, and those of rules OR model
(each budget is one of rules OR model, as the training script calibrates)
(the model speaks only where the watch asks it: the rules found no concern,
no cue and no joke, and no thing is named; core/crisis_content.assess). The
rules were tuned on these sentences, so their own figures here are
optimistic; the model's are out of fold. Tuning files only: the held-out
files are never read.

    --budgets id=0.02,en=0.03   other false-alarm budgets than FALSE_ALARMS
    --sweep                     recall and false alarms at several budgets
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SWEEP = (0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04)


def _script():
    path = ROOT / "tools" / "train_crisis_model.py"
    spec = importlib.util.spec_from_file_location("train_crisis_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _budgets(text: str | None, default: dict[str, float]) -> dict[str, float]:
    if not text:
        return dict(default)
    budgets = dict(default)
    for part in text.split(","):
        language, _, share = part.partition("=")
        budgets[language.strip()] = float(share)
    return budgets


def table(rows, scores, y, watch, thresholds) -> list[str]:
    """Per language: the model's recall per category, its false alarms, the rules' and the OR's."""
    lines = []
    for language in sorted({row[0] for row in rows}, key=("id", "en").index):
        mine = [i for i, row in enumerate(rows) if row[0] == language]
        limit = thresholds[language]
        flagged = {i: scores[i] >= limit for i in mine}
        by_category: dict[str, list[bool]] = defaultdict(list)
        for i in mine:
            if y[i]:
                by_category[rows[i][1]].append(flagged[i])
        ordinary = [i for i in mine if not y[i]]
        crisis = [i for i in mine if y[i]]
        model_fa = sum(flagged[i] for i in ordinary)
        rules_fa = sum(watch[i][0] for i in ordinary)
        or_fa = sum(watch[i][0] or (watch[i][1] and flagged[i]) for i in ordinary)
        found = sum(flagged[i] for i in crisis)
        lines.append(
            f"{language}: model recall {found / len(crisis):.3f} ({found}/{len(crisis)}),"
            f" threshold {limit:.3f}; false alarms: model {model_fa / len(ordinary):.3f},"
            f" rules {rules_fa / len(ordinary):.3f}, rules OR model {or_fa / len(ordinary):.3f}"
            f" ({or_fa}/{len(ordinary)})"
        )
        for category, hits in sorted(by_category.items()):
            lines.append(f"  {category:17} {sum(hits)}/{len(hits)} {sum(hits) / len(hits):.2f}")
    return lines


def sweep(rows, scores, y, watch, script) -> list[str]:
    lines = ["budget  " + "  ".join(f"{lang} recall / OR false alarms" for lang in ("id", "en"))]
    for budget in SWEEP:
        _, own = script.thresholds_of(rows, scores, y, watch, {"id": budget, "en": budget})
        cells = []
        for language in ("id", "en"):
            mine = [i for i, row in enumerate(rows) if row[0] == language]
            hit = {i: scores[i] >= own[language] for i in mine}
            crisis = [hit[i] for i in mine if y[i]]
            ordinary = [watch[i][0] or (watch[i][1] and hit[i]) for i in mine if not y[i]]
            cells.append(f"{sum(crisis) / len(crisis):.3f} / {sum(ordinary) / len(ordinary):.3f}")
        lines.append(f"{budget:6.1%}  " + "  ".join(f"{c:>28}" for c in cells))
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", help="e.g. id=0.02,en=0.03")
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args(argv)
    script = _script()
    rows = script.tuning_rows()
    scores, y = script.cross_validated(rows)
    watch = script.watch_of(rows)
    budgets = _budgets(args.budgets, script.FALSE_ALARMS)
    _, thresholds = script.thresholds_of(rows, scores, y, watch, budgets)
    print(f"budgets {budgets}; {len({row[3] for row in rows})} batches, {script.FOLDS} folds")
    print("\n".join(table(rows, scores, y, watch, thresholds)))
    if args.sweep:
        print("\n".join(sweep(rows, scores, y, watch, script)))


if __name__ == "__main__":
    main()
