"""Store endpoints (store key): products, onboarding, subscription, bindings, warehouses."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from suyuan.api.auth import Ctx, StoreActor, org_id
from suyuan.api.outputs import csv_response
from suyuan.api.problems import request_lang
from suyuan.api.schemas import (
    Cursor,
    ImporterBindingCreate,
    Limit,
    Month,
    ProductCreate,
    SubscriptionCreate,
    WarehouseLinkCreate,
)
from suyuan.domain import subscription as term
from suyuan.i18n import translate
from suyuan.services import accounts, audit, billing, guide, onboarding, products
from suyuan.services.paging import Page

router = APIRouter(prefix="/store", tags=["store"])


@router.post("/products", status_code=201)
def create_product(body: ProductCreate, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """Create a listing (``bonded`` goods can be traced; ``general`` ones cannot, R4)."""
    return ctx.write(
        lambda uow: products.create_product(
            uow,
            actor,
            org_id(actor),
            title=body.title,
            goods_type=body.goods_type,
            gtin=body.gtin,
            brand=body.brand,
        )
    )


@router.get("/products")
def list_products(actor: StoreActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None) -> Page:
    """The store's listings."""
    return ctx.read(lambda uow: products.list_products(uow, org_id(actor), limit, cursor))


@router.get("/products/{product_id}")
def get_product(product_id: str, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """One listing of the store (another store's is 404)."""
    return ctx.read(lambda uow: products.get_product(uow, org_id(actor), product_id))


@router.get("/trace")
def trace_overview(request: Request, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """正品溯源 overview: availability, onboarding step, subscription and notices (R7)."""
    view = ctx.read(lambda uow: onboarding.overview(uow, org_id(actor)))
    lang = request_lang(request)
    for notice in view["notices"]:
        notice["message"] = translate(f"notice.{notice['code']}", lang, notice)
    if not view["available"]:
        view["message"] = translate("error.NOT_IN_PILOT", lang)
    return view


@router.post("/trace/open")
def open_trace(actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """① 立即开通 (pilot stores only, R1)."""
    return ctx.write(lambda uow: onboarding.open_service(uow, actor, org_id(actor)))


@router.get("/trace/providers")
def trace_providers(
    actor: StoreActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> dict[str, Any]:
    """The providers a store can authorize, each with its one plan."""
    plan = {"plan": term.PLAN, "price_fen": term.PLAN_PRICE_FEN, "term": "P1Y"}
    found = ctx.read(lambda uow: accounts.list_orgs(uow, "provider", limit, cursor))
    items = [{"id": p["id"], "name": p["name"], "plans": [plan]} for p in found["items"]]
    return {"items": items, "next_cursor": found["next_cursor"]}


@router.post("/trace/subscription", status_code=201)
def subscribe(body: SubscriptionCreate, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """② 服务商授权: 0 元订购 标准版-一年."""
    return ctx.write(
        lambda uow: onboarding.subscribe(uow, actor, org_id(actor), body.provider_id, body.plan)
    )


@router.post("/trace/subscription/renew")
def renew(actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """续期, free: +1 year from the later of now and the old expiry (R7)."""
    return ctx.write(lambda uow: onboarding.renew(uow, actor, org_id(actor)))


@router.post("/trace/importer-bindings", status_code=201)
def bind_importer(body: ImporterBindingCreate, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """③ 绑定进出口收发货人 and the store's company name (R3)."""
    return ctx.write(
        lambda uow: onboarding.bind_importer(
            uow, actor, org_id(actor), body.importer_name, body.importer_code, body.company_name
        )
    )


@router.get("/trace/importer-bindings")
def list_bindings(actor: StoreActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None) -> Page:
    """The store's importer bindings."""
    return ctx.read(lambda uow: onboarding.bindings(uow, org_id(actor), limit, cursor))


@router.post("/trace/warehouses", status_code=201)
def link_warehouse(body: WarehouseLinkCreate, actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """④ 引导保税仓: link a bonded warehouse so it can act for the store (R6)."""
    return ctx.write(
        lambda uow: onboarding.link_warehouse(uow, actor, org_id(actor), body.warehouse_id)
    )


@router.get("/trace/warehouses")
def list_links(actor: StoreActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None) -> Page:
    """The warehouses the store linked."""
    return ctx.read(lambda uow: onboarding.links(uow, org_id(actor), limit, cursor))


@router.get(
    "/trace/warehouse-guide.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}},
        409: {"description": "Onboarding is not complete yet (ONBOARDING_INCOMPLETE)."},
    },
)
def warehouse_guide(actor: StoreActor, ctx: Ctx, warehouse_id: str | None = None) -> Response:
    """详细操作说明 for the warehouse, as a PDF in Chinese (once a warehouse is linked)."""
    pdf = ctx.read(
        lambda uow: guide.warehouse_guide_pdf(
            uow, org_id(actor), warehouse_id, ctx.settings.public_url
        )
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": "attachment; filename*=UTF-8''suyuan-warehouse-guide.pdf"},
    )


@router.post("/trace/onboarding/complete")
def complete(actor: StoreActor, ctx: Ctx) -> dict[str, Any]:
    """⑤ 已完成,开始使用 (needs every earlier step, R2)."""
    return ctx.write(lambda uow: onboarding.complete(uow, actor, org_id(actor)))


@router.get("/trace/bills")
def bill(actor: StoreActor, ctx: Ctx, month: Month = None) -> dict[str, Any]:
    """The store's charges of one month (China time) and their total (R16)."""
    return ctx.read(lambda uow: billing.store_bill(uow, org_id(actor), month))


@router.get(
    "/trace/bills.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def bill_csv(actor: StoreActor, ctx: Ctx, month: Month = None) -> Response:
    """The month's bill as CSV."""
    bill = ctx.read(lambda uow: billing.store_bill(uow, org_id(actor), month))
    return csv_response(billing.csv_rows([bill]), f"bill-{bill['month']}.csv")


@router.get("/audit")
def read_audit(
    actor: StoreActor,
    ctx: Ctx,
    object_id: str | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page:
    """The audit log of the store's own objects (R20)."""
    return ctx.read(
        lambda uow: audit.entries(
            uow, object_id=object_id, store_id=org_id(actor), limit=limit, cursor=cursor
        )
    )
