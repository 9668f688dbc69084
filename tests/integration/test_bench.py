"""The benchmarks can't rot: ``suyuan bench`` at tiny sizes, end to end (no timing asserted)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import CheckConstraint, ForeignKeyConstraint
from typer.testing import CliRunner

from suyuan.bench.p1 import floor_table
from suyuan.bench.run import Plan, judge, run
from suyuan.cli import app
from suyuan.db import schema as s

PG = os.environ.get("SUYUAN_TEST_POSTGRES_URL")
needs_pg = pytest.mark.skipif(not PG, reason="the benchmarks create PostgreSQL databases")


def test_the_floor_table_is_trace_codes_under_another_name() -> None:
    floor = floor_table()
    assert [(c.name, str(c.type), c.nullable, c.primary_key) for c in floor.columns] == [
        (c.name, str(c.type), c.nullable, c.primary_key) for c in s.trace_codes.columns
    ]
    assert sorted(tuple(c.name for c in i.columns) for i in floor.indexes) == sorted(
        tuple(c.name for c in i.columns) for i in s.trace_codes.indexes
    )
    fks = [c for c in floor.constraints if isinstance(c, ForeignKeyConstraint)]
    assert [fk.referred_table.name for fk in fks] == ["code_requests"]
    assert any(isinstance(c, CheckConstraint) for c in floor.constraints)
    assert floor.dialect_options["sqlite"]["with_rowid"] is False
    assert all("trace_codes" not in str(i.name) for i in floor.indexes)


def test_targets_are_judged_on_what_was_measured() -> None:
    verdicts = judge({"P2": {"ratio": 0.7, "p99_ms": 25.0}, "P3": {"median_ms": 12.0}})
    assert {v["figure"]: v["met"] for v in verdicts} == {
        "P2 ratio": True,
        "P2 p99 ms": False,
        "P3 median ms": True,
    }


@needs_pg
def test_every_benchmark_runs_at_tiny_sizes() -> None:
    assert PG is not None
    said: list[str] = []
    plan = Plan(PG, codes=2_000, seconds=1, connections=4, orders=3, units=4, growth=(1_000,))
    results = run(plan, said.append)
    for kind in ("sqlite", "postgresql"):
        p1 = results["P1"][kind]
        assert p1["codes"] == 2_000 and p1["ratio"] > 0 and p1["peak_rss_mb"] > 0
    p2 = results["P2"]
    assert p2["rps"] > 0 and p2["floor_rps"] > 0 and p2["errors"] == 0
    assert 0 < p2["p50_ms"] <= p2["p99_ms"]
    assert results["P3"]["orders"] == 3 and results["P3"]["median_ms"] > 0
    assert [row["codes"] for row in results["growth"]] == [1_000]
    assert len(results["targets"]) == 7 and len(said) == 5


@needs_pg
def test_the_command_writes_results_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    args = ["bench", "--only", "P3", "--orders", "2", "--units", "3", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--postgres-url", str(PG)])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["P3"]["orders"] == 2 and "P1" not in written
    assert "P3 shipping" in result.output
