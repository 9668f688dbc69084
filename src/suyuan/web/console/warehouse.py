"""The warehouse console (issue 6): ``/console/warehouse/``.

关联店铺 (the stores that linked this warehouse, with their subscription status), each store's
bonded products and declaration items with what is left, and 申请溯源码 live here; the code
requests, their label downloads, 上报贴码 and 作废 in ``warehouse_codes``. A store whose
subscription expired gets a page saying why nothing can be done for it (R6).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from suyuan.api.auth import Ctx
from suyuan.context import Context
from suyuan.domain.errors import DomainError, FieldError, validation_error
from suyuan.services import issuance, sharing, warehouse_view
from suyuan.services.accounts import current_fee_fen
from suyuan.services.issuance import MAX_CODES_PER_REQUEST
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console import warehouse_codes
from suyuan.web.console.common import check_csrf, lang_of, safe_cursor
from suyuan.web.console.warehouse_common import (
    BASE,
    MAX_LIST,
    PAGE_SIZE,
    User,
    collect,
    done,
    errors_of,
    find_store,
    linked_stores,
    page,
    problem,
    warehouse_id,
)

router = APIRouter(prefix=BASE, include_in_schema=False)
router.include_router(warehouse_codes.router)
Text = Annotated[str, Form()]
MAX_CHOICES = 1000  # products / declaration items offered in the apply form


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: User, ctx: Ctx, cursor: str | None = None) -> HTMLResponse:
    """关联店铺: stores that linked this warehouse and whether their service is current."""
    wid, cursor = warehouse_id(user), safe_cursor(cursor)
    stores = ctx.read(lambda uow: sharing.warehouse_stores(uow, wid, PAGE_SIZE, cursor))
    return page(
        request,
        user,
        "stores.html",
        "stores",
        stores=stores["items"],
        next_cursor=stores["next_cursor"],
        cursor=cursor,
    )


@router.get("/stores/{store_id}", response_class=HTMLResponse)
def store_page(
    request: Request,
    user: User,
    ctx: Ctx,
    store_id: str,
    pc: str | None = None,
    ic: str | None = None,
) -> HTMLResponse:
    """One store: its bonded products and the declaration items it may draw codes from."""
    wid = warehouse_id(user)
    try:
        store = find_store(ctx, wid, store_id)
        if store["subscription_status"] == "expired":
            return page(request, user, "store.html", "stores", store=store, expired=True)
        products = ctx.read(
            lambda uow: warehouse_view.bonded_products(
                uow, wid, store_id, PAGE_SIZE, safe_cursor(pc)
            )
        )
        items = ctx.read(
            lambda uow: warehouse_view.declaration_items(
                uow, wid, store_id, PAGE_SIZE, safe_cursor(ic)
            )
        )
    except DomainError as e:
        return problem(request, user, e)
    return page(
        request,
        user,
        "store.html",
        "stores",
        store=store,
        expired=False,
        products=products,
        items=items,
        pc=safe_cursor(pc),
        ic=safe_cursor(ic),
    )


@router.get("/apply", response_class=HTMLResponse)
def apply_page(
    request: Request,
    user: User,
    ctx: Ctx,
    store_id: str = "",
    product_id: str = "",
    item_id: str = "",
) -> HTMLResponse:
    """申请溯源码: choose the store first, then product, declaration item and quantity."""
    form = {
        "store_id": store_id,
        "product_id": product_id,
        "declaration_item_id": item_id,
        "quantity": "",
    }
    return _apply_form(request, user, ctx, form)


@router.post("/apply", response_class=HTMLResponse)
def apply_submit(
    request: Request,
    user: User,
    ctx: Ctx,
    csrf_token: Text = "",
    store_id: Text = "",
    product_id: Text = "",
    declaration_item_id: Text = "",
    quantity: Text = "",
) -> Response:
    """Issue the codes and record the charge (R16); then the request's page with the charge."""
    check_csrf(user, {"csrf_token": csrf_token})
    form = {
        "store_id": store_id.strip(),
        "product_id": product_id.strip(),
        "declaration_item_id": declaration_item_id.strip(),
        "quantity": quantity.strip(),
    }
    try:
        count = _checked(form)
        created = ctx.write(
            lambda uow: issuance.request_codes(
                uow,
                user.actor,
                store_id=form["store_id"],
                product_id=form["product_id"],
                item_id=form["declaration_item_id"],
                quantity=count,
            )
        )
    except DomainError as e:
        errors = errors_of(e, lang_of(request))
        return _apply_form(request, user, ctx, form, e.status, errors)
    return done(f"/requests/{created['id']}", "applied")


def _checked(form: dict[str, str]) -> int:
    """Every choice made and the quantity a whole number in range, or all the bad fields."""
    errors = [
        FieldError(field, "warehouse.error.choose")
        for field in ("store_id", "product_id", "declaration_item_id")
        if not form[field]
    ]
    text = form["quantity"].replace(",", "").replace(" ", "")
    count = int(text) if text.isascii() and text.isdigit() and len(text) <= 8 else 0
    if not 0 < count <= MAX_CODES_PER_REQUEST:
        errors.append(
            FieldError("quantity", "error.quantity.range", {"max": MAX_CODES_PER_REQUEST})
        )
    if errors:
        raise validation_error(errors)
    return count


def _apply_form(
    request: Request,
    user: ConsoleUser,
    ctx: Context,
    form: dict[str, str],
    status: int = 200,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    """The apply form for the chosen store, or why nothing can be applied for it."""
    wid = warehouse_id(user)
    stores = linked_stores(ctx, wid)
    if not form["store_id"]:
        current = [s for s in stores if s["subscription_status"] == "active"]
        form["store_id"] = current[0]["store_id"] if len(current) == 1 else ""
    store = next((s for s in stores if s["store_id"] == form["store_id"]), None)
    products: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    blocked: str | None = None
    try:
        if form["store_id"] and store is None:
            raise DomainError("WAREHOUSE_NOT_LINKED", 403)
        if store is not None:
            products, items = _choices(ctx, wid, store["store_id"])
    except DomainError as e:
        blocked = errors_of(e, lang_of(request))[""]
    return page(
        request,
        user,
        "apply.html",
        "apply",
        status,
        stores=stores,
        store=store,
        products=products,
        items=items,
        blocked=blocked,
        fee_fen=ctx.read(current_fee_fen),
        max_quantity=MAX_CODES_PER_REQUEST,
        form=form,
        errors=errors or {},
    )


def _choices(
    ctx: Context, wid: str, store_id: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The store's bonded products and declaration items (R6 checked by the services)."""
    products = collect(
        lambda cursor: ctx.read(
            lambda uow: warehouse_view.bonded_products(uow, wid, store_id, MAX_LIST, cursor)
        ),
        MAX_CHOICES,
    )
    items = collect(
        lambda cursor: ctx.read(
            lambda uow: warehouse_view.declaration_items(uow, wid, store_id, MAX_LIST, cursor)
        ),
        MAX_CHOICES,
    )
    return products, items
