"""Public endpoints (no key): what the product page and consumers see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from suyuan.api.auth import Ctx
from suyuan.services import product_trace

router = APIRouter(prefix="/public", tags=["public"])


@router.get("/products/{product_id}")
def public_product(product_id: str, ctx: Ctx) -> dict[str, Any]:
    """The badge as the product page shows it: exactly while tracing is active (R10)."""
    return ctx.read(lambda uow: product_trace.public_view(uow, product_id))
