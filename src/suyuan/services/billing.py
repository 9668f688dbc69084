"""Fees (R16): every code request is a charge of quantity × the per-code fee of its moment.
Monthly bills per store and the platform's statements; months are China months (UTC+8)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import FieldError, validation_error

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def month_bounds(month: str | None, now: datetime) -> tuple[str, datetime, datetime]:
    """``YYYY-MM`` (default: this China month) → its start and end as UTC instants."""
    if month is None:
        month = now.astimezone(CHINA).strftime("%Y-%m")
    try:
        start = datetime.strptime(month + "-01", "%Y-%m-%d").replace(tzinfo=CHINA)
    except ValueError:
        raise validation_error([FieldError("month", "error.month.format")]) from None
    end = (start + timedelta(days=32)).replace(day=1)
    return month, start.astimezone(UTC), end.astimezone(UTC)


def _lines(uow: UnitOfWork, start: datetime, end: datetime, store_id: str | None) -> list[Any]:
    r, i, d = s.code_requests, s.declaration_items, s.declarations
    stmt = (
        select(r, i.c.item_no, d.c.declaration_no)
        .join(i, i.c.id == r.c.declaration_item_id)
        .join(d, d.c.id == i.c.declaration_id)
        .where(r.c.created_at >= start, r.c.created_at < end)
        .order_by(r.c.created_at, r.c.id)
    )
    if store_id is not None:
        stmt = stmt.where(r.c.store_id == store_id)
    return list(uow.conn.execute(stmt))


def _line(row: Any) -> dict[str, Any]:
    return {
        "code_request_id": row.id,
        "created_at": row.created_at,
        "warehouse_id": row.warehouse_id,
        "product_id": row.product_id,
        "declaration_no": row.declaration_no,
        "item_no": row.item_no,
        "quantity": row.quantity,
        "per_code_fee_fen": row.per_code_fee_fen,
        "charge_fen": row.charge_fen,
    }


def store_bill(uow: UnitOfWork, store_id: str, month: str | None) -> dict[str, Any]:
    """The store's charges of one China month and their total."""
    month, start, end = month_bounds(month, uow.now)
    lines = [_line(r) for r in _lines(uow, start, end, store_id)]
    return {
        "month": month,
        "store_id": store_id,
        "lines": lines,
        "total_fen": sum(x["charge_fen"] for x in lines),
    }


def statements(uow: UnitOfWork, month: str | None) -> dict[str, Any]:
    """Every store's bill of one China month, and the platform total."""
    month, start, end = month_bounds(month, uow.now)
    names = dict(uow.conn.execute(select(s.stores.c.id, s.stores.c.name)).tuples().all())
    stores: dict[str, dict[str, Any]] = {}
    for row in _lines(uow, start, end, None):
        bill = stores.setdefault(
            row.store_id,
            {
                "store_id": row.store_id,
                "name": names.get(row.store_id),
                "lines": [],
                "total_fen": 0,
            },
        )
        bill["lines"].append(_line(row))
        bill["total_fen"] += row.charge_fen
    items = sorted(stores.values(), key=lambda b: b["store_id"])
    return {"month": month, "stores": items, "total_fen": sum(b["total_fen"] for b in items)}


CSV_HEADER = (
    "store_id",
    "store_name",
    "code_request_id",
    "created_at",
    "warehouse_id",
    "product_id",
    "declaration_no",
    "item_no",
    "quantity",
    "per_code_fee_fen",
    "charge_fen",
)


def csv_rows(bills: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    """Statement lines as CSV rows (header first, one total row per store)."""
    yield CSV_HEADER
    for bill in bills:
        for x in bill["lines"]:
            yield (
                bill["store_id"],
                bill.get("name") or "",
                x["code_request_id"],
                x["created_at"].astimezone(CHINA).isoformat(),
                x["warehouse_id"],
                x["product_id"],
                x["declaration_no"],
                x["item_no"],
                x["quantity"],
                x["per_code_fee_fen"],
                x["charge_fen"],
            )
        yield (
            bill["store_id"],
            bill.get("name") or "",
            "TOTAL",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            bill["total_fen"],
        )
