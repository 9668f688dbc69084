"""The seed's 注意事项: after activation every shipped unit carries its code or the order does not
ship; a wrong code makes the order abnormal and hides the badge; the right code restores both;
stopping removes the badge and the requirement (R8–R15)."""

from __future__ import annotations

import pytest

from tests.api.conftest import Caller, Shop, assert_problem

pytestmark = pytest.mark.usefixtures("ctx")


def test_attached_codes_make_the_product_pending_without_badge(shop: Shop) -> None:
    product = shop.product()
    assert product["trace_status"] == "pending" and product["badge"] is False
    assert product["codes"] == {"issued": 2, "attached": 10, "shipped": 0, "voided": 0}
    assert shop.badge() is False


def test_a_product_without_attached_codes_cannot_be_activated(shop: Shop) -> None:
    r = shop.t.store.post(f"/store/trace/products/{shop.general}/activation")
    assert_problem(r, 409, "NO_ATTACHED_CODES")


def test_activation_shows_the_badge_and_requires_codes(shop: Shop) -> None:
    view = shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    assert view["trace_status"] == "active"
    assert shop.badge() is True and shop.product()["badge"] is True
    order = shop.order(2)
    r = shop.ship(order, shop.codes[:1])
    body = assert_problem(r, 409, "TRACE_CODES_REQUIRED", "lines[0].trace_codes")
    assert shop.bonded in body["errors"][0]["message"] and "1" in body["errors"][0]["message"]
    assert shop.t.store.ok("GET", f"/store/orders/{order}")["status"] == "paid"
    assert shop.product()["codes"]["shipped"] == 0
    ok = shop.ship(order, shop.codes[:2]).json()
    assert ok == {"status": "shipped", "trace_status": "ok", "problems": []}
    seen = shop.t.store.ok("GET", f"/store/orders/{order}")
    assert seen["items"][0]["trace_codes"] == sorted(shop.codes[:2])
    assert shop.product()["codes"]["shipped"] == 2


def test_a_line_missing_from_the_upload_is_named(shop: Shop) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    order = shop.order(1)
    r = shop.t.store.post(f"/store/orders/{order}/shipment", {"tracking_no": "SF1", "lines": []})
    assert_problem(r, 409, "TRACE_CODES_REQUIRED", "lines")


def test_without_activation_no_codes_are_needed(shop: Shop) -> None:
    order = shop.order(3)
    r = shop.ship(order, ["whatever, ignored"]).json()
    assert r == {"status": "shipped", "trace_status": "not_required", "problems": []}
    assert shop.product()["codes"]["shipped"] == 0


@pytest.mark.parametrize(
    ("codes", "status", "code"),
    [
        (["TOO", "MANY"], 422, "TRACE_CODE_COUNT_MISMATCH"),
        (["7K3M-9Q2X"], 422, "MALFORMED_TRACE_CODE"),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(
    shop: Shop, codes: list[str], status: int, code: str
) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    order = shop.order(1)
    if code == "TRACE_CODE_COUNT_MISMATCH":
        codes = shop.codes[:2]
    assert_problem(shop.ship(order, codes), status, code)
    assert shop.t.store.ok("GET", f"/store/orders/{order}")["status"] == "paid"
    assert shop.product()["codes"]["shipped"] == 0


def test_a_repeated_code_is_refused(shop: Shop) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    order = shop.order(2)
    grouped = " ".join(shop.codes[0][i : i + 4] for i in range(0, 17, 4)).lower()
    r = shop.ship(order, [shop.codes[0], grouped])
    assert_problem(r, 422, "DUPLICATE_TRACE_CODE", "lines[0].trace_codes[1]")


def test_an_order_ships_once(shop: Shop) -> None:
    order = shop.order(1)
    shop.ship(order, [])
    assert_problem(shop.ship(order, []), 409, "ORDER_ALREADY_SHIPPED")


def test_wrong_codes_make_the_order_abnormal_and_right_ones_restore_it(
    shop: Shop, admin: Caller
) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    first = shop.order(1)
    shop.ship(first, shop.codes[:1])
    voided = shop.codes[1]
    shop.t.warehouse.ok("POST", "/warehouse/voids", {"codes": [voided], "reason": "破损"})
    unknown = "0" * 17
    order = shop.order(5)
    upload = [shop.codes[2], shop.codes[0], voided, shop.unattached[0], unknown]
    r = shop.ship(order, upload).json()
    assert r["status"] == "shipped" and r["trace_status"] == "abnormal"
    reasons = {p["code"]: p["reason"] for p in r["problems"]}
    assert reasons == {
        shop.codes[0]: "CODE_ALREADY_SHIPPED",
        voided: "CODE_VOIDED",
        shop.unattached[0]: "CODE_NOT_ATTACHED",
        unknown: "CODE_UNKNOWN",
    }
    assert shop.t.store.ok("GET", f"/store/orders/{order}")["items"][0]["trace_codes"] == [
        shop.codes[2]
    ]
    product = shop.product()
    assert product["trace_status"] == "abnormal" and product["badge"] is False
    assert product["abnormal_orders"] == 1 and shop.badge() is False
    [listed] = shop.t.store.ok("GET", "/store/trace/abnormal-orders")["items"]
    assert listed["order_id"] == order and len(listed["problems"]) == 4

    # codes are still required while abnormal
    assert_problem(shop.ship(shop.order(1), []), 409, "TRACE_CODES_REQUIRED")

    partial = shop.t.store.ok(
        "PUT",
        f"/store/orders/{order}/trace-codes",
        {
            "lines": [
                {
                    "product_id": shop.bonded,
                    "trace_codes": [shop.codes[2], *shop.codes[3:6], unknown],
                }
            ]
        },
    )
    assert partial["trace_status"] == "abnormal"
    assert partial["problems"] == [
        {"product_id": shop.bonded, "code": unknown, "reason": "CODE_UNKNOWN"}
    ]
    fixed = shop.t.store.ok(
        "PUT",
        f"/store/orders/{order}/trace-codes",
        {"lines": [{"product_id": shop.bonded, "trace_codes": [shop.codes[2], *shop.codes[3:7]]}]},
    )
    assert fixed == {"trace_status": "corrected", "problems": []}
    assert shop.product()["trace_status"] == "active" and shop.badge() is True
    assert shop.t.store.ok("GET", "/store/trace/abnormal-orders")["items"] == []
    actions = [e["action"] for e in admin.ok("GET", f"/platform/audit?object_id={order}")["items"]]
    assert actions == ["order.created", "order.shipped", "order.correction", "order.corrected"]
    own = shop.t.store.ok("GET", f"/store/audit?object_id={order}")["items"]
    assert [e["action"] for e in own] == actions
    assert own[1]["after"]["trace_status"] == "abnormal" and own[1]["actor"]["type"] == "store"
    assert shop.t.outsider.ok("GET", f"/store/audit?object_id={order}")["items"] == []


def test_a_code_of_another_product_is_a_mismatch(shop: Shop) -> None:
    other = shop.t.store.ok(
        "POST", "/store/products", {"title": "另一款面霜", "goods_type": "bonded"}, 201
    )["id"]
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    order = shop.t.store.ok(
        "POST",
        "/store/orders",
        {
            "items": [
                {"product_id": shop.bonded, "quantity": 1},
                {"product_id": other, "quantity": 1},
            ]
        },
    )["id"]
    r = shop.t.store.ok(
        "POST",
        f"/store/orders/{order}/shipment",
        {
            "tracking_no": "SF2",
            "lines": [
                {"product_id": shop.bonded, "trace_codes": [shop.codes[0]]},
                {"product_id": other, "trace_codes": []},
            ],
        },
    )
    assert r["trace_status"] == "ok"
    order2 = shop.order(1)
    r2 = shop.ship(order2, [shop.codes[0]]).json()
    assert r2["problems"] == [
        {"product_id": shop.bonded, "code": shop.codes[0], "reason": "CODE_ALREADY_SHIPPED"}
    ]


def test_stopping_removes_badge_and_requirement_at_once(shop: Shop, admin: Caller) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    assert shop.badge() is True
    stopped = shop.t.store.ok("DELETE", f"/store/trace/products/{shop.bonded}/activation")
    assert stopped["trace_status"] == "stopped" and shop.badge() is False
    r = shop.ship(shop.order(2), []).json()
    assert r["trace_status"] == "not_required"
    again = shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    assert again["trace_status"] == "active"
    entries = admin.ok("GET", f"/platform/audit?object_id={shop.bonded}")["items"]
    assert [e["action"] for e in entries][-3:] == [
        "product.activated",
        "product.stopped",
        "product.activated",
    ]
    assert entries[-2]["before"]["trace_status"] == "active"
    assert entries[-2]["after"]["trace_status"] == "stopped"


def test_a_scheduled_activation_takes_effect_by_the_clock(shop: Shop, admin: Caller) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-10T00:00:00+08:00"})
    view = shop.t.store.ok(
        "POST",
        f"/store/trace/products/{shop.bonded}/activation",
        {"at": "2026-12-12T10:00:00+08:00"},
    )
    assert view["trace_status"] == "scheduled" and shop.badge() is False
    assert shop.ship(shop.order(1), []).json()["trace_status"] == "not_required"
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-12T10:00:00+08:00"})
    assert shop.product()["trace_status"] == "active" and shop.badge() is True
    assert_problem(shop.ship(shop.order(1), []), 409, "TRACE_CODES_REQUIRED")


def test_stopping_cancels_a_pending_schedule(shop: Shop, admin: Caller) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-10T00:00:00+08:00"})
    shop.t.store.ok(
        "POST",
        f"/store/trace/products/{shop.bonded}/activation",
        {"at": "2026-12-12T10:00:00+08:00"},
    )
    shop.t.store.ok("DELETE", f"/store/trace/products/{shop.bonded}/activation")
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-13T00:00:00+08:00"})
    assert shop.product()["trace_status"] == "stopped" and shop.badge() is False


@pytest.mark.parametrize("at", ["2026-12-09T23:00:00+08:00", "2026-12-10T00:00:00+08:00"])
def test_an_activation_time_in_the_past_is_refused(shop: Shop, admin: Caller, at: str) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-10T00:00:00+08:00"})
    r = shop.t.store.post(f"/store/trace/products/{shop.bonded}/activation", {"at": at})
    assert_problem(r, 422, "ACTIVATION_TIME_IN_PAST", "at")
    assert shop.product()["trace_status"] == "pending"


def test_expiry_leaves_badge_and_shipping_alone(shop: Shop, admin: Caller) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    admin.ok("PUT", "/platform/clock", {"now": "2031-01-01T00:00:00+00:00"})
    assert shop.badge() is True
    assert shop.ship(shop.order(1), shop.codes[:1]).json()["trace_status"] == "ok"
    assert_problem(shop.request(1), 403, "SUBSCRIPTION_EXPIRED")


def test_the_code_detail_tells_each_codes_story(shop: Shop) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    order = shop.order(1)
    shop.ship(order, shop.codes[:1])
    page = shop.t.store.ok("GET", f"/store/trace/products/{shop.bonded}/codes?status=shipped")
    [code] = page["items"]
    assert code["code"] == shop.codes[0] and code["order_id"] == order
    assert code["declaration_no"] == "223320261000012345" and code["item_no"] == 1
    assert code["attached_at"] and code["scan_count"] == 0
    all_codes = shop.t.store.ok("GET", f"/store/trace/products/{shop.bonded}/codes?limit=200")
    assert len(all_codes["items"]) == 12
    assert_problem(
        shop.t.store.get(f"/store/trace/products/{shop.bonded}/codes?status=lost"),
        422,
        "VALIDATION_ERROR",
        "status",
    )


def test_another_stores_order_and_product_are_not_found(shop: Shop) -> None:
    order = shop.order(1)
    for method, path in (
        ("GET", f"/store/orders/{order}"),
        ("POST", f"/store/trace/products/{shop.bonded}/activation"),
        ("GET", f"/store/trace/products/{shop.bonded}/codes"),
    ):
        assert_problem(shop.t.outsider.call(method, path), 404, "NOT_FOUND")
    r = shop.t.outsider.post(f"/store/orders/{order}/shipment", {"tracking_no": "X", "lines": []})
    assert_problem(r, 404, "NOT_FOUND")
    r = shop.t.outsider.post(
        "/store/orders", {"items": [{"product_id": shop.bonded, "quantity": 1}]}
    )
    assert_problem(r, 422, "VALIDATION_ERROR", "items[0].product_id")
