"""Small measuring helpers: percentiles, memory, the machine."""

from __future__ import annotations

import os
import platform
import resource
import sys
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted values; 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float], prefix: str) -> dict[str, float]:
    """p50/p95/p99/max of durations given in seconds, as milliseconds."""
    return {
        f"{prefix}_p50_ms": round(percentile(seconds, 50) * 1000, 3),
        f"{prefix}_p95_ms": round(percentile(seconds, 95) * 1000, 3),
        f"{prefix}_p99_ms": round(percentile(seconds, 99) * 1000, 3),
        f"{prefix}_max_ms": round(max(seconds, default=0.0) * 1000, 3),
    }


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far.

    Linux's VmHWM, the peak of this process's own memory map. Not ru_maxrss:
    that keeps the peak of the map a child was forked with, so a child started
    by a 170 MB benchmark process reported 170 MB whatever it used itself
    (bench.run's memory part said 171 MB at 10,000 groups; alone, 135 MB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def database_bytes(path: Path) -> int:
    """The database with its WAL and shared-memory files, as they lie on disk."""
    return sum(
        p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


def fresh(path: Path) -> Path:
    """Remove a database left by an earlier run in the same directory."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.lock")):
        p.unlink(missing_ok=True)
    return path


def filesystem_of(path: Path) -> str:
    """The mount type holding `path` (fsync costs differ: ext4 vs tmpfs)."""
    best, kind = "", "unknown"
    try:
        resolved = str(Path(path).resolve())
        for line in Path("/proc/mounts").read_text().splitlines():
            fields = line.split()
            if len(fields) >= 3 and resolved.startswith(fields[1]) and len(fields[1]) > len(best):
                best, kind = fields[1], fields[2]
    except OSError:
        pass
    return kind


def machine() -> dict[str, str | int]:
    import telegram

    return {
        "cpus": os.cpu_count() or 0,
        "cpu": _cpu_model(),
        "python": sys.version.split()[0],
        "python_telegram_bot": telegram.__version__,
        "platform": platform.platform(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
