"""The crisis check's own cost: `python -m bench.crisis [--rounds 20]`.

Times the watch's check (core/crisis_content.assess: the rules'
`CrisisMatcher.assess` and, when they are silent and a bound on the model's
score does not rule it out, the learned second opinion; what the watch runs
on every text) over every
labelled sentence (tests/data/crisis_*.tsv, both languages, crisis and
ordinary, held-out included), after a warm-up. Each sentence is timed
`rounds` times and its median kept (on a shared machine a single timing
mostly measures the scheduler); printed: p50 / p99 / max over sentences, in
microseconds, and apart, the cost of one long message (1,000 and 4,000
characters: the check is linear in length) and the median cost of issue 20's
plain group messages (bench/plain.py's TEXTS: what the check costs on
ordinary chat). The issue's target: p99 < 100 µs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stats import percentile

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def sentences() -> list[str]:
    found = []
    for path in sorted(DATA.glob("crisis_*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.append(line.split("\t", 1)[1])
    return found


def _median_us(check, text: str, rounds: int) -> float:
    clock = time.perf_counter_ns
    timings = []
    for _ in range(rounds):
        begin = clock()
        check(text)
        timings.append((clock() - begin) / 1000)
    return statistics.median(timings)


def run(rounds: int = 9) -> dict:
    from core.crisis_content import assess, crisis_matcher, crisis_model

    started = time.perf_counter()
    crisis_matcher()
    crisis_model()
    build_ms = (time.perf_counter() - started) * 1000
    texts = sentences()
    for text in texts:  # warm-up: caches and branch paths, as a running bot has them
        assess(text)
    timings = [_median_us(assess, text, rounds) for text in texts]
    ordinary = " ".join(t for t in texts if "mati" not in t and "die" not in t)
    from bench.plain import TEXTS as PLAIN  # issue 20's plain group messages

    plain = [_median_us(assess, text, max(rounds, 101)) for text in PLAIN]
    return {
        "messages": len(timings),
        "rounds": rounds,
        "build_ms": round(build_ms, 1),
        "p50_us": round(percentile(timings, 50), 1),
        "p99_us": round(percentile(timings, 99), 1),
        "max_us": round(max(timings), 1),
        "plain_chat_us": round(statistics.median(plain), 1),
        "long_1000_chars_us": round(_median_us(assess, ordinary[:1000], rounds), 1),
        "long_4000_chars_us": round(_median_us(assess, ordinary[:4000], rounds), 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.rounds)))


if __name__ == "__main__":
    main()
