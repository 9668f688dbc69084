"""Public pages: the mobile scan page ``/t/{code}`` (and ``/T/``, and the GS1 Digital Link
``/01/{gtin}/21/{code}``) and the product page ``/p/{id}``. Server-rendered, one round trip, no
JavaScript and no external assets; zh-CN by default, English by Accept-Language or ``?lang=en``.
Everything a tenant typed is escaped by Jinja2's autoescape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from biip import parse as parse_barcode
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from suyuan.api.auth import Ctx
from suyuan.api.problems import request_lang
from suyuan.api.public import count_scan
from suyuan.api.ratelimit import RateLimiter, client_ip
from suyuan.domain.errors import DomainError
from suyuan.domain.scanning import network_of
from suyuan.i18n import Lang, translate
from suyuan.services import product_trace, scans

router = APIRouter(include_in_schema=False)
_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page in the request's language."""
    lang: Lang = request_lang(request)

    def t(key: str, **params: Any) -> str:
        return translate(key, lang, params)

    html = _env.get_template(template).render(lang=lang, t=t, **values)
    return HTMLResponse(
        html, status_code=status, headers={"Cache-Control": "no-store", "Vary": "Accept-Language"}
    )


def _message(request: Request, status: int, key: str, **params: Any) -> HTMLResponse:
    lang = request_lang(request)
    return render(
        request,
        "message.html",
        status,
        heading=translate(f"{key}.title", lang),
        body=translate(f"{key}.body", lang, params),
    )


def _limited(request: Request) -> HTMLResponse | None:
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.retry_after(network_of(client_ip(request)))
    if not wait:
        return None
    page = _message(request, 429, "web.rate_limited", seconds=wait)
    page.headers["Retry-After"] = str(wait)
    return page


async def scan_page(
    request: Request, ctx: Ctx, code: str, gtin14: str | None = None
) -> HTMLResponse:
    """Count the scan and show where the unit came from, or a page saying what is wrong."""
    limited = _limited(request)
    if limited:
        return limited
    try:
        if gtin14 is not None:
            await run_in_threadpool(ctx.read, lambda uow: _require_gtin(uow, code, gtin14))
        result = await count_scan(ctx, request, code)
    except DomainError as e:
        if e.code == "MALFORMED_TRACE_CODE":
            return _message(request, 422, "web.scan.malformed", code=code)
        return _message(request, 404, "web.scan.not_found", code=code)
    first = scans.china_time(result["scan"]["first_scanned_at"])
    return render(request, "scan.html", scan=result, first_scanned=first)


def _require_gtin(uow: Any, raw_code: str, gtin14: str) -> None:
    """The Digital Link form resolves only when the code's product has that GTIN."""
    row = scans.facts(uow, scans.parse_code(raw_code))
    if row is None or row.gtin != gtin14:
        raise DomainError("TRACE_CODE_NOT_FOUND", 404)


@router.get("/t/{code}", response_class=HTMLResponse)
@router.get("/T/{code}", response_class=HTMLResponse)
async def scan_by_code(code: str, request: Request, ctx: Ctx) -> HTMLResponse:
    """The page a label's QR code opens."""
    return await scan_page(request, ctx, code)


@router.get("/01/{gtin}/21/{code}", response_class=HTMLResponse)
async def scan_by_digital_link(gtin: str, code: str, request: Request, ctx: Ctx) -> HTMLResponse:
    """GS1 Digital Link: GTIN-8/12/13/14 (padded to 14) and the code as serial number."""
    parsed = parse_barcode(f"https://id.gs1.org/01/{gtin}/21/{code}")
    link = parsed.gs1_digital_link_uri
    if link is None or parsed.gtin is None:
        gtin_only = parse_barcode(gtin).gtin
        if gtin_only is None:
            return _message(request, 404, "web.scan.not_found", code=code)
        return await scan_page(request, ctx, code, gtin_only.as_gtin_14())
    return await scan_page(request, ctx, code, parsed.gtin.as_gtin_14())


@router.get("/p/{product_id}", response_class=HTMLResponse)
def product_page(product_id: str, request: Request, ctx: Ctx) -> HTMLResponse:
    """The product detail stand-in: the badge exactly while tracing is active (R10)."""
    try:
        product = ctx.read(lambda uow: product_trace.public_view(uow, product_id))
    except DomainError:
        return _message(request, 404, "web.scan.not_found", code=product_id)
    return render(request, "product.html", product=product)
