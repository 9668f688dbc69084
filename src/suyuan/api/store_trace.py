"""Store endpoints of the trace service in use (store key): products' status and codes,
activation, orders, shipment, correction and abnormal orders (R8–R15)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from suyuan.api.auth import Ctx, StoreActor, org_id
from suyuan.api.schemas import (
    ActivationCreate,
    CorrectionUpload,
    Cursor,
    Limit,
    OrderCreate,
    ShipmentCreate,
    ShipmentLine,
)
from suyuan.services import activation, orders, product_trace, scan_analytics, shipping
from suyuan.services.paging import Page

router = APIRouter(prefix="/store", tags=["store"])
CodeStatus = Literal["issued", "attached", "shipped", "voided"]


@router.get("/trace/products")
def trace_products(actor: StoreActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None) -> Page:
    """Each product's trace status, badge, code counts and open abnormal orders."""
    return ctx.read(lambda uow: product_trace.list_products(uow, org_id(actor), limit, cursor))


@router.get("/trace/products/{product_id}/codes")
def product_codes(
    product_id: str,
    actor: StoreActor,
    ctx: Ctx,
    status: Annotated[CodeStatus | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page:
    """The product's codes with request, declaration, attachment, order and scans."""
    return ctx.read(
        lambda uow: product_trace.codes(uow, org_id(actor), product_id, status, limit, cursor)
    )


@router.post("/trace/products/{product_id}/activation")
def activate(
    product_id: str, actor: StoreActor, ctx: Ctx, body: ActivationCreate | None = None
) -> dict[str, Any]:
    """立即生效 (no ``at``) or 定时生效 at a future time (R9)."""
    at = body.at if body else None
    return ctx.write(lambda uow: activation.activate(uow, actor, org_id(actor), product_id, at))


@router.delete("/trace/products/{product_id}/activation")
def stop(product_id: str, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """停止生效: badge off and shipping rule lifted at once (R14)."""
    return ctx.write(lambda uow: activation.stop(uow, actor, org_id(actor), product_id))


@router.get("/trace/scan-alerts")
def scan_alerts(actor: StoreActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None) -> Page:
    """Codes whose scans look wrong: before shipping, after voiding, too often, or from 3+
    networks within 24 hours (clone suspicion)."""
    return ctx.read(
        lambda uow: scan_analytics.alerts(
            uow, org_id(actor), ctx.settings.scan_warn_after, limit, cursor
        )
    )


@router.get("/trace/products/{product_id}/scans")
def product_scans(
    product_id: str, actor: StoreActor, ctx: Ctx, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> dict[str, Any]:
    """Scans per day (China time) of the product's codes, for charts."""
    return ctx.read(lambda uow: scan_analytics.scans_per_day(uow, org_id(actor), product_id, days))


class JSONLDResponse(JSONResponse):
    """JSON-LD: so the OpenAPI document gives the media type the answer has."""

    media_type = "application/ld+json"


@router.get("/trace/codes/{code}/epcis", response_class=JSONLDResponse)
def code_epcis(code: str, actor: StoreActor, ctx: Ctx) -> JSONLDResponse:
    """The code's life as a GS1 EPCIS 2.0 JSON-LD document, for brands and customs tools."""
    document = ctx.read(
        lambda uow: product_trace.code_epcis(uow, org_id(actor), code, ctx.settings.public_url)
    )
    return JSONLDResponse(document)


@router.get("/trace/abnormal-orders")
def abnormal_orders(actor: StoreActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None) -> Page:
    """Orders shipped with wrong codes, each wrong code with its reason (R12)."""
    return ctx.read(lambda uow: orders.abnormal_orders(uow, org_id(actor), limit, cursor))


@router.post("/orders", status_code=201)
def create_order(body: OrderCreate, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """A paid order (stands in for the platform's order system)."""
    items = [(i.product_id, i.quantity) for i in body.items]
    return ctx.write(lambda uow: orders.create_order(uow, actor, org_id(actor), items))


@router.get("/orders/{order_id}")
def get_order(order_id: str, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """The order, its lines with the codes bound to them, and open problems."""
    return ctx.read(lambda uow: orders.order_view(uow, org_id(actor), order_id))


def _lines(lines: list[ShipmentLine]) -> list[shipping.RequestLine]:
    return [(ln.product_id, ln.trace_codes) for ln in lines]


@router.post("/orders/{order_id}/shipment")
def ship(order_id: str, body: ShipmentCreate, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """发货 with each unit's code where the product's tracing is active (R11, R12)."""
    return ctx.write(
        lambda uow: shipping.ship(
            uow, actor, org_id(actor), order_id, body.tracking_no, _lines(body.lines)
        )
    )


@router.put("/orders/{order_id}/trace-codes")
def correct(order_id: str, body: CorrectionUpload, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """Re-upload the codes of an abnormal order's lines (R13)."""
    return ctx.write(
        lambda uow: shipping.correct(uow, actor, org_id(actor), order_id, _lines(body.lines))
    )
