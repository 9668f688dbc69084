"""The one list the warehouse console needs that the services do not offer yet: the
warehouse's own code requests, newest first. (It belongs in ``services.warehouse_view``; it
lives here until that module gains it.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.services.paging import Page


def own_requests(uow: UnitOfWork, warehouse_id: str, limit: int, cursor: str | None) -> Page:
    """This warehouse's code requests, newest first, with store, product and item (R18: only
    its own). ``cursor`` is the last ID of the previous page."""
    r, st, p, i, d = (
        s.code_requests,
        s.stores,
        s.products,
        s.declaration_items,
        s.declarations,
    )
    stmt = (
        select(
            r,
            st.c.name.label("store_name"),
            p.c.title,
            i.c.item_no,
            i.c.goods_name,
            d.c.declaration_no,
        )
        .join(st, st.c.id == r.c.store_id)
        .join(p, p.c.id == r.c.product_id)
        .join(i, i.c.id == r.c.declaration_item_id)
        .join(d, d.c.id == i.c.declaration_id)
        .where(r.c.warehouse_id == warehouse_id)
    )
    if cursor:
        stmt = stmt.where(r.c.id < cursor)
    rows = uow.conn.execute(stmt.order_by(r.c.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items: list[dict[str, Any]] = [dict(row._mapping) for row in rows]
    return {"items": items, "next_cursor": rows[-1].id if more and rows else None}
