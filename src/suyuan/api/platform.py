"""Platform endpoints (admin key): tenants, keys, users, pricing, audit, test clock."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from suyuan.api.auth import Ctx, PlatformActor
from suyuan.api.outputs import csv_response
from suyuan.api.schemas import (
    ApiKeyCreate,
    ClockSet,
    Cursor,
    Limit,
    Month,
    PricingUpdate,
    ProviderCreate,
    StoreCreate,
    StorePatch,
    UserCreate,
    WarehouseCreate,
)
from suyuan.services import accounts, audit, billing
from suyuan.services.paging import Page

router = APIRouter(prefix="/platform", tags=["platform"])


@router.post("/stores", status_code=201)
def create_store(body: StoreCreate, actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """Create a store with its registered company name; ``pilot`` whitelists it (R1)."""
    return ctx.write(lambda uow: accounts.create_org(uow, actor, "store", body.model_dump()))


@router.get("/stores")
def list_stores(actor: PlatformActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None) -> Page:
    """Every store."""
    return ctx.read(lambda uow: accounts.list_orgs(uow, "store", limit, cursor))


@router.get("/stores/{store_id}")
def get_store(store_id: str, actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """One store."""
    return ctx.read(lambda uow: accounts.get_org(uow, "store", store_id))


@router.patch("/stores/{store_id}")
def patch_store(store_id: str, body: StorePatch, actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """Switch the pilot whitelist for a store."""
    return ctx.write(lambda uow: accounts.set_pilot(uow, actor, store_id, body.pilot))


@router.post("/providers", status_code=201)
def create_provider(body: ProviderCreate, actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """Register a customs-authorized agency."""
    return ctx.write(lambda uow: accounts.create_org(uow, actor, "provider", body.model_dump()))


@router.get("/providers")
def list_providers(
    actor: PlatformActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    """Every provider."""
    return ctx.read(lambda uow: accounts.list_orgs(uow, "provider", limit, cursor))


@router.post("/warehouses", status_code=201)
def create_warehouse(body: WarehouseCreate, actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """Register a bonded warehouse."""
    return ctx.write(lambda uow: accounts.create_org(uow, actor, "warehouse", body.model_dump()))


@router.get("/warehouses")
def list_warehouses(
    actor: PlatformActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    """Every bonded warehouse."""
    return ctx.read(lambda uow: accounts.list_orgs(uow, "warehouse", limit, cursor))


@router.post("/api-keys", status_code=201)
def create_api_key(body: ApiKeyCreate, actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """Issue a key for a store, warehouse or provider; the key is in this answer only."""
    return ctx.write(lambda uow: accounts.issue_api_key(uow, actor, body.org_type, body.org_id))


@router.post("/users", status_code=201)
def create_user(body: UserCreate, actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """Create a console user of an organization."""
    return ctx.write(
        lambda uow: accounts.create_user(
            uow, actor, body.org_type, body.org_id, body.username, body.password
        )
    )


@router.get("/pricing")
def get_pricing(actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """The current per-code fee (R16)."""
    return {"per_code_fee_fen": ctx.read(accounts.current_fee_fen)}


@router.put("/pricing")
def put_pricing(body: PricingUpdate, actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """Set the per-code fee for requests from now on."""
    return ctx.write(lambda uow: accounts.set_pricing(uow, actor, body.per_code_fee_fen))


@router.get("/statements")
def statements(actor: PlatformActor, ctx: Ctx, month: Month = None) -> dict[str, Any]:
    """Every store's charges of one month (China time), with totals (R16)."""
    return ctx.read(lambda uow: billing.statements(uow, month))


@router.get(
    "/statements.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def statements_csv(actor: PlatformActor, ctx: Ctx, month: Month = None) -> Response:
    """The month's statements as CSV, one total row per store."""
    result = ctx.read(lambda uow: billing.statements(uow, month))
    return csv_response(billing.csv_rows(result["stores"]), f"statements-{result['month']}.csv")


@router.get("/audit")
def read_audit(
    actor: PlatformActor,
    ctx: Ctx,
    object_id: str | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page:
    """The audit log (R20), optionally for one object."""
    return ctx.read(
        lambda uow: audit.entries(
            uow, object_id=object_id, store_id=None, limit=limit, cursor=cursor
        )
    )


clock_router = APIRouter(prefix="/platform", tags=["platform"])


@clock_router.put("/clock")
def set_clock(body: ClockSet, actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """Freeze the service clock at ``now`` (mounted only with SUYUAN_TEST_CLOCK=1)."""
    ctx.clock.freeze(body.now)
    return {"now": ctx.clock.now(), "frozen": True}


@clock_router.delete("/clock")
def reset_clock(actor: PlatformActor, ctx: Ctx) -> dict[str, Any]:
    """Back to the system clock (mounted only with SUYUAN_TEST_CLOCK=1)."""
    ctx.clock.reset()
    return {"now": ctx.clock.now(), "frozen": False}
