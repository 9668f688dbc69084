"""``Idempotency-Key`` on POST (R19): a retried request replays the first answer.

The first request with a key claims it (a row keyed by the caller and the key, inserted before
the work starts, so a concurrent duplicate sees the claim and gets 409). A successful answer is
stored and replayed to retries with the same body; an error answer releases the claim, so the
client may retry after fixing the cause. The same key with a different body is 422.
"""

from __future__ import annotations

import hashlib
from typing import Any

import anyio
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suyuan.api.problems import problem
from suyuan.context import Context
from suyuan.db import schema as s

MAX_KEY_LENGTH = 255


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
        body = await request.body()
        await self._handle(scope, request, key, body, send)

    async def _handle(
        self, scope: Scope, request: Request, key: str, body: bytes, send: Send
    ) -> None:
        ctx: Context = scope["app"].state.ctx
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            await problem(
                request,
                422,
                "VALIDATION_ERROR",
                "error.idempotency_key.length",
                {"max": MAX_KEY_LENGTH},
            )(scope, _no_receive, send)
            return
        scope_id = hashlib.sha256(request.headers.get("authorization", "").encode()).hexdigest()
        fingerprint = hashlib.sha256(
            scope["method"].encode() + b" " + scope["path"].encode() + b"\n" + body
        ).hexdigest()
        claim = await anyio.to_thread.run_sync(_claim, ctx, scope_id, key, fingerprint)
        if claim is not None:
            await _answer_existing(request, claim, fingerprint)(scope, _no_receive, send)
            return
        status, headers, chunks = await _run(self.app, scope, body)
        ok = status < 400
        await anyio.to_thread.run_sync(_settle, ctx, scope_id, key, ok, status, headers, chunks)
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


def _claim(ctx: Context, scope_id: str, key: str, fingerprint: str) -> Any:
    """Insert the claim; return the existing row when the key was used before."""
    t = s.idempotency_keys
    try:
        with ctx.engine.begin() as conn:
            conn.execute(
                insert(t).values(
                    scope=scope_id,
                    key=key,
                    fingerprint=fingerprint,
                    state="started",
                    created_at=ctx.clock.now(),
                )
            )
        return None
    except IntegrityError:
        with ctx.engine.connect() as conn:
            return conn.execute(select(t).where(t.c.scope == scope_id, t.c.key == key)).first()


def _settle(
    ctx: Context,
    scope_id: str,
    key: str,
    ok: bool,
    status: int,
    headers: list[Any],
    chunks: list[bytes],
) -> None:
    t = s.idempotency_keys
    where = (t.c.scope == scope_id) & (t.c.key == key)
    with ctx.engine.begin() as conn:
        if not ok:
            conn.execute(delete(t).where(where))
            return
        content_type = dict(headers).get(b"content-type", b"application/json").decode()
        conn.execute(
            update(t)
            .where(where)
            .values(
                state="done",
                status_code=status,
                content_type=content_type,
                body=b"".join(chunks).decode(),
            )
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
            errors=None,
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
