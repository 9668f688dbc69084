"""R20: every state change is in an append-only audit log (who, what, when, before → after),
readable by the platform and, for its own objects, by the store; R19: a rejected request leaves
no trace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.conftest import COMPANY, Caller, Tenants, assert_problem, onboard

pytestmark = pytest.mark.usefixtures("ctx")

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def at(admin: Caller, instant: datetime) -> None:
    admin.ok("PUT", "/platform/clock", {"now": instant.isoformat()})


def walk(caller: Caller, path: str, limit: int = 200) -> list[dict[str, Any]]:
    """Every entry of an audit list, page by page."""
    entries: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(1000):
        sep = "&" if "?" in path else "?"
        query = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        page = caller.ok("GET", query)
        entries += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return entries
    raise AssertionError("the cursor never ended")


def audit_of(caller: Caller, object_id: str, *, store: bool = False) -> list[dict[str, Any]]:
    prefix = "/store/audit" if store else "/platform/audit"
    return walk(caller, f"{prefix}?object_id={object_id}")


def when(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["at"])


def iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_each_onboarding_step_is_recorded_with_who_what_when(
    tenants: Tenants, admin: Caller
) -> None:
    t = tenants
    store_actor = {"type": "store", "id": t.store_id}
    at(admin, T0)
    t.store.ok("POST", "/store/trace/open")
    at(admin, T0 + timedelta(minutes=1))
    sub = t.store.ok(
        "POST",
        "/store/trace/subscription",
        {"provider_id": t.provider_id, "plan": "standard-1y"},
        201,
    )
    at(admin, T0 + timedelta(minutes=2))
    binding = t.store.ok(
        "POST",
        "/store/trace/importer-bindings",
        {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": COMPANY},
        201,
    )
    at(admin, T0 + timedelta(minutes=3))
    link = t.store.ok("POST", "/store/trace/warehouses", {"warehouse_id": t.warehouse_id}, 201)
    at(admin, T0 + timedelta(minutes=4))
    t.store.ok("POST", "/store/trace/onboarding/complete")

    store_log = audit_of(admin, t.store_id)
    assert [e["action"] for e in store_log] == [
        "store.created",
        "trace.opened",
        "onboarding.completed",
    ]
    created, opened, completed = store_log
    assert created["actor"]["type"] == "platform"
    assert created["before"] is None and created["after"]["company_name"] == COMPANY
    assert created["after"]["pilot"] is True
    assert opened["actor"] == store_actor and when(opened) == T0
    assert opened["object"] == {"type": "store", "id": t.store_id}
    assert opened["before"] == {"opened_at": None} and iso(opened["after"]["opened_at"]) == T0
    assert completed["actor"] == store_actor and when(completed) == T0 + timedelta(minutes=4)
    assert completed["before"] == {"onboarding_step": "guide_warehouse"}
    assert completed["after"] == {"onboarding_step": "done"}

    (subscribed,) = audit_of(admin, sub["id"])
    assert subscribed["action"] == "subscription.created" and subscribed["actor"] == store_actor
    assert subscribed["object"] == {"type": "subscription", "id": sub["id"]}
    assert when(subscribed) == T0 + timedelta(minutes=1)
    assert subscribed["before"] is None
    assert subscribed["after"]["provider_id"] == t.provider_id
    assert subscribed["after"]["plan"] == "standard-1y" and subscribed["after"]["price_fen"] == 0
    assert iso(subscribed["after"]["expires_at"]) == datetime(2027, 3, 1, 9, 1, tzinfo=UTC)

    (bound,) = audit_of(admin, binding["id"])
    assert bound["action"] == "importer.bound" and bound["actor"] == store_actor
    assert bound["after"]["importer_code"] == "3122960ABC"
    assert when(bound) == T0 + timedelta(minutes=2)

    (linked,) = audit_of(admin, link["id"])
    assert linked["action"] == "warehouse.linked" and linked["actor"] == store_actor
    assert linked["after"]["warehouse_id"] == t.warehouse_id
    assert when(linked) == T0 + timedelta(minutes=3)

    # the whole log is in order: ids increase, time never goes back
    log = walk(admin, "/platform/audit")
    ids = [int(e["id"]) for e in log]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    times = [when(e) for e in log if e["actor"] == store_actor]
    assert times == [T0 + timedelta(minutes=m) for m in range(5)]
    mine = [e["action"] for e in log if e["actor"] == store_actor]
    assert mine == [
        "trace.opened",
        "subscription.created",
        "importer.bound",
        "warehouse.linked",
        "onboarding.completed",
    ]


def test_the_pilot_switch_is_recorded(tenants: Tenants, admin: Caller) -> None:
    admin.ok("PATCH", f"/platform/stores/{tenants.outsider_id}", {"pilot": True})
    admin.ok("PATCH", f"/platform/stores/{tenants.outsider_id}", {"pilot": False})
    changes = [
        e for e in audit_of(admin, tenants.outsider_id) if e["action"] == "store.pilot_changed"
    ]
    assert [(e["before"], e["after"]) for e in changes] == [
        ({"pilot": False}, {"pilot": True}),
        ({"pilot": True}, {"pilot": False}),
    ]
    assert all(e["actor"]["type"] == "platform" for e in changes)


def test_a_price_change_is_recorded(admin: Caller) -> None:
    admin.ok("PUT", "/platform/pricing", {"per_code_fee_fen": 12})
    entries = [e for e in walk(admin, "/platform/audit") if e["action"] == "pricing.changed"]
    assert [(e["before"], e["after"]) for e in entries] == [
        ({"per_code_fee_fen": 10}, {"per_code_fee_fen": 12})
    ]


def test_renewal_records_the_old_and_new_expiry(tenants: Tenants, admin: Caller) -> None:
    at(admin, T0)
    onboard(tenants)
    sub_id = tenants.store.ok("GET", "/store/trace")["subscription"]["id"]
    at(admin, datetime(2027, 2, 20, tzinfo=UTC))
    renewed = tenants.store.ok("POST", "/store/trace/subscription/renew")
    log = audit_of(admin, sub_id)
    assert [e["action"] for e in log] == ["subscription.created", "subscription.renewed"]
    renewal = log[1]
    assert renewal["actor"] == {"type": "store", "id": tenants.store_id}
    assert iso(renewal["before"]["expires_at"]) == datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    assert iso(renewal["after"]["expires_at"]) == datetime(2028, 3, 1, 9, 0, tzinfo=UTC)
    assert iso(renewal["after"]["expires_at"]) == iso(renewed["expires_at"])
    assert when(renewal) == datetime(2027, 2, 20, tzinfo=UTC)


def test_no_op_repeats_add_no_entries(tenants: Tenants, admin: Caller) -> None:
    onboard(tenants)
    before = walk(admin, "/platform/audit")
    tenants.store.ok("POST", "/store/trace/open")
    tenants.store.ok("POST", "/store/trace/warehouses", {"warehouse_id": tenants.warehouse_id})
    tenants.store.ok("POST", "/store/trace/onboarding/complete")
    assert walk(admin, "/platform/audit") == before


# ---------------------------------------------------------------- rejected requests


def test_a_store_outside_the_pilot_opening_leaves_no_trace(tenants: Tenants, admin: Caller) -> None:
    log_before = walk(admin, "/platform/audit")
    view_before = tenants.outsider.ok("GET", "/store/trace")
    assert_problem(tenants.outsider.post("/store/trace/open"), 403, "NOT_IN_PILOT")
    assert walk(admin, "/platform/audit") == log_before
    assert tenants.outsider.ok("GET", "/store/trace") == view_before
    assert [e["action"] for e in audit_of(admin, tenants.outsider_id)] == ["store.created"]


def test_a_company_name_mismatch_leaves_no_trace(tenants: Tenants, admin: Caller) -> None:
    t = tenants
    t.store.ok("POST", "/store/trace/open")
    t.store.ok("POST", "/store/trace/subscription", {"provider_id": t.provider_id}, 201)
    log_before = walk(admin, "/platform/audit")
    view_before = t.store.ok("GET", "/store/trace")
    r = t.store.post(
        "/store/trace/importer-bindings",
        {
            "importer_name": COMPANY,
            "importer_code": "3122960ABC",
            "company_name": "杭州别家贸易有限公司",
        },
    )
    assert_problem(r, 422, "COMPANY_NAME_MISMATCH", "company_name")
    assert walk(admin, "/platform/audit") == log_before
    assert t.store.ok("GET", "/store/trace") == view_before
    assert t.store.ok("GET", "/store/trace/importer-bindings")["items"] == []
    assert t.provider.ok("GET", "/provider/bindings")["items"] == []


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        (
            "/store/trace/importer-bindings",
            {"importer_name": COMPANY, "importer_code": "12345", "company_name": COMPANY},
            422,
            "VALIDATION_ERROR",
        ),
        (
            "/store/trace/warehouses",
            {"warehouse_id": "wh_00000000000000000000"},
            409,
            "ONBOARDING_INCOMPLETE",
        ),
        ("/store/trace/onboarding/complete", None, 409, "ONBOARDING_INCOMPLETE"),
        (
            "/store/trace/subscription",
            {"provider_id": "prv_x", "plan": "standard-1y"},
            422,
            "VALIDATION_ERROR",
        ),
    ],
)
def test_other_rejections_leave_no_trace(
    tenants: Tenants, admin: Caller, path: str, body: Any, status: int, code: str
) -> None:
    t = tenants
    t.store.ok("POST", "/store/trace/open")
    t.store.ok("POST", "/store/trace/subscription", {"provider_id": t.provider_id}, 201)
    log_before = walk(admin, "/platform/audit")
    view_before = t.store.ok("GET", "/store/trace")
    assert_problem(t.store.post(path, body), status, code)
    assert walk(admin, "/platform/audit") == log_before
    assert t.store.ok("GET", "/store/trace") == view_before


def test_a_refused_platform_change_leaves_no_trace(tenants: Tenants, admin: Caller) -> None:
    log_before = walk(admin, "/platform/audit")
    assert_problem(
        admin.call("PATCH", f"/platform/stores/{tenants.store_id}", {"pilot": "no"}),
        422,
        "VALIDATION_ERROR",
        "pilot",
    )
    assert_problem(
        admin.post("/platform/api-keys", {"org_type": "store", "org_id": "sto_x"}),
        422,
        "VALIDATION_ERROR",
        "org_id",
    )
    assert_problem(
        tenants.store.call("PATCH", f"/platform/stores/{tenants.outsider_id}", {"pilot": True}),
        403,
        "FORBIDDEN",
    )
    assert walk(admin, "/platform/audit") == log_before


# ---------------------------------------------------------------- the store's own reading


def test_a_store_reads_the_audit_of_its_own_objects(tenants: Tenants, admin: Caller) -> None:
    onboard(tenants)
    sub_id = tenants.store.ok("GET", "/store/trace")["subscription"]["id"]
    own = audit_of(tenants.store, tenants.store_id, store=True)
    assert own == audit_of(admin, tenants.store_id)
    assert [e["action"] for e in own] == ["store.created", "trace.opened", "onboarding.completed"]
    assert audit_of(tenants.store, sub_id, store=True) == audit_of(admin, sub_id)
    everything = walk(tenants.store, "/store/audit")
    actions = [e["action"] for e in everything]
    for action in (
        "trace.opened",
        "subscription.created",
        "importer.bound",
        "warehouse.linked",
        "onboarding.completed",
    ):
        assert action in actions


def test_a_store_does_not_see_another_stores_audit(tenants: Tenants, admin: Caller) -> None:
    onboard(tenants)
    outsider_product = tenants.outsider.ok(
        "POST", "/store/products", {"title": "别家的面霜", "goods_type": "bonded"}, 201
    )
    admin.ok("PATCH", f"/platform/stores/{tenants.outsider_id}", {"pilot": True})
    tenants.outsider.ok("POST", "/store/trace/open")
    # the platform sees the outsider's objects ...
    assert audit_of(admin, tenants.outsider_id) != []
    assert audit_of(admin, outsider_product["id"]) != []
    # ... the store asking for them gets an empty list, as if they did not exist
    for object_id in (tenants.outsider_id, outsider_product["id"]):
        r = tenants.store.get(f"/store/audit?object_id={object_id}")
        assert r.status_code == 200, r.text
        assert r.json() == {"items": [], "next_cursor": None}
    # and its unfiltered reading holds nothing of the other store
    for entry in walk(tenants.store, "/store/audit"):
        assert tenants.outsider_id not in str(entry)
        assert outsider_product["id"] not in str(entry)
        assert "别家" not in str(entry)
    # the other way round, too
    for entry in walk(tenants.outsider, "/store/audit"):
        assert tenants.store_id not in str(entry)


def test_the_store_audit_is_for_stores_and_the_platform_audit_for_the_platform(
    tenants: Tenants,
) -> None:
    assert_problem(tenants.store.get("/platform/audit"), 403, "FORBIDDEN")
    assert_problem(tenants.warehouse.get("/store/audit"), 403, "FORBIDDEN")
    assert_problem(tenants.provider.get("/store/audit"), 403, "FORBIDDEN")
    assert_problem(tenants.warehouse.get("/platform/audit"), 403, "FORBIDDEN")


# ---------------------------------------------------------------- paging


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
def test_paging_walks_every_entry_once(tenants: Tenants, admin: Caller, limit: int) -> None:
    onboard(tenants)
    for i in range(5):
        tenants.store.ok(
            "POST", "/store/products", {"title": f"商品 {i}", "goods_type": "bonded"}, 201
        )
    for caller, path in (
        (admin, "/platform/audit"),
        (tenants.store, "/store/audit"),
        (admin, f"/platform/audit?object_id={tenants.store_id}"),
    ):
        everything = caller.ok("GET", path + ("&" if "?" in path else "?") + "limit=200")
        assert everything["next_cursor"] is None
        paged = walk(caller, path, limit=limit)
        assert [e["id"] for e in paged] == [e["id"] for e in everything["items"]]
        assert len({e["id"] for e in paged}) == len(paged)
    assert len(walk(tenants.store, "/store/audit", limit=limit)) >= 10


def test_each_page_holds_at_most_limit_entries(tenants: Tenants, admin: Caller) -> None:
    onboard(tenants)
    first = admin.ok("GET", "/platform/audit?limit=3")
    assert len(first["items"]) == 3 and first["next_cursor"] is not None
    second = admin.ok("GET", f"/platform/audit?limit=3&cursor={first['next_cursor']}")
    assert len(second["items"]) <= 3
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    assert int(second["items"][0]["id"]) > int(first["items"][-1]["id"])


def test_the_last_page_has_no_cursor(tenants: Tenants, admin: Caller) -> None:
    count = len(walk(admin, "/platform/audit"))
    exact = admin.ok("GET", f"/platform/audit?limit={count}")
    assert len(exact["items"]) == count and exact["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=x", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=" + "9" * 65, "cursor"),
    ],
)
def test_bad_paging_parameters_are_rejected(
    tenants: Tenants, admin: Caller, query: str, field: str
) -> None:
    for caller, path in ((admin, "/platform/audit"), (tenants.store, "/store/audit")):
        assert_problem(caller.get(f"{path}?{query}"), 422, "VALIDATION_ERROR", field)
