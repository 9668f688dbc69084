"""R19: a POST retried with the same ``Idempotency-Key`` is done once and answered the same."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.services import accounts
from tests.api.conftest import COMPANY, Caller, Tenants, assert_problem
from tests.conftest import ADMIN_TOKEN

pytestmark = pytest.mark.usefixtures("ctx")

STORE = {"name": "海淘旗舰店", "company_name": COMPANY, "pilot": True}


def post(caller: Caller, path: str, body: Any, key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return caller.post(path, body, headers=headers)


def store_ids(admin: Caller) -> list[str]:
    return [s["id"] for s in admin.ok("GET", "/platform/stores?limit=200")["items"]]


def test_a_retry_replays_the_first_answer_and_creates_nothing_more(admin: Caller) -> None:
    first = post(admin, "/platform/stores", STORE, "create-store-1")
    assert first.status_code == 201, first.text
    assert first.headers.get("idempotent-replayed") is None
    again = post(admin, "/platform/stores", STORE, "create-store-1")
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["content-type"] == first.headers["content-type"]
    assert store_ids(admin) == [first.json()["id"]]
    # the retry wrote no second audit entry either
    audit = admin.ok("GET", "/platform/audit?limit=200")["items"]
    assert [e["action"] for e in audit] == ["store.created"]


def test_many_retries_all_replay(admin: Caller) -> None:
    bodies = [post(admin, "/platform/stores", STORE, "k").json() for _ in range(4)]
    assert all(b == bodies[0] for b in bodies)
    assert store_ids(admin) == [bodies[0]["id"]]


def test_the_same_key_with_another_body_is_rejected(admin: Caller) -> None:
    first = post(admin, "/platform/stores", STORE, "create-store-1")
    assert first.status_code == 201
    other = {**STORE, "name": "另一家店"}
    assert_problem(
        post(admin, "/platform/stores", other, "create-store-1"), 422, "IDEMPOTENCY_KEY_REUSED"
    )
    assert store_ids(admin) == [first.json()["id"]]
    # the original request still replays
    again = post(admin, "/platform/stores", STORE, "create-store-1")
    assert again.status_code == 201 and again.json() == first.json()


def test_the_same_key_on_another_route_is_rejected(admin: Caller) -> None:
    assert post(admin, "/platform/providers", {"name": "海淘旗舰店"}, "k1").status_code == 201
    r = post(admin, "/platform/warehouses", {"name": "海淘旗舰店"}, "k1")
    assert_problem(r, 422, "IDEMPOTENCY_KEY_REUSED")
    assert admin.ok("GET", "/platform/warehouses")["items"] == []


def test_keys_belong_to_the_tenant_not_to_one_token(admin: Caller) -> None:
    """Every platform token acts for the one platform: a retry through another token, or with
    the header spelt differently, is still the same request."""
    other_admin = Caller(
        admin.client, admin.ok("POST", "/platform/api-keys", {"org_type": "platform"}, 201)["key"]
    )
    mine = post(admin, "/platform/stores", STORE, "shared-key")
    theirs = post(other_admin, "/platform/stores", STORE, "shared-key")
    assert mine.status_code == theirs.status_code == 201
    assert theirs.headers["idempotent-replayed"] == "true"
    lower = admin.client.post(
        "/api/v1/platform/stores",
        json=STORE,
        headers={"Authorization": f"bearer   {ADMIN_TOKEN}", "Idempotency-Key": "shared-key"},
    )
    assert lower.headers["idempotent-replayed"] == "true"
    assert store_ids(admin) == [mine.json()["id"]]


def test_a_replay_needs_valid_credentials(admin: Caller) -> None:
    post(admin, "/platform/stores", STORE, "k-auth")
    stranger = Caller(admin.client, "sy_not-a-real-key")
    assert_problem(post(stranger, "/platform/stores", STORE, "k-auth"), 401, "UNAUTHENTICATED")


def test_a_new_api_key_is_not_kept_for_replay(admin: Caller, ctx: Context) -> None:
    body = {"org_type": "platform"}
    first = post(admin, "/platform/api-keys", body, "new-key-1")
    again = post(admin, "/platform/api-keys", body, "new-key-1")
    assert first.json()["key"].startswith("sy_")
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["key"] is None and again.json()["id"] == first.json()["id"]
    with ctx.engine.connect() as conn:
        stored = conn.execute(select(s.idempotency_keys.c.body)).scalars().all()
    assert all(first.json()["key"] not in (b or "") for b in stored)


def test_a_request_that_crashed_releases_its_key(
    admin: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(accounts, "create_org", boom)
    quiet = Caller(TestClient(admin.client.app, raise_server_exceptions=False), admin.key)
    crashed = post(quiet, "/platform/providers", {"name": "服务商"}, "crash-1")
    assert_problem(crashed, 500, "INTERNAL_ERROR")
    assert "disk on fire" not in crashed.text
    monkeypatch.undo()
    retried = post(admin, "/platform/providers", {"name": "服务商"}, "crash-1")
    assert retried.status_code == 201 and retried.headers.get("idempotent-replayed") is None


def test_an_abandoned_claim_is_taken_over_after_its_lease(admin: Caller, ctx: Context) -> None:
    owner = hashlib.sha256(b"platform:").hexdigest()
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    with ctx.engine.begin() as conn:
        conn.execute(
            insert(s.idempotency_keys).values(
                scope=owner, key="died-1", fingerprint="x", state="started", created_at=long_ago
            )
        )
    r = post(admin, "/platform/providers", {"name": "服务商"}, "died-1")
    assert r.status_code == 201 and r.headers.get("idempotent-replayed") is None


def test_a_duplicate_while_the_first_runs_is_409(admin: Caller, ctx: Context) -> None:
    owner = hashlib.sha256(b"platform:").hexdigest()
    with ctx.engine.begin() as conn:
        conn.execute(
            insert(s.idempotency_keys).values(
                scope=owner,
                key="running-1",
                fingerprint="x",
                state="started",
                created_at=datetime.now(UTC),
            )
        )
    body = {"name": "服务商"}
    fingerprint = hashlib.sha256(
        b"POST /api/v1/platform/providers\n" + json.dumps(body, ensure_ascii=False).encode()
    ).hexdigest()
    with ctx.engine.begin() as conn:
        conn.execute(update(s.idempotency_keys).values(fingerprint=fingerprint))
    r = admin.client.post(
        "/api/v1/platform/providers",
        content=json.dumps(body, ensure_ascii=False).encode(),
        headers={
            **admin.headers(),
            "Idempotency-Key": "running-1",
            "Content-Type": "application/json",
        },
    )
    assert_problem(r, 409, "INVALID_STATE")
    assert admin.ok("GET", "/platform/providers")["items"] == []


def test_two_stores_using_the_same_key_each_get_their_own_product(
    tenants: Tenants, admin: Caller
) -> None:
    body = {"title": "保湿面霜 50g", "goods_type": "bonded"}
    a = post(tenants.store, "/store/products", body, "order-42")
    b = post(tenants.outsider, "/store/products", body, "order-42")
    assert a.status_code == b.status_code == 201, (a.text, b.text)
    assert b.headers.get("idempotent-replayed") is None
    assert a.json()["id"] != b.json()["id"]
    assert a.json()["store_id"] == tenants.store_id
    assert b.json()["store_id"] == tenants.outsider_id
    assert [p["id"] for p in tenants.store.ok("GET", "/store/products")["items"]] == [
        a.json()["id"]
    ]
    assert [p["id"] for p in tenants.outsider.ok("GET", "/store/products")["items"]] == [
        b.json()["id"]
    ]


def test_a_retried_product_is_created_once(tenants: Tenants) -> None:
    body = {"title": "保湿面霜 50g", "goods_type": "bonded"}
    first = post(tenants.store, "/store/products", body, "p-1")
    again = post(tenants.store, "/store/products", body, "p-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert [p["id"] for p in tenants.store.ok("GET", "/store/products")["items"]] == [
        first.json()["id"]
    ]


def test_a_failed_request_does_not_burn_the_key(admin: Caller) -> None:
    bad = post(admin, "/platform/stores", {"name": "海淘旗舰店"}, "create-store-1")
    assert_problem(bad, 422, "VALIDATION_ERROR", "company_name")
    fixed = post(admin, "/platform/stores", STORE, "create-store-1")
    assert fixed.status_code == 201, fixed.text
    assert fixed.headers.get("idempotent-replayed") is None
    again = post(admin, "/platform/stores", STORE, "create-store-1")
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert store_ids(admin) == [fixed.json()["id"]]


def test_a_refused_request_can_be_retried_once_the_cause_is_fixed(
    tenants: Tenants, admin: Caller
) -> None:
    refused = post(tenants.outsider, "/store/trace/open", None, "open-1")
    assert_problem(refused, 403, "NOT_IN_PILOT")
    admin.ok("PATCH", f"/platform/stores/{tenants.outsider_id}", {"pilot": True})
    opened = post(tenants.outsider, "/store/trace/open", None, "open-1")
    assert opened.status_code == 200, opened.text
    assert opened.json() == {"onboarding_step": "authorize_provider"}
    assert opened.headers.get("idempotent-replayed") is None


def test_an_unauthenticated_request_does_not_claim_the_key(admin: Caller) -> None:
    stranger = Caller(admin.client, "sy_not-a-key")
    assert_problem(post(stranger, "/platform/stores", STORE, "k"), 401, "UNAUTHENTICATED")
    assert_problem(post(stranger, "/platform/stores", STORE, "k"), 401, "UNAUTHENTICATED")
    assert store_ids(admin) == []


@pytest.mark.parametrize("length", [256, 300, 1000])
def test_an_over_long_key_is_rejected_and_nothing_done(admin: Caller, length: int) -> None:
    assert_problem(post(admin, "/platform/stores", STORE, "k" * length), 422, "VALIDATION_ERROR")
    assert store_ids(admin) == []


def test_a_key_of_255_characters_is_accepted(admin: Caller) -> None:
    key = "k" * 255
    first = post(admin, "/platform/stores", STORE, key)
    assert first.status_code == 201, first.text
    again = post(admin, "/platform/stores", STORE, key)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    assert store_ids(admin) == [first.json()["id"]]


def test_an_empty_key_is_rejected(admin: Caller) -> None:
    assert_problem(post(admin, "/platform/stores", STORE, ""), 422, "VALIDATION_ERROR")
    assert store_ids(admin) == []


def test_requests_without_the_header_are_not_deduplicated(admin: Caller) -> None:
    first = post(admin, "/platform/stores", STORE, None)
    second = post(admin, "/platform/stores", STORE, None)
    assert first.status_code == second.status_code == 201
    assert second.headers.get("idempotent-replayed") is None
    assert first.json()["id"] != second.json()["id"]
    assert sorted(store_ids(admin)) == sorted([first.json()["id"], second.json()["id"]])


def test_different_keys_are_different_requests(admin: Caller) -> None:
    first = post(admin, "/platform/stores", STORE, "a")
    second = post(admin, "/platform/stores", STORE, "b")
    assert first.json()["id"] != second.json()["id"]
    assert len(store_ids(admin)) == 2
