"""Transport hardening (issue 9): security headers on every response, request size limits.

One pure ASGI middleware, outermost of ours (no ``BaseHTTPMiddleware``: it would copy every
body through a task and a queue, and the scan path is hot). Per request it wraps ``send`` once
to add the headers and ``receive`` once to count body bytes.

**Headers.** Every answer — pages, JSON, problems, files, even a 500 — carries
``Content-Security-Policy``, ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``
and ``Referrer-Policy: no-referrer`` (and ``Strict-Transport-Security`` when the request or
the public URL is https). The pages load nothing from elsewhere: one stylesheet of our own,
inline ``<style>`` and ``style=""`` (so ``style-src 'self' 'unsafe-inline'``; a style cannot
run code), and two small static scripts of the consoles, allowed by their SHA-256 hashes,
which are computed from the templates at start-up (a script's text changes → its hash does).
``script-src`` has no ``'unsafe-inline'``: markup injected into a page cannot run. The one
inline event handler (``onchange`` of the warehouse's store picker) is allowed by its hash with
``'unsafe-hashes'``. FastAPI's Swagger UI (``/api/v1/docs``) loads its bundle from a CDN and
runs an inline script, so that one page gets a policy that admits exactly those.

**Size limits.** A body above its endpoint's limit is ``413 PAYLOAD_TOO_LARGE`` before any
route, parser or database work: a ``Content-Length`` above the limit is refused without
reading the body, and a body without one (chunked) is counted as it streams and refused at the
first chunk that passes the limit. Three tiers (``Settings``, ``SUYUAN_MAX_*_BYTES``):

- bulk, 32 MiB: declaration uploads (``POST /api/v1/provider/declarations`` and the console's
  multi-file upload; one document holds ≤ 10,000 lines, ≈ 250 B each in ordinary JSON and
  ≈ 3 KB with every text field at its maximum length written as ``\\uXXXX`` escapes, so even
  the largest single document fits) and shipments/corrections (an order holds ≤ 100 lines of
  ≤ 10,000 units, one 17-symbol code each: ≈ 20 MB at the very most);
- codes, 4 MiB: attachment and void batches (≤ 10,000 codes; 10,000 grouped codes typed on a
  Chinese IME and sent escaped or form-encoded are ≈ 1.3–2 MB);
- everything else, 1 MiB (the largest legitimate bodies are forms and JSON of a few KiB).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suyuan.api.problems import problem
from suyuan.config import Settings
from suyuan.domain.scanning import network_of

TEMPLATES = Path(__file__).parents[1] / "web" / "templates"
Header = tuple[bytes, bytes]

_BULK = re.compile(
    r"^(?:/api/v1/provider/declarations|/console/provider/upload"
    r"|/api/v1/store/orders/[^/]+/(?:shipment|trace-codes)"
    r"|/console/store/orders/[^/]+/(?:shipment|correction))/?$"
)
_CODES = re.compile(
    r"^(?:/api/v1/warehouse/(?:attachments|voids)|/console/warehouse/(?:attach|void))/?$"
)
_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_HANDLER = re.compile(r"""\son[a-z]+=(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_JINJA = ("{{", "{%", "{#")


def _csp_hash(source: str) -> str:
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def inline_script_hashes(root: Path = TEMPLATES) -> tuple[list[str], list[str]]:
    """CSP hashes of the templates' inline ``<script>`` blocks and inline event handlers.

    Only static text can be allowed by hash; a script holding template syntax is skipped (and
    so blocked by the browser — a test keeps every inline script static)."""
    scripts: set[str] = set()
    handlers: set[str] = set()
    for path in sorted(root.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for attrs, body in _SCRIPT.findall(text):
            if "src=" not in (attrs or "") and not any(j in body for j in _JINJA):
                scripts.add(_csp_hash(body))
        for double, single in _HANDLER.findall(text):
            handler = double or single
            if not any(j in handler for j in _JINJA):
                handlers.add(_csp_hash(handler))
    return sorted(scripts), sorted(handlers)


@functools.cache
def page_policy(root: Path = TEMPLATES) -> str:
    """The Content-Security-Policy of every response but the API docs page."""
    scripts, handlers = inline_script_hashes(root)
    script_src = " ".join(scripts + (["'unsafe-hashes'", *handlers] if handlers else []))
    script_src = script_src or "'none'"
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {script_src}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )


DOCS_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'unsafe-inline' https://cdn.jsdelivr.net",
        "style-src 'unsafe-inline' https://cdn.jsdelivr.net",
        "img-src 'self' data: https://cdn.jsdelivr.net https://fastapi.tiangolo.com",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HSTS = "max-age=31536000"


def _headers(policy: str, https: bool) -> tuple[Header, ...]:
    pairs = [
        ("content-security-policy", policy),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
    ]
    if https:
        pairs.append(("strict-transport-security", HSTS))
    return tuple((k.encode(), v.encode()) for k, v in pairs)


class BodyTooLarge(HTTPException):
    """The request body passed its endpoint's limit (raised by the counting ``receive``)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413)
        self.limit = limit


def _size(limit: int) -> str:
    return f"{limit / (1 << 20):g} MiB" if limit >= 1 << 20 else f"{limit / 1024:g} KiB"


def too_large(scope: Scope, limit: int) -> Any:
    """The 413 problem, naming the endpoint's limit."""
    return problem(
        Request(scope),
        413,
        "PAYLOAD_TOO_LARGE",
        "error.body.too_large",
        {"limit": _size(limit)},
        extra={"max_bytes": limit},
    )


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length; counting still applies
    return None


class HardeningMiddleware:
    """Security headers on every answer; 413 for bodies above the endpoint's limit."""

    def __init__(self, app: ASGIApp, settings: Settings, docs_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.settings = settings
        self.docs_paths = frozenset(docs_paths)
        policy = page_policy()
        forced_https = settings.public_url.lower().startswith("https:")
        self._page = {https: _headers(policy, https or forced_https) for https in (False, True)}
        self._docs = {
            https: _headers(DOCS_POLICY, https or forced_https) for https in (False, True)
        }

    def limit_for(self, path: str) -> int:
        """The body limit of ``path`` in bytes."""
        if _BULK.match(path):
            return self.settings.max_bulk_body_bytes
        if _CODES.match(path):
            return self.settings.max_codes_body_bytes
        return self.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        https = scope.get("scheme") == "https"
        extra = (self._docs if path in self.docs_paths else self._page)[https]
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        limit = self.limit_for(path)
        length = _content_length(scope)
        if length is not None and length > limit:
            await too_large(scope, limit)(scope, receive, send_with_headers)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except BodyTooLarge as exc:
            if started:
                raise
            await too_large(scope, exc.limit)(scope, receive, send_with_headers)
        except Exception:
            # Starlette's outermost error middleware answers 500 through the server's own
            # ``send``, past these headers: answer here (the same generic problem, never a
            # trace), then re-raise so the registered handler logs it and the server sees it.
            if not started:
                response = problem(Request(scope), 500, "INTERNAL_ERROR", "error.INTERNAL_ERROR")
                await response(scope, receive, send_with_headers)
            raise


class ClientNetworkFilter(logging.Filter):
    """Access-log lines name the client's network (/24, /48), never its address.

    A consumer's address is personal data; scans keep only a salted hash of the network, and
    the server's access log (``uvicorn.access``: ``client - "GET /t/… HTTP/1.1" 200``) should
    not keep more. The network is what abuse handling and the rate limit work with anyway."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and args and isinstance(args[0], str) and args[0]:
            head, colon, port = args[0].rpartition(":")  # "1.2.3.4:5678", "::1:5678"
            host = head if colon and port.isdigit() else args[0]
            record.args = (network_of(host.strip("[]")), *args[1:])
        return True


ACCESS_FILTER = ClientNetworkFilter()


def install(app: FastAPI, settings: Settings) -> None:
    """Add the hardening middleware to ``app`` and mask client addresses in access logs."""
    docs = tuple(p for p in (app.docs_url, app.swagger_ui_oauth2_redirect_url) if p)
    app.add_middleware(HardeningMiddleware, settings=settings, docs_paths=docs)
    access = logging.getLogger("uvicorn.access")
    if ACCESS_FILTER not in access.filters:
        access.addFilter(ACCESS_FILTER)
