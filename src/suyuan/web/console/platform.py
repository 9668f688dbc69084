"""The platform console (issue 6): the operator runs the service from here.

``/console/platform/`` — overview; 店铺 (stores with the pilot switch, R1), 服务商 and 保税仓
(lists and create forms) live in this module; 用户与密钥, 定价, 月度账单 and 审计日志 in the
``platform_*`` modules whose routers are included below. Every page needs a platform user;
every form carries the session's CSRF token and ends in a redirect with a notice (PRG), or
shows the form again with each error at its field.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from suyuan.api.auth import Ctx
from suyuan.domain.errors import DomainError
from suyuan.services import accounts, billing
from suyuan.services.accounts import OrgType
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console import platform_access, platform_audit, platform_money
from suyuan.web.console.common import check_csrf, lang_of, safe_cursor
from suyuan.web.console.platform_common import (
    BASE,
    PAGE_SIZE,
    FormCheck,
    User,
    done,
    errors_of,
    page,
    reopened,
)

router = APIRouter(prefix=BASE, include_in_schema=False)
Text = Annotated[str, Form()]
_SECTION: dict[OrgType, str] = {
    "store": "stores",
    "warehouse": "warehouses",
    "provider": "providers",
}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: User, ctx: Ctx) -> HTMLResponse:
    """Overview: the fee now, this month's charges, and the order of setting a store up."""
    fee = ctx.read(accounts.current_fee_fen)
    month = ctx.read(lambda uow: billing.statements(uow, None))
    return page(request, user, "home.html", "home", fee_fen=fee, statement=month)


def _orgs(
    request: Request,
    user: ConsoleUser,
    ctx: Ctx,
    kind: OrgType,
    cursor: str | None,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    """The list of one kind of organization (one page) with its create form."""
    cursor = safe_cursor(cursor)
    listed = ctx.read(lambda uow: accounts.list_orgs(uow, kind, PAGE_SIZE, cursor))
    return page(
        request,
        user,
        f"{_SECTION[kind]}.html",
        _SECTION[kind],
        status,
        kind=kind,
        items=listed["items"],
        next_cursor=listed["next_cursor"],
        cursor=cursor,
        **values,
    )


def _create(
    request: Request,
    user: ConsoleUser,
    ctx: Ctx,
    kind: OrgType,
    form: dict[str, str],
    check: FormCheck,
    values: dict[str, Any],
) -> Response:
    """Create the organization, or show the form again with the errors at the fields."""
    try:
        check.raise_if_any()
        ctx.write(lambda uow: accounts.create_org(uow, user.actor, kind, values))
    except DomainError as e:
        errors = errors_of(e, lang_of(request))
        return _orgs(request, user, ctx, kind, None, e.status, errors=errors, form=form)
    return done(f"/{_SECTION[kind]}", f"{kind}_created")


@router.get("/stores", response_class=HTMLResponse)
def stores(request: Request, user: User, ctx: Ctx, cursor: str | None = None) -> HTMLResponse:
    """店铺: every store with its registered company name and the pilot switch."""
    return _orgs(request, user, ctx, "store", cursor)


@router.post("/stores", response_class=HTMLResponse)
def create_store(
    request: Request,
    user: User,
    ctx: Ctx,
    csrf_token: Text = "",
    name: Text = "",
    company_name: Text = "",
    pilot: Text = "",
) -> Response:
    """新建店铺 (name, 公司名称 = 店铺注册主体, whitelisted for the pilot or not)."""
    check_csrf(user, {"csrf_token": csrf_token})
    check = FormCheck()
    values = {
        "name": check.text("name", name),
        "company_name": check.text("company_name", company_name),
        "pilot": pilot == "1",
    }
    form = {"name": name, "company_name": company_name, "pilot": pilot}
    return _create(request, user, ctx, "store", form, check, values)


@router.post("/stores/{store_id}/pilot", response_class=HTMLResponse)
def set_pilot(
    request: Request,
    store_id: str,
    user: User,
    ctx: Ctx,
    csrf_token: Text = "",
    pilot: Text = "",
    cursor: Text = "",
) -> Response:
    """The pilot switch (R1): the form says which state it sets, so a double click is harmless."""
    check_csrf(user, {"csrf_token": csrf_token})
    on = pilot == "1"
    try:
        ctx.write(lambda uow: accounts.set_pilot(uow, user.actor, store_id, on))
    except DomainError as e:
        errors = errors_of(e, lang_of(request))
        return _orgs(request, user, ctx, "store", cursor, e.status, errors=errors)
    return done("/stores", "pilot_on" if on else "pilot_off", cursor=safe_cursor(cursor))


@router.get("/stores/{store_id}/pilot")
def back_to_stores(request: Request, store_id: str, user: User) -> Response:
    """The pilot form's address opened again (reload, language switch): the list."""
    return reopened(request, "/stores")


@router.get("/providers", response_class=HTMLResponse)
def providers(request: Request, user: User, ctx: Ctx, cursor: str | None = None) -> HTMLResponse:
    """服务商 (海关授权机构)."""
    return _orgs(request, user, ctx, "provider", cursor)


@router.post("/providers", response_class=HTMLResponse)
def create_provider(
    request: Request, user: User, ctx: Ctx, csrf_token: Text = "", name: Text = ""
) -> Response:
    """新建服务商."""
    check_csrf(user, {"csrf_token": csrf_token})
    check = FormCheck()
    values = {"name": check.text("name", name)}
    return _create(request, user, ctx, "provider", {"name": name}, check, values)


@router.get("/warehouses", response_class=HTMLResponse)
def warehouses(request: Request, user: User, ctx: Ctx, cursor: str | None = None) -> HTMLResponse:
    """保税仓."""
    return _orgs(request, user, ctx, "warehouse", cursor)


@router.post("/warehouses", response_class=HTMLResponse)
def create_warehouse(
    request: Request,
    user: User,
    ctx: Ctx,
    csrf_token: Text = "",
    name: Text = "",
    customs_code: Text = "",
) -> Response:
    """新建保税仓 (海关编码 optional)."""
    check_csrf(user, {"csrf_token": csrf_token})
    check = FormCheck()
    values = {"name": check.text("name", name), "customs_code": check.customs_code(customs_code)}
    form = {"name": name, "customs_code": customs_code}
    return _create(request, user, ctx, "warehouse", form, check, values)


for _module in (platform_access, platform_money, platform_audit):
    router.include_router(_module.router)
