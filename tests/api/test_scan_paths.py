"""The scan has two paths with one meaning: on PostgreSQL inside the app's lifespan it is one
statement on an async pool (``scans_async``); elsewhere the same use case runs in a thread.
Both must count, log and answer alike."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.domain.codes import check_symbol
from tests.api.conftest import Shop

pytestmark = pytest.mark.usefixtures("ctx")


def _without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in keys}


def test_the_pooled_path_runs_exactly_on_postgresql(shop: Shop, ctx: Context) -> None:
    pool = shop.t.store.client.app.state.scan_pool
    assert (pool is not None) == (ctx.engine.dialect.name == "postgresql")


def test_both_paths_count_log_and_answer_alike(shop: Shop, ctx: Context) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    shop.ship(shop.order(1), shop.codes[:1])
    code = shop.codes[0]
    app = shop.t.store.client.app
    headers = {"user-agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0"}
    pooled = shop.t.store.client.get(f"/api/v1/public/trace-codes/{code}", headers=headers)
    threaded = TestClient(app).get(  # no lifespan: no pool, the thread path
        f"/api/v1/public/trace-codes/{code}", headers=headers
    )
    assert pooled.status_code == threaded.status_code == 200
    first, second = pooled.json(), threaded.json()
    assert (first["scan"]["count"], second["scan"]["count"]) == (1, 2)
    assert first["scan"]["first_scanned_at"] == second["scan"]["first_scanned_at"]
    assert first["scan"]["first_scanned_at"].endswith("Z")  # UTC as everywhere in the API
    assert _without(first, "scan") == _without(second, "scan")
    assert pooled.headers["content-type"] == threaded.headers["content-type"]
    with ctx.engine.connect() as conn:
        logged = conn.execute(
            select(s.scans.c.network_hash, s.scans.c.ua_family).where(s.scans.c.code == code)
        ).all()
    assert len(logged) == 2 and logged[0] == logged[1] and logged[0].ua_family == "wechat"


def test_an_unknown_code_changes_nothing_on_either_path(shop: Shop, ctx: Context) -> None:
    unknown = "ZZZZZZZZZZZZZZZZ"
    code = unknown + check_symbol(unknown)
    app = shop.t.store.client.app
    for client in (shop.t.store.client, TestClient(app)):
        r = client.get(f"/api/v1/public/trace-codes/{code}")
        assert r.status_code == 404 and r.json()["code"] == "TRACE_CODE_NOT_FOUND"
    with ctx.engine.connect() as conn:
        assert conn.execute(select(s.scans.c.id)).first() is None
