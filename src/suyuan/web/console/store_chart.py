"""The geometry of a server-rendered SVG bar chart (scans per day): no JavaScript, no library.
The template draws what this computes; pure functions, easy to test."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 760, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 28  # room for the axis labels
MAX_BAR = 36.0


@dataclass(frozen=True)
class Bar:
    """One day: its bar's box and what it stands for."""

    x: float
    y: float
    width: float
    height: float
    date: str
    scans: int


@dataclass(frozen=True)
class Chart:
    """Bars over a baseline, a y scale 0…``top`` and some date labels along the x axis."""

    width: int
    height: int
    left: int
    baseline: float
    right_edge: float
    top: int
    top_y: float
    bars: list[Bar]
    labels: list[tuple[float, str]]
    total: int


def nice_top(peak: int) -> int:
    """A round upper bound of the y axis: 1, 2, 5, 10, 20, 50… at least ``peak``."""
    if peak <= 1:
        return 1
    magnitude = int(10 ** (len(str(peak)) - 1))
    for step in (1, 2, 5, 10):
        if step * magnitude >= peak:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def bar_chart(days: list[dict[str, Any]], width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """The chart of ``[{"date": "2026-12-01", "scans": 3}, …]`` (oldest first)."""
    n = max(1, len(days))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    top = nice_top(max((int(d["scans"]) for d in days), default=0))
    slot = plot_w / n
    bar_w = min(slot * 0.8, MAX_BAR)
    baseline = float(TOP + plot_h)
    bars = []
    for i, d in enumerate(days):
        scans = int(d["scans"])
        h = plot_h * scans / top
        bars.append(
            Bar(
                x=round(LEFT + i * slot + (slot - bar_w) / 2, 2),
                y=round(baseline - h, 2),
                width=round(bar_w, 2),
                height=round(h, 2),
                date=str(d["date"]),
                scans=scans,
            )
        )
    every = max(1, math.ceil(n / 8))
    labels = [
        (round(LEFT + i * slot + slot / 2, 2), str(d["date"])[5:])
        for i, d in enumerate(days)
        if (n - 1 - i) % every == 0  # counted back from today, which always has one
    ]
    return Chart(
        width=width,
        height=height,
        left=LEFT,
        baseline=baseline,
        right_edge=float(width - RIGHT),
        top=top,
        top_y=float(TOP),
        bars=bars,
        labels=labels,
        total=sum(b.scans for b in bars),
    )
