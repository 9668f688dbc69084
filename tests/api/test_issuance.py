"""Warehouses apply for codes (R4, R5, R6, R16): order of checks, limits, charges, outputs."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest

from tests.api.conftest import EXAMPLE, Caller, World, assert_problem, key_for

pytestmark = pytest.mark.usefixtures("ctx")


def test_a_request_issues_codes_and_charges_the_store(world: World) -> None:
    r = world.request(1000)
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["quantity"] == 1000 and req["charge_fen"] == 1000 * 10
    assert req["declaration_no"] == "223320261000012345" and req["item_no"] == 1
    assert world.item_view()["issued"] == 1000 and world.item_view()["remaining"] == 200
    codes: list[str] = []
    cursor = None
    while True:
        page = world.t.warehouse.ok(
            "GET",
            f"/warehouse/code-requests/{req['id']}/codes?limit=200"
            + (f"&cursor={cursor}" if cursor else ""),
        )
        codes += [c["code"] for c in page["items"]]
        assert all(c["status"] == "issued" for c in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(codes) == len(set(codes)) == 1000
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{17}", c) for c in codes)
    bill = world.t.store.ok("GET", "/store/trace/bills")
    assert bill["total_fen"] == 10_000 and bill["lines"][0]["code_request_id"] == req["id"]


def test_the_price_of_the_moment_applies(world: World, admin: Caller) -> None:
    world.request(10)
    admin.ok("PUT", "/platform/pricing", {"per_code_fee_fen": 25})
    assert world.request(4).json()["charge_fen"] == 100
    bill = world.t.store.ok("GET", "/store/trace/bills")
    assert [x["charge_fen"] for x in bill["lines"]] == [100, 100]
    assert bill["total_fen"] == 200
    statements = admin.ok("GET", "/platform/statements")
    assert statements["total_fen"] == 200
    assert statements["stores"][0]["store_id"] == world.t.store_id


def test_more_than_remains_is_refused_and_changes_nothing(world: World) -> None:
    world.request(1000)
    body = assert_problem(world.request(201), 409, "QUANTITY_EXCEEDS_DECLARATION", "quantity")
    assert "200" in body["detail"]
    assert world.item_view()["issued"] == 1000
    assert world.t.store.ok("GET", "/store/trace/bills")["total_fen"] == 10_000
    assert world.request(200).status_code == 201
    assert world.item_view()["remaining"] == 0


def test_a_general_product_cannot_have_codes(world: World) -> None:
    r = world.request(5, product_id=world.general)
    assert_problem(r, 422, "NOT_BONDED_PRODUCT", "product_id")
    assert world.item_view()["issued"] == 0


def test_an_unlinked_warehouse_is_refused(world: World, admin: Caller) -> None:
    other = admin.ok("POST", "/platform/warehouses", {"name": "别的保税仓"}, 201)
    stranger = key_for(admin, "warehouse", other["id"])
    body = {
        "store_id": world.t.store_id,
        "product_id": world.bonded,
        "declaration_item_id": world.item,
        "quantity": 5,
    }
    assert_problem(stranger.post("/warehouse/code-requests", body), 403, "WAREHOUSE_NOT_LINKED")
    assert_problem(
        stranger.get(f"/warehouse/stores/{world.t.store_id}/products"), 403, "WAREHOUSE_NOT_LINKED"
    )
    assert world.item_view()["issued"] == 0


def test_after_expiry_the_warehouse_can_do_nothing_for_the_store(
    world: World, admin: Caller
) -> None:
    req = world.request(3).json()
    admin.ok("PUT", "/platform/clock", {"now": "2031-01-01T00:00:00+00:00"})
    assert_problem(world.request(5), 403, "SUBSCRIPTION_EXPIRED")
    sid = world.t.store_id
    for path in (
        f"/warehouse/stores/{sid}/products",
        f"/warehouse/stores/{sid}/declaration-items",
        f"/warehouse/code-requests/{req['id']}/codes",
    ):
        assert_problem(world.t.warehouse.get(path), 403, "SUBSCRIPTION_EXPIRED")
    world.t.store.ok("POST", "/store/trace/subscription/renew")
    assert world.request(5).status_code == 201


def test_a_product_of_another_store_is_not_found(world: World, admin: Caller) -> None:
    other = admin.ok("POST", "/platform/stores", {"name": "别家", "company_name": "别家公司"}, 201)
    product = key_for(admin, "store", other["id"]).ok(
        "POST", "/store/products", {"title": "面霜", "goods_type": "bonded"}, 201
    )
    assert_problem(world.request(5, product_id=product["id"]), 404, "NOT_FOUND")


def test_an_item_of_an_importer_the_store_did_not_bind_is_not_found(world: World) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["declaration_no"] = "223320261000099999"
    doc["importer"] = {"name": "别家进出口有限公司", "code": "91350100M000100Y43"}
    loaded = world.t.provider.ok("POST", "/provider/declarations", doc, 201)
    foreign_item = loaded["items"][0]["items"][0]["id"]
    assert_problem(world.request(5, declaration_item_id=foreign_item), 404, "NOT_FOUND")
    listed = world.t.warehouse.ok("GET", f"/warehouse/stores/{world.t.store_id}/declaration-items")
    assert foreign_item not in [i["id"] for i in listed["items"]]


@pytest.mark.parametrize(
    ("quantity", "status"), [(0, 422), (-1, 422), (1_000_001, 422), ("5", 422), (2.5, 422)]
)
def test_quantity_must_be_a_sensible_integer(world: World, quantity: Any, status: int) -> None:
    assert_problem(world.request(quantity), status, "VALIDATION_ERROR", "quantity")


def test_a_retried_request_issues_and_charges_once(world: World) -> None:
    body = {
        "store_id": world.t.store_id,
        "product_id": world.bonded,
        "declaration_item_id": world.item,
        "quantity": 7,
    }
    first = world.t.warehouse.post(
        "/warehouse/code-requests", body, headers={"Idempotency-Key": "apply-7"}
    )
    again = world.t.warehouse.post(
        "/warehouse/code-requests", body, headers={"Idempotency-Key": "apply-7"}
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert world.item_view()["issued"] == 7
    assert world.t.store.ok("GET", "/store/trace/bills")["total_fen"] == 70


def test_outputs_csv_zpl_and_pdf(world: World) -> None:
    req = world.request(30).json()
    base = f"/warehouse/code-requests/{req['id']}"
    text = world.t.warehouse.get(base + "/codes.csv").text
    assert text.startswith("\ufeff")  # spreadsheet programs need it for the Chinese titles
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["code", "grouped", "url"] and len(rows) == 31
    assert all(r[2] == f"HTTP://SUYUAN.TEST/T/{r[0]}" for r in rows[1:])
    zpl = world.t.warehouse.get(base + "/labels.zpl").text
    assert zpl.count("^XA") == zpl.count("^XZ") == 30 and zpl.count("^BQN") == 30
    pdf = world.t.warehouse.get(base + "/labels.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_another_warehouse_cannot_see_a_request(world: World, admin: Caller) -> None:
    req = world.request(3).json()
    other = admin.ok("POST", "/platform/warehouses", {"name": "别的保税仓"}, 201)
    stranger = key_for(admin, "warehouse", other["id"])
    for suffix in ("", "/codes", "/codes.csv", "/labels.zpl", "/labels.pdf"):
        assert_problem(
            stranger.get(f"/warehouse/code-requests/{req['id']}{suffix}"), 404, "NOT_FOUND"
        )


def test_the_provider_sees_requests_against_its_declarations(world: World) -> None:
    world.request(12)
    [req] = world.t.provider.ok("GET", "/provider/code-requests")["items"]
    assert req["quantity"] == 12 and req["item_usage"] == {
        "declared": 1200,
        "issued": 12,
        "remaining": 1188,
    }
