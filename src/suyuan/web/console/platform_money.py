"""定价 and 月度账单 (R16): the per-code fee, entered in yuan and kept as integer fen; each
store's charges of a China month with totals, and the same statements as CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from suyuan.api.auth import Ctx
from suyuan.api.outputs import csv_response
from suyuan.domain.errors import DomainError
from suyuan.services import accounts, billing
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console.common import check_csrf, lang_of
from suyuan.web.console.platform_common import FormCheck, User, done, errors_of, page

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


def _pricing(
    request: Request,
    user: ConsoleUser,
    ctx: Ctx,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    fee = ctx.read(accounts.current_fee_fen)
    form = form or {"fee_yuan": f"{fee // 100}.{fee % 100:02d}"}
    return page(
        request,
        user,
        "pricing.html",
        "pricing",
        status,
        fee_fen=fee,
        errors=errors or {},
        form=form,
    )


@router.get("/pricing", response_class=HTMLResponse)
def pricing(request: Request, user: User, ctx: Ctx) -> HTMLResponse:
    """定价: the fee per code now, and the form to change it."""
    return _pricing(request, user, ctx)


@router.post("/pricing", response_class=HTMLResponse)
def set_pricing(
    request: Request, user: User, ctx: Ctx, csrf_token: Text = "", fee_yuan: Text = ""
) -> Response:
    """A new fee for code requests from now on; requests already made keep their price."""
    check_csrf(user, {"csrf_token": csrf_token})
    check = FormCheck()
    fen = check.fee_yuan(fee_yuan)
    try:
        check.raise_if_any()
        ctx.write(lambda uow: accounts.set_pricing(uow, user.actor, fen))
    except DomainError as e:
        errors = errors_of(e, lang_of(request))
        return _pricing(request, user, ctx, e.status, errors, {"fee_yuan": fee_yuan})
    return done("/pricing", "pricing_changed")


@router.get("/statements", response_class=HTMLResponse)
def statements(request: Request, user: User, ctx: Ctx, month: str | None = None) -> HTMLResponse:
    """月度账单: every store's charges of a China month (this month by default), with totals."""
    check = FormCheck()
    chosen = check.month(month)
    try:
        check.raise_if_any()
        result = ctx.read(lambda uow: billing.statements(uow, chosen))
    except DomainError as e:
        errors = errors_of(e, lang_of(request))
        form = {"month": month or ""}
        return page(
            request, user, "statements.html", "statements", e.status, errors=errors, form=form
        )
    form = {"month": result["month"]}
    return page(request, user, "statements.html", "statements", result=result, form=form)


@router.get("/statements.csv")
def statements_csv(user: User, ctx: Ctx, month: str | None = None) -> Response:
    """The month's statements as CSV: each charge, and one total row per store."""
    check = FormCheck()
    chosen = check.month(month)
    check.raise_if_any()
    result = ctx.read(lambda uow: billing.statements(uow, chosen))
    return csv_response(billing.csv_rows(result["stores"]), f"statements-{result['month']}.csv")
