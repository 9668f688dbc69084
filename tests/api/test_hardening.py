"""Hardening (issue 9): security headers on every answer, body size limits (413), hashed API keys
compared in constant time, safe session cookies, CSRF on every console form, generic 500s,
logs without secrets or buyer data, SQLite in WAL with a busy timeout."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import httpx
import pytest
import uvicorn
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from suyuan.api import hardening
from suyuan.app import create_app
from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.db.engine import make_engine
from suyuan.db.uow import UnitOfWork
from suyuan.domain.codes import generate_codes
from suyuan.services import accounts, credentials
from tests.api.conftest import API, EXAMPLE, Caller, Tenants, assert_problem, onboard
from tests.conftest import ADMIN_TOKEN

pytestmark = pytest.mark.usefixtures("ctx")
MiB = 1 << 20
PASSWORD = "correct horse battery"


def _app(ctx: Context, **settings: Any) -> Any:
    """The app on the test's database with some settings changed."""
    changed = Context(ctx.settings.model_copy(update=settings), ctx.engine, ctx.clock)
    return create_app(context=changed)


def _directives(response: Any) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    pairs = (d.strip().partition(" ") for d in policy.split(";") if d.strip())
    return {name: value for name, _, value in pairs}


def _assert_hardened(response: Any, *, hsts: bool = False) -> None:
    h = response.headers
    assert h["x-content-type-options"] == "nosniff", response.url
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"
    csp = _directives(response)
    assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"
    assert ("strict-transport-security" in h) is hsts


def _audit_rows(ctx: Context) -> int:
    return int(
        ctx.read(
            lambda uow: uow.conn.execute(select(func.count()).select_from(s.audit_log)).scalar_one()
        )
    )


def _user(admin: Caller, org_type: str, org_id: str | None, username: str) -> None:
    body = {"org_type": org_type, "org_id": org_id, "username": username, "password": PASSWORD}
    admin.ok("POST", "/platform/users", body, 201)


def _login(client: TestClient, username: str) -> Any:
    r = client.post(
        "/console/login",
        data={"username": username, "password": PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return r


# --- security headers ----------------------------------------------------------------------


def test_every_kind_of_answer_carries_the_security_headers(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    answers = [
        client.get("/console/login"),  # an HTML page
        client.get("/console/static/console.css"),  # a static file
        client.get(f"/p/{generate_codes(1)[0]}"),  # a page's 404
        client.get("/healthz"),
        admin.get("/platform/stores"),  # JSON
        client.get(f"{API}/platform/stores"),  # 401 problem
        client.delete(f"{API}/platform/stores"),  # 405
        tenants.store.get("/store/trace/warehouse-guide.pdf"),  # a problem (not onboarded)
        client.get(f"{API}/public/trace-codes/{generate_codes(1)[0]}"),  # scan path 404
    ]
    for r in answers:
        _assert_hardened(r)
    script = _directives(answers[0])["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "http" not in answers[0].headers["content-security-policy"]  # nothing external


def test_https_adds_hsts_and_secure_cookies(ctx: Context, admin: Caller, tenants: Tenants) -> None:
    _user(admin, "store", tenants.store_id, "shop-admin")
    with TestClient(create_app(context=ctx), base_url="https://suyuan.test") as tls:
        _assert_hardened(tls.get("/healthz"), hsts=True)
        assert "secure" in _login(tls, "shop-admin").headers["set-cookie"].lower()
    # TLS ends at a proxy that does not say so: the https public URL decides
    with TestClient(_app(ctx, public_url="https://trace.example.com")) as behind_proxy:
        _assert_hardened(behind_proxy.get("/healthz"), hsts=True)
        assert "secure" in _login(behind_proxy, "shop-admin").headers["set-cookie"].lower()


def test_the_policy_admits_exactly_the_inline_scripts_the_pages_render(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    onboard(tenants)
    _user(admin, "platform", None, "ops")
    _user(admin, "warehouse", tenants.warehouse_id, "wh-clerk")
    _login(client, "ops")
    access = client.get("/console/platform/access")
    issued = client.post(
        "/console/platform/api-keys",
        data={
            "csrf_token": re.findall(r'name="csrf_token" value="([^"]+)"', access.text)[0],
            "org_type": "store",
            "org_id": tenants.store_id,
        },
    )
    assert issued.status_code == 200 and "copy-key" in issued.text
    _login(client, "wh-clerk")
    apply = client.get("/console/warehouse/apply")
    assert 'onchange="this.form.submit()"' in apply.text
    allowed = set(_directives(access)["script-src"].split())
    rendered = 0
    for page in (access, issued, apply):
        for attrs, body in re.findall(r"<script(\s[^>]*)?>(.*?)</script>", page.text, re.S):
            assert "src=" not in attrs  # nothing loaded from elsewhere
            rendered += 1
            assert hardening._csp_hash(body) in allowed, body[:80]
        for handler in re.findall(r'\son[a-z]+="([^"]*)"', page.text):
            assert hardening._csp_hash(handler) in allowed and "'unsafe-hashes'" in allowed
    assert rendered == 2
    # every inline script of every template is static text, so its hash is what the page sends
    blocks = 0
    for path in hardening.TEMPLATES.rglob("*.html"):
        for _, body in re.findall(r"<script(\s[^>]*)?>(.*?)</script>", path.read_text(), re.S):
            blocks += 1
            assert not any(j in body for j in ("{{", "{%", "{#")), path
    assert len(hardening.inline_script_hashes()[0]) == blocks


def test_the_api_docs_page_gets_its_own_policy(client: TestClient) -> None:
    r = client.get(f"{API}/docs")
    assert r.status_code == 200
    _assert_hardened(r)
    script = _directives(r)["script-src"]
    assert "https://cdn.jsdelivr.net" in script
    assert "cdn.jsdelivr.net" not in client.get("/console/login").headers["content-security-policy"]


# --- request size limits -------------------------------------------------------------------


def test_the_limits_fit_the_largest_legitimate_payloads(ctx: Context) -> None:
    settings = ctx.settings
    # a declaration at the item limit (10,000 lines), every text field at its maximum length,
    # written with \\uXXXX escapes and pretty-printed: the worst a provider's tool could send
    item = {
        "item_no": 99_999,
        "hs_code": "3304990099",
        "goods_name": "霜" * 255,
        "spec": "瓶" * 64,
        "brand": "牌" * 128,
        "origin_country": "JPN",
        "quantity": 1_000_000_000,
        "unit": "瓶" * 16,
        "unit_price": "99999999999999.9999",
        "currency": "CNY",
    }
    declaration = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    declaration["items"] = [item] * 10_000
    worst = json.dumps(declaration, indent=4).encode()
    assert 28 * MiB < len(worst) < settings.max_bulk_body_bytes
    # a shipment of an order at its limits: 100 lines × 10,000 units, one grouped code each
    code = "7K3M 9Q2X B4TR 8WZD 5"
    lines = [{"product_id": "prd_" + "0" * 20, "trace_codes": [code] * 10_000}] * 100
    shipment = json.dumps({"tracking_no": "SF" * 32, "lines": lines}).encode()
    assert len(shipment) < settings.max_bulk_body_bytes
    # 10,000 grouped codes typed on a Chinese IME (full-width), escaped JSON or a console form
    wide = "".join(chr(ord(c) + 0xFEE0) if c != " " else "\u3000" for c in code)
    batch = json.dumps({"codes": [wide] * 10_000}).encode()
    form = ("codes=" + quote("\r\n".join([wide] * 10_000))).encode()
    assert max(len(batch), len(form)) < settings.max_codes_body_bytes
    assert settings.max_body_bytes == MiB


def _run_asgi(app: Any, scope: Any, receive: Any, send: Any) -> None:
    """Call an ASGI app on an event loop of its own thread (Playwright's sync API may be
    running a loop in this one when the browser tests share the session)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, app, scope, receive, send).result()


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/api/v1/platform/stores", MiB),
        ("/api/v1/provider/declarations", 32 * MiB),
        ("/console/provider/upload", 32 * MiB),
        ("/api/v1/store/orders/ord_X/shipment", 32 * MiB),
        ("/api/v1/store/orders/ord_X/trace-codes", 32 * MiB),
        ("/console/store/orders/ord_X/shipment", 32 * MiB),
        ("/console/store/orders/ord_X/correction", 32 * MiB),
        ("/api/v1/warehouse/attachments", 4 * MiB),
        ("/api/v1/warehouse/voids/", 4 * MiB),
        ("/console/warehouse/attach", 4 * MiB),
        ("/console/warehouse/void", 4 * MiB),
        ("/api/v1/warehouse/code-requests", MiB),
        ("/t/0000", MiB),
    ],
)
def test_a_declared_length_above_the_limit_is_refused_unread(
    ctx: Context, path: str, limit: int
) -> None:
    """Straight through the middleware: 413 without reading a byte or running the app."""
    ran: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        ran.append("app")
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive() -> Any:
        ran.append("receive")
        return {"type": "http.disconnect"}

    middleware = hardening.HardeningMiddleware(app, ctx.settings)
    assert middleware.limit_for(path) == limit
    for length, status in ((limit + 1, 413), (limit, 204)):
        ran.clear()
        sent: list[Any] = []

        async def send(message: Any, sent: list[Any] = sent) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "POST",
            "path": path,
            "headers": [(b"content-length", str(length).encode())],
            "query_string": b"",
            "scheme": "http",
            "server": ("testserver", 80),
        }
        _run_asgi(middleware, scope, receive, send)
        assert sent[0]["status"] == status
        headers = dict(sent[0]["headers"])
        assert headers[b"x-frame-options"] == b"DENY"
        if status == 413:
            assert ran == []  # refused unread
            assert headers[b"content-type"] == b"application/problem+json"
            assert json.loads(sent[1]["body"])["max_bytes"] == limit
        else:
            assert ran == ["app"]


def test_an_oversized_body_is_a_413_problem_and_changes_nothing(
    client: TestClient, admin: Caller, ctx: Context
) -> None:
    before = _audit_rows(ctx)
    store = {"name": "x" * (MiB + 10), "company_name": "上海海淘进出口有限公司", "pilot": True}
    r = admin.post("/platform/stores", store, headers={"Accept-Language": "en"})
    body = assert_problem(r, 413, "PAYLOAD_TOO_LARGE")
    assert body["max_bytes"] == MiB and "1 MiB" in body["detail"] and "split" in body["detail"]
    _assert_hardened(r)
    zh = admin.post("/platform/stores", store)
    assert "1 MiB" in zh.json()["detail"] and "多批" in zh.json()["detail"]
    assert _audit_rows(ctx) == before
    assert admin.ok("GET", "/platform/stores")["items"] == []


def test_a_chunked_body_is_counted_as_it_streams(ctx: Context, admin: Caller) -> None:
    app = _app(ctx, max_body_bytes=64 * 1024)
    sent: list[int] = []

    def chunks(n: int) -> Iterator[bytes]:
        yield '{"name": "海淘旗舰店", "company_name": "上海海淘进出口有限公司"'.encode()
        for _ in range(n):
            sent.append(1)
            yield b" " * 1024  # JSON allows any amount of whitespace between tokens
        yield b"}"

    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"}
    with TestClient(app) as c:
        r = c.post(f"{API}/platform/stores", content=chunks(200), headers=headers)
        assert "content-length" not in r.request.headers  # chunked: no length up front
        assert_problem(r, 413, "PAYLOAD_TOO_LARGE")
        assert r.json()["max_bytes"] == 64 * 1024
        assert c.get(f"{API}/platform/stores", headers=headers).json()["items"] == []
        small = c.post(f"{API}/platform/stores", content=chunks(10), headers=headers)
        assert small.status_code == 201, small.text  # under the limit, streamed just the same


def test_the_stream_stops_at_the_chunk_that_passes_the_limit(ctx: Context) -> None:
    """Without a length, the body is counted as the app reads it; the rest is never read."""
    chunks_read: list[int] = []

    async def receive() -> Any:
        chunks_read.append(1)
        return {"type": "http.request", "body": b" " * 1024, "more_body": True}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):  # reads everything, as the text guard does
            pass
        raise AssertionError("an endless body was read to its end")

    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    settings = ctx.settings.model_copy(update={"max_body_bytes": 10 * 1024})
    scope = {"type": "http", "method": "POST", "path": "/api/v1/platform/stores", "headers": []}
    _run_asgi(
        hardening.HardeningMiddleware(app, settings), {**scope, "query_string": b""}, receive, send
    )
    assert sent[0]["status"] == 413 and len(chunks_read) == 11


def test_each_endpoint_class_has_its_own_limit(
    ctx: Context, admin: Caller, tenants: Tenants
) -> None:
    app = _app(ctx, max_body_bytes=4096, max_codes_body_bytes=16_384, max_bulk_body_bytes=65_536)
    codes = generate_codes(600)  # ~12 KiB of JSON
    declaration = EXAMPLE.read_bytes()
    big_declaration = json.loads(declaration)
    big_declaration["overseas_consignor"] = "K" * 100_000
    with TestClient(app) as c:
        wh = {"Authorization": f"Bearer {tenants.warehouse.key}"}
        pv = {"Authorization": f"Bearer {tenants.provider.key}"}
        attached = c.post(f"{API}/warehouse/attachments", json={"codes": codes}, headers=wh)
        assert attached.status_code == 200, attached.text  # 12 KiB > 4 KiB default: codes tier
        assert len(attached.json()["rejected"]) == 600  # (none is ours: CODE_UNKNOWN)
        more = c.post(f"{API}/warehouse/attachments", json={"codes": codes * 2}, headers=wh)
        assert_problem(more, 413, "PAYLOAD_TOO_LARGE")
        loaded = c.post(
            f"{API}/provider/declarations",
            content=declaration * 1,
            headers={**pv, "Content-Type": "application/json"},
        )
        assert loaded.status_code == 201, loaded.text
        too_big = c.post(f"{API}/provider/declarations", json=big_declaration, headers=pv)
        assert_problem(too_big, 413, "PAYLOAD_TOO_LARGE")
        # the console's multi-file upload counts the whole multipart body
        _user(admin, "provider", tenants.provider_id, "pv-clerk")
        _login(c, "pv-clerk")
        many = 65_536 // len(declaration) + 1
        files = [("files", (f"d{i}.json", declaration, "application/json")) for i in range(many)]
        upload = c.post("/console/provider/upload", data={"csrf_token": "x"}, files=files)
        assert_problem(upload, 413, "PAYLOAD_TOO_LARGE")


# --- credentials, sessions, CSRF -------------------------------------------------------------


def test_api_keys_are_stored_as_hashes_and_compared_in_constant_time(
    ctx: Context, admin: Caller, tenants: Tenants, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = admin.ok(
        "POST", "/platform/api-keys", {"org_type": "store", "org_id": tenants.store_id}, 201
    )
    key = issued["key"]
    assert key.startswith("sy_") and len(base64.urlsafe_b64decode(key[3:] + "=")) == 32
    row = ctx.read(
        lambda uow: (
            uow.conn.execute(select(s.api_keys).where(s.api_keys.c.id == issued["id"]))
            .one()
            ._mapping
        )
    )
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert all(key not in str(v) and key[3:] not in str(v) for v in row.values())
    store = Caller(admin.client, key)
    assert store.get("/store/trace").status_code == 200
    for forged in (key[:-1] + ("A" if key[-1] != "A" else "B"), key[:-1], key + "x"):
        assert_problem(Caller(admin.client, forged).get("/store/trace"), 401, "UNAUTHENTICATED")
    # the configured admin token is compared through digests with hmac.compare_digest
    seen: list[tuple[str, str]] = []
    compare = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        seen.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(credentials.hmac, "compare_digest", spy)
    assert admin.get("/platform/stores").status_code == 200
    assert_problem(
        Caller(admin.client, ADMIN_TOKEN[:-1]).get("/platform/stores"), 401, "UNAUTHENTICATED"
    )
    assert len(seen) >= 2
    assert all(len(a) == len(b) == 64 and ADMIN_TOKEN not in a + b for a, b in seen)


def test_session_cookie_is_httponly_samesite_and_holds_no_stored_secret(
    client: TestClient, ctx: Context, admin: Caller, tenants: Tenants
) -> None:
    _user(admin, "store", tenants.store_id, "shop-admin")
    r = _login(client, "shop-admin")
    cookie = r.headers["set-cookie"]
    attrs = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
    assert {"httponly", "samesite", "path", "max-age"} <= attrs and "secure" not in attrs
    assert "samesite=lax" in cookie.lower() and "path=/console" in cookie.lower()
    token = cookie.split(";")[0].split("=", 1)[1]
    assert len(token) >= 43  # 256 random bits
    stored = ctx.read(lambda uow: uow.conn.execute(select(s.console_sessions)).one()._mapping)
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in [str(v) for v in stored.values()]


def _routes(routes: Any, prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """``(path, methods)`` of every API route, also inside included routers (FastAPI keeps
    those as branches of the route table)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route.methods
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes, prefix + route.include_context.prefix)


def _console_posts(app: Any) -> list[str]:
    return sorted(
        path
        for path, methods in _routes(app.routes)
        if path.startswith("/console/") and "POST" in methods and path != "/console/login"
    )


def test_every_console_form_refuses_a_missing_or_forged_csrf_token(
    client: TestClient, ctx: Context, admin: Caller, tenants: Tenants
) -> None:
    onboard(tenants)
    logins = {
        "platform": (None, "ops"),
        "store": (tenants.store_id, "shop-admin"),
        "warehouse": (tenants.warehouse_id, "wh-clerk"),
        "provider": (tenants.provider_id, "pv-clerk"),
    }
    for kind, (org_id, name) in logins.items():
        _user(admin, kind, org_id, name)
    posts = _console_posts(client.app)
    for form in (
        "/console/logout",
        "/console/platform/api-keys",
        "/console/store/orders/{order_id}/shipment",
        "/console/warehouse/attach",
        "/console/provider/upload",
    ):
        assert form in posts, posts  # the walk finds the forms of nested routers too
    before = _audit_rows(ctx)
    logged_in = ""
    for path in posts:  # sorted, so one login per console
        name = logins.get(path.split("/")[2], logins["store"])[1]
        if name != logged_in:
            _login(client, name)
            logged_in = name
        url = re.sub(r"\{[^}]+\}", "x", path)
        for data in ({}, {"csrf_token": "forged"}):
            r = client.post(url, data=data, follow_redirects=False)
            assert r.status_code == 403, (path, data, r.status_code, r.text[:200])
    assert _audit_rows(ctx) == before  # no form did anything


# --- errors and logs ------------------------------------------------------------------------

SECRET_PARAM = "sekrit-parameter-4242"


def _explode(uow: UnitOfWork, *args: Any) -> Any:
    uow.conn.execute(
        text("SELECT password FROM no_such_table WHERE token = :token"), {"token": SECRET_PARAM}
    )


def test_an_internal_error_is_a_generic_problem_and_logs_no_parameters(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(accounts, "create_org", _explode)
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(context=ctx), raise_server_exceptions=False) as c:
        r = c.post(
            f"{API}/platform/providers",
            json={"name": "中检"},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
    body = assert_problem(r, 500, "INTERNAL_ERROR")
    assert set(body) == {"type", "title", "status", "detail", "code", "instance"}
    for leak in (
        "SELECT",
        "no_such_table",
        "Traceback",
        "sqlalchemy",
        "sqlite",
        "psycopg",
        "File ",
    ):
        assert leak.lower() not in r.text.lower(), leak
    assert SECRET_PARAM not in r.text
    _assert_hardened(r)
    errors = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert len([e for e in errors if e.name == "suyuan.api"]) == 1  # logged once, with the trace
    logged = "\n".join(rec.getMessage() + "\n" + (rec.exc_text or "") for rec in caplog.records)
    logged += "\n".join(logging.Formatter().format(rec) for rec in errors)
    assert "no_such_table" in logged  # the operator sees what failed…
    assert SECRET_PARAM not in logged  # …but not the values it carried


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live(ctx: Context) -> Iterator[str]:
    """The app under uvicorn with logging left to pytest, so its access log is captured."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(context=ctx), host="127.0.0.1", port=port, log_config=None, log_level="info"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_logs_hold_no_keys_passwords_sessions_or_buyer_data(
    live: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    buyer = {"name": "王小明", "phone": "13800138000", "address": "上海市浦东新区世纪大道100号"}
    secrets = [ADMIN_TOKEN, PASSWORD, "wrong-password-77", *buyer.values()]
    with httpx.Client(base_url=live) as c:
        store = c.post(
            f"{API}/platform/stores",
            json={"name": "海淘旗舰店", "company_name": "上海海淘进出口有限公司", "pilot": True},
            headers=admin,
        ).json()
        body = {
            "org_type": "store",
            "org_id": store["id"],
            "username": "shop",
            "password": PASSWORD,
        }
        assert c.post(f"{API}/platform/users", json=body, headers=admin).status_code == 201
        key = c.post(
            f"{API}/platform/api-keys",
            json={"org_type": "store", "org_id": store["id"]},
            headers=admin,
        ).json()["key"]
        secrets.append(key)
        bad = c.post("/console/login", data={"username": "shop", "password": "wrong-password-77"})
        assert bad.status_code == 401
        ok = c.post(
            "/console/login",
            data={"username": "shop", "password": PASSWORD},
            follow_redirects=True,
        )
        assert ok.status_code == 200 and "suyuan_session" in c.cookies
        session = c.cookies["suyuan_session"]
        csrf = re.findall(r'name="csrf_token" value="([^"]+)"', ok.text)[0]
        secrets += [session, csrf]
        store_key = {"Authorization": f"Bearer {key}"}
        product = c.post(
            f"{API}/store/products",
            json={"title": "国产毛巾", "goods_type": "general"},
            headers=store_key,
        ).json()
        line = {"product_id": product["id"], "quantity": 1}
        with_buyer = c.post(
            f"{API}/store/orders", json={"items": [line], "buyer": buyer}, headers=store_key
        )
        assert with_buyer.status_code == 422
        order = c.post(f"{API}/store/orders", json={"items": [line]}, headers=store_key)
        assert order.status_code == 201, order.text
        assert c.get(f"/p/{product['id']}").status_code == 200
        c.post("/console/logout", data={"csrf_token": csrf})
    time.sleep(0.2)  # the last access-log line is written after the answer
    access = [r for r in caplog.records if r.name == "uvicorn.access"]
    assert len(access) >= 10
    assert all(r.getMessage().startswith("127.0.0.0/24 - ") for r in access), access[0].getMessage()
    # what the server side wrote (the client's own httpx/httpcore debug lines are not ours)
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert "uvicorn.access" in {r.name for r in server}
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in server)
    assert "127.0.0.1" not in logged  # the client's address is never kept
    for secret in secrets:
        assert secret not in logged, secret


# --- SQLite ---------------------------------------------------------------------------------


def test_sqlite_runs_in_wal_with_a_busy_timeout_and_writers_queue(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (0)")
    holding = threading.Event()
    released = threading.Event()

    def long_writer() -> None:
        with engine.connect() as conn:
            conn.info["write"] = True
            with conn.begin():
                conn.exec_driver_sql("UPDATE t SET n = n + 1")
                holding.set()
                time.sleep(0.6)
            released.set()

    thread = threading.Thread(target=long_writer)
    thread.start()
    assert holding.wait(5)
    started = time.monotonic()
    with engine.connect() as reader:  # WAL: a reader is not blocked by the open write
        assert reader.exec_driver_sql("SELECT n FROM t").scalar() == 0
    assert time.monotonic() - started < 0.3 and not released.is_set()
    with engine.connect() as conn:  # a second writer waits for the lock instead of failing
        conn.info["write"] = True
        with conn.begin():
            conn.exec_driver_sql("UPDATE t SET n = n + 10")
    waited = time.monotonic() - started
    assert released.is_set() and waited >= 0.4
    thread.join()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT n FROM t").scalar() == 11
    engine.dispose()
