"""What every console page shares: the logged-in user, CSRF, language, rendering, redirects.

Consoles are server-rendered Jinja2 pages on the same services the API uses. A page handler
gets the user with ``Depends(user_of("store"))``; a form handler calls ``check_csrf`` first and
renders field errors from a ``DomainError`` next to the fields.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from suyuan.api.problems import domain_problem as problem_response
from suyuan.context import Context
from suyuan.domain.errors import DomainError
from suyuan.i18n import Lang, negotiate, translate
from suyuan.services.billing import CHINA
from suyuan.services.sessions import ConsoleUser, session_user

COOKIE = "suyuan_session"
LANG_COOKIE = "suyuan_lang"
HOME = {
    "platform": "/console/platform/",
    "store": "/console/store/",
    "warehouse": "/console/warehouse/",
    "provider": "/console/provider/",
}
_env = Environment(
    loader=FileSystemLoader(Path(__file__).parents[1] / "templates"),
    autoescape=select_autoescape(["html"]),
)


class LoginRequired(Exception):
    """No (valid) session: the handler turns this into a redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def lang_of(request: Request) -> Lang:
    """``?lang=`` first, then the language cookie, then Accept-Language; zh by default."""
    override = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return negotiate(request.headers.get("accept-language"), override)


def current_user(request: Request) -> ConsoleUser | None:
    """The session's user, if the cookie holds a live session."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    ctx: Context = request.app.state.ctx
    return ctx.read(lambda uow: session_user(uow, token))


def secure_cookies(request: Request) -> bool:
    """Whether cookies must be ``Secure``: the request came over https (directly, or through a
    proxy the server trusts), or the service is published at an https URL."""
    ctx: Context = request.app.state.ctx
    return request.url.scheme == "https" or ctx.settings.public_url.lower().startswith("https:")


def user_of(kind: str) -> Callable[[Request], ConsoleUser]:
    """A dependency admitting a logged-in user of ``kind``; others go to the login page."""

    def dependency(request: Request) -> ConsoleUser:
        user = current_user(request)
        if user is None or user.org_type != kind:
            raise LoginRequired(str(request.url.path))
        return user

    return dependency


def check_csrf(user: ConsoleUser, form: Any) -> None:
    """Every form carries the session's CSRF token (403 FORBIDDEN otherwise)."""
    given = str(form.get("csrf_token", ""))
    if not hmac.compare_digest(given, user.csrf_token):
        raise DomainError("FORBIDDEN", 403, "error.csrf")


def render(
    request: Request,
    template: str,
    status: int = 200,
    *,
    user: ConsoleUser | None = None,
    **values: Any,
) -> HTMLResponse:
    """A console page in the user's language; ``t(key, **params)`` reads the one catalog."""
    lang = lang_of(request)

    def t(key: str, **params: Any) -> str:
        return translate(key, lang, params)

    html = _env.get_template(template).render(
        lang=lang,
        t=t,
        user=user,
        request=request,
        switch_lang_url=_switch_url(request, lang),
        **values,
    )
    response = HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(
            LANG_COOKIE, request.query_params["lang"], max_age=31_536_000, samesite="lax"
        )
    return response


def error_page(request: Request, exc: Exception) -> Response:
    """A rule's refusal on a console page (a stale form's CSRF token, another tenant's ID) as a
    page a person can act on; the JSON API keeps its problem documents."""
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
    if not request.url.path.startswith("/console/"):
        return problem_response(request, exc)
    lang = lang_of(request)
    heading = translate(f"title.{exc.code}", lang)
    return render(
        request,
        "console/error.html",
        exc.status,
        user=current_user(request),
        heading=heading if heading != f"title.{exc.code}" else exc.code,
        detail=translate(exc.key, lang, exc.params),
        errors={},
    )


def _switch_url(request: Request, lang: Lang) -> str:
    """This page in the other language, keeping its other query parameters."""
    query = dict(request.query_params)
    query["lang"] = "en" if lang == "zh" else "zh"
    return f"{request.url.path}?{urlencode(query)}"


def field_errors(error: DomainError, lang: Lang) -> dict[str, str]:
    """``{field: message}`` of a rejected form, ``""`` holding the overall message."""
    out = {e.field: translate(e.key, lang, e.params) for e in error.errors}
    out.setdefault("", translate(error.key, lang, error.params))
    return out


_CURSOR = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")


def safe_cursor(cursor: str | None) -> str | None:
    """A list cursor is an ID or a code; anything else starts from the first page."""
    return cursor if cursor and _CURSOR.match(cursor) else None


def cn_time(value: datetime | date | None) -> str:
    """An instant as China time (UTC+8) to the minute; a date as ``YYYY-MM-DD``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def redirect(url: str) -> RedirectResponse:
    """After a successful POST: see the result with a GET (303)."""
    return RedirectResponse(url, status_code=303)
