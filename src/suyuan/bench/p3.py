"""P3 shipping: orders of ``units`` units, each shipped with its units' codes, timed one by one.

Each shipment runs ``shipping.ship`` in its own transaction exactly as the API's handler does
(lock the order, check every code, bind them, mark them shipped), on an active product whose
codes are attached — the case a busy store's order flow is made of.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import select, text

from suyuan.bench.p1 import issue_codes
from suyuan.bench.world import build_world, context_for
from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.services import activation, attachments, orders, shipping


@dataclass(frozen=True)
class P3Result:
    """Per-shipment times in milliseconds."""

    units: int
    times_ms: list[float]

    def summary(self) -> dict[str, Any]:
        """What results.json keeps."""
        ordered = sorted(self.times_ms)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return {
            "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(p95, 2),
            "orders": len(ordered),
            "units_per_order": self.units,
        }


def measure(url: str, n_orders: int, units: int) -> P3Result:
    """Stock, attach and activate; create ``n_orders`` orders; time shipping each."""
    ctx = context_for(url)
    world = build_world(ctx, declared=n_orders * units + 1)
    issue_codes(url, world.__dict__, n_orders * units)
    t = s.trace_codes
    codes = ctx.read(
        lambda uow: [
            str(c)
            for c in uow.conn.execute(
                select(t.c.code).where(t.c.product_id == world.product_id).order_by(t.c.code)
            ).scalars()
        ]
    )
    for start in range(0, len(codes), attachments.MAX_BATCH):
        batch = codes[start : start + attachments.MAX_BATCH]
        ctx.write(partial(attachments.attach, actor=world.warehouse, raw_codes=batch))
    _analyze(ctx)
    store, product = world.store_id, world.product_id
    ctx.write(lambda uow: activation.activate(uow, world.store, store, product, None))
    order_ids = [
        str(
            ctx.write(lambda uow: orders.create_order(uow, world.store, store, [(product, units)]))[
                "id"
            ]
        )
        for _ in range(n_orders)
    ]
    times: list[float] = []
    outcomes: set[str] = set()
    for k, order_id in enumerate(order_ids):
        mine = codes[k * units : (k + 1) * units]
        started = time.perf_counter()
        shipped = ctx.write(
            partial(
                shipping.ship,
                actor=world.store,
                store_id=store,
                order_id=order_id,
                tracking_no=f"SF{k:010d}",
                request=[(product, mine)],
            )
        )
        times.append((time.perf_counter() - started) * 1000)
        outcomes.add(shipped["trace_status"])
    if outcomes != {"ok"}:  # every shipment must have been the normal case that is measured
        raise RuntimeError(f"shipments ended {sorted(outcomes)}, expected all ok")
    ctx.engine.dispose()
    return P3Result(units, times)


def _analyze(ctx: Context) -> None:
    """Fresh statistics, as autovacuum keeps them on a running database: right after a bulk
    load the planner would otherwise guess the code table empty and scan it whole."""
    with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
