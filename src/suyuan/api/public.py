"""Public endpoints (no key): what the product page and consumers see (R10, R17)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from suyuan.api.auth import Ctx
from suyuan.api.problems import request_lang
from suyuan.api.ratelimit import check_public_rate, client_ip
from suyuan.context import Context
from suyuan.i18n import translate
from suyuan.services import product_trace, scans

router = APIRouter(prefix="/public", tags=["public"], dependencies=[Depends(check_public_rate)])


@router.get("/products/{product_id}")
def public_product(product_id: str, ctx: Ctx) -> dict[str, Any]:
    """The badge as the product page shows it: exactly while tracing is active (R10)."""
    return ctx.read(lambda uow: product_trace.public_view(uow, product_id))


def count_scan(ctx: Context, request: Request, code: str) -> dict[str, Any]:
    """One consumer lookup of ``code`` from this request's client (API and page alike)."""
    return ctx.write(
        lambda uow: scans.scan(
            uow,
            code,
            client_ip(request),
            request.headers.get("user-agent"),
            ctx.settings.scan_warn_after,
        )
    )


@router.get("/trace-codes/{code}")
def public_trace_code(code: str, request: Request, ctx: Ctx) -> dict[str, Any]:
    """Look a code up: where the unit came from, how often it was scanned, what looks wrong."""
    result = count_scan(ctx, request, code)
    lang = request_lang(request)
    first = result["scan"]["first_scanned_at"]
    result["warnings"] = [
        {
            "code": w,
            "message": translate(
                f"web.scan.warn.{w}",
                lang,
                {"count": result["scan"]["count"], "first": scans.china_time(first)},
            ),
        }
        for w in result["warnings"]
    ]
    return result
