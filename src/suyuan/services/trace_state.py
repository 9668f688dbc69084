"""Reading what a product's trace status is derived from (R8–R14), for one or many products.

The status itself is never stored: ``domain.tracing.trace_status`` computes it from the attached
codes, the merchant's switch, ``activate_at``, the clock and the open abnormal orders.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import distinct, func, select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.tracing import ProductTrace, TraceStatus, trace_status


def code_counts(uow: UnitOfWork, product_ids: list[str]) -> dict[str, dict[str, int]]:
    """``{product_id: {issued, attached, shipped, voided}}`` in one grouped query."""
    t = s.trace_codes
    counts = {pid: dict.fromkeys(s.CODE_STATUSES, 0) for pid in product_ids}
    if product_ids:
        rows = uow.conn.execute(
            select(t.c.product_id, t.c.status, func.count())
            .where(t.c.product_id.in_(product_ids))
            .group_by(t.c.product_id, t.c.status)
        )
        for pid, status, n in rows:
            counts[pid][status] = n
    return counts


def abnormal_order_counts(uow: UnitOfWork, product_ids: list[str]) -> dict[str, int]:
    """How many orders have open problems on each product."""
    p = s.order_problems
    counts = dict.fromkeys(product_ids, 0)
    if product_ids:
        rows = uow.conn.execute(
            select(p.c.product_id, func.count(distinct(p.c.order_id)))
            .where(p.c.product_id.in_(product_ids))
            .group_by(p.c.product_id)
        )
        counts.update({str(pid): int(n) for pid, n in rows})
    return counts


def enrolled(uow: UnitOfWork, product_ids: list[str]) -> set[str]:
    """The products with at least one attached (or shipped) code.

    The rules only ask whether there is one, so this is one index probe per product with
    ``EXISTS``, not a count over a product's million codes on every shipment.
    """
    if not product_ids:
        return set()
    t, p = s.trace_codes, s.products
    has_code = (
        select(t.c.code)
        .where(t.c.product_id == p.c.id, t.c.status.in_(("attached", "shipped")))
        .exists()
    )
    return set(uow.conn.execute(select(p.c.id).where(p.c.id.in_(product_ids), has_code)).scalars())


def product_traces(uow: UnitOfWork, products: Iterable[dict[str, Any]]) -> dict[str, ProductTrace]:
    """The inputs of the status derivation for each product row (``attached_codes`` counts at
    most one: see ``enrolled``)."""
    rows = list(products)
    ids = [r["id"] for r in rows]
    with_codes = enrolled(uow, ids)
    abnormal = abnormal_order_counts(uow, ids)
    return {
        r["id"]: ProductTrace(
            attached_codes=int(r["id"] in with_codes),
            activation=r["activation"],
            activate_at=r["activate_at"],
            open_abnormal_orders=abnormal[r["id"]],
        )
        for r in rows
    }


def status_of(uow: UnitOfWork, product: dict[str, Any]) -> TraceStatus:
    """One product's trace status now."""
    return trace_status(product_traces(uow, [product])[product["id"]], uow.now)
