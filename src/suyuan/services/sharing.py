"""What one tenant sees of another because the rules share it: a provider sees the bindings of
the stores subscribed to it; a warehouse sees the stores that linked it (R6, R18)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain import subscription as term
from suyuan.services.paging import Page, page


def provider_bindings(uow: UnitOfWork, provider_id: str, limit: int, cursor: str | None) -> Page:
    """Importer bindings registered with this provider, with the store and its subscription."""
    b, st, sub = s.importer_bindings, s.stores, s.subscriptions
    stmt = (
        select(b, st.c.name.label("store_name"), sub.c.expires_at)
        .join(st, st.c.id == b.c.store_id)
        .join(sub, (sub.c.store_id == b.c.store_id) & (sub.c.provider_id == b.c.provider_id))
        .where(b.c.provider_id == provider_id)
    )

    def shape(r: Any) -> dict[str, Any]:
        return {
            "id": r.id,
            "store_id": r.store_id,
            "store_name": r.store_name,
            "company_name": r.company_name,
            "importer_name": r.importer_name,
            "importer_code": r.importer_code,
            "created_at": r.created_at,
            "subscription_status": term.status(r.expires_at, uow.now),
        }

    return page(uow, stmt, b.c.id, limit, cursor, shape)


def warehouse_stores(uow: UnitOfWork, warehouse_id: str, limit: int, cursor: str | None) -> Page:
    """Stores that linked this warehouse, with their subscription status (R6)."""
    ln, st, sub = s.warehouse_links, s.stores, s.subscriptions
    stmt = (
        select(
            ln.c.id,
            ln.c.created_at.label("linked_at"),
            st.c.id.label("store_id"),
            st.c.name,
            sub.c.expires_at,
        )
        .join(st, st.c.id == ln.c.store_id)
        .outerjoin(sub, sub.c.store_id == ln.c.store_id)
        .where(ln.c.warehouse_id == warehouse_id)
    )

    def shape(r: Any) -> dict[str, Any]:
        status = "expired" if r.expires_at is None else term.status(r.expires_at, uow.now)
        return {
            "store_id": r.store_id,
            "name": r.name,
            "subscription_status": status,
            "expires_at": r.expires_at,
            "linked_at": r.linked_at,
        }

    return page(uow, stmt, ln.c.id, limit, cursor, shape)


def provider_code_requests(
    uow: UnitOfWork, provider_id: str, limit: int, cursor: str | None
) -> Page:
    """Code requests drawn from this provider's declarations (usage per declaration item)."""
    r, i, d = s.code_requests, s.declaration_items, s.declarations
    stmt = (
        select(r, i.c.item_no, i.c.quantity.label("declared"), i.c.issued, d.c.declaration_no)
        .join(i, i.c.id == r.c.declaration_item_id)
        .join(d, d.c.id == i.c.declaration_id)
        .where(d.c.provider_id == provider_id)
    )

    def shape(row: Any) -> dict[str, Any]:
        return {
            "id": row.id,
            "store_id": row.store_id,
            "warehouse_id": row.warehouse_id,
            "product_id": row.product_id,
            "declaration_no": row.declaration_no,
            "item_no": row.item_no,
            "quantity": row.quantity,
            "created_at": row.created_at,
            "item_usage": {
                "declared": row.declared,
                "issued": row.issued,
                "remaining": row.declared - row.issued,
            },
        }

    return page(uow, stmt, r.c.id, limit, cursor, shape)
