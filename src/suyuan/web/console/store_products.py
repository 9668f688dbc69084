"""正品溯源管理: the store's products with trace status, badge and code counts; creating a
product; 生效 (立即 / 定时, China time), 停止生效 with a confirm step; 查看明细 (codes)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import FieldError, validation_error
from suyuan.services import activation, product_trace, products
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console.common import check_csrf, redirect
from suyuan.web.console.store_common import (
    HOME,
    Form,
    User,
    attempt,
    china_local,
    ctx_of,
    page,
    router,
    sid,
    text,
)
from suyuan.web.console.store_views import product_row

GOODS_TYPES = ("bonded", "general")


def _products(
    request: Request,
    user: ConsoleUser,
    cursor: str | None,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    found = ctx_of(request).read(
        lambda uow: product_trace.list_products(uow, sid(user), 50, cursor)
    )
    return page(
        request,
        user,
        "console/store/products.html",
        nav="products",
        status=status,
        errors=errors,
        form=form or {"goods_type": "bonded"},
        items=found["items"],
        next_cursor=found["next_cursor"],
        cursor=cursor,
    )


@router.get("/products", response_class=HTMLResponse)
def product_list(request: Request, user: User, cursor: str | None = None) -> HTMLResponse:
    """Each product's status (tag), badge, codes by status and abnormal orders."""
    return _products(request, user, (cursor or "")[:64] or None)


def _create(uow: UnitOfWork, user: ConsoleUser, form: Form) -> dict[str, Any]:
    title, goods_type = text(form, "title"), text(form, "goods_type")
    gtin, brand = text(form, "gtin", 32), text(form, "brand", 128)
    errors = []
    if not title:
        errors.append(FieldError("title", "error.field.required"))
    if goods_type not in GOODS_TYPES:
        errors.append(FieldError("goods_type", "store.error.goods_type"))
    if errors:
        raise validation_error(errors)
    return products.create_product(
        uow,
        user.actor,
        sid(user),
        title=title,
        goods_type=goods_type,
        gtin=gtin or None,
        brand=brand or None,
    )


@router.post("/products")
def create_product(request: Request, user: User, form: Form) -> Response:
    """A new listing (stands in for the platform's catalog): title, goods type, GTIN, brand."""
    check_csrf(user, form)
    created, errors = attempt(request, lambda uow: _create(uow, user, form))
    if created is None:
        typed = {f: str(form.get(f, "")) for f in ("title", "goods_type", "gtin", "brand")}
        return _products(request, user, None, status=422, errors=errors, form=typed)
    return redirect(f"{HOME}products/{created['id']}?done=product_created")


def _detail(
    request: Request,
    user: ConsoleUser,
    product_id: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    template: str = "console/store/product.html",
) -> HTMLResponse:
    ctx = ctx_of(request)
    product = ctx.read(lambda uow: product_row(uow, sid(user), product_id))
    return page(
        request,
        user,
        template,
        nav="products",
        status=status,
        errors=errors,
        form=form or {},
        product=product,
        now=ctx.clock.now(),
    )


@router.get("/products/{product_id}", response_class=HTMLResponse)
def product_detail(request: Request, user: User, product_id: str) -> HTMLResponse:
    """One product: its trace facts and the 生效 forms (another store's product is 404)."""
    return _detail(request, user, product_id)


def _activate(uow: UnitOfWork, user: ConsoleUser, product_id: str, form: Form) -> Any:
    at = None
    if text(form, "mode") == "scheduled":
        raw = text(form, "at", 40)
        if not raw:
            raise validation_error([FieldError("at", "error.field.required")])
        at = china_local(raw, "at")
    return activation.activate(uow, user.actor, sid(user), product_id, at)


@router.post("/products/{product_id}/activation")
def activate(request: Request, user: User, product_id: str, form: Form) -> Response:
    """立即生效 (``mode=now``) or 定时生效 at a China-time ``at`` (``mode=scheduled``)."""
    check_csrf(user, form)
    view, errors = attempt(request, lambda uow: _activate(uow, user, product_id, form))
    if view is None:
        typed = {"mode": text(form, "mode"), "at": text(form, "at", 40)}
        return _detail(request, user, product_id, status=422, errors=errors, form=typed)
    done = "scheduled" if view["trace_status"] == "scheduled" else "activated"
    return redirect(f"{HOME}products/{product_id}?done={done}")


@router.get("/products/{product_id}/activation")
def activation_page(user: User, product_id: str) -> Response:
    """The form's address opened with GET (after logging in again): the product's page."""
    return redirect(f"{HOME}products/{quote(product_id, safe='')}")


@router.get("/products/{product_id}/stop", response_class=HTMLResponse)
def stop_confirm(request: Request, user: User, product_id: str) -> HTMLResponse:
    """停止生效, step one: what stopping means, and the button that does it."""
    return _detail(request, user, product_id, template="console/store/stop.html")


@router.post("/products/{product_id}/stop")
def stop(request: Request, user: User, product_id: str, form: Form) -> Response:
    """停止生效, confirmed: badge off, shipping rule lifted, a schedule cancelled (R14)."""
    check_csrf(user, form)
    _, errors = attempt(
        request, lambda uow: activation.stop(uow, user.actor, sid(user), product_id)
    )
    if errors:
        return _detail(
            request, user, product_id, status=409, errors=errors, template="console/store/stop.html"
        )
    return redirect(f"{HOME}products/{product_id}?done=stopped")


@router.get("/products/{product_id}/codes", response_class=HTMLResponse)
def product_codes(
    request: Request,
    user: User,
    product_id: str,
    status: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    """查看明细: the product's codes, filtered by status, 50 a page."""
    chosen = status if status in s.CODE_STATUSES else None
    after = (cursor or "")[:64] or None

    def read(uow: UnitOfWork) -> tuple[dict[str, Any], Any]:
        product = product_row(uow, sid(user), product_id)
        return product, product_trace.codes(uow, sid(user), product_id, chosen, 50, after)

    product, found = ctx_of(request).read(read)
    return page(
        request,
        user,
        "console/store/codes.html",
        nav="products",
        product=product,
        status_filter=chosen,
        statuses=s.CODE_STATUSES,
        items=found["items"],
        next_cursor=found["next_cursor"],
        cursor=after,
    )
