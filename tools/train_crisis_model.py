"""Train the crisis watch's learned second opinion: `python tools/train_crisis_model.py`.

Needs scikit-learn (`pip install -e '.[train]'`); the bot itself does not: the
weights are written to core/content/crisis_model.json and read by the pure
Python inference in domain/crisis_model.py (same n-grams, see there).

Data: the tuning sentences only, tests/data/crisis_{id,en}.tsv (one joint
model: members mix the languages). The held-out files are never read here.
Method (docs/crisis-watch.md, "Learned second opinion"):

1. features: presence of char n-grams (domain/crisis_model.grams) over the
   square root of domain/crisis_model.size; n-grams seen in fewer than MIN_DF
   sentences dropped;
2. logistic regression (liblinear, L2, C), then the KEEP n-grams with the
   largest weights kept and the model fitted again on them (a small file);
3. threshold: 5-fold stratified cross-validation on the tuning sentences
   (the whole of steps 1-2 inside each fold); the lowest threshold at which
   at most MAX_FALSE_ALARMS of the ordinary sentences score above it;
4. a language in OWN_FALSE_ALARMS gets its own threshold, the same way but
   on its own ordinary sentences alone, used for messages the model reads as
   that language (by LANGUAGE_WORDS words that tell it, from the tuning
   sentences: CrisisModel.language_of); others keep the joint threshold.

Deterministic (fixed folds and seeds, sorted vocabulary, quantised weights):
training the same data twice writes the same bytes. `--check` prints the
cross-validated figures without writing.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from domain.crisis_model import CrisisModel, grams, size, to_json, words  # noqa: E402

DATA = ROOT / "tests" / "data"
OUTPUT = ROOT / "core" / "content" / "crisis_model.json"
LANGUAGES = ("id", "en")
MIN_DF = 2
KEEP = 12000
C = 10.0
FOLDS = 5
SEED = 20261205
MAX_FALSE_ALARMS = 0.015
#: Languages with their own threshold, at this share of their own ordinary
#: sentences (cross-validated). English: its ordinary sentences score higher
#: than Indonesian ones, so the joint threshold was set by them; its own at
#: 2.5% finds more (docs/crisis-watch.md, round 5).
OWN_FALSE_ALARMS = {"en": 0.025}
#: Words that tell a language: in at least MARKER_MIN of its tuning sentences,
#: at least MARKER_RATIO times as often (per sentence) as in any other
#: language's; the LANGUAGE_WORDS most frequent kept.
MARKER_MIN = 5
MARKER_RATIO = 10
LANGUAGE_WORDS = 300


def tuning_rows() -> list[tuple[str, str, str]]:
    """(language, label, sentence) of the tuning files; label "ordinary" or a category."""
    rows = []
    for language in LANGUAGES:
        path = DATA / f"crisis_{language}.tsv"
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            label, sentence = line.split("\t", 1)
            rows.append((language, label.removeprefix("crisis:"), sentence))
    return rows


def fingerprint() -> str:
    digest = hashlib.sha256()
    for language in LANGUAGES:
        digest.update((DATA / f"crisis_{language}.tsv").read_bytes())
    return digest.hexdigest()[:16]


def _matrix(texts: list[str], vocabulary: dict[str, int]):
    from scipy.sparse import csr_matrix

    data, indices, indptr = [], [], [0]
    for text in texts:
        found = grams(text)
        value = 1 / math.sqrt(size(text)) if found else 0.0
        columns = sorted(vocabulary[g] for g in found if g in vocabulary)
        indices.extend(columns)
        data.extend([value] * len(columns))
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(texts), len(vocabulary)))


def _logistic(x, y):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=1000)
    return model.fit(x, y)


def fit(texts: list[str], y: list[int]) -> CrisisModel:
    """Steps 1-2 on these sentences; threshold 0 (set by cross-validation)."""
    counts: dict[str, int] = {}
    for text in texts:
        for gram in grams(text):
            counts[gram] = counts.get(gram, 0) + 1
    vocabulary = {g: i for i, g in enumerate(sorted(g for g, n in counts.items() if n >= MIN_DF))}
    first = _logistic(_matrix(texts, vocabulary), y)
    names = sorted(vocabulary, key=vocabulary.get)
    ranked = sorted(zip(first.coef_[0], names, strict=True), key=lambda p: (-abs(p[0]), p[1]))
    kept = {g: i for i, g in enumerate(sorted(g for _, g in ranked[:KEEP]))}
    final = _logistic(_matrix(texts, kept), y)
    weights = {g: float(final.coef_[0][i]) for g, i in kept.items()}
    return CrisisModel(weights, float(final.intercept_[0]), 0.0)


def _quantised(
    model: CrisisModel,
    threshold: float,
    meta: dict,
    thresholds: dict[str, float] | None = None,
    markers: dict[str, list[str]] | None = None,
) -> tuple[str, CrisisModel]:
    text = to_json(model.weights, model.bias, threshold, meta, thresholds, markers)
    return text, CrisisModel.from_json(text)


def language_words(rows) -> dict[str, list[str]]:
    """For each language, the words that tell it (see MARKER_MIN, MARKER_RATIO)."""
    frequency: dict[str, dict[str, int]] = {language: {} for language in LANGUAGES}
    sentences = dict.fromkeys(LANGUAGES, 0)
    for language, _, sentence in rows:
        sentences[language] += 1
        for word in set(words(sentence)):
            frequency[language][word] = frequency[language].get(word, 0) + 1
    found = {}
    for language in LANGUAGES:
        share = {w: n / sentences[language] for w, n in frequency[language].items()}
        telling = [
            (-n, w)
            for w, n in frequency[language].items()
            if n >= MARKER_MIN
            and all(
                share[w] >= MARKER_RATIO * frequency[other].get(w, 0) / sentences[other]
                for other in LANGUAGES
                if other != language and sentences[other]
            )
        ]
        found[language] = sorted(w for _, w in sorted(telling)[:LANGUAGE_WORDS])
    return found


def cross_validated(rows) -> tuple[list[float], list[int]]:
    """Out-of-fold scores of every tuning sentence (the quantised model, as shipped)."""
    from sklearn.model_selection import StratifiedKFold

    texts = [s for _, _, s in rows]
    y = [0 if label == "ordinary" else 1 for _, label, _ in rows]
    strata = [f"{language}:{label}" for language, label, _ in rows]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    scores = [0.0] * len(rows)
    for train, test in folds.split(texts, strata):
        _, model = _quantised(fit([texts[i] for i in train], [y[i] for i in train]), 0.0, {})
        for i in test:
            scores[i] = model.score(texts[i])
    return scores, y


def pick_threshold(scores: list[float], y: list[int], most: float = MAX_FALSE_ALARMS) -> float:
    """The lowest threshold with at most `most` of ordinary sentences above it."""
    ordinary = sorted((s for s, label in zip(scores, y, strict=True) if not label), reverse=True)
    allowed = math.floor(most * len(ordinary))
    # Just above the (allowed + 1)-th highest ordinary score.
    return ordinary[allowed] + 1e-6


def own_thresholds(rows, scores: list[float], y: list[int]) -> dict[str, float]:
    """The thresholds of the languages in OWN_FALSE_ALARMS, each on its own sentences."""
    found = {}
    for language, most in sorted(OWN_FALSE_ALARMS.items()):
        mine = [i for i, (lang, _, _) in enumerate(rows) if lang == language]
        found[language] = pick_threshold([scores[i] for i in mine], [y[i] for i in mine], most)
    return found


def report(
    rows, scores: list[float], y: list[int], threshold: float, thresholds: dict[str, float]
) -> dict[str, float]:
    """Cross-validated false alarms (all ordinary sentences) and recall per
    language, each language at its own threshold if it has one."""
    limit = [thresholds.get(lang, threshold) for lang, _, _ in rows]
    ordinary = [s >= t for s, t, label in zip(scores, limit, y, strict=True) if not label]
    figures = {"cv_false_alarms": sum(ordinary) / len(ordinary)}
    for language in LANGUAGES:
        crisis = [
            s >= t
            for (lang, label, _), s, t in zip(rows, scores, limit, strict=True)
            if lang == language and label != "ordinary"
        ]
        figures[f"cv_recall_{language}"] = sum(crisis) / len(crisis)
    return {k: round(v, 4) for k, v in figures.items()}


def meta_of(sentences: int, figures: dict[str, float]) -> dict[str, object]:
    """What the model file says of its training (before the weights)."""
    return {
        "trained_on": [f"tests/data/crisis_{language}.tsv" for language in LANGUAGES],
        "data_sha256": fingerprint(),
        "sentences": sentences,
        "method": f"logistic regression C={C}, min_df={MIN_DF}, keep={KEEP}, {FOLDS}-fold CV"
        f" threshold at {MAX_FALSE_ALARMS:.1%} false alarms"
        + "".join(f", {k}: own at {v:.1%}" for k, v in sorted(OWN_FALSE_ALARMS.items())),
        **figures,
    }


def train() -> tuple[str, dict[str, float]]:
    """The model file's text, and the cross-validated figures."""
    rows = tuning_rows()
    scores, y = cross_validated(rows)
    threshold = pick_threshold(scores, y)
    thresholds = own_thresholds(rows, scores, y)
    figures = report(rows, scores, y, threshold, thresholds)
    model = fit([s for _, _, s in rows], y)
    meta = meta_of(len(rows), figures)
    text, _ = _quantised(model, threshold, meta, thresholds, language_words(rows))
    return text, figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the CV figures, write nothing")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text, figures = train()
    print(figures)
    if not args.check:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({len(text.encode()) // 1024} KB)")


if __name__ == "__main__":
    main()
