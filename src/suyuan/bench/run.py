"""Run the benchmarks, judge them against the targets of issue 8, write ``results.json``."""

from __future__ import annotations

import json
import os
import platform
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from suyuan.bench import p1, p2, p3
from suyuan.bench.world import fresh_database

Say = Callable[[str], None]


@dataclass(frozen=True)
class Plan:
    """What to measure, and how big."""

    postgres_url: str
    codes: int = 1_000_000
    seconds: float = 10
    connections: int = 64
    orders: int = 200
    units: int = 100
    growth: tuple[int, ...] = (100_000, 1_000_000)
    only: frozenset[str] = field(default_factory=lambda: frozenset({"P1", "P2", "P3", "growth"}))


# (figure, path in the results, comparison, bound): what issue 8 asks of each figure.
TARGETS: tuple[tuple[str, tuple[str, ...], str, float], ...] = (
    ("P1 SQLite ratio", ("P1", "sqlite", "ratio"), ">=", 0.5),
    ("P1 SQLite peak RSS MB", ("P1", "sqlite", "peak_rss_mb"), "<=", 300),
    ("P1 PostgreSQL ratio", ("P1", "postgresql", "ratio"), ">=", 0.5),
    ("P1 PostgreSQL peak RSS MB", ("P1", "postgresql", "peak_rss_mb"), "<=", 300),
    ("P2 ratio", ("P2", "ratio"), ">=", 0.6),
    ("P2 p99 ms", ("P2", "p99_ms"), "<=", 20),
    ("P3 median ms", ("P3", "median_ms"), "<=", 20),
)


def run(plan: Plan, say: Say) -> dict[str, Any]:
    """Every benchmark of ``plan``; the results as results.json holds them."""
    results: dict[str, Any] = {"machine": _machine(), "plan": _plan_view(plan)}
    with tempfile.TemporaryDirectory(prefix="suyuan-bench-") as tmp:
        workdir = Path(tmp)
        if "P1" in plan.only:
            results["P1"] = {}
            for kind in ("sqlite", "postgresql"):
                say(f"P1 issuance: {plan.codes:,} codes on {kind}, and the raw floor")
                with fresh_database(kind, workdir, plan.postgres_url) as url:
                    results["P1"][kind] = p1.measure(url, plan.codes).summary()
        if "P2" in plan.only:
            say(f"P2 scan: {plan.codes:,} codes stored, wrk {plan.connections} connections")
            results["P2"] = _p2(plan, workdir, plan.codes)
        if "P3" in plan.only:
            say(f"P3 shipping: {plan.orders} orders of {plan.units} units on postgresql")
            with fresh_database("postgresql", workdir, plan.postgres_url) as url:
                results["P3"] = p3.measure(url, plan.orders, plan.units).summary()
        if "growth" in plan.only:
            results["growth"] = _growth(plan, workdir, results, say)
    results["targets"] = judge(results)
    return results


def _p2(plan: Plan, workdir: Path, codes: int) -> dict[str, Any]:
    with fresh_database("postgresql", workdir, plan.postgres_url) as url:
        measured = p2.measure(
            url, codes, workdir, seconds=plan.seconds, connections=plan.connections
        )
    return measured.summary()


def _growth(plan: Plan, workdir: Path, results: dict[str, Any], say: Say) -> list[dict[str, Any]]:
    """P1 and P2 on PostgreSQL at each size (the main run's figures are reused at its size)."""
    rows = []
    for size in plan.growth:
        row: dict[str, Any] = {"codes": size}
        if size == plan.codes and "P1" in results and "P2" in results:
            row["P1"], row["P2"] = results["P1"]["postgresql"], results["P2"]
        else:
            say(f"growth: P1 and P2 at {size:,} codes on postgresql")
            with fresh_database("postgresql", workdir, plan.postgres_url) as url:
                row["P1"] = p1.measure(url, size).summary()
            row["P2"] = _p2(plan, workdir, size)
        rows.append(row)
    return rows


def judge(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value and whether it is met (absent figures are skipped)."""
    verdicts = []
    for name, path, op, bound in TARGETS:
        value: Any = results
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue
        met = value >= bound if op == ">=" else value <= bound
        verdicts.append({"figure": name, "value": value, "target": f"{op} {bound}", "met": met})
    return verdicts


def write(results: dict[str, Any], out: Path) -> None:
    """``results.json``, readable and stable for diffs."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _machine() -> dict[str, Any]:
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


def _plan_view(plan: Plan) -> dict[str, Any]:
    return {
        "codes": plan.codes,
        "wrk": {"seconds": plan.seconds, "connections": plan.connections},
        "orders": plan.orders,
        "units": plan.units,
        "growth": list(plan.growth),
    }
