"""Authentication and authorization (SPEC §7): bearer keys, one kind of key per router, and the
test clock that exists only when SUYUAN_TEST_CLOCK is on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from suyuan.app import create_app
from suyuan.clock import Clock
from suyuan.config import Settings
from suyuan.context import Context
from tests.api.conftest import API, COMPANY, Caller, Tenants, assert_problem
from tests.conftest import ADMIN_TOKEN

pytestmark = pytest.mark.usefixtures("ctx")

# one representative read route per router, and the kind of key it takes
ROUTES = {
    "platform": "/platform/stores",
    "store": "/store/trace",
    "warehouse": "/warehouse/stores",
    "provider": "/provider/bindings",
}
ROLES = ["admin_token", "platform_key", "store", "warehouse", "provider"]
KIND = {
    "admin_token": "platform",
    "platform_key": "platform",
    "store": "store",
    "warehouse": "warehouse",
    "provider": "provider",
}


def caller_for(role: str, tenants: Tenants, admin: Caller) -> Caller:
    if role == "admin_token":
        return admin
    if role == "platform_key":
        key = admin.ok("POST", "/platform/api-keys", {"org_type": "platform"}, 201)["key"]
        return Caller(admin.client, key)
    return {"store": tenants.store, "warehouse": tenants.warehouse, "provider": tenants.provider}[
        role
    ]


# ---------------------------------------------------------------- 401


@pytest.mark.parametrize("path", list(ROUTES.values()))
def test_no_authorization_header_is_unauthenticated(client: TestClient, path: str) -> None:
    r = client.get(API + path)
    assert_problem(r, 401, "UNAUTHENTICATED")


@pytest.mark.parametrize("path", list(ROUTES.values()))
def test_an_unknown_key_is_unauthenticated(tenants: Tenants, client: TestClient, path: str) -> None:
    r = client.get(API + path, headers={"Authorization": "Bearer sy_this-key-was-never-issued"})
    assert_problem(r, 401, "UNAUTHENTICATED")


@pytest.mark.parametrize(
    "header",
    [
        "Basic x",
        f"Basic {ADMIN_TOKEN}",
        "Bearer",
        "Bearer ",
        "Bearer    ",
        ADMIN_TOKEN,
        f"Token {ADMIN_TOKEN}",
        f"Bearer {ADMIN_TOKEN}x",
        f"Bearer {ADMIN_TOKEN[:-1]}",
        "",
    ],
)
def test_a_malformed_or_wrong_header_is_unauthenticated(client: TestClient, header: str) -> None:
    r = client.get(API + "/platform/stores", headers={"Authorization": header})
    assert_problem(r, 401, "UNAUTHENTICATED")


def test_the_unauthenticated_answer_names_the_scheme(client: TestClient) -> None:
    """RFC 9110 §11.6.1: a 401 answer carries WWW-Authenticate with the scheme to use."""
    r = client.get(API + "/platform/stores")
    assert r.status_code == 401
    assert r.headers.get("www-authenticate", "").lower().startswith("bearer")


def test_the_scheme_is_case_insensitive(client: TestClient) -> None:
    """RFC 9110 §11.1: the auth scheme is case-insensitive."""
    for scheme in ("bearer", "BEARER", "Bearer"):
        r = client.get(
            API + "/platform/stores", headers={"Authorization": f"{scheme} {ADMIN_TOKEN}"}
        )
        assert r.status_code == 200, (scheme, r.text)


def test_an_unauthenticated_write_changes_nothing(admin: Caller, client: TestClient) -> None:
    r = client.post(
        API + "/platform/stores",
        json={"name": "店", "company_name": COMPANY},
        headers={"Authorization": "Bearer nope"},
    )
    assert_problem(r, 401, "UNAUTHENTICATED")
    assert admin.ok("GET", "/platform/stores")["items"] == []


# ---------------------------------------------------------------- 403 matrix


@pytest.mark.parametrize("router", list(ROUTES))
@pytest.mark.parametrize("role", ROLES)
def test_each_router_admits_only_its_kind_of_key(
    tenants: Tenants, admin: Caller, role: str, router: str
) -> None:
    caller = caller_for(role, tenants, admin)
    r = caller.get(ROUTES[router])
    if KIND[role] == router:
        assert r.status_code == 200, r.text
    else:
        assert_problem(r, 403, "FORBIDDEN")


@pytest.mark.parametrize("role", ["store", "warehouse", "provider"])
def test_a_tenant_key_cannot_write_platform_data(
    tenants: Tenants, admin: Caller, role: str
) -> None:
    caller = caller_for(role, tenants, admin)
    stores_before = admin.ok("GET", "/platform/stores")
    r = caller.post("/platform/stores", {"name": "我的店", "company_name": COMPANY, "pilot": True})
    assert_problem(r, 403, "FORBIDDEN")
    r = caller.call("PATCH", f"/platform/stores/{tenants.outsider_id}", {"pilot": True})
    assert_problem(r, 403, "FORBIDDEN")
    r = caller.post("/platform/api-keys", {"org_type": "platform"})
    assert_problem(r, 403, "FORBIDDEN")
    r = caller.post(
        "/platform/users",
        {"org_type": "platform", "username": "root", "password": "s3cret-passw0rd"},
    )
    assert_problem(r, 403, "FORBIDDEN")
    assert admin.ok("GET", "/platform/stores") == stores_before


@pytest.mark.parametrize("role", ["admin_token", "warehouse", "provider"])
def test_only_a_store_key_acts_as_a_store(tenants: Tenants, admin: Caller, role: str) -> None:
    caller = caller_for(role, tenants, admin)
    assert_problem(caller.post("/store/trace/open"), 403, "FORBIDDEN")
    r = caller.post("/store/products", {"title": "面霜", "goods_type": "bonded"})
    assert_problem(r, 403, "FORBIDDEN")
    assert tenants.store.ok("GET", "/store/trace")["onboarding_step"] == "not_opened"
    assert tenants.store.ok("GET", "/store/products")["items"] == []


def test_a_bad_key_is_401_before_a_wrong_kind_is_403(client: TestClient) -> None:
    r = client.get(API + "/store/trace", headers={"Authorization": "Bearer sy_unknown"})
    assert_problem(r, 401, "UNAUTHENTICATED")


# ---------------------------------------------------------------- keys


def test_a_freshly_issued_key_works_immediately(admin: Caller) -> None:
    store = admin.ok(
        "POST", "/platform/stores", {"name": "新店", "company_name": COMPANY, "pilot": True}, 201
    )
    key = admin.ok("POST", "/platform/api-keys", {"org_type": "store", "org_id": store["id"]}, 201)
    caller = Caller(admin.client, key["key"])
    assert caller.ok("GET", "/store/trace")["available"] is True
    assert caller.ok("POST", "/store/trace/open")["onboarding_step"] == "authorize_provider"


def test_a_second_key_does_not_replace_the_first(tenants: Tenants, admin: Caller) -> None:
    key = admin.ok(
        "POST", "/platform/api-keys", {"org_type": "store", "org_id": tenants.store_id}, 201
    )["key"]
    assert Caller(admin.client, key).ok("GET", "/store/trace")["available"] is True
    assert tenants.store.ok("GET", "/store/trace")["available"] is True


def test_the_env_admin_token_works(admin: Caller) -> None:
    store = admin.ok("POST", "/platform/stores", {"name": "店", "company_name": COMPANY}, 201)
    assert [s["id"] for s in admin.ok("GET", "/platform/stores")["items"]] == [store["id"]]
    audit = admin.ok("GET", f"/platform/audit?object_id={store['id']}")["items"]
    assert [e["actor"]["type"] for e in audit] == ["platform"]


# ---------------------------------------------------------------- test clock


def test_the_test_clock_moves_the_service_clock(admin: Caller) -> None:
    r = admin.ok("PUT", "/platform/clock", {"now": "2030-05-06T07:08:09+08:00"})
    assert r["frozen"] is True
    assert datetime.fromisoformat(r["now"]) == datetime(2030, 5, 5, 23, 8, 9, tzinfo=UTC)
    store = admin.ok("POST", "/platform/stores", {"name": "店", "company_name": COMPANY}, 201)
    assert datetime.fromisoformat(store["created_at"]) == datetime(2030, 5, 5, 23, 8, 9, tzinfo=UTC)
    reset = admin.ok("DELETE", "/platform/clock")
    assert reset["frozen"] is False
    assert datetime.fromisoformat(reset["now"]).year < 2030


@pytest.mark.parametrize("now", ["2030-05-06T07:08:09", "tomorrow", None, ""])
def test_the_test_clock_needs_an_aware_time(admin: Caller, now: object) -> None:
    assert_problem(
        admin.call("PUT", "/platform/clock", {"now": now}), 422, "VALIDATION_ERROR", "now"
    )


@pytest.mark.parametrize("role", ["store", "warehouse", "provider"])
def test_only_the_platform_moves_the_test_clock(tenants: Tenants, admin: Caller, role: str) -> None:
    caller = caller_for(role, tenants, admin)
    r = caller.call("PUT", "/platform/clock", {"now": "2030-01-01T00:00:00+00:00"})
    assert_problem(r, 403, "FORBIDDEN")
    assert_problem(caller.call("DELETE", "/platform/clock"), 403, "FORBIDDEN")
    store = admin.ok("POST", "/platform/stores", {"name": "店", "company_name": COMPANY}, 201)
    assert datetime.fromisoformat(store["created_at"]).year < 2030


@pytest.fixture
def production_admin(ctx: Context) -> Iterator[Caller]:
    """The admin of an app on the same database with SUYUAN_TEST_CLOCK off."""
    settings = Settings(
        database_url=ctx.settings.database_url,
        admin_token=ADMIN_TOKEN,
        test_clock=False,
        public_url="http://suyuan.test",
    )
    app = create_app(context=Context(settings, ctx.engine, Clock()))
    with TestClient(app) as c:
        yield Caller(c, ADMIN_TOKEN)


def test_without_the_test_clock_setting_the_clock_routes_do_not_exist(
    production_admin: Caller,
) -> None:
    # the admin key is good on this app ...
    assert production_admin.ok("GET", "/platform/stores") == {"items": [], "next_cursor": None}
    # ... yet the clock routes are not there
    r = production_admin.call("PUT", "/platform/clock", {"now": "2030-01-01T00:00:00+00:00"})
    assert_problem(r, 404, "NOT_FOUND")
    assert_problem(production_admin.call("DELETE", "/platform/clock"), 404, "NOT_FOUND")
    # and time was not moved
    store = production_admin.ok(
        "POST", "/platform/stores", {"name": "店", "company_name": COMPANY}, 201
    )
    assert datetime.fromisoformat(store["created_at"]).year < 2030
