"""``suyuan bench``: the benchmarks of issue 8, as ratios against floors measured in the run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from suyuan.bench.run import Plan, run, write
from suyuan.bench.world import DEFAULT_POSTGRES
from suyuan.cli_support import console


def bench(
    codes: int = typer.Option(1_000_000, help="Codes issued (P1) and stored for scanning (P2)."),
    seconds: float = typer.Option(10, help="wrk duration per load (P2)."),
    connections: int = typer.Option(64, help="wrk connections (P2)."),
    orders: int = typer.Option(200, help="Orders shipped one by one (P3)."),
    units: int = typer.Option(100, help="Units (codes) per order (P3)."),
    growth: str = typer.Option(
        "100000,1000000", help="Sizes for the growth series (P1 and P2 on PostgreSQL)."
    ),
    with_10m: bool = typer.Option(False, "--with-10m", help="Add 10,000,000 to the growth series."),
    only: str = typer.Option("P1,P2,P3,growth", help="Which benchmarks to run."),
    postgres_url: str = typer.Option(
        os.environ.get("SUYUAN_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="A PostgreSQL server where fresh databases may be created and dropped.",
    ),
    out: Path = typer.Option(Path("bench/results.json"), help="Where the results go."),
) -> None:
    """Measure issuance, scans and shipping against floors measured in the same run."""
    sizes = [int(x) for x in growth.split(",") if x.strip()] + ([10_000_000] if with_10m else [])
    plan = Plan(
        postgres_url=postgres_url,
        codes=codes,
        seconds=seconds,
        connections=connections,
        orders=orders,
        units=units,
        growth=tuple(sizes),
        only=frozenset(x.strip() for x in only.split(",")),
    )

    def say(step: str) -> None:
        console.print(f"[bold]▶[/bold] {step}")

    with console.status("基准测试中 benchmarking…"):
        results = run(plan, say)
    write(results, out)
    console.print(_table(results))
    console.print(f"results written to {out}")


def _table(results: dict[str, Any]) -> Table:
    table = Table("figure", "measured", "floor / note", "target", "met", title="suyuan bench")
    for kind in ("sqlite", "postgresql"):
        r = results.get("P1", {}).get(kind)
        if r:
            table.add_row(
                f"P1 issuance {kind}",
                f"ratio {r['ratio']:.2f} · {r['codes_per_s']:,} codes/s · {r['peak_rss_mb']} MB",
                f"raw insert {r['floor_seconds']:.2f} s vs service {r['service_seconds']:.2f} s",
                *_verdict(results, f"P1 {'SQLite' if kind == 'sqlite' else 'PostgreSQL'} ratio"),
            )
    if "P2" in results:
        r = results["P2"]
        table.add_row(
            "P2 scan",
            f"ratio {r['ratio']:.2f} · {r['rps']:,} req/s · "
            f"p50 {r['p50_ms']} ms · p99 {r['p99_ms']} ms",
            f"constant endpoint {r['floor_rps']:,} req/s",
            *_verdict(results, "P2 ratio"),
        )
    if "P3" in results:
        r = results["P3"]
        table.add_row(
            "P3 shipping",
            f"median {r['median_ms']} ms · p95 {r['p95_ms']} ms",
            f"{r['orders']} orders × {r['units_per_order']} units",
            *_verdict(results, "P3 median ms"),
        )
    for row in results.get("growth", []):
        table.add_row(
            f"growth {row['codes']:,} codes",
            f"P1 ratio {row['P1']['ratio']:.2f} · P2 {row['P2']['rps']:,} req/s "
            f"(ratio {row['P2']['ratio']:.2f}, p99 {row['P2']['p99_ms']} ms)",
            "PostgreSQL",
            "",
            "",
        )
    return table


def _verdict(results: dict[str, Any], figure: str) -> tuple[str, str]:
    for v in results.get("targets", []):
        if v["figure"] == figure:
            return v["target"], "✓" if v["met"] else "✗"
    return "", ""
