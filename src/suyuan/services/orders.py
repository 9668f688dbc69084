"""Orders (the platform's order system, stood in for here) and their trace view."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import Actor
from suyuan.domain.errors import FieldError, not_found, validation_error
from suyuan.ids import new_id
from suyuan.services import audit
from suyuan.services.paging import Page, page


def create_order(
    uow: UnitOfWork, actor: Actor, store_id: str, items: list[tuple[str, int]]
) -> dict[str, Any]:
    """A paid order of the store's own products, one line per product."""
    errors: list[FieldError] = []
    owned = set(
        uow.conn.execute(
            select(s.products.c.id).where(
                s.products.c.store_id == store_id, s.products.c.id.in_([pid for pid, _ in items])
            )
        ).scalars()
    )
    seen: set[str] = set()
    for i, (pid, _) in enumerate(items):
        if pid not in owned:
            errors.append(FieldError(f"items[{i}].product_id", "error.product_id.unknown"))
        elif pid in seen:
            errors.append(FieldError(f"items[{i}].product_id", "error.product_id.repeated"))
        seen.add(pid)
    if errors:
        raise validation_error(errors)
    order: dict[str, Any] = {
        "id": new_id("ord"),
        "store_id": store_id,
        "status": "paid",
        "created_at": uow.now,
    }
    uow.conn.execute(insert(s.orders).values(order))
    uow.conn.execute(
        insert(s.order_lines),
        [
            {
                "id": new_id("oln"),
                "order_id": order["id"],
                "line_no": n,
                "product_id": pid,
                "quantity": qty,
            }
            for n, (pid, qty) in enumerate(items, 1)
        ],
    )
    audit.record(
        uow,
        actor,
        "order.created",
        ("order", order["id"]),
        after={"status": "paid", "items": [list(x) for x in items]},
        store_id=store_id,
    )
    return order_view(uow, store_id, order["id"])


def load_order(uow: UnitOfWork, store_id: str, order_id: str, *, lock: bool = False) -> Any:
    """The store's order (another store's is 404); locked for update on PostgreSQL if asked."""
    stmt = select(s.orders).where(s.orders.c.id == order_id, s.orders.c.store_id == store_id)
    if lock and uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    row = uow.conn.execute(stmt).first()
    if row is None:
        raise not_found("order")
    return row


def order_lines(uow: UnitOfWork, order_id: str) -> list[Any]:
    """The order's lines in order."""
    return list(
        uow.conn.execute(
            select(s.order_lines)
            .where(s.order_lines.c.order_id == order_id)
            .order_by(s.order_lines.c.line_no)
        )
    )


def problems(uow: UnitOfWork, order_id: str) -> list[dict[str, str]]:
    """The open problems of an order: each wrong code and why (R12)."""
    p = s.order_problems
    rows = uow.conn.execute(
        select(p.c.product_id, p.c.code, p.c.reason)
        .where(p.c.order_id == order_id)
        .order_by(p.c.id)
    )
    return [{"product_id": r.product_id, "code": r.code, "reason": r.reason} for r in rows]


def order_view(uow: UnitOfWork, store_id: str, order_id: str) -> dict[str, Any]:
    """The order with its lines, the codes bound to each, and its open problems."""
    order = load_order(uow, store_id, order_id)
    t = s.trace_codes
    bound: dict[str, list[str]] = {}
    for code, pid in uow.conn.execute(
        select(t.c.code, t.c.product_id).where(t.c.order_id == order_id).order_by(t.c.code)
    ):
        bound.setdefault(pid, []).append(code)
    return {
        "id": order.id,
        "status": order.status,
        "trace_status": order.trace_status,
        "tracking_no": order.tracking_no,
        "created_at": order.created_at,
        "shipped_at": order.shipped_at,
        "items": [
            {
                "product_id": ln.product_id,
                "quantity": ln.quantity,
                "codes_required": ln.codes_required,
                "trace_codes": bound.get(ln.product_id, []),
            }
            for ln in order_lines(uow, order_id)
        ],
        "problems": problems(uow, order_id),
    }


def abnormal_orders(uow: UnitOfWork, store_id: str, limit: int, cursor: str | None) -> Page:
    """The store's abnormal orders, each with its wrong codes and reasons."""
    o = s.orders
    stmt = select(o.c.id, o.c.shipped_at).where(
        o.c.store_id == store_id, o.c.trace_status == "abnormal"
    )
    return page(
        uow,
        stmt,
        o.c.id,
        limit,
        cursor,
        lambda r: {"order_id": r.id, "shipped_at": r.shipped_at, "problems": problems(uow, r.id)},
    )


def recent_orders(uow: UnitOfWork, store_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """The store's latest orders, newest first, for the console's order list."""
    o = s.orders
    rows = uow.conn.execute(
        select(o).where(o.c.store_id == store_id).order_by(o.c.id.desc()).limit(limit)
    )
    return [dict(r._mapping) for r in rows]
