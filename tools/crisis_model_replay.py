"""Replay the second opinion's cross-validation: `python tools/crisis_model_replay.py`.

The training script's own cross-validation (tools/train_crisis_model.py: folds
grouped by batch, so each sentence is scored by a model that saw none of its
batch), printed per language and category, with what the watch would do on
the tuning sentences: the rules' false alarms, and those of rules OR model
(each budget is one of rules OR model on the ordinary tuning and extra
sentences together, as the training script calibrates)
(the model speaks only where the watch asks it: the rules found no concern,
no cue and no joke, and no thing is named; core/crisis_content.assess). The
rules were tuned on these sentences, so their own figures here are
optimistic; the model's are out of fold. Tuning and extra files only: the
held-out files are never read.

Per language it prints the model's recall per category, and apart the lines
of the later rounds' batches (`--late`, default 7: the wording written blind
in rounds 7 and 8, the closest the tuning files come to the fresh wording
of outsiders), with the watch's recall there (rules OR model).

    --budgets id=0.02,en=0.03   other false-alarm budgets than FALSE_ALARMS
    --sweep                     the training script's trade-off table (the
                                watch on the extra sentences at several budgets)
    --late 7                    the first round counted as late
    --content-from REV          the slots of the concept block from the content
                                files at git revision REV, e.g. the last one
                                before round 7 (9f3b476): the later batches are
                                then fresh to the slots too, not only to the
                                model; their watch is REV's rules OR the model
                                (thresholds as shipped: today's rules' false
                                alarms on every ordinary sentence)
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


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


def rounds_of(script) -> dict[str, int]:
    """batch ("<language>:<n>") -> the round its comment line names (0: none)."""
    found = {}
    for language in script.LANGUAGES:
        batch = 0
        text = (script.DATA / f"crisis_{language}.tsv").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith("#"):
                batch += 1
                named = re.search(r"round (\d+)", line)
                found[f"{language}:{batch}"] = int(named.group(1)) if named else 0
    return found


def matcher_at(revision: str):
    """The rules' matcher built from the content files at a git revision."""
    from core.crisis_content import lexicon_of
    from core.i18n import _flatten
    from domain.crisis import CrisisMatcher

    def show(path: str) -> dict:
        text = subprocess.run(
            ["git", "show", f"{revision}:{path}"], cwd=ROOT, check=True, capture_output=True
        ).stdout.decode("utf-8")
        return tomllib.loads(text)

    shared = show("core/content/crisis_rules.toml")
    mixing = shared.get("mixing", {})
    lexicons = []
    for language in ("id", "en"):
        flat: dict = {}
        _flatten("", show(f"core/content/{language}/safety.toml"), flat)
        lexicons.append(lexicon_of(flat, language, tuple(mixing.get(language, ()))))
    return CrisisMatcher(lexicons, tuple(shared["rules"]))


def late_lines(rows, scores, y, watch, thresholds, rounds, first) -> list[str]:
    """Per language, the batches of round `first` and later: the model's recall
    and false alarms there, and the watch's (rules OR model)."""
    alerts = _script().alerts
    lines = []
    for language in sorted({row[0] for row in rows}, key=("id", "en").index):
        mine = [i for i, row in enumerate(rows) if row[0] == language and rounds[row[3]] >= first]
        if not mine:
            continue
        limit = thresholds[language]
        crisis = [i for i in mine if y[i]]
        ordinary = [i for i in mine if not y[i]]

        def share(hits, of):
            return f"{sum(hits)}/{len(of)} {sum(hits) / max(len(of), 1):.3f}"

        model = [scores[i] >= limit for i in crisis]
        rules = [watch[i][0] for i in crisis]
        either = [alerts(watch[i], scores[i], limit) for i in crisis]
        by_category: dict[str, list[int]] = defaultdict(list)
        for i in crisis:
            by_category[rows[i][1]].append(i)
        model_fa = [watch[i][1] and scores[i] >= limit for i in ordinary]
        rules_fa = [watch[i][0] for i in ordinary]
        either_fa = [a or b for a, b in zip(rules_fa, model_fa, strict=True)]
        lines.append(
            f"{language} rounds {first}+ ({len(crisis)} crisis, {len(ordinary)} ordinary):"
            f" model {share(model, crisis)}, rules {share(rules, crisis)},"
            f" watch {share(either, crisis)}; false alarms: model {share(model_fa, ordinary)},"
            f" rules {share(rules_fa, ordinary)}, watch {share(either_fa, ordinary)}"
        )
        for category, found in sorted(by_category.items()):
            model = sum(scores[i] >= limit for i in found)
            either = sum(alerts(watch[i], scores[i], limit) for i in found)
            lines.append(f"  {category:17} model {model}/{len(found)}, watch {either}/{len(found)}")
    return lines


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", help="e.g. id=0.02,en=0.03")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--late", type=int, default=7)
    parser.add_argument("--content-from", metavar="REV")
    args = parser.parse_args(argv)
    script = _script()
    rows = script.tuning_rows()
    now, late_watch = script.matcher(), None
    if args.content_from:
        old = matcher_at(args.content_from)
        script.matcher = lambda: old
        late_watch = script.watch_of(rows, old)
        print(f"slots, and the later batches' rules, from the content at {args.content_from}")
    # Folds over the extra sentences too, as training has them, and thresholds
    # on the ordinary sentences of both; figures of the tuning ones.
    extra = script.extra_rows()
    every = rows + extra
    all_scores, all_y = script.cross_validated(every)
    all_watch = script.watch_of(every, now)
    budgets = _budgets(args.budgets, script.FALSE_ALARMS)
    _, thresholds = script.thresholds_of(every, all_scores, all_y, all_watch, budgets)
    n = len(rows)
    scores, y, watch = all_scores[:n], all_y[:n], all_watch[:n]
    extra_scores, extra_y, extra_watch = all_scores[n:], all_y[n:], all_watch[n:]
    print(f"budgets {budgets}; {len({row[3] for row in every})} batches, {script.FOLDS} folds")
    print("\n".join(table(rows, scores, y, watch, thresholds)))
    print("extra sentences (the rules never tuned on them), the watch:")
    print(script.fresh_report(extra, extra_scores, extra_y, extra_watch, thresholds))
    late = late_lines(
        rows, scores, y, late_watch or watch, thresholds, rounds_of(script), args.late
    )
    print("\n".join(late))
    if args.sweep:
        print("\n".join(script.trade_off(every, all_scores, all_y, all_watch, n)))


if __name__ == "__main__":
    main()
