"""The store console (issue 6): 店铺后台 → 发货管理 → 正品溯源.

This module holds the home page — the onboarding wizard ① 立即开通 → ② 服务商授权 → ③ 绑定进出口
收发货人 → ④ 引导保税仓 → ⑤ 已完成,开始使用, then the subscription with 续期 — and imports the
console's other pages, which register on the same router (``store_common.router``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from suyuan.db.uow import UnitOfWork
from suyuan.services import guide, onboarding
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console import store_orders, store_products, store_reports
from suyuan.web.console.common import check_csrf, redirect
from suyuan.web.console.store_common import (
    HOME,
    Form,
    User,
    attempt,
    ctx_of,
    page,
    router,
    safe_next,
    sid,
    text,
)
from suyuan.web.console.store_views import wizard

__all__ = ["router"]
PAGES = (store_products, store_orders, store_reports)  # their routes are on ``router`` too


def _home(
    request: Request,
    user: ConsoleUser,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    data = ctx_of(request).read(lambda uow: wizard(uow, sid(user)))
    return page(
        request,
        user,
        "console/store/home.html",
        nav="home",
        status=status,
        errors=errors,
        form=form or {},
        **data,
    )


def _step(
    request: Request,
    user: ConsoleUser,
    form: Form,
    use_case: Callable[[UnitOfWork], Any],
    done: str,
    fields: tuple[str, ...] = (),
) -> Response:
    """One wizard step: CSRF, the service, then back home with a notice or with the errors."""
    check_csrf(user, form)
    _, errors = attempt(request, use_case)
    if errors:
        typed = {f: str(form.get(f, "")) for f in fields}
        return _home(request, user, status=422, errors=errors, form=typed)
    return redirect(f"{HOME}?done={done}")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: User) -> HTMLResponse:
    """Not in the pilot: whom to ask. Otherwise the wizard, or the subscription once done."""
    return _home(request, user)


@router.post("/open")
def open_service(request: Request, user: User, form: Form) -> Response:
    """① 立即开通."""
    return _step(
        request, user, form, lambda uow: onboarding.open_service(uow, user.actor, sid(user)), "open"
    )


@router.post("/subscription")
def subscribe(request: Request, user: User, form: Form) -> Response:
    """② 服务商授权: 0 元订购 标准版-一年 of the chosen provider."""
    return _step(
        request,
        user,
        form,
        lambda uow: onboarding.subscribe(
            uow, user.actor, sid(user), text(form, "provider_id"), "standard-1y"
        ),
        "subscribed",
        ("provider_id",),
    )


@router.post("/importer-bindings")
def bind_importer(request: Request, user: User, form: Form) -> Response:
    """③ 绑定进出口收发货人信息 and 店铺的公司名称 (R3); errors at their fields."""
    return _step(
        request,
        user,
        form,
        lambda uow: onboarding.bind_importer(
            uow,
            user.actor,
            sid(user),
            text(form, "importer_name"),
            text(form, "importer_code", 64),
            text(form, "company_name"),
        ),
        "bound",
        ("importer_name", "importer_code", "company_name"),
    )


@router.post("/warehouses")
def link_warehouse(request: Request, user: User, form: Form) -> Response:
    """④ 引导保税仓: link a bonded warehouse so it can act for the store."""
    return _step(
        request,
        user,
        form,
        lambda uow: onboarding.link_warehouse(
            uow, user.actor, sid(user), text(form, "warehouse_id")
        ),
        "linked",
        ("warehouse_id",),
    )


@router.post("/complete")
def complete(request: Request, user: User, form: Form) -> Response:
    """⑤ 已完成,开始使用."""
    return _step(
        request, user, form, lambda uow: onboarding.complete(uow, user.actor, sid(user)), "done"
    )


@router.post("/renew")
def renew(request: Request, user: User, form: Form) -> Response:
    """续期 (free), from the banner, the popup or the subscription card; back where it was."""
    check_csrf(user, form)
    ctx_of(request).write(lambda uow: onboarding.renew(uow, user.actor, sid(user)))
    return redirect(f"{safe_next(text(form, 'next', 300))}?done=renewed")


def _back_home(user: User) -> Response:
    """A form's address opened with GET (e.g. after logging in again): the page it lives on."""
    return redirect(HOME)


for _path in ("/open", "/subscription", "/importer-bindings", "/warehouses", "/complete", "/renew"):
    router.add_api_route(_path, _back_home, methods=["GET"], include_in_schema=False)


@router.get("/warehouse-guide.pdf")
def warehouse_guide(request: Request, user: User, warehouse_id: str | None = None) -> Response:
    """详细操作说明 for a linked warehouse (the API's guide needs a key; this needs the login)."""
    ctx = ctx_of(request)
    pdf = ctx.read(
        lambda uow: guide.warehouse_guide_pdf(uow, sid(user), warehouse_id, ctx.settings.public_url)
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": "attachment; filename*=UTF-8''suyuan-warehouse-guide.pdf",
            "Cache-Control": "no-store",
        },
    )
