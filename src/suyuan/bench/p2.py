"""P2 scan: consumer lookups of random existing codes against a constant JSON endpoint.

Both are served by the same production server (one worker) in the same run, loaded by ``wrk``
with the same connections and duration; ``ratio = scan_rps / floor_rps``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from suyuan.bench import load
from suyuan.bench.p1 import issue_codes
from suyuan.bench.server import serving
from suyuan.bench.world import build_world, context_for

SAMPLE = 20_000
SCAN_PATH = "/api/v1/public/trace-codes/"
FLOOR_PATH = "/healthz"


@dataclass(frozen=True)
class P2Result:
    """Scan and floor loads of one run."""

    codes: int
    scan: load.Load
    floor: load.Load

    @property
    def ratio(self) -> float:
        """Scans per second as a share of the constant endpoint's requests per second."""
        return self.scan.rps / self.floor.rps

    def summary(self) -> dict[str, Any]:
        """What results.json keeps."""
        return {
            "ratio": round(self.ratio, 3),
            "rps": round(self.scan.rps),
            "p50_ms": round(self.scan.p50_ms, 2),
            "p99_ms": round(self.scan.p99_ms, 2),
            "codes": self.codes,
            "floor_rps": round(self.floor.rps),
            "floor_p99_ms": round(self.floor.p99_ms, 2),
            "errors": self.scan.non_2xx + self.scan.socket_errors + self.floor.non_2xx,
        }


def stock(url: str, n: int) -> list[str]:
    """Store ``n`` codes through the service; a random sample of them to scan."""
    ctx = context_for(url)
    world = build_world(ctx, declared=n + 1)
    issue_codes(url, world.__dict__, n)
    with ctx.engine.connect() as conn:
        if ctx.engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
        sample = conn.execute(
            text("SELECT code FROM trace_codes ORDER BY random() LIMIT :n"), {"n": SAMPLE}
        )
        codes = [str(c) for c in sample.scalars()]
    ctx.engine.dispose()
    return codes


def measure(url: str, n: int, workdir: Path, *, seconds: float, connections: int) -> P2Result:
    """Stock ``n`` codes, serve, warm up, then load the floor and the scan in turn."""
    codes = stock(url, n)
    scan_paths = [SCAN_PATH + c for c in codes]
    with serving(url, workdir) as base:
        for paths in ([FLOOR_PATH], scan_paths):  # warm-up: imports, pools, caches
            load.run(base, paths, workdir, seconds=1, connections=connections)
        floor = load.run(base, [FLOOR_PATH], workdir, seconds=seconds, connections=connections)
        scan = load.run(base, scan_paths, workdir, seconds=seconds, connections=connections)
    return P2Result(n, scan, floor)
