"""Public endpoints (no key): what the product page and consumers see (R10, R17)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic_core import to_jsonable_python
from starlette.concurrency import run_in_threadpool

from suyuan.api.auth import Ctx
from suyuan.api.problems import request_lang
from suyuan.api.ratelimit import check_public_rate, client_ip
from suyuan.context import Context
from suyuan.i18n import translate
from suyuan.services import product_trace, scans, scans_async

router = APIRouter(prefix="/public", tags=["public"], dependencies=[Depends(check_public_rate)])


@router.get("/products/{product_id}")
def public_product(product_id: str, ctx: Ctx) -> dict[str, Any]:
    """The badge as the product page shows it: exactly while tracing is active (R10)."""
    return ctx.read(lambda uow: product_trace.public_view(uow, product_id))


async def count_scan(ctx: Context, request: Request, code: str) -> dict[str, Any]:
    """One consumer lookup of ``code`` from this request's client (API and page alike).

    On PostgreSQL, inside the app's lifespan, the scan is one statement on the event loop's own
    connection pool (``scans_async``); otherwise the same use case runs in a worker thread.
    """
    ip, agent = client_ip(request), request.headers.get("user-agent")
    warn_after = ctx.settings.scan_warn_after
    pool = getattr(request.app.state, "scan_pool", None)
    if pool is None:
        return await run_in_threadpool(
            ctx.write, lambda uow: scans.scan(uow, code, ip, agent, warn_after)
        )
    salt: str = request.app.state.scan_salt
    return await scans_async.scan(
        pool,
        code,
        client_ip=ip,
        user_agent=agent,
        warn_after=warn_after,
        salt=salt,
        now=ctx.clock.now(),
    )


@router.get("/trace-codes/{code}")
async def public_trace_code(code: str, request: Request) -> Response:
    """Look a code up: where the unit came from, how often it was scanned, what looks wrong."""
    ctx: Context = request.app.state.ctx  # not a dependency: one less to solve on the hot path
    result = await count_scan(ctx, request, code)
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
    # Serialized here rather than by FastAPI's validating encoder (the hot path); times come
    # out as everywhere else in the API, through pydantic (``…Z``).
    body = json.dumps(result, ensure_ascii=False, separators=(",", ":"), default=to_jsonable_python)
    return Response(body, media_type="application/json")
