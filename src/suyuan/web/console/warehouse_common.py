"""What the warehouse console's pages share: the user, formatting, notices and problem pages.

A warehouse acts for a store only while the store links it and its subscription is current
(R6). The services say no with ``WAREHOUSE_NOT_LINKED`` / ``SUBSCRIPTION_EXPIRED`` /
``NOT_FOUND``; here those become pages that say why, in the warehouse's words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from suyuan.context import Context
from suyuan.domain.errors import DomainError, FieldError
from suyuan.i18n import CATALOG, Lang, translate
from suyuan.services import sharing
from suyuan.services.paging import Page
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console.common import (
    cn_time,
    field_errors,
    lang_of,
    redirect,
    render,
    user_of,
)

User = Annotated[ConsoleUser, Depends(user_of("warehouse"))]
BASE = "/console/warehouse"
PAGE_SIZE = 50
MAX_LIST = 200  # the services' page limit
# Where a NOT_FOUND of a form's object is shown.
_FIELD_OF_KIND = {
    "product": "product_id",
    "declaration_item": "declaration_item_id",
    "store": "store_id",
}


def warehouse_id(user: ConsoleUser) -> str:
    """The warehouse the user works for."""
    assert user.org_id is not None  # noqa: S101 - warehouse users always belong to one
    return user.org_id


def yuan(fen: int) -> str:
    """Integer fen as yuan without the sign: ``300`` → ``3.00``."""
    whole, cents = divmod(fen, 100)
    return f"{whole:,}.{cents:02d}"


def page(
    request: Request,
    user: ConsoleUser,
    template: str,
    section: str,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    """A warehouse page with its side-menu ``section``, formatting helpers and the notice."""
    values.setdefault("errors", {})
    values.setdefault("form", {})
    values.setdefault("notice", notice_of(request, values.pop("notice_params", {})))
    return render(
        request,
        f"console/warehouse/{template}",
        status,
        user=user,
        section=section,
        cn_time=cn_time,
        yuan=yuan,
        **values,
    )


def notice_of(request: Request, params: dict[str, Any]) -> str | None:
    """``?notice=applied`` → that catalog message; anything else shows nothing."""
    name = request.query_params.get("notice", "")
    key = f"warehouse.notice.{name}"
    return translate(key, lang_of(request), params) if name and key in CATALOG else None


def done(path: str, notice: str, **query: str) -> RedirectResponse:
    """Post/Redirect/Get with a notice."""
    return redirect(f"{BASE}{path}?{urlencode({'notice': notice, **query})}")


def errors_of(error: DomainError, lang: Lang) -> dict[str, str]:
    """A rejected form's errors by field, said the warehouse's way."""
    if error.code == "NOT_FOUND":
        field = _FIELD_OF_KIND.get(str(error.params.get("kind")), "")
        error = DomainError(
            error.code,
            error.status,
            "warehouse.error.form",
            errors=[FieldError(field, "warehouse.error.unknown_choice")],
        )
    out = field_errors(error, lang)
    if error.code == "SUBSCRIPTION_EXPIRED":
        out[""] = translate("warehouse.expired.short", lang)
    elif error.code == "VALIDATION_ERROR":
        out[""] = translate("warehouse.error.form", lang)
    return out


def problem(request: Request, user: ConsoleUser, error: DomainError) -> HTMLResponse:
    """A page that says why nothing can be done: unknown (404), not linked, expired."""
    lang = lang_of(request)
    if error.code == "NOT_FOUND":
        title = translate("warehouse.problem.not_found.title", lang)
        message = translate("warehouse.problem.not_found", lang)
    elif error.code == "SUBSCRIPTION_EXPIRED":
        title = translate("title.SUBSCRIPTION_EXPIRED", lang)
        message = translate("warehouse.expired.short", lang)
    else:
        title_key = f"title.{error.code}"
        title = translate(title_key, lang) if title_key in CATALOG else error.code
        message = translate(error.key, lang, error.params)
    return page(request, user, "problem.html", "", error.status, title=title, message=message)


def linked_stores(ctx: Context, warehouse: str, limit: int = 1000) -> list[dict[str, Any]]:
    """The stores linking this warehouse (up to ``limit``), for selects and name look-ups."""
    return collect(
        lambda cursor: ctx.read(
            lambda uow: sharing.warehouse_stores(uow, warehouse, MAX_LIST, cursor)
        ),
        limit,
    )


def collect(fetch: Callable[[str | None], Page], limit: int) -> list[dict[str, Any]]:
    """Every item of a paged list, up to ``limit``."""
    out: list[dict[str, Any]] = []
    cursor: str | None = None
    while len(out) < limit:
        got = fetch(cursor)
        out += got["items"]
        cursor = got["next_cursor"]
        if cursor is None:
            break
    return out[:limit]


def find_store(ctx: Context, warehouse: str, store_id: str) -> dict[str, Any]:
    """The linked store, or 403 WAREHOUSE_NOT_LINKED (as the services answer, R6)."""
    for store in linked_stores(ctx, warehouse):
        if store["store_id"] == store_id:
            return store
    raise DomainError("WAREHOUSE_NOT_LINKED", 403)
