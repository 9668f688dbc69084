"""The warehouse's code requests and what it does with the codes (issue 6).

申请记录 and one request's page (its codes, paged; PDF labels in parts of up to 1,000, ZPL and
CSV — the API's outputs with the same access checks), 上报贴码 and 作废. Attaching and voiding
answer per code, so their results are shown on the answer to the POST itself; both are
idempotent per code, so submitting the same batch again changes nothing (R19).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from suyuan.api import outputs
from suyuan.api.auth import Ctx
from suyuan.api.warehouse import MAX_LABELS_PER_PDF
from suyuan.context import Context
from suyuan.domain import codes as code_rules
from suyuan.domain.errors import DomainError, FieldError, validation_error
from suyuan.i18n import Lang, translate
from suyuan.services import attachments, warehouse_view
from suyuan.services.issuance import MAX_CODES_PER_REQUEST
from suyuan.services.sessions import ConsoleUser
from suyuan.services.warehouse_view import own_requests
from suyuan.web.console.common import check_csrf, lang_of, safe_cursor
from suyuan.web.console.warehouse_common import (
    PAGE_SIZE,
    User,
    errors_of,
    find_store,
    page,
    problem,
    warehouse_id,
    yuan,
)

router = APIRouter()
Text = Annotated[str, Form()]
MAX_SHOWN = 500  # accepted codes listed per result kind; every rejected one is listed
MAX_REASON = 200
_SEPARATORS = re.compile(r"[\r\n,，;；]+")


@router.get("/requests", response_class=HTMLResponse)
def requests_page(request: Request, user: User, ctx: Ctx, cursor: str | None = None) -> Response:
    """申请记录: the warehouse's code requests, newest first."""
    wid, cursor = warehouse_id(user), safe_cursor(cursor)
    listed = ctx.read(lambda uow: own_requests(uow, wid, PAGE_SIZE, cursor))
    return page(
        request,
        user,
        "requests.html",
        "requests",
        requests=listed["items"],
        next_cursor=listed["next_cursor"],
        cursor=cursor,
    )


@router.get("/requests/{request_id}", response_class=HTMLResponse)
def request_page(
    request: Request, user: User, ctx: Ctx, request_id: str, cursor: str | None = None
) -> Response:
    """One request: what it cost, its label downloads and its codes (another warehouse's
    request is 404, R18; an expired store's says why, R6)."""
    wid, cursor = warehouse_id(user), safe_cursor(cursor)
    try:
        req = ctx.read(lambda uow: warehouse_view.own_request(uow, wid, request_id))
        listed = ctx.read(
            lambda uow: warehouse_view.request_codes_page(uow, wid, request_id, PAGE_SIZE, cursor)
        )
        store = find_store(ctx, wid, req["store_id"])
    except DomainError as e:
        return problem(request, user, e)
    parts = [
        (n, start + 1, min(start + MAX_LABELS_PER_PDF, req["quantity"]), start)
        for n, start in enumerate(range(0, req["quantity"], MAX_LABELS_PER_PDF), 1)
    ]
    return page(
        request,
        user,
        "request.html",
        "requests",
        req=req,
        store=store,
        codes=listed["items"],
        next_cursor=listed["next_cursor"],
        cursor=cursor,
        parts=parts,
        part_size=MAX_LABELS_PER_PDF,
        group=code_rules.group,
        notice_params={
            "quantity": req["quantity"],
            "charge": yuan(req["charge_fen"]),
            "fee": yuan(req["per_code_fee_fen"]),
        },
    )


@router.get("/requests/{request_id}/labels.pdf")
def labels_pdf(
    request: Request,
    user: User,
    ctx: Ctx,
    request_id: str,
    offset: int = 0,
    limit: int = MAX_LABELS_PER_PDF,
) -> Response:
    """A4 label sheets for up to 1,000 codes of the request from ``offset``."""
    wid = warehouse_id(user)
    offset = min(max(offset, 0), MAX_CODES_PER_REQUEST)
    limit = min(max(limit, 1), MAX_LABELS_PER_PDF)
    try:
        pdf, _following = ctx.read(
            lambda uow: outputs.labels_pdf(uow, ctx, wid, request_id, offset, limit)
        )
    except DomainError as e:
        return problem(request, user, e)
    headers = _attachment(f"{request_id}-{offset}.pdf")
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/requests/{request_id}/labels.zpl")
def labels_zpl(request: Request, user: User, ctx: Ctx, request_id: str) -> Response:
    """One ZPL label per code for thermal printers (streamed)."""
    return _stream(request, user, ctx, request_id, outputs.stream_zpl, "text/plain", "zpl")


@router.get("/requests/{request_id}/codes.csv")
def codes_csv(request: Request, user: User, ctx: Ctx, request_id: str) -> Response:
    """Every code of the request as CSV (streamed)."""
    return _stream(request, user, ctx, request_id, outputs.stream_csv, "text/csv", "csv")


def _stream(
    request: Request,
    user: ConsoleUser,
    ctx: Context,
    request_id: str,
    produce: Callable[[Context, str, str], Iterator[bytes]],
    media_type: str,
    extension: str,
) -> Response:
    """Check access before the first byte, as the API does."""
    wid = warehouse_id(user)
    try:
        ctx.read(lambda uow: warehouse_view.own_request(uow, wid, request_id))
    except DomainError as e:
        return problem(request, user, e)
    return StreamingResponse(
        produce(ctx, wid, request_id),
        media_type=f"{media_type}; charset=utf-8",
        headers=_attachment(f"{request_id}.{extension}"),
    )


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


@router.get("/attach", response_class=HTMLResponse)
def attach_page(request: Request, user: User) -> Response:
    """上报贴码: one code per line, as a barcode scanner types them."""
    return page(request, user, "attach.html", "attach")


@router.post("/attach", response_class=HTMLResponse)
def attach_submit(
    request: Request, user: User, ctx: Ctx, csrf_token: Text = "", codes: Text = ""
) -> Response:
    """Report the codes as stuck on their units (R8); the answer lists each code's result."""
    check_csrf(user, {"csrf_token": csrf_token})
    lang = lang_of(request)
    try:
        batch = _codes(codes)
        result = ctx.write(lambda uow: attachments.attach(uow, user.actor, batch))
    except DomainError as e:
        form = {"codes": codes}
        return page(
            request, user, "attach.html", "attach", e.status, form=form, errors=errors_of(e, lang)
        )
    rows = _rows(result, ("attached", "already_attached"), lang)
    counts = {k: len(result[k]) for k in ("attached", "already_attached", "rejected")}
    return page(request, user, "attach.html", "attach", rows=rows, counts=counts)


@router.get("/void", response_class=HTMLResponse)
def void_page(request: Request, user: User) -> Response:
    """作废: damaged or lost labels, with the reason."""
    return page(request, user, "void.html", "void")


@router.post("/void", response_class=HTMLResponse)
def void_submit(
    request: Request,
    user: User,
    ctx: Ctx,
    csrf_token: Text = "",
    codes: Text = "",
    reason: Text = "",
    confirm: Text = "",
) -> Response:
    """Void the codes (never shipped ones); the answer lists each code's result."""
    check_csrf(user, {"csrf_token": csrf_token})
    lang = lang_of(request)
    form = {"codes": codes, "reason": reason}
    try:
        batch, why = _void_form(codes, reason, confirm)
        result = ctx.write(lambda uow: attachments.void(uow, user.actor, batch, why))
    except DomainError as e:
        return page(
            request, user, "void.html", "void", e.status, form=form, errors=errors_of(e, lang)
        )
    rows = _rows(result, ("voided", "already_voided"), lang)
    counts = {k: len(result[k]) for k in ("voided", "already_voided", "rejected")}
    return page(
        request, user, "void.html", "void", rows=rows, counts=counts, form={"reason": reason}
    )


def _split(text: str) -> list[str]:
    """One code per line (commas and semicolons also separate); blank lines are skipped."""
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]


def _codes(text: str) -> list[str]:
    batch = _split(text)
    if not batch:
        raise validation_error([FieldError("codes", "warehouse.error.codes.empty")])
    if len(batch) > attachments.MAX_BATCH:
        raise validation_error(
            [FieldError("codes", "warehouse.error.codes.too_many", {"max": attachments.MAX_BATCH})]
        )
    return batch


def _void_form(codes: str, reason: str, confirm: str) -> tuple[list[str], str]:
    errors: list[FieldError] = []
    try:
        batch = _codes(codes)
    except DomainError as e:
        errors += e.errors
        batch = []
    why = reason.strip()
    if not why:
        errors.append(FieldError("reason", "warehouse.error.reason.required"))
    elif len(why) > MAX_REASON:
        errors.append(FieldError("reason", "warehouse.error.reason.too_long", {"max": MAX_REASON}))
    if not confirm:
        errors.append(FieldError("confirm", "warehouse.error.confirm"))
    if errors:
        raise validation_error(errors)
    return batch, why


def _rows(result: dict[str, Any], kinds: tuple[str, str], lang: Lang) -> list[dict[str, Any]]:
    """Rejected codes first (with the reason in words), then the accepted ones."""
    rows: list[dict[str, Any]] = [
        {
            "code": _clip(r["code"])
            if r["reason"] == "MALFORMED_TRACE_CODE"
            else code_rules.group(r["code"]),
            "result": "rejected",
            "reason": translate(f"warehouse.reason.{r['reason']}", lang),
        }
        for r in result["rejected"]
    ]
    for kind in kinds:
        listed: list[str] = result[kind]
        rows += [
            {"code": code_rules.group(c), "result": kind, "reason": ""} for c in listed[:MAX_SHOWN]
        ]
        if len(listed) > MAX_SHOWN:
            rows.append({"code": "", "result": kind, "more": len(listed) - MAX_SHOWN, "reason": ""})
    return rows


def _clip(raw: str, limit: int = 40) -> str:
    """A malformed input as typed, cut short when it is long (a scanner's garbage)."""
    return raw if len(raw) <= limit else raw[: limit - 1] + "…"
