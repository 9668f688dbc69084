"""Console login and logout; ``/console/`` sends each user to their organization's console."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from suyuan.api.auth import Ctx
from suyuan.domain.errors import DomainError
from suyuan.services.sessions import LIFETIME, login, logout
from suyuan.web.console.common import (
    COOKIE,
    HOME,
    check_csrf,
    current_user,
    field_errors,
    lang_of,
    redirect,
    render,
    secure_cookies,
)

router = APIRouter(prefix="/console", include_in_schema=False)


def _safe_next(url: str | None, fallback: str) -> str:
    """Only our own console paths, never another site (no open redirect)."""
    if url and url.startswith("/console/") and not url.startswith("//"):
        return url
    return fallback


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """The user's own console, or the login page."""
    user = current_user(request)
    return redirect(HOME[user.org_type] if user else "/console/login")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    """用户名 + 密码."""
    return render(request, "console/login.html", next=_safe_next(next, ""), errors={})


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    ctx: Ctx,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials; on success set the session cookie and go on."""
    try:
        token, user = ctx.write(lambda uow: login(uow, username.strip(), password))
    except DomainError as e:
        return render(
            request,
            "console/login.html",
            401,
            next=next,
            username=username,
            errors=field_errors(e, lang_of(request)),
        )
    response = redirect(_safe_next(next, HOME[user.org_type]))
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/console",
    )
    return response


@router.post("/logout")
async def logout_submit(request: Request, ctx: Ctx) -> RedirectResponse:
    """End the session (the form carries the CSRF token)."""
    user = current_user(request)
    token = request.cookies.get(COOKIE)
    if user is not None and token:
        check_csrf(user, await request.form())
        ctx.write(lambda uow: logout(uow, token))
    response = redirect("/console/login")
    response.delete_cookie(
        COOKIE, path="/console", secure=secure_cookies(request), httponly=True, samesite="lax"
    )
    return response
