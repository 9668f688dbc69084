"""The provider console (issue 6): ``/console/provider/``.

报关单 (the provider's declarations with each item's usage, paged) and 绑定 (the importer
bindings of the stores subscribed to it, and the code requests drawn from its declarations)
live here; 上传报关单 in ``provider_upload``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from suyuan.api.auth import Ctx
from suyuan.services import declarations, sharing
from suyuan.services.paging import MAX_LIMIT
from suyuan.web.console import provider_upload
from suyuan.web.console.common import safe_cursor
from suyuan.web.console.provider_common import (
    BASE,
    PAGE_SIZE,
    User,
    page,
    provider_id,
)

router = APIRouter(prefix=BASE, include_in_schema=False)
router.include_router(provider_upload.router)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: User, ctx: Ctx, cursor: str | None = None) -> HTMLResponse:
    """报关单: declarations with their items' declared, issued and remaining quantities."""
    pid, cursor = provider_id(user), safe_cursor(cursor)
    listed = ctx.read(lambda uow: declarations.list_for_provider(uow, pid, PAGE_SIZE, cursor))
    return page(
        request,
        user,
        "declarations.html",
        "declarations",
        declarations=listed["items"],
        next_cursor=listed["next_cursor"],
        cursor=cursor,
    )


@router.get("/bindings", response_class=HTMLResponse)
def bindings(
    request: Request, user: User, ctx: Ctx, bc: str | None = None, rc: str | None = None
) -> HTMLResponse:
    """绑定: importer bindings of subscribed stores; the code requests drawn from them."""
    pid, bc, rc = provider_id(user), safe_cursor(bc), safe_cursor(rc)
    bound = ctx.read(lambda uow: sharing.provider_bindings(uow, pid, PAGE_SIZE, bc))
    requests = ctx.read(lambda uow: sharing.provider_code_requests(uow, pid, PAGE_SIZE, rc))
    known = ctx.read(lambda uow: sharing.provider_bindings(uow, pid, MAX_LIMIT, None))
    names = {b["store_id"]: b["store_name"] for b in known["items"] + bound["items"]}
    return page(
        request,
        user,
        "bindings.html",
        "bindings",
        bindings=bound,
        requests=requests,
        names=names,
        bc=bc,
        rc=rc,
    )
