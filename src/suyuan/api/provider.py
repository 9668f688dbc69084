"""Provider endpoints (provider key): declarations and the bindings of subscribed stores."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response

from suyuan.api.auth import Ctx, ProviderActor, org_id
from suyuan.api.schemas import Cursor, Limit
from suyuan.services import declarations, sharing
from suyuan.services.paging import Page

router = APIRouter(prefix="/provider", tags=["provider"])
DECLARATION_EXAMPLE = {  # SPEC §6
    "declaration_no": "223320261000012345",
    "trade_mode": "1210",
    "customs_port": "2233",
    "declare_date": "2026-11-02",
    "import_date": "2026-11-01",
    "importer": {"name": "上海海淘进出口有限公司", "code": "3122960ABC"},
    "overseas_consignor": "Kao Corporation",
    "trade_country": "JPN",
    "departure_country": "JPN",
    "items": [
        {
            "item_no": 1,
            "hs_code": "3304990099",
            "goods_name": "保湿面霜",
            "spec": "50g/瓶",
            "brand": "Curel",
            "origin_country": "JPN",
            "quantity": 1200,
            "unit": "瓶",
            "unit_price": "88.00",
            "currency": "CNY",
        }
    ],
}


@router.post(
    "/declarations",
    status_code=201,
    responses={200: {"model": dict[str, Any], "description": "Nothing new: all loaded before"}},
)
def load_declarations(
    response: Response,
    actor: ProviderActor,
    ctx: Ctx,
    body: Any = Body(
        ...,
        description="One declaration (SPEC §6) or a JSON array of them",
        examples=[DECLARATION_EXAMPLE],
    ),
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
