"""The store's view of its products under tracing, and the public badge (R8–R10)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.epcis import CodeLife, code_epc, epcis_document
from suyuan.domain.errors import not_found
from suyuan.domain.tracing import badge, trace_status
from suyuan.services.paging import Page, page
from suyuan.services.scans import parse_code
from suyuan.services.stores import load_product
from suyuan.services.trace_state import abnormal_order_counts, code_counts, product_traces

BADGE_LABEL = "正品溯源保障"


def list_products(uow: UnitOfWork, store_id: str, limit: int, cursor: str | None) -> Page:
    """Each product with status, badge, codes by status and open abnormal orders: three
    queries for the whole page, whatever its size."""
    p = s.products
    result = page(
        uow,
        select(p).where(p.c.store_id == store_id),
        p.c.id,
        limit,
        cursor,
        lambda r: dict(r._mapping),
    )
    rows = result["items"]
    ids = [r["id"] for r in rows]
    traces = product_traces(uow, rows)
    counts = code_counts(uow, ids)
    abnormal = abnormal_order_counts(uow, ids)
    items = []
    for r in rows:
        status = trace_status(traces[r["id"]], uow.now)
        items.append(
            {
                "product_id": r["id"],
                "title": r["title"],
                "goods_type": r["goods_type"],
                "trace_status": status,
                "activate_at": r["activate_at"],
                "badge": badge(status),
                "codes": counts[r["id"]],
                "abnormal_orders": abnormal[r["id"]],
            }
        )
    return {"items": items, "next_cursor": result["next_cursor"]}


def codes(
    uow: UnitOfWork,
    store_id: str,
    product_id: str,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> Page:
    """查看明细: every code of the product with where it came from and where it went."""
    load_product(uow, store_id, product_id)
    t, i, d = s.trace_codes, s.declaration_items, s.declarations
    stmt = (
        select(t, i.c.item_no, d.c.declaration_no)
        .join(i, i.c.id == t.c.declaration_item_id)
        .join(d, d.c.id == i.c.declaration_id)
        .where(t.c.product_id == product_id, t.c.store_id == store_id)
    )
    if status:
        stmt = stmt.where(t.c.status == status)
    return page(
        uow,
        stmt,
        t.c.code,
        limit,
        cursor,
        lambda r: {
            "code": r.code,
            "status": r.status,
            "code_request_id": r.code_request_id,
            "declaration_no": r.declaration_no,
            "item_no": r.item_no,
            "attached_at": r.attached_at,
            "order_id": r.order_id,
            "shipped_at": r.shipped_at,
            "voided_at": r.voided_at,
            "scan_count": r.scan_count,
        },
    )


def public_view(uow: UnitOfWork, product_id: str) -> dict[str, Any]:
    """What the product page shows: the badge exactly while ``trace_status`` is active."""
    row = uow.conn.execute(select(s.products).where(s.products.c.id == product_id)).first()
    if row is None:
        raise not_found("product")
    product = dict(row._mapping)
    status = trace_status(product_traces(uow, [product])[product_id], uow.now)
    return {
        "id": product_id,
        "title": product["title"],
        "brand": product["brand"],
        "badge": badge(status),
        "badge_label": BADGE_LABEL,
    }


def code_epcis(uow: UnitOfWork, store_id: str, raw_code: str, public_url: str) -> dict[str, Any]:
    """The code's life as an EPCIS 2.0 document (another store's code is 404)."""
    code = parse_code(raw_code)
    t, r, w, i, d, p = (
        s.trace_codes,
        s.code_requests,
        s.warehouses,
        s.declaration_items,
        s.declarations,
        s.products,
    )
    row = uow.conn.execute(
        select(
            t,
            r.c.created_at.label("issued_at"),
            r.c.warehouse_id,
            w.c.name.label("warehouse_name"),
            p.c.gtin,
            i.c.item_no,
            d.c.declaration_no,
        )
        .join(r, r.c.id == t.c.code_request_id)
        .join(w, w.c.id == r.c.warehouse_id)
        .join(p, p.c.id == t.c.product_id)
        .join(i, i.c.id == t.c.declaration_item_id)
        .join(d, d.c.id == i.c.declaration_id)
        .where(t.c.code == code, t.c.store_id == store_id)
    ).first()
    if row is None:
        raise not_found("trace_code")
    life = CodeLife(
        code=code,
        epc=code_epc(public_url, code, row.gtin),
        issued_at=row.issued_at,
        attached_at=row.attached_at,
        shipped_at=row.shipped_at,
        order_id=row.order_id,
        voided_at=row.voided_at,
        void_reason=row.void_reason,
        warehouse_id=row.warehouse_id,
        warehouse_name=row.warehouse_name,
        store_id=store_id,
        declaration_no=row.declaration_no,
        item_no=row.item_no,
        public_url=public_url,
    )
    return epcis_document(life, uow.now)
