"""Warehouse endpoints (warehouse key)."""

from __future__ import annotations

from fastapi import APIRouter

from suyuan.api.auth import Ctx, WarehouseActor, org_id
from suyuan.api.schemas import Cursor, Limit
from suyuan.services import sharing
from suyuan.services.paging import Page

router = APIRouter(prefix="/warehouse", tags=["warehouse"])


@router.get("/stores")
def linked_stores(
    actor: WarehouseActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    """The stores that linked this warehouse, with their subscription status (R6)."""
    return ctx.read(lambda uow: sharing.warehouse_stores(uow, org_id(actor), limit, cursor))
