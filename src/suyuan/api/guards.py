"""Input no database can take, refused at the door with a problem instead of a 500.

PostgreSQL text cannot hold NUL characters (SQLite can), so a NUL anywhere in the path, the
query or a JSON body (``\\u0000``) is a 422 VALIDATION_ERROR before any route runs — on both
databases alike.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suyuan.api.problems import problem
from suyuan.domain.errors import FieldError


class NulGuardMiddleware:
    """Reject NUL characters in the path, query string or body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").lower()
        body = await _read(receive) if scope["method"] in ("POST", "PUT", "PATCH") else None
        if (
            "\x00" in scope["path"]
            or b"%00" in query
            or b"\x00" in query
            or (body is not None and (b"\\u0000" in body or b"\x00" in body))
        ):
            response = problem(
                Request(scope),
                422,
                "VALIDATION_ERROR",
                "error.text.nul",
                errors=[FieldError("", "error.text.nul")],
            )
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive) if body is not None else receive, send)


async def _read(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
