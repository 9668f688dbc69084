"""R18: a store, warehouse or provider sees only its own data and what the rules share with it;
another tenant's object answers 404 as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.conftest import COMPANY, Caller, Tenants, assert_problem, key_for, onboard

pytestmark = pytest.mark.usefixtures("ctx")

OTHER_COMPANY = "杭州别家贸易有限公司"
OTHER_IMPORTER = "3301960XYZ"


@dataclass
class World:
    """Store A (the pilot store) on provider P1 and warehouse W1; store B on P2 and W2;
    W3 and P3 serve nobody."""

    t: Tenants
    p2: Caller
    p2_id: str
    w2: Caller
    w2_id: str
    w3: Caller
    p3: Caller


def org(admin: Caller, kind: str, name: str) -> tuple[Caller, str]:
    created = admin.ok("POST", f"/platform/{kind}s", {"name": name}, 201)
    return key_for(admin, kind, created["id"]), created["id"]


def onboard_other(store: Caller, provider_id: str, warehouse_id: str) -> None:
    store.ok("POST", "/store/trace/open")
    store.ok("POST", "/store/trace/subscription", {"provider_id": provider_id}, 201)
    store.ok(
        "POST",
        "/store/trace/importer-bindings",
        {
            "importer_name": OTHER_COMPANY,
            "importer_code": OTHER_IMPORTER,
            "company_name": OTHER_COMPANY,
        },
        201,
    )
    store.ok("POST", "/store/trace/warehouses", {"warehouse_id": warehouse_id}, 201)
    store.ok("POST", "/store/trace/onboarding/complete")


@pytest.fixture
def world(tenants: Tenants, admin: Caller) -> World:
    p2, p2_id = org(admin, "provider", "第二服务商")
    w2, w2_id = org(admin, "warehouse", "杭州保税仓")
    w3, _ = org(admin, "warehouse", "无人关联的保税仓")
    p3, _ = org(admin, "provider", "无人订购的服务商")
    admin.ok("PATCH", f"/platform/stores/{tenants.outsider_id}", {"pilot": True})
    return World(tenants, p2, p2_id, w2, w2_id, w3, p3)


def onboard_both(w: World) -> None:
    onboard(w.t)
    onboard_other(w.t.outsider, w.p2_id, w.w2_id)


def items(caller: Caller, path: str) -> list[dict[str, Any]]:
    page = caller.ok("GET", path)
    assert page["next_cursor"] is None
    return list(page["items"])


# ---------------------------------------------------------------- products


def test_another_stores_product_is_not_found_like_a_random_id(tenants: Tenants) -> None:
    product = tenants.store.ok(
        "POST",
        "/store/products",
        {"title": "保湿面霜 50g", "goods_type": "bonded", "brand": "Curel"},
        201,
    )
    assert tenants.store.ok("GET", f"/store/products/{product['id']}")["title"] == "保湿面霜 50g"
    theirs = tenants.outsider.get(f"/store/products/{product['id']}")
    random = tenants.outsider.get("/store/products/prd_0000000000ZZZZZZZZZZ")
    a = assert_problem(theirs, 404, "NOT_FOUND")
    b = assert_problem(random, 404, "NOT_FOUND")
    assert {k: v for k, v in a.items() if k != "instance"} == {
        k: v for k, v in b.items() if k != "instance"
    }
    assert "保湿面霜" not in theirs.text and "Curel" not in theirs.text
    assert tenants.store_id not in theirs.text


def test_a_stores_product_list_shows_only_its_own(tenants: Tenants) -> None:
    mine = {
        tenants.store.ok(
            "POST", "/store/products", {"title": f"面霜 {i}", "goods_type": "bonded"}, 201
        )["id"]
        for i in range(3)
    }
    theirs = {
        tenants.outsider.ok(
            "POST", "/store/products", {"title": f"别家 {i}", "goods_type": "general"}, 201
        )["id"]
        for i in range(2)
    }
    listed = items(tenants.store, "/store/products")
    assert {p["id"] for p in listed} == mine
    assert all(p["store_id"] == tenants.store_id for p in listed)
    other = items(tenants.outsider, "/store/products")
    assert {p["id"] for p in other} == theirs
    assert all(p["store_id"] == tenants.outsider_id for p in other)


def test_a_store_with_no_products_sees_an_empty_list(tenants: Tenants) -> None:
    tenants.store.ok("POST", "/store/products", {"title": "面霜", "goods_type": "bonded"}, 201)
    assert tenants.outsider.ok("GET", "/store/products") == {"items": [], "next_cursor": None}


def test_paging_a_product_list_stays_within_the_store(tenants: Tenants) -> None:
    mine = {
        tenants.store.ok(
            "POST", "/store/products", {"title": f"面霜 {i}", "goods_type": "bonded"}, 201
        )["id"]
        for i in range(3)
    }
    for i in range(3):
        tenants.outsider.ok(
            "POST", "/store/products", {"title": f"别家 {i}", "goods_type": "bonded"}, 201
        )
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = tenants.store.ok(
            "GET", "/store/products?limit=1" + (f"&cursor={cursor}" if cursor else "")
        )
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(mine)


# ---------------------------------------------------------------- store's own onboarding data


def test_a_store_lists_only_its_own_bindings_and_warehouse_links(world: World) -> None:
    onboard_both(world)
    t = world.t
    (binding,) = items(t.store, "/store/trace/importer-bindings")
    assert binding["store_id"] == t.store_id and binding["importer_code"] == "3122960ABC"
    (other,) = items(t.outsider, "/store/trace/importer-bindings")
    assert other["store_id"] == t.outsider_id and other["importer_code"] == OTHER_IMPORTER
    assert [ln["warehouse_id"] for ln in items(t.store, "/store/trace/warehouses")] == [
        t.warehouse_id
    ]
    assert [ln["warehouse_id"] for ln in items(t.outsider, "/store/trace/warehouses")] == [
        world.w2_id
    ]
    assert t.store.ok("GET", "/store/trace")["subscription"]["provider_id"] == t.provider_id
    assert t.outsider.ok("GET", "/store/trace")["subscription"]["provider_id"] == world.p2_id


# ---------------------------------------------------------------- warehouses


def test_a_warehouse_sees_only_the_stores_that_linked_it(world: World) -> None:
    onboard_both(world)
    t = world.t
    (a,) = items(t.warehouse, "/warehouse/stores")
    assert a["store_id"] == t.store_id and a["name"] == "海淘旗舰店"
    assert a["subscription_status"] == "active"
    (b,) = items(world.w2, "/warehouse/stores")
    assert b["store_id"] == t.outsider_id and b["name"] == "别家小店"
    assert b["subscription_status"] == "active"
    assert items(world.w3, "/warehouse/stores") == []


def test_a_warehouse_sees_nothing_before_a_store_links_it(world: World) -> None:
    t = world.t
    onboard(t, complete=False)
    # store B has subscribed and bound an importer but not linked a warehouse yet
    t.outsider.ok("POST", "/store/trace/open")
    t.outsider.ok("POST", "/store/trace/subscription", {"provider_id": world.p2_id}, 201)
    assert [s["store_id"] for s in items(t.warehouse, "/warehouse/stores")] == [t.store_id]
    assert items(world.w2, "/warehouse/stores") == []


def test_a_store_linking_two_warehouses_is_seen_by_both(world: World) -> None:
    onboard_both(world)
    t = world.t
    t.store.ok("POST", "/store/trace/warehouses", {"warehouse_id": world.w2_id}, 201)
    assert [s["store_id"] for s in items(t.warehouse, "/warehouse/stores")] == [t.store_id]
    assert sorted(s["store_id"] for s in items(world.w2, "/warehouse/stores")) == sorted(
        [t.store_id, t.outsider_id]
    )
    assert items(world.w3, "/warehouse/stores") == []


def test_a_warehouse_sees_the_subscription_expire_and_come_back(
    world: World, admin: Caller
) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-01-10T08:00:00+00:00"})
    onboard_both(world)
    t = world.t
    admin.ok("PUT", "/platform/clock", {"now": "2027-02-10T08:00:00+00:00"})  # 13 months on
    (a,) = items(t.warehouse, "/warehouse/stores")
    assert a["store_id"] == t.store_id and a["subscription_status"] == "expired"
    (b,) = items(world.w2, "/warehouse/stores")
    assert b["subscription_status"] == "expired"
    t.store.ok("POST", "/store/trace/subscription/renew")
    (a,) = items(t.warehouse, "/warehouse/stores")
    assert a["subscription_status"] == "active"
    (b,) = items(world.w2, "/warehouse/stores")
    assert b["subscription_status"] == "expired"


def test_a_warehouse_sees_the_subscription_active_until_expiry(world: World, admin: Caller) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-01-10T08:00:00+00:00"})
    onboard(world.t)
    admin.ok("PUT", "/platform/clock", {"now": "2027-01-10T07:59:59+00:00"})
    assert items(world.t.warehouse, "/warehouse/stores")[0]["subscription_status"] == "active"
    admin.ok("PUT", "/platform/clock", {"now": "2027-01-10T08:00:00+00:00"})
    assert items(world.t.warehouse, "/warehouse/stores")[0]["subscription_status"] == "expired"


def test_the_warehouse_store_list_pages(world: World, admin: Caller) -> None:
    onboard_both(world)
    t = world.t
    t.store.ok("POST", "/store/trace/warehouses", {"warehouse_id": world.w2_id}, 201)
    first = world.w2.ok("GET", "/warehouse/stores?limit=1")
    assert len(first["items"]) == 1 and first["next_cursor"] is not None
    second = world.w2.ok("GET", f"/warehouse/stores?limit=1&cursor={first['next_cursor']}")
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    assert {first["items"][0]["store_id"], second["items"][0]["store_id"]} == {
        t.store_id,
        t.outsider_id,
    }


# ---------------------------------------------------------------- providers


def test_a_provider_sees_only_bindings_of_stores_subscribed_to_it(world: World) -> None:
    onboard_both(world)
    t = world.t
    (a,) = items(t.provider, "/provider/bindings")
    assert a["store_id"] == t.store_id and a["importer_code"] == "3122960ABC"
    assert a["company_name"] == COMPANY
    assert a["subscription_status"] == "active"
    (b,) = items(world.p2, "/provider/bindings")
    assert b["store_id"] == t.outsider_id and b["importer_code"] == OTHER_IMPORTER
    assert b["company_name"] == OTHER_COMPANY
    assert items(world.p3, "/provider/bindings") == []


def test_a_provider_sees_no_binding_before_one_is_made(world: World) -> None:
    t = world.t
    t.store.ok("POST", "/store/trace/open")
    t.store.ok("POST", "/store/trace/subscription", {"provider_id": t.provider_id}, 201)
    assert items(t.provider, "/provider/bindings") == []
    t.store.ok(
        "POST",
        "/store/trace/importer-bindings",
        {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": COMPANY},
        201,
    )
    assert [b["store_id"] for b in items(t.provider, "/provider/bindings")] == [t.store_id]
    assert items(world.p2, "/provider/bindings") == []


def test_a_provider_sees_the_subscription_of_a_bound_store_expire(
    world: World, admin: Caller
) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-01-10T08:00:00+00:00"})
    onboard(world.t)
    admin.ok("PUT", "/platform/clock", {"now": "2027-02-10T08:00:00+00:00"})
    (a,) = items(world.t.provider, "/provider/bindings")
    assert a["subscription_status"] == "expired"
