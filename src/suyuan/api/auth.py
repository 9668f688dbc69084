"""Who is calling: the bearer key decides the actor; each router requires one kind (SPEC §7).

Missing or unknown key → 401 UNAUTHENTICATED; a key of another kind → 403 FORBIDDEN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from suyuan.context import Context
from suyuan.domain.actor import Actor
from suyuan.domain.errors import DomainError
from suyuan.services.accounts import actor_for_key
from suyuan.services.credentials import same_secret


async def get_context(request: Request) -> Context:
    """The running service's context (async: a plain lookup needs no worker thread)."""
    ctx: Context = request.app.state.ctx
    return ctx


Ctx = Annotated[Context, Depends(get_context)]


def bearer_token(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>``, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def actor_for_token(ctx: Context, token: str | None) -> Actor | None:
    """Who a bearer token belongs to: the configured admin token, or an issued key."""
    if token is None:
        return None
    admin = ctx.settings.admin_token
    if admin and same_secret(token, admin):
        return Actor("platform", None, "env:SUYUAN_ADMIN_TOKEN")
    return ctx.read(lambda uow: actor_for_key(uow, token))


def authenticate(request: Request, ctx: Ctx) -> Actor:
    """The actor behind the request's key."""
    actor = actor_for_token(ctx, bearer_token(request))
    if actor is None:
        raise DomainError("UNAUTHENTICATED", 401)
    return actor


def require(kind: str) -> Callable[[Actor], Actor]:
    """A dependency admitting only actors of ``kind``."""

    def check(actor: Annotated[Actor, Depends(authenticate)]) -> Actor:
        if actor.type != kind:
            raise DomainError("FORBIDDEN", 403, params={"kind": kind})
        return actor

    return check


PlatformActor = Annotated[Actor, Depends(require("platform"))]
StoreActor = Annotated[Actor, Depends(require("store"))]
WarehouseActor = Annotated[Actor, Depends(require("warehouse"))]
ProviderActor = Annotated[Actor, Depends(require("provider"))]


def org_id(actor: Actor) -> str:
    """The organization of a tenant actor (never None for store/warehouse/provider keys)."""
    assert actor.org_id is not None  # noqa: S101 - guaranteed by the api_keys check constraint
    return actor.org_id
