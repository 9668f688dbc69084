"""Loading a store's own objects; the one place store-scoped reads start from (R18)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain import subscription as term
from suyuan.domain.errors import DomainError, not_found


def load_store(uow: UnitOfWork, store_id: str, *, lock: bool = False) -> dict[str, Any]:
    """The store, or 404. ``lock`` serializes a store's onboarding writes on PostgreSQL the
    way ``BEGIN IMMEDIATE`` does on SQLite: check-then-insert steps and renewals can't race."""
    stmt = select(s.stores).where(s.stores.c.id == store_id)
    if lock and uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    row = uow.conn.execute(stmt).first()
    if row is None:
        raise not_found("store")
    return dict(row._mapping)


def load_subscription(uow: UnitOfWork, store_id: str) -> dict[str, Any] | None:
    """The store's subscription, whatever its status, or None."""
    row = uow.conn.execute(
        select(s.subscriptions).where(s.subscriptions.c.store_id == store_id)
    ).first()
    return None if row is None else dict(row._mapping)


def require_current_subscription(uow: UnitOfWork, store_id: str) -> dict[str, Any]:
    """The store's subscription if it has not expired, else 403 SUBSCRIPTION_EXPIRED (R6)."""
    sub = load_subscription(uow, store_id)
    if sub is None or term.status(sub["expires_at"], uow.now) == "expired":
        raise DomainError("SUBSCRIPTION_EXPIRED", 403)
    return sub


def load_product(uow: UnitOfWork, store_id: str, product_id: str) -> dict[str, Any]:
    """One of the store's products; another store's product is 404 as if it did not exist."""
    row = uow.conn.execute(
        select(s.products).where(s.products.c.id == product_id, s.products.c.store_id == store_id)
    ).first()
    if row is None:
        raise not_found("product")
    return dict(row._mapping)
