"""R18 from the route table itself, so a new endpoint is covered the day it is added: every
tenant route answers 401 without a key and 403 to another kind of key, and every route with an
object ID answers as if another tenant's object did not exist."""

from __future__ import annotations

import re
from typing import Any

import pytest

from suyuan.app import create_app
from suyuan.config import Settings
from tests.api.conftest import Caller, Shop, assert_problem, key_for

pytestmark = pytest.mark.usefixtures("ctx")
KINDS = ("platform", "store", "warehouse", "provider")


def tenant_routes() -> list[tuple[str, str, str]]:
    """``(kind, method, path)`` of every authenticated route, from the app's OpenAPI table."""
    app = create_app(Settings(database_url="sqlite://", test_clock=True))
    out = []
    for path, operations in app.openapi()["paths"].items():
        match = re.match(r"^/api/v1/(platform|store|warehouse|provider)/", path)
        if match:
            out += [
                (match.group(1), m.upper(), path.removeprefix("/api/v1"))
                for m in sorted(operations)
            ]
    return out


ROUTES = tenant_routes()


def test_the_matrix_sees_every_router() -> None:
    assert {kind for kind, _, _ in ROUTES} == set(KINDS)
    assert len(ROUTES) > 40


@pytest.fixture
def callers(shop: Shop, admin: Caller) -> dict[str, Caller]:
    return {
        "platform": admin,
        "store": shop.t.store,
        "warehouse": shop.t.warehouse,
        "provider": shop.t.provider,
    }


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


def _ids(shop: Shop) -> dict[str, str]:
    req = shop.t.provider.ok("GET", "/provider/code-requests")["items"][0]["id"]
    return {
        "store_id": shop.t.store_id,
        "product_id": shop.bonded,
        "order_id": shop.order(1),
        "request_id": req,
        "code": shop.codes[0],
    }


@pytest.mark.parametrize(("kind", "method", "path"), ROUTES)
def test_no_key_is_401_and_another_kind_of_key_is_403(
    shop: Shop, callers: dict[str, Caller], kind: str, method: str, path: str
) -> None:
    url = _fill(path, _ids(shop))
    anonymous = Caller(shop.t.store.client, None)
    assert_problem(anonymous.call(method, url, {}), 401, "UNAUTHENTICATED")
    for other in KINDS:
        if other != kind:
            assert_problem(callers[other].call(method, url, {}), 403, "FORBIDDEN")


OBJECT_ROUTES = [(k, m, p) for k, m, p in ROUTES if "{" in p and k != "platform"]


@pytest.mark.parametrize(("kind", "method", "path"), OBJECT_ROUTES)
def test_another_tenants_objects_do_not_exist(
    shop: Shop, admin: Caller, kind: str, method: str, path: str
) -> None:
    ids = _ids(shop)
    other_org: dict[str, Any] = {
        "store": lambda: shop.t.outsider,
        "warehouse": lambda: key_for(
            admin,
            "warehouse",
            admin.ok("POST", "/platform/warehouses", {"name": "别的保税仓"}, 201)["id"],
        ),
        "provider": lambda: key_for(
            admin,
            "provider",
            admin.ok("POST", "/platform/providers", {"name": "别的服务商"}, 201)["id"],
        ),
    }
    stranger: Caller = other_org[kind]()
    bodies = {  # well-formed bodies, so only the object's ownership can fail
        "/store/orders/{order_id}/shipment": {"tracking_no": "SF1", "lines": []},
        "/store/orders/{order_id}/trace-codes": {
            "lines": [{"product_id": shop.bonded, "trace_codes": []}]
        },
    }
    r = stranger.call(method, _fill(path, ids), bodies.get(path, {}))
    if path.startswith("/warehouse/stores/{store_id}"):
        assert_problem(r, 403, "WAREHOUSE_NOT_LINKED")  # R6 names the missing link
    else:
        assert_problem(r, 404, "NOT_FOUND")
