"""Provider endpoints (provider key): declarations and the bindings of subscribed stores."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response

from suyuan.api.auth import Ctx, ProviderActor, org_id
from suyuan.api.schemas import Cursor, Limit
from suyuan.services import declarations, sharing
from suyuan.services.paging import Page

router = APIRouter(prefix="/provider", tags=["provider"])


@router.post("/declarations")
def load_declarations(
    response: Response,
    actor: ProviderActor,
    ctx: Ctx,
    body: Any = Body(..., description="One declaration (SPEC §6) or a JSON array of them"),
) -> dict[str, Any]:
    """Load customs declarations; all or nothing. 201 when something new was stored, else 200."""
    result = ctx.write(lambda uow: declarations.load(uow, actor, org_id(actor), body))
    response.status_code = 201 if result["loaded"] else 200
    return result


@router.get("/declarations")
def list_declarations(
    actor: ProviderActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    """The provider's declarations with how much of each item has been issued."""
    return ctx.read(lambda uow: declarations.list_for_provider(uow, org_id(actor), limit, cursor))


@router.get("/bindings")
def list_bindings(actor: ProviderActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None) -> Page:
    """Importer bindings of the stores subscribed to this provider."""
    return ctx.read(lambda uow: sharing.provider_bindings(uow, org_id(actor), limit, cursor))


@router.get("/code-requests")
def list_code_requests(
    actor: ProviderActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    """Code requests drawn from this provider's declarations, with each item's usage."""
    return ctx.read(lambda uow: sharing.provider_code_requests(uow, org_id(actor), limit, cursor))
