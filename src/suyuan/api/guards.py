"""Input no database can take, refused at the door with a problem instead of a 500.

PostgreSQL text cannot hold NUL characters (SQLite can), and no UTF-8 database can hold a lone
UTF-16 surrogate (JSON lets ``"\\ud800"`` through). Such text anywhere in the path, the query or
a JSON body is a 422 VALIDATION_ERROR naming the field, before any route runs — on both
databases alike.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suyuan.api.problems import problem
from suyuan.domain.errors import FieldError


class TextGuardMiddleware:
    """Reject NUL characters and lone surrogates in the path, query string or JSON body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").lower()
        errors: list[FieldError] = []
        if "\x00" in scope["path"] or b"%00" in query or b"\x00" in query:
            errors.append(FieldError("", "error.text.nul"))
        body = await _read(receive) if scope["method"] in ("POST", "PUT", "PATCH") else None
        if body:
            errors += _body_errors(body)
        if errors:
            response = problem(
                Request(scope), 422, "VALIDATION_ERROR", "error.VALIDATION_ERROR", errors=errors
            )
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive) if body is not None else receive, send)


def _body_errors(body: bytes) -> list[FieldError]:
    if b"\x00" in body:
        return [FieldError("", "error.text.nul")]
    if b"\\u" not in body:  # no escapes: nothing JSON could decode to NUL or a surrogate
        return []
    try:
        document = json.loads(body)
    except ValueError:
        return []  # not JSON: the route's own validation answers
    errors: list[FieldError] = []
    _walk(document, "", errors)
    return errors


def _walk(value: Any, path: str, errors: list[FieldError]) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            errors.append(FieldError(path, "error.text.nul"))
        elif not _encodable(value):
            errors.append(FieldError(path, "error.text.surrogate"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{path}[{i}]", errors)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(key, path, errors)
            _walk(item, f"{path}.{key}" if path else str(key), errors)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
