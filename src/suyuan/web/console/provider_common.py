"""What the provider console's pages share: the user, formatting and notices."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from suyuan.i18n import CATALOG, translate
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console.common import cn_time, lang_of, render, user_of

User = Annotated[ConsoleUser, Depends(user_of("provider"))]
BASE = "/console/provider"
PAGE_SIZE = 20
_COUNT = re.compile(r"^\d{1,7}$")


def provider_id(user: ConsoleUser) -> str:
    """The provider the user works for."""
    assert user.org_id is not None  # noqa: S101 - provider users always belong to one
    return user.org_id


def page(
    request: Request,
    user: ConsoleUser,
    template: str,
    section: str,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    """A provider page with its side-menu ``section``, the notice and helpers."""
    values.setdefault("errors", {})
    values.setdefault("notice", notice_of(request))
    return render(
        request,
        f"console/provider/{template}",
        status,
        user=user,
        section=section,
        cn_time=cn_time,
        **values,
    )


def notice_of(request: Request) -> str | None:
    """``?notice=loaded&loaded=1&unchanged=0`` → that catalog message with its counts."""
    query = request.query_params
    name = query.get("notice", "")
    key = f"provider.notice.{name}"
    if not name or key not in CATALOG:
        return None
    counts = {k: query.get(k, "0") for k in ("loaded", "unchanged")}
    counts = {k: v if _COUNT.match(v) else "0" for k, v in counts.items()}
    return translate(key, lang_of(request), counts)
