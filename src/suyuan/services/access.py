"""What a warehouse may do for a store (R6): only for stores that linked it, and only while the
store's subscription is current. The one place these checks live."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import DomainError
from suyuan.services.stores import load_store, require_current_subscription


def require_linked(uow: UnitOfWork, warehouse_id: str, store_id: str) -> None:
    """403 WAREHOUSE_NOT_LINKED unless the store linked this warehouse."""
    link = uow.conn.execute(
        select(s.warehouse_links.c.id).where(
            s.warehouse_links.c.store_id == store_id,
            s.warehouse_links.c.warehouse_id == warehouse_id,
        )
    ).first()
    if link is None:
        raise DomainError("WAREHOUSE_NOT_LINKED", 403)


def act_for_store(uow: UnitOfWork, warehouse_id: str, store_id: str) -> dict[str, Any]:
    """The store's subscription, after checking the link and that it is current (R6)."""
    require_linked(uow, warehouse_id, store_id)
    load_store(uow, store_id)
    return require_current_subscription(uow, store_id)
