"""The /dynamics picture: talk share, reply network and the trend across meetings.

matplotlib with the Agg backend, through `Figure` objects only (no pyplot
global state), so rendering is safe in a worker thread. The caller passes
ready-made labels; nothing here chooses words or reads storage.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from domain.dynamics import CIRCULAR_FROM, VERTICAL_BELOW

FACILITATOR_COLOUR = "#d9822b"
MEMBER_COLOUR = "#3b7dd8"
QUIET_COLOUR = "#9fb8d9"
LINE_COLOUR = "#555555"


@dataclass(frozen=True)
class ShareBar:
    name: str
    share: float  # 0..1 of members' messages
    quiet: bool = False


@dataclass(frozen=True)
class Node:
    key: int
    name: str
    leads: bool


@dataclass(frozen=True)
class TrendSpot:
    seq: int
    circularity: float | None
    silent: int


@dataclass(frozen=True)
class ChartLabels:
    title: str
    share_title: str
    share_axis: str
    fair_share: str
    network_title: str
    facilitator: str
    member: str
    trend_title: str
    trend_axis: str
    circularity: str
    silent: str
    no_data: str


@dataclass(frozen=True)
class DynamicsChart:
    labels: ChartLabels
    bars: Sequence[ShareBar]
    fair_share: float | None
    nodes: Sequence[Node]
    edges: Sequence[tuple[int, int, int]]  # (from key, to key, count)
    trend: Sequence[TrendSpot]


def warm_up() -> None:
    """Import matplotlib and draw one empty picture (slow the very first time on a
    machine: fonts are discovered), so a /dynamics answer does not pay for it."""
    render_png(DynamicsChart(ChartLabels(*[""] * 12), [], None, [], [], []))


def render_png(chart: DynamicsChart) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 4.6), dpi=100)
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(1, 3, width_ratios=[1.1, 1.2, 1.0], wspace=0.35)
    _shares(figure.add_subplot(grid[0, 0]), chart)
    _network(figure.add_subplot(grid[0, 1]), chart)
    _trend(figure.add_subplot(grid[0, 2]), chart)
    figure.suptitle(chart.labels.title, fontsize=13)
    figure.subplots_adjust(left=0.09, right=0.95, top=0.84, bottom=0.14)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _no_data(axes, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color="#777777")
    axes.set_xticks([])
    axes.set_yticks([])


def _shares(axes, chart: DynamicsChart) -> None:
    labels = chart.labels
    axes.set_title(labels.share_title, fontsize=11)
    if not chart.bars:
        _no_data(axes, labels.no_data)
        return
    bars = list(reversed(chart.bars))  # most talkative on top
    positions = range(len(bars))
    axes.barh(
        list(positions),
        [b.share * 100 for b in bars],
        color=[QUIET_COLOUR if b.quiet else MEMBER_COLOUR for b in bars],
    )
    axes.set_yticks(list(positions), [b.name for b in bars], fontsize=9)
    for position, bar in zip(positions, bars, strict=True):
        axes.text(bar.share * 100, position, f" {bar.share * 100:.0f}%", va="center", fontsize=8)
    axes.set_xlabel(labels.share_axis, fontsize=9)
    top = max([b.share for b in bars] + [chart.fair_share or 0]) * 100
    axes.set_xlim(0, max(10.0, top * 1.15))
    if chart.fair_share:
        axes.axvline(chart.fair_share * 100, color=LINE_COLOUR, linestyle="--", linewidth=1)
        axes.text(
            chart.fair_share * 100,
            -0.45,
            f" {labels.fair_share}",
            fontsize=8,
            color=LINE_COLOUR,
            va="center",
            ha="left",
        )


def _network(axes, chart: DynamicsChart) -> None:
    labels = chart.labels
    axes.set_title(labels.network_title, fontsize=11)
    axes.set_aspect("equal")
    axes.set_xlim(-1.45, 1.45)
    axes.set_ylim(-1.35, 1.35)
    axes.axis("off")
    if not chart.nodes:
        _no_data(axes, labels.no_data)
        return
    # Facilitators first, at the top; then members in the given order (most
    # talkative first), spread around the circle so their arrows do not pile up.
    nodes = sorted(chart.nodes, key=lambda n: not n.leads)
    spots = _circle_spots(nodes)
    _reply_arrows(axes, chart.edges, spots)
    _people(axes, nodes, spots)
    _network_legend(axes, labels)


def _circle_spots(nodes: Sequence[Node]) -> dict[int, tuple[float, float]]:
    """Each node's place on the unit circle, the first at the top, the rest a
    `_spread_step` stride apart, clockwise."""
    step = _spread_step(len(nodes))
    spots = {}
    for index, node in enumerate(nodes):
        slot = (index * step) % len(nodes)
        angle = math.pi / 2 - 2 * math.pi * slot / len(nodes)
        spots[node.key] = (math.cos(angle), math.sin(angle))
    return spots


def _reply_arrows(
    axes, edges: Sequence[tuple[int, int, int]], spots: dict[int, tuple[float, float]]
) -> None:
    """One curved arrow per (sender, target) pair, thicker the more replies."""
    from matplotlib.patches import FancyArrowPatch

    for sender, target, count in edges:
        if sender not in spots or target not in spots or count <= 0:
            continue
        axes.add_patch(
            FancyArrowPatch(
                spots[sender],
                spots[target],
                connectionstyle="arc3,rad=0.18",
                arrowstyle="-|>",
                mutation_scale=12,
                linewidth=min(1.0 + 1.2 * count, 8.0),
                color="#7a7a7a",
                alpha=0.75,
                shrinkA=14,
                shrinkB=14,
            )
        )


def _people(axes, nodes: Sequence[Node], spots: dict[int, tuple[float, float]]) -> None:
    """A square per facilitator, a circle per member, each with its name outside."""
    for node in nodes:
        x, y = spots[node.key]
        axes.scatter(
            [x],
            [y],
            s=420 if node.leads else 320,
            marker="s" if node.leads else "o",
            color=FACILITATOR_COLOUR if node.leads else MEMBER_COLOUR,
            zorder=3,
            edgecolors="white",
        )
        axes.text(x * 1.3, y * 1.2, node.name, ha="center", va="center", fontsize=9)


def _network_legend(axes, labels: ChartLabels) -> None:
    from matplotlib.lines import Line2D

    axes.legend(
        handles=[
            Line2D(
                [], [], marker="s", linestyle="", color=FACILITATOR_COLOUR, label=labels.facilitator
            ),
            Line2D([], [], marker="o", linestyle="", color=MEMBER_COLOUR, label=labels.member),
        ],
        loc="lower center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=2,
        fontsize=8,
        frameon=False,
    )


def _spread_step(count: int) -> int:
    """A stride around the circle, near 2/5 of it and visiting every slot once."""
    if count < 4:
        return 1
    target = round(count * 0.4)
    for step in sorted(range(1, count), key=lambda k: abs(k - target)):
        if math.gcd(step, count) == 1:
            return step
    return 1


def _trend(axes, chart: DynamicsChart) -> None:
    from matplotlib.ticker import MaxNLocator

    labels = chart.labels
    axes.set_title(labels.trend_title, fontsize=11)
    if not chart.trend:
        _no_data(axes, labels.no_data)
        return
    seqs = [spot.seq for spot in chart.trend]
    quiet_axes = axes.twinx()
    quiet_axes.bar(
        seqs, [spot.silent for spot in chart.trend], color="#b8b8b8", alpha=0.7, width=0.35
    )
    quiet_axes.set_ylabel(labels.silent, fontsize=9)
    quiet_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    quiet_axes.set_ylim(0, max([spot.silent for spot in chart.trend] + [3]) + 1)
    axes.set_zorder(quiet_axes.get_zorder() + 1)
    axes.patch.set_visible(False)
    known = [(spot.seq, spot.circularity) for spot in chart.trend if spot.circularity is not None]
    if known:
        axes.plot(
            [s for s, _ in known], [v for _, v in known], marker="o", color=FACILITATOR_COLOUR
        )
    axes.axhspan(0, VERTICAL_BELOW, color="#f3e3d3", alpha=0.35, zorder=0)
    axes.axhspan(CIRCULAR_FROM, 1.0, color="#dce8f7", alpha=0.35, zorder=0)
    axes.set_ylim(0, 1.02)
    axes.set_ylabel(labels.circularity, fontsize=9)
    axes.set_xlabel(labels.trend_axis, fontsize=9)
    axes.set_xticks(seqs)
    axes.set_xlim(min(seqs) - 0.8, max(seqs) + 0.8)
