"""审计日志 (R20): every state change — when (China time), who, what, which object,
before → after — filtered by object ID, one page at a time (cursor links)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from suyuan.api.auth import Ctx
from suyuan.domain.errors import DomainError
from suyuan.services import audit
from suyuan.services import directory as queries
from suyuan.services.billing import CHINA
from suyuan.web.console.common import lang_of
from suyuan.web.console.platform_common import FormCheck, User, errors_of, page

router = APIRouter(include_in_schema=False)
AUDIT_PAGE = 50


_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")


def _shown(value: Any) -> str:
    """A logged value as text: instants in China time, other strings as they are, the rest as
    JSON (``true``, ``null``)."""
    if isinstance(value, str):
        if _INSTANT.match(value):
            return datetime.fromisoformat(value).astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")
        return value
    return json.dumps(value, ensure_ascii=False)


def changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None, object_id: str = ""
) -> list[dict[str, Any]]:
    """``[{field, before, after}]``: a field's old and new value, ``None`` where there was none.
    Fields that did not change are left out, and so is the ``id`` the object column shows."""
    before, after = before or {}, after or {}
    rows = []
    for field in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(field), after.get(field)
        if field in before and field in after and old == new:
            continue
        if field == "id" and object_id and object_id in (old, new):
            continue
        rows.append(
            {
                "field": field,
                "before": _shown(old) if field in before else None,
                "after": _shown(new) if field in after else None,
            }
        )
    return rows


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    user: User,
    ctx: Ctx,
    object_id: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    """The log, oldest first; ``object_id`` shows one object's history."""
    check = FormCheck()
    wanted = check.text("object_id", object_id or "", required=False, max_length=64) or None
    # the log's cursor is an entry number; anything else starts from the first page
    after = (
        cursor if cursor and cursor.isascii() and cursor.isdigit() and len(cursor) <= 18 else None
    )
    form = {"object_id": object_id or ""}
    try:
        check.raise_if_any()
        listed = ctx.read(
            lambda uow: audit.entries(
                uow, object_id=wanted, store_id=None, limit=AUDIT_PAGE, cursor=after
            )
        )
    except DomainError as e:
        errors = errors_of(e, lang_of(request))
        return page(request, user, "audit.html", "audit", e.status, errors=errors, form=form)
    actors = {e["actor"]["id"] for e in listed["items"] if e["actor"]["id"]}
    names = ctx.read(lambda uow: queries.usernames(uow, actors))
    entries = [
        {**e, "changes": changes(e["before"], e["after"], e["object"]["id"])}
        for e in listed["items"]
    ]
    return page(
        request,
        user,
        "audit.html",
        "audit",
        entries=entries,
        next_cursor=listed["next_cursor"],
        cursor=after,
        object_id=wanted,
        usernames=names,
        form=form,
    )
