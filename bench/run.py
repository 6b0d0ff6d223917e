"""Lingkar's benchmark, one command: `python -m bench.run [--quick] [--all]`.

The README's benchmark table in one run of about four minutes on two cores:
Lingkar against the framework's floor (a bare python-telegram-bot bot reading
every text and answering only commands) by issue 20's method, in-process and
over loopback HTTP with both bots as processes, each in alternated pairs; the
update mix through the full bot (throughput, handler time, p99 at 1,000
updates/s), the same stream through the bare bot and an echo bot (a labelled
second line), peak RSS at 10,000 groups and the crisis check per message.
`--all` adds the scheduler (100,000 pending jobs, lateness of 10,000 due
within a minute) and the DM fan-out (about two minutes more). Prints one line
per figure and writes bench/results.json. See bench/README.md for what each
figure means and how it is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import crisis, echo, fanout, http_load, load, plain, scheduler_bench  # noqa: E402
from bench.stats import filesystem_of, machine  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.json"

#: Updates per group in the flat-out run at full size (20,000 at 1,000 groups).
UPDATES_PER_GROUP = 20

FULL = {
    "updates": None,
    "paced_rate": 1000.0,
    "paced_seconds": 20.0,
    "half_rate_seconds": 10.0,
    "bare_paced_seconds": 10.0,
    "jobs": 100_000,
    "late_jobs": 10_000,
    "late_window": 60.0,
    "dms": 300,
    "memory_groups": 10_000,
    "memory_updates": 20_000,
    "http_groups": 100,
    "http_messages": 3_000,
    "http_runs": 3,
    "plain_groups": 100,
    "plain_messages": 3_000,
    "plain_runs": 3,
}
QUICK = {
    "updates": 3_000,
    "paced_rate": 1000.0,
    "paced_seconds": 3.0,
    "half_rate_seconds": 3.0,
    "bare_paced_seconds": 3.0,
    "jobs": 20_000,
    "late_jobs": 1_000,
    "late_window": 10.0,
    "dms": 60,
    "memory_groups": 1_000,
    "memory_updates": 3_000,
    "http_groups": 100,
    "http_messages": 1_000,
    "http_runs": 1,
    "plain_groups": 100,
    "plain_messages": 1_000,
    "plain_runs": 1,
}

#: (figure key, label, unit, target check or None, target text)
FIGURES = (
    (
        "plain_lingkar_updates_per_s",
        "in-process, plain messages: Lingkar (median)",
        "updates/s",
        None,
        "",
    ),
    (
        "plain_bare_updates_per_s",
        "in-process, plain messages: bare (median)",
        "updates/s",
        None,
        "",
    ),
    (
        "plain_ratio_lingkar_to_bare",
        "in-process, plain: Lingkar / bare (median)",
        "x",
        lambda v: v >= 0.8,
        ">= 0.8",
    ),
    ("plain_ratios", "in-process, plain: ratio of each pair", "x", None, ""),
    (
        "plain_cpu_ratio",
        "in-process, plain: CPU/update bare / Lingkar",
        "x",
        None,
        "",
    ),
    ("lingkar_updates_per_s", "Lingkar throughput (flat out)", "updates/s", None, ""),
    ("lingkar_service_p50_ms", "Lingkar handler time p50", "ms", None, ""),
    ("lingkar_service_p95_ms", "Lingkar handler time p95", "ms", None, ""),
    ("lingkar_service_p99_ms", "Lingkar handler time p99", "ms", None, ""),
    ("lingkar_paced_offered_per_s", "Lingkar paced run, offered", "updates/s", None, ""),
    ("lingkar_paced_latency_p50_ms", "Lingkar paced latency p50", "ms", None, ""),
    ("lingkar_paced_latency_p95_ms", "Lingkar paced latency p95", "ms", None, ""),
    ("lingkar_paced_latency_p99_ms", "Lingkar paced latency p99", "ms", lambda v: v < 25, "< 25"),
    (
        "lingkar_half_rate_offered_per_s",
        "Lingkar paced at half rate, offered",
        "updates/s",
        None,
        "",
    ),
    ("lingkar_half_rate_latency_p50_ms", "Lingkar half-rate latency p50", "ms", None, ""),
    ("lingkar_half_rate_latency_p99_ms", "Lingkar half-rate latency p99", "ms", None, ""),
    ("lingkar_handler_errors", "Lingkar handler errors during the load", "errors", None, ""),
    ("bare_updates_per_s", "bare PTB reference throughput (flat out)", "updates/s", None, ""),
    ("bare_service_p99_ms", "bare PTB reference handler time p99", "ms", None, ""),
    ("bare_paced_latency_p99_ms", "bare PTB reference paced latency p99", "ms", None, ""),
    ("ratio_lingkar_to_bare", "update mix: Lingkar / bare (3% commands)", "x", None, ""),
    ("echo_updates_per_s", "bare PTB echo bot throughput (2nd line)", "updates/s", None, ""),
    ("ratio_lingkar_to_echo", "throughput Lingkar / echo bot", "x", None, ""),
    ("http_lingkar_updates_per_s", "over HTTP: Lingkar (median)", "updates/s", None, ""),
    ("http_bare_updates_per_s", "over HTTP: bare reference (median)", "updates/s", None, ""),
    (
        "http_ratio_lingkar_to_bare",
        "over HTTP: Lingkar / bare (median)",
        "x",
        lambda v: v >= 0.8,
        ">= 0.8",
    ),
    ("http_ratios", "over HTTP: ratio of each pair", "x", None, ""),
    ("http_cpu_ratio", "over HTTP: bot CPU/update bare / Lingkar", "x", None, ""),
    ("peak_rss_mb", "peak RSS, load run (incl. emulator)", "MB", None, ""),
    ("memory_groups", "groups in the memory run", "groups", None, ""),
    ("memory_peak_rss_mb", "peak RSS with those groups", "MB", lambda v: v < 150, "< 150"),
    ("sqlite_mb_per_1000_meetings", "SQLite size per 1,000 meetings", "MB", None, ""),
    ("scheduler_pending", "scheduler: pending jobs at start", "jobs", None, ""),
    ("scheduler_armed", "scheduler: armed (within the horizon)", "timers", None, ""),
    ("scheduler_start_s", "scheduler: Scheduler.start", "s", None, ""),
    (
        "scheduler_cold_start_s",
        "scheduler: build + start, all registered",
        "s",
        lambda v: v < 2,
        "< 2",
    ),
    ("lateness_jobs", "lateness run: jobs due", "jobs", None, ""),
    ("lateness_fired", "lateness run: jobs fired", "jobs", None, ""),
    ("lateness_p50_ms", "job lateness p50", "ms", None, ""),
    ("lateness_p99_ms", "job lateness p99", "ms", lambda v: v < 1000, "< 1000"),
    ("lateness_max_ms", "job lateness max", "ms", None, ""),
    ("fanout_dms", "fan-out: DMs", "DMs", None, ""),
    ("fanout_messages_per_s", "fan-out rate (cap 30/s)", "msg/s", lambda v: v >= 27, ">= 27"),
    ("fanout_429s", "fan-out 429 answers", "answers", lambda v: v == 0, "== 0"),
    ("crisis_check_p50_us", "crisis check per message p50", "µs", None, ""),
    ("crisis_check_p99_us", "crisis check per message p99", "µs", lambda v: v < 100, "< 100"),
    ("crisis_check_4000_chars_us", "crisis check, one 4,000-character message", "µs", None, ""),
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Lingkar benchmark (issues 9 and 20).")
    parser.add_argument("--groups", type=int, default=1000, help="groups of 10 (default 1000)")
    parser.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    parser.add_argument(
        "--updates", type=int, help="updates in the flat-out run (default 20 per group)"
    )
    parser.add_argument("--paced-rate", type=float, help="offered updates/s in the paced run")
    parser.add_argument("--paced-seconds", type=float, help="length of the paced run")
    parser.add_argument(
        "--half-rate-seconds",
        type=float,
        help="length of Lingkar's run at half that rate (0: skip)",
    )
    parser.add_argument(
        "--bare-paced-seconds", type=float, help="length of the bare bot's paced run (0: skip)"
    )
    parser.add_argument(
        "--all", action="store_true", help="also the scheduler and the DM fan-out (~2 min more)"
    )
    parser.add_argument("--jobs", type=int, help="pending jobs for the registration figure")
    parser.add_argument("--late-jobs", type=int, help="jobs due in the lateness run (0: skip)")
    parser.add_argument("--late-window", type=float, help="seconds the lateness jobs spread over")
    parser.add_argument("--dms", type=int, help="DMs in the fan-out")
    parser.add_argument("--memory-groups", type=int, help="groups in the memory run (0: skip)")
    parser.add_argument("--memory-updates", type=int, help="updates in the memory run")
    parser.add_argument("--http-groups", type=int, help="groups in the HTTP run (0: skip)")
    parser.add_argument("--http-messages", type=int, help="plain messages in each HTTP run")
    parser.add_argument("--http-runs", type=int, help="HTTP runs per bot (alternated)")
    parser.add_argument(
        "--plain-groups", type=int, help="groups in the in-process plain run (0: skip)"
    )
    parser.add_argument("--plain-messages", type=int, help="plain messages in each such run")
    parser.add_argument("--plain-runs", type=int, help="in-process plain runs per bot")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where results.json goes")
    parser.add_argument("--dir", type=Path, help="where the databases go (default: a temp dir)")
    args = parser.parse_args(argv)
    defaults = QUICK if args.quick else FULL
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.updates is None:
        args.updates = max(1000, UPDATES_PER_GROUP * args.groups)
    return args


async def _in_thread(function):
    """A synchronous part, off the event loop."""
    return await asyncio.to_thread(function)


async def memory_figures(groups: int, updates: int) -> dict:
    """The memory run needs a process of its own (the peak RSS is for life)."""
    if groups <= 0:
        return {"groups": 0, "peak_rss_mb": None}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.memory",
        "--groups",
        str(groups),
        "--updates",
        str(updates),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"bench.memory failed with exit code {process.returncode}")
    return json.loads(out.decode().strip().splitlines()[-1])


async def collect(args: argparse.Namespace, directory: Path, say=print) -> dict:
    """Run every part; a part that fails is reported (and the rest still run)."""
    started = time.perf_counter()
    load_before = _load_average()
    load_sizes = {
        "groups": args.groups,
        "updates": args.updates,
        "paced_rate": args.paced_rate,
        "paced_seconds": args.paced_seconds,
    }

    async def http_part() -> dict:
        if args.http_groups <= 0:
            return {"runs": 0}
        return await http_load.measure(args.http_groups, args.http_messages, args.http_runs)

    async def plain_part() -> dict:
        if args.plain_groups <= 0:
            return {"runs": 0}
        return await plain.measure(args.plain_groups, args.plain_messages, args.plain_runs)

    async def lateness() -> dict:
        if args.late_jobs <= 0:
            return {"jobs": 0, "fired": 0}
        return await scheduler_bench.lateness(directory, args.late_jobs, args.late_window)

    parts = [
        ("plain", "in-process, plain messages (bare / Lingkar pairs)", plain_part),
        ("http", "over HTTP, both bots as processes (pairs)", http_part),
        (
            "lingkar",
            "update mix (Lingkar)",
            lambda: load.run(directory, half_rate_seconds=args.half_rate_seconds, **load_sizes),
        ),
        (
            "bare",
            "update mix (bare reference bot)",
            lambda: echo.run(
                kind="bare",
                **{**load_sizes, "paced_seconds": args.bare_paced_seconds},
                half_rate_seconds=0,
            ),
        ),
        (
            "echo",
            "update mix (bare echo bot, flat out only)",
            lambda: echo.run(kind="echo", **{**load_sizes, "paced_seconds": 0}),
        ),
        ("memory", "memory", lambda: memory_figures(args.memory_groups, args.memory_updates)),
        ("crisis", "crisis check", lambda: _in_thread(crisis.run)),
    ]
    if args.all:
        parts += [
            (
                "registration",
                "scheduler registration",
                lambda: scheduler_bench.registration(directory, args.jobs),
            ),
            ("lateness", "scheduler lateness", lateness),
            ("fanout", "fan-out", lambda: fanout.run(directory, args.dms)),
        ]
    details: dict[str, dict] = {}
    for key, label, run_part in parts:
        began = time.perf_counter()
        try:
            details[key] = await run_part()
            say(f"  {label} done ({time.perf_counter() - began:.0f} s)")
        except Exception as exc:  # report it, keep the other figures
            traceback.print_exc()
            details[key] = {"error": f"{type(exc).__name__}: {exc}"}
            say(f"  {label} FAILED: {details[key]['error']}")

    def get(part: str, *path: str):
        value = details.get(part, {})
        for name in path:
            value = value.get(name) if isinstance(value, dict) else None
        return value

    lingkar_rate, bare_rate, echo_rate = (
        get("lingkar", "flat", "updates_per_s"),
        get("bare", "flat", "updates_per_s"),
        get("echo", "flat", "updates_per_s"),
    )
    figures = {
        "plain_lingkar_updates_per_s": get("plain", "lingkar_median"),
        "plain_bare_updates_per_s": get("plain", "bare_median"),
        "plain_ratio_lingkar_to_bare": get("plain", "ratio_median"),
        "plain_ratios": get("plain", "ratios"),
        "plain_cpu_ratio": get("plain", "cpu_ratio_median"),
        "lingkar_updates_per_s": lingkar_rate,
        "lingkar_service_p50_ms": get("lingkar", "flat", "service_p50_ms"),
        "lingkar_service_p95_ms": get("lingkar", "flat", "service_p95_ms"),
        "lingkar_service_p99_ms": get("lingkar", "flat", "service_p99_ms"),
        "lingkar_paced_offered_per_s": get("lingkar", "paced", "offered_per_s"),
        "lingkar_paced_latency_p50_ms": get("lingkar", "paced", "latency_p50_ms"),
        "lingkar_paced_latency_p95_ms": get("lingkar", "paced", "latency_p95_ms"),
        "lingkar_paced_latency_p99_ms": get("lingkar", "paced", "latency_p99_ms"),
        "lingkar_half_rate_offered_per_s": get("lingkar", "paced_half_rate", "offered_per_s"),
        "lingkar_half_rate_latency_p50_ms": get("lingkar", "paced_half_rate", "latency_p50_ms"),
        "lingkar_half_rate_latency_p99_ms": get("lingkar", "paced_half_rate", "latency_p99_ms"),
        "lingkar_handler_errors": get("lingkar", "handler_errors"),
        "bare_updates_per_s": bare_rate,
        "bare_service_p99_ms": get("bare", "flat", "service_p99_ms"),
        "bare_paced_latency_p99_ms": get("bare", "paced", "latency_p99_ms"),
        "ratio_lingkar_to_bare": round(lingkar_rate / bare_rate, 2)
        if lingkar_rate and bare_rate
        else None,
        "echo_updates_per_s": echo_rate,
        "ratio_lingkar_to_echo": round(lingkar_rate / echo_rate, 2)
        if lingkar_rate and echo_rate
        else None,
        "http_lingkar_updates_per_s": get("http", "lingkar_median"),
        "http_bare_updates_per_s": get("http", "bare_median"),
        "http_ratio_lingkar_to_bare": get("http", "ratio_median"),
        "http_ratios": get("http", "ratios"),
        "http_cpu_ratio": get("http", "cpu_ratio_median"),
        "peak_rss_mb": get("lingkar", "peak_rss_mb"),
        "memory_groups": get("memory", "groups"),
        "memory_peak_rss_mb": get("memory", "peak_rss_mb"),
        "sqlite_mb_per_1000_meetings": get("lingkar", "sqlite_mb_per_1000_meetings"),
        "scheduler_pending": get("registration", "pending"),
        "scheduler_armed": get("registration", "armed"),
        "scheduler_start_s": get("registration", "scheduler_start_seconds"),
        "scheduler_cold_start_s": get("registration", "cold_start_seconds"),
        "lateness_jobs": get("lateness", "jobs"),
        "lateness_fired": get("lateness", "fired"),
        "lateness_p50_ms": get("lateness", "lateness_p50_ms"),
        "lateness_p99_ms": get("lateness", "lateness_p99_ms"),
        "lateness_max_ms": get("lateness", "lateness_max_ms"),
        "fanout_dms": get("fanout", "dms"),
        "fanout_messages_per_s": get("fanout", "messages_per_s"),
        "fanout_429s": get("fanout", "answers_429"),
        "crisis_check_p50_us": get("crisis", "p50_us"),
        "crisis_check_p99_us": get("crisis", "p99_us"),
        "crisis_check_4000_chars_us": get("crisis", "long_4000_chars_us"),
    }
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "conditions": {
            "groups": args.groups,
            "members_per_group": 10,
            "quick": args.quick,
            "updates": args.updates,
            "paced_rate": args.paced_rate,
            "paced_seconds": args.paced_seconds,
            "half_rate_seconds": args.half_rate_seconds,
            "bare_paced_seconds": args.bare_paced_seconds,
            "all_parts": args.all,
            "jobs": args.jobs,
            "late_jobs": args.late_jobs,
            "late_window_seconds": args.late_window,
            "dms": args.dms,
            "memory_groups": args.memory_groups,
            "http_groups": args.http_groups,
            "http_messages": args.http_messages,
            "http_runs": args.http_runs,
            "plain_groups": args.plain_groups,
            "plain_messages": args.plain_messages,
            "plain_runs": args.plain_runs,
            "database_filesystem": filesystem_of(directory),
            "clock": "SystemClock",
            "rate_limiter": "off, except the fan-out",
            "load_average_before": load_before,
            "load_average_after": _load_average(),
        },
        "failed": [key for key, value in details.items() if "error" in value],
        "figures": figures,
        "details": details,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _load_average() -> str:
    """The machine's 1/5/15-minute load (other processes compete for the cores)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


#: Figures of the parts only `--all` runs.
ALL_ONLY = ("scheduler_", "lateness_", "fanout_")


def figure_lines(figures: dict, *, everything: bool = True) -> list[str]:
    lines = []
    for key, label, unit, check, target in FIGURES:
        if not everything and key.startswith(ALL_ONLY):
            continue
        value = figures.get(key)
        if value is None:
            text = "n/a"
        elif isinstance(value, list):
            text = " / ".join(f"{v:g}" for v in value)
        else:
            text = f"{value:,}" if isinstance(value, int) else f"{value}"
        line = f"{label:<44} {text:>12} {unit}"
        if check is not None and value is not None:
            line += f"   (target {target}: {'met' if check(value) else 'NOT met'})"
        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    print(f"Lingkar bench: {args.groups} groups of 10{' (quick)' if args.quick else ''}")
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
        results = asyncio.run(collect(args, args.dir))
    else:
        with tempfile.TemporaryDirectory(prefix="lingkar-bench-") as directory:
            results = asyncio.run(collect(args, Path(directory)))
    for line in figure_lines(results["figures"], everything=args.all):
        print(line)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.out} ({results['seconds']} s)")
    if results["failed"]:
        print(f"FAILED parts: {', '.join(results['failed'])}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
