"""What every page of the store console shares: the router and its HTML error pages, the store
layout's data (overview for the renewal banner and the expiry popup), form parsing and the
formatting of times (China time) and money (fen → ¥).

The console's own modules register their routes on ``router``; a ``DomainError`` that a handler
does not turn into field errors (404 of another store's object, 403 of a missing CSRF token)
becomes an HTML page in the store layout, never the API's JSON problem.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from suyuan.context import Context
from suyuan.db.uow import UnitOfWork
from suyuan.domain.codes import group
from suyuan.domain.errors import DomainError, FieldError, validation_error
from suyuan.i18n import CATALOG, Lang, translate
from suyuan.services import onboarding
from suyuan.services.billing import CHINA
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console.common import current_user, field_errors, lang_of, render, user_of

T = TypeVar("T")
HOME = "/console/store/"
MAX_LINES = 100
# Overall messages written for API callers ("see errors") or with per-field parameters: the
# console says it in its own words and shows the details at the fields.
_OVERALL = {
    "VALIDATION_ERROR": "store.error.VALIDATION_ERROR",
    "MALFORMED_TRACE_CODE": "store.error.MALFORMED_TRACE_CODE",
    "DUPLICATE_TRACE_CODE": "store.error.DUPLICATE_TRACE_CODE",
    "TRACE_CODE_COUNT_MISMATCH": "store.error.TRACE_CODE_COUNT_MISMATCH",
    "TRACE_CODES_REQUIRED": "store.error.TRACE_CODES_REQUIRED",
}


def error_page(request: Request, error: DomainError) -> HTMLResponse:
    """A refused request as a page: 404 as if the object did not exist (R18), 403, 409…"""
    lang = lang_of(request)
    kind = str(error.params.get("kind", ""))
    if error.code == "NOT_FOUND" and f"store.not_found.{kind}" in CATALOG:
        message = translate(f"store.not_found.{kind}", lang)
    else:
        message = errors_of(error, lang)[""]
    user = current_user(request)
    title = f"store.error.title.{error.status}"
    heading = translate(title if title in CATALOG else "store.error.title", lang)
    values: dict[str, Any] = {"error_status": error.status, "message": message, "heading": heading}
    if user is None or user.org_type != "store":
        return render(request, "console/store/error.html", error.status, nav="", **values)
    return page(request, user, "console/store/error.html", nav="", status=error.status, **values)


class StoreRoute(APIRoute):
    """A console route: a ``DomainError`` left unhandled becomes an HTML error page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        inner = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await inner(request)
            except DomainError as e:
                return await run_in_threadpool(error_page, request, e)

        return handler


router = APIRouter(prefix="/console/store", include_in_schema=False, route_class=StoreRoute)
User = Annotated[ConsoleUser, Depends(user_of("store"))]


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


def ctx_of(request: Request) -> Context:
    """The running service's context."""
    ctx: Context = request.app.state.ctx
    return ctx


def sid(user: ConsoleUser) -> str:
    """The logged-in user's store: every query of this console is scoped by it (R18)."""
    return user.org_id or ""


def errors_of(error: DomainError, lang: Lang) -> dict[str, str]:
    """``field_errors`` with the console's overall messages and the missing step's name."""
    if "missing_step" in error.params:
        step = error.params["missing_step"]
        error.params.setdefault("step_name", translate(f"step.{step}", lang))
    out = field_errors(error, lang)
    if error.code in _OVERALL:
        out[""] = translate(_OVERALL[error.code], lang, error.params)
    return out


def attempt(
    request: Request, use_case: Callable[[UnitOfWork], T]
) -> tuple[T | None, dict[str, str]]:
    """Run a write (form parsing included, inside the same unit of work): ``(result, {})``, or
    ``(None, {field: message})`` when refused — nothing changed then. A 404 stays a page:
    another store's object does not exist for this store (R18)."""
    try:
        return ctx_of(request).write(use_case), {}
    except DomainError as e:
        if e.status == 404:
            raise
        return None, errors_of(e, lang_of(request))


def page(
    request: Request,
    user: ConsoleUser,
    template: str,
    *,
    nav: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
    overview: dict[str, Any] | None = None,
    **values: Any,
) -> HTMLResponse:
    """A page in the store layout: crumbs, menu, the renewal banner and the expiry popup."""
    if overview is None:
        overview = ctx_of(request).read(lambda uow: onboarding.overview(uow, sid(user)))
    done = request.query_params.get("done", "")
    notice_key = f"store.done.{done}"
    notice = translate(notice_key, lang_of(request)) if notice_key in CATALOG else None
    return render(
        request,
        template,
        status,
        user=user,
        nav=nav,
        overview=overview,
        errors=errors or {},
        notice=notice,
        here=request.url.path,
        when=when,
        yuan=yuan,
        group=group,
        **values,
    )


# --- forms -----------------------------------------------------------------------------------


def text(form: FormData, name: str, max_length: int = 200) -> str:
    """A trimmed text field; text no database can hold or too long is refused at the field."""
    value = form.get(name)
    out = value.strip() if isinstance(value, str) else ""
    if "\x00" in out or any(0xD800 <= ord(c) <= 0xDFFF for c in out):
        raise validation_error([FieldError(name, "error.text.nul")])
    if len(out) > max_length:
        raise validation_error([FieldError(name, "store.error.too_long", {"max": max_length})])
    return out


def codes_of(raw: str) -> list[str]:
    """Codes typed one per line (a barcode scanner ends each with Enter); blank lines skipped.
    A code printed in groups (``7K3M 9Q2X B4TR 8WZD 5``) stays one code."""
    return [line.strip() for line in raw.splitlines() if line.strip()]


def indexed_lines(form: FormData, max_codes: int = 10_000) -> list[tuple[str, list[str]]]:
    """``product_0``/``codes_0``, ``product_1``/``codes_1``…: one order line each."""
    out: list[tuple[str, list[str]]] = []
    for i in range(MAX_LINES):
        if f"product_{i}" not in form:
            break
        codes = codes_of(text(form, f"codes_{i}", max_length=max_codes * 40))
        out.append((text(form, f"product_{i}"), codes))
    return out


def line_errors(errors: dict[str, str]) -> dict[int, list[str]]:
    """Field errors of ``lines[i]…`` grouped by line, to show under line ``i``'s codes."""
    out: dict[int, list[str]] = {}
    for field, message in errors.items():
        if field.startswith("lines[") and "]" in field:
            index = field[len("lines[") : field.index("]")]
            if index.isdigit():
                out.setdefault(int(index), []).append(message)
    return out


def safe_next(value: str) -> str:
    """A path of this console to come back to, never another site."""
    if value.startswith(HOME) and "//" not in value and "\\" not in value:
        return value
    return HOME


# --- formatting ------------------------------------------------------------------------------


def when(value: datetime | None, with_time: bool = True) -> str:
    """A time as China time (UTC+8), the way merchants read it; "—" for none."""
    if value is None:
        return "—"
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def yuan(fen: int) -> str:
    """Integer fen as ``¥12.30``."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}¥{fen // 100}.{fen % 100:02d}"


def china_local(value: str, field: str) -> datetime:
    """A ``<input type="datetime-local">`` value read as China time (UTC+8), made aware."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise validation_error([FieldError(field, "store.error.datetime")]) from None
    if not 1970 <= parsed.year <= 2999:
        raise validation_error([FieldError(field, "store.error.datetime")])
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=CHINA)
