"""What a warehouse reads for a store it serves (R6): bonded products, declaration items with
what is left, its own code requests and their codes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import not_found
from suyuan.services.access import act_for_store
from suyuan.services.issuance import request_view
from suyuan.services.paging import Page, page


def bonded_products(
    uow: UnitOfWork, warehouse_id: str, store_id: str, limit: int, cursor: str | None
) -> Page:
    """The store's bonded products (general goods cannot be traced, R4)."""
    act_for_store(uow, warehouse_id, store_id)
    p = s.products
    stmt = select(p).where(p.c.store_id == store_id, p.c.goods_type == "bonded")
    return page(uow, stmt, p.c.id, limit, cursor, lambda r: dict(r._mapping))


def declaration_items(
    uow: UnitOfWork, warehouse_id: str, store_id: str, limit: int, cursor: str | None
) -> Page:
    """Items of declarations the store may draw from (its bound importers, its provider)."""
    sub = act_for_store(uow, warehouse_id, store_id)
    d, i, b = s.declarations, s.declaration_items, s.importer_bindings
    bound = select(b.c.importer_code).where(
        b.c.store_id == store_id, b.c.provider_id == sub["provider_id"]
    )
    stmt = (
        select(i, d.c.declaration_no, d.c.import_date, d.c.customs_port)
        .join(d, d.c.id == i.c.declaration_id)
        .where(d.c.provider_id == sub["provider_id"], d.c.importer_code.in_(bound))
    )

    def shape(r: Any) -> dict[str, Any]:
        return {
            "id": r.id,
            "declaration_no": r.declaration_no,
            "item_no": r.item_no,
            "goods_name": r.goods_name,
            "hs_code": r.hs_code,
            "brand": r.brand,
            "origin_country": r.origin_country,
            "quantity": r.quantity,
            "issued": r.issued,
            "remaining": r.quantity - r.issued,
        }

    return page(uow, stmt, i.c.id, limit, cursor, shape)


def own_request(uow: UnitOfWork, warehouse_id: str, request_id: str) -> dict[str, Any]:
    """One of the warehouse's code requests (another's is 404), with its product and item;
    the store's subscription must still be current to work with it (R6)."""
    r, i, d, p = s.code_requests, s.declaration_items, s.declarations, s.products
    row = uow.conn.execute(
        select(r, i.c.item_no, d.c.declaration_no, p.c.title, p.c.gtin)
        .join(i, i.c.id == r.c.declaration_item_id)
        .join(d, d.c.id == i.c.declaration_id)
        .join(p, p.c.id == r.c.product_id)
        .where(r.c.id == request_id, r.c.warehouse_id == warehouse_id)
    ).first()
    if row is None:
        raise not_found("code_request")
    act_for_store(uow, warehouse_id, row.store_id)
    return {
        **request_view(row, row.declaration_no, row.item_no),
        "title": row.title,
        "gtin": row.gtin,
    }


def request_codes_page(
    uow: UnitOfWork, warehouse_id: str, request_id: str, limit: int, cursor: str | None
) -> Page:
    """The codes of a request, in code order, with their status."""
    own_request(uow, warehouse_id, request_id)
    t = s.trace_codes
    stmt = select(t.c.code, t.c.status, t.c.attached_at).where(t.c.code_request_id == request_id)
    return page(
        uow,
        stmt,
        t.c.code,
        limit,
        cursor,
        lambda r: {"code": r.code, "status": r.status, "attached_at": r.attached_at},
    )


def iter_request_codes(uow: UnitOfWork, request_id: str, batch: int = 10_000) -> Iterator[str]:
    """Every code of a request in code order, fetched in batches (for streamed outputs)."""
    t = s.trace_codes
    after = ""
    while True:
        rows = (
            uow.conn.execute(
                select(t.c.code)
                .where(t.c.code_request_id == request_id, t.c.code > after)
                .order_by(t.c.code)
                .limit(batch)
            )
            .scalars()
            .all()
        )
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1]


def request_codes_window(uow: UnitOfWork, request_id: str, offset: int, limit: int) -> list[str]:
    """``limit`` codes of a request from position ``offset`` in code order."""
    t = s.trace_codes
    return list(
        uow.conn.execute(
            select(t.c.code)
            .where(t.c.code_request_id == request_id)
            .order_by(t.c.code)
            .offset(offset)
            .limit(limit)
        ).scalars()
    )


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
