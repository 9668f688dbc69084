"""``Idempotency-Key`` on POST (R19): a retried request replays the first answer.

The first request with a key claims it: a row keyed by the authenticated caller (its kind and
organization, so a replay needs valid credentials of the same tenant) and the key, inserted before
the work starts, so a concurrent duplicate sees the claim and gets 409. A successful answer is
stored and replayed to retries with the same body; an error answer — or an exception — releases
the claim, so the client may retry after fixing the cause. A claim whose request died with its
process is taken over after ``LEASE``. The same key with a different body is 422. Secrets in an
answer (a new API key) are never stored: the replay carries ``null`` in their place.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suyuan.api.auth import actor_for_token, bearer_token
from suyuan.api.problems import problem
from suyuan.context import Context
from suyuan.db import schema as s

MAX_KEY_LENGTH = 255
LEASE = timedelta(minutes=15)
SECRET_FIELDS = {"/api/v1/platform/api-keys": ("key",)}


class IdempotencyMiddleware:
    """Pure ASGI middleware, so the request body can be read once and handed on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        key = request.headers.get("idempotency-key")
        if key is None:
            await self.app(scope, receive, send)
            return
        ctx: Context = scope["app"].state.ctx
        actor = await anyio.to_thread.run_sync(actor_for_token, ctx, bearer_token(request))
        if actor is None:  # the route itself answers 401
            await self.app(scope, receive, send)
            return
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            await problem(
                request,
                422,
                "VALIDATION_ERROR",
                "error.idempotency_key.length",
                {"max": MAX_KEY_LENGTH},
            )(scope, _no_receive, send)
            return
        body = await request.body()
        owner = hashlib.sha256(f"{actor.type}:{actor.org_id or ''}".encode()).hexdigest()
        fingerprint = hashlib.sha256(
            scope["method"].encode() + b" " + scope["path"].encode() + b"\n" + body
        ).hexdigest()
        claim = await anyio.to_thread.run_sync(_claim, ctx, owner, key, fingerprint)
        if claim is not None:
            await _answer_existing(request, claim, fingerprint)(scope, _no_receive, send)
            return
        try:
            status, headers, chunks = await _run(self.app, scope, body)
        except BaseException:
            await anyio.to_thread.run_sync(_release, ctx, owner, key)
            raise
        if status < 400:
            stored = _redacted(scope["path"], b"".join(chunks))
            await anyio.to_thread.run_sync(_settle, ctx, owner, key, status, headers, stored)
        else:
            await anyio.to_thread.run_sync(_release, ctx, owner, key)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"".join(chunks)})


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


async def _run(app: ASGIApp, scope: Scope, body: bytes) -> tuple[int, list[Any], list[bytes]]:
    """Run the request with the buffered body and capture the whole response."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status = 500
    headers: list[Any] = []
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status, headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    return status, headers, chunks


def _redacted(path: str, body: bytes) -> str:
    fields = SECRET_FIELDS.get(path)
    if not fields:
        return body.decode()
    data = json.loads(body)
    return json.dumps({**data, **dict.fromkeys(fields)}, ensure_ascii=False)


def _claim(ctx: Context, owner: str, key: str, fingerprint: str) -> Any:
    """Insert the claim (or take over an abandoned one); else return the existing row."""
    t = s.idempotency_keys
    now = datetime.now(UTC)  # wall time: leases must not follow the test clock
    try:
        with ctx.engine.begin() as conn:
            conn.execute(
                insert(t).values(
                    scope=owner, key=key, fingerprint=fingerprint, state="started", created_at=now
                )
            )
        return None
    except IntegrityError:
        pass
    where = (t.c.scope == owner) & (t.c.key == key)
    with ctx.engine.begin() as conn:
        row = conn.execute(select(t).where(where)).first()
        if row is not None and row.state == "started" and row.created_at < now - LEASE:
            taken = conn.execute(
                update(t)
                .where(where, t.c.state == "started", t.c.created_at == row.created_at)
                .values(fingerprint=fingerprint, created_at=now)
            )
            if taken.rowcount == 1:
                return None
        return row


def _release(ctx: Context, owner: str, key: str) -> None:
    t = s.idempotency_keys
    with ctx.engine.begin() as conn:
        conn.execute(delete(t).where(t.c.scope == owner, t.c.key == key))


def _settle(ctx: Context, owner: str, key: str, status: int, headers: list[Any], body: str) -> None:
    t = s.idempotency_keys
    content_type = dict(headers).get(b"content-type", b"application/json").decode()
    with ctx.engine.begin() as conn:
        conn.execute(
            update(t)
            .where(t.c.scope == owner, t.c.key == key)
            .values(state="done", status_code=status, content_type=content_type, body=body)
        )


def _answer_existing(request: Request, row: Any, fingerprint: str) -> Response:
    if row is None:  # released between our insert attempt and the read: ask to retry
        return problem(request, 409, "INVALID_STATE", "error.idempotency_key.in_progress")
    if row.fingerprint != fingerprint:
        return problem(
            request,
            422,
            "IDEMPOTENCY_KEY_REUSED",
            "error.IDEMPOTENCY_KEY_REUSED",
            extra={"field": "Idempotency-Key"},
        )
    if row.state != "done":
        return problem(request, 409, "INVALID_STATE", "error.idempotency_key.in_progress")
    return Response(
        row.body,
        status_code=row.status_code,
        media_type=row.content_type,
        headers={"Idempotent-Replayed": "true"},
    )
