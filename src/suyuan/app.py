"""create_app(settings): the HTTP service — routers, problem handlers, middleware."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from suyuan.api import (
    hardening,
    openapi_docs,
    platform,
    problems,
    provider,
    public,
    store,
    store_trace,
    warehouse,
)
from suyuan.api.guards import TextGuardMiddleware
from suyuan.api.idempotency import IdempotencyMiddleware
from suyuan.api.ratelimit import RateLimiter
from suyuan.config import Settings, get_settings
from suyuan.context import Context
from suyuan.domain.errors import DomainError
from suyuan.services import scans, scans_async
from suyuan.web import pages
from suyuan.web.console import auth as console_auth
from suyuan.web.console import platform as console_platform
from suyuan.web.console import provider as console_provider
from suyuan.web.console import store as console_store
from suyuan.web.console import warehouse as console_warehouse
from suyuan.web.console.common import LoginRequired
from suyuan.web.console.common import error_page as console_error_page

API_PREFIX = "/api/v1"
STATIC = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings | None = None, context: Context | None = None) -> FastAPI:
    """The suyuan ASGI app; pass a ``context`` to share an engine and clock (tests, CLI)."""
    ctx = context or Context.from_settings(settings or get_settings())
    app = FastAPI(
        title="suyuan 正品溯源",
        version="0.1.0",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.ctx = ctx
    api = APIRouter(prefix=API_PREFIX)
    # Routes are matched in order: the consumer's lookups, the hottest path, come first.
    routers = (
        public.router,
        platform.router,
        store.router,
        store_trace.router,
        warehouse.router,
        provider.router,
    )
    for router in routers:
        api.include_router(router)
    if ctx.settings.test_clock:
        api.include_router(platform.clock_router)
    app.add_api_route("/healthz", _health, methods=["GET"], include_in_schema=False)
    app.include_router(api)
    app.include_router(pages.router)
    for console in (
        console_auth,
        console_store,
        console_warehouse,
        console_provider,
        console_platform,
    ):
        app.include_router(console.router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    app.add_exception_handler(LoginRequired, _to_login)
    app.state.rate_limiter = RateLimiter(ctx.settings.scan_rate_limit)
    problems.install(app)
    app.add_exception_handler(DomainError, console_error_page)  # console paths get a page
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(TextGuardMiddleware)
    hardening.install(app, ctx.settings)  # added last: runs first
    openapi_docs.install(app)
    return app


def _to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)  # noqa: S101 - registered for LoginRequired only
    return RedirectResponse(f"/console/login?next={quote(exc.next_url)}", status_code=303)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While serving: the scan path's async pool (PostgreSQL) and this installation's salt."""
    ctx: Context = app.state.ctx
    async with scans_async.scan_pool(ctx.engine) as pool:
        if pool is not None:
            app.state.scan_salt = await run_in_threadpool(ctx.write, scans.salt)
        app.state.scan_pool = pool
        try:
            yield
        finally:
            app.state.scan_pool = None


async def _health() -> dict[str, Any]:
    return {"status": "ok"}
