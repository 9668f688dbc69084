"""A store's product listings (the platform's catalog, stood in for here)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import Actor
from suyuan.domain.customs import gtin14
from suyuan.domain.errors import validation_error
from suyuan.ids import new_id
from suyuan.services import audit
from suyuan.services.paging import Page, page
from suyuan.services.stores import load_product, load_store


def create_product(
    uow: UnitOfWork,
    actor: Actor,
    store_id: str,
    *,
    title: str,
    goods_type: str,
    gtin: str | None,
    brand: str | None,
) -> dict[str, Any]:
    """A new listing; a GTIN must carry a valid check digit and is stored as GTIN-14."""
    load_store(uow, store_id)
    normalized: str | None = None
    if gtin is not None:
        normalized, error = gtin14(gtin, "gtin")
        if error:
            raise validation_error([error])
    row: dict[str, Any] = {
        "id": new_id("prd"),
        "store_id": store_id,
        "title": title,
        "goods_type": goods_type,
        "gtin": normalized,
        "brand": brand,
        "activation": "none",
        "activate_at": None,
        "created_at": uow.now,
    }
    uow.conn.execute(insert(s.products).values(row))
    audit.record(
        uow, actor, "product.created", ("product", row["id"]), after=row, store_id=store_id
    )
    return row


def get_product(uow: UnitOfWork, store_id: str, product_id: str) -> dict[str, Any]:
    """One of the store's products."""
    return load_product(uow, store_id, product_id)


def list_products(uow: UnitOfWork, store_id: str, limit: int, cursor: str | None) -> Page:
    """The store's products, oldest first."""
    stmt = select(s.products).where(s.products.c.store_id == store_id)
    return page(uow, stmt, s.products.c.id, limit, cursor, lambda r: dict(r._mapping))
