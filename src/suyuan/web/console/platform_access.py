"""用户与密钥: console users of any organization, and API keys for stores, warehouses and
providers. A new key is shown once, on the answer to the POST that made it: it is never put in
a URL, a cookie or the database (only its hash is kept), so no later page can show it again."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from suyuan.api.auth import Ctx
from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import DomainError
from suyuan.services import accounts
from suyuan.services import directory as queries
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console.common import check_csrf, lang_of, safe_cursor
from suyuan.web.console.platform_common import (
    PAGE_SIZE,
    TENANT_TYPES,
    USER_TYPES,
    FormCheck,
    User,
    done,
    errors_of,
    is_id,
    page,
    reopened,
)

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


def _access_values(
    uow: UnitOfWork, users_cursor: str | None, keys_cursor: str | None
) -> dict[str, Any]:
    listed_users = queries.users(uow, PAGE_SIZE, users_cursor)
    listed_keys = queries.api_keys(uow, PAGE_SIZE, keys_cursor)
    rows = listed_users["items"] + listed_keys["items"]
    return {
        "orgs": queries.org_choices(uow),
        "users": listed_users,
        "keys": listed_keys,
        "names": queries.org_names(uow, {r["org_id"] for r in rows if r["org_id"]}),
        "users_cursor": users_cursor,
        "keys_cursor": keys_cursor,
    }


def _access(
    request: Request,
    user: ConsoleUser,
    ctx: Ctx,
    status: int = 200,
    *,
    users_cursor: str | None = None,
    keys_cursor: str | None = None,
    **values: Any,
) -> HTMLResponse:
    """The page with both forms and the lists of users and keys."""
    shown = ctx.read(
        lambda uow: _access_values(uow, safe_cursor(users_cursor), safe_cursor(keys_cursor))
    )
    org_id = values.get("form", {}).get("org_id")
    if is_id(org_id) and not any(
        o["id"] == org_id for orgs in shown["orgs"].values() for o in orgs
    ):
        # an organization beyond the first page of the select, chosen from its list's link
        names = ctx.read(lambda uow: queries.org_names(uow, {org_id}))
        kind = values["form"].get("org_type")
        if org_id in names and kind in shown["orgs"]:
            shown["orgs"][kind].append({"id": org_id, "name": names[org_id]})
    return page(
        request,
        user,
        "access.html",
        "access",
        status,
        user_types=USER_TYPES,
        key_types=TENANT_TYPES,
        **shown,
        **values,
    )


@router.get("/access", response_class=HTMLResponse)
def access(
    request: Request,
    user: User,
    ctx: Ctx,
    org_type: str = "",
    org_id: str = "",
    users_cursor: str | None = None,
    keys_cursor: str | None = None,
) -> HTMLResponse:
    """用户与密钥; ``?org_type=&org_id=`` preselects an organization in both forms."""
    form = {"org_type": org_type, "org_id": org_id} if org_type in TENANT_TYPES else {}
    return _access(
        request,
        user,
        ctx,
        users_cursor=users_cursor,
        keys_cursor=keys_cursor,
        form=form,
        key_form=form,
    )


@router.get("/users")
@router.get("/api-keys")
def back_to_access(request: Request, user: User) -> Response:
    """The address of a form's answer opened again (reload, language switch): the form page;
    a key shown there is not shown again."""
    return reopened(request, "/access")


@router.post("/users", response_class=HTMLResponse)
def create_user(
    request: Request,
    user: User,
    ctx: Ctx,
    csrf_token: Text = "",
    org_type: Text = "",
    org_id: Text = "",
    username: Text = "",
    password: Text = "",
) -> Response:
    """新建后台用户: organization, username, password (at least 8 characters, argon2-hashed)."""
    check_csrf(user, {"csrf_token": csrf_token})
    check = FormCheck()
    kind = check.choice("org_type", org_type, USER_TYPES)
    org = check.org(kind, org_id)
    name = check.username(username)
    secret = check.password(password)
    try:
        check.raise_if_any()
        ctx.write(lambda uow: accounts.create_user(uow, user.actor, kind, org, name, secret))
    except DomainError as e:
        form = {"org_type": org_type, "org_id": org_id, "username": username}
        errors = errors_of(e, lang_of(request))
        return _access(request, user, ctx, e.status, errors=errors, form=form, key_form={})
    return done("/access", "user_created")


@router.post("/api-keys", response_class=HTMLResponse)
def issue_api_key(
    request: Request,
    user: User,
    ctx: Ctx,
    csrf_token: Text = "",
    org_type: Text = "",
    org_id: Text = "",
) -> Response:
    """签发 API 密钥: the answer is the only page that ever shows the key (not a redirect)."""
    check_csrf(user, {"csrf_token": csrf_token})
    check = FormCheck()
    kind = check.choice("org_type", org_type, TENANT_TYPES)
    org = check.org(kind, org_id)
    try:
        check.raise_if_any()
        issued = ctx.write(lambda uow: accounts.issue_api_key(uow, user.actor, kind, org))
    except DomainError as e:
        key_form = {"org_type": org_type, "org_id": org_id}
        errors = {f"key_{k}" if k else k: v for k, v in errors_of(e, lang_of(request)).items()}
        return _access(request, user, ctx, e.status, errors=errors, form={}, key_form=key_form)
    names = ctx.read(lambda uow: queries.org_names(uow, {issued["org_id"]}))
    org_name = names.get(issued["org_id"])
    return page(request, user, "key_issued.html", "access", issued=issued, org_name=org_name)
