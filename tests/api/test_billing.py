"""Fees (R16): charges at the price of the moment, grouped by China month, CSV exports."""

from __future__ import annotations

import csv
import io

import pytest

from tests.api.conftest import Caller, World, assert_problem, key_for

pytestmark = pytest.mark.usefixtures("ctx")


def test_months_are_china_months(world: World, admin: Caller) -> None:
    # 2026-11-30 16:30 UTC is already 1 December 00:30 in China.
    admin.ok("PUT", "/platform/clock", {"now": "2026-11-30T15:59:00+00:00"})
    world.request(3)
    admin.ok("PUT", "/platform/clock", {"now": "2026-11-30T16:30:00+00:00"})
    world.request(5)
    nov = world.t.store.ok("GET", "/store/trace/bills?month=2026-11")
    dec = world.t.store.ok("GET", "/store/trace/bills?month=2026-12")
    assert (nov["total_fen"], dec["total_fen"]) == (30, 50)
    assert world.t.store.ok("GET", "/store/trace/bills")["month"] == "2026-12"
    assert admin.ok("GET", "/platform/statements?month=2026-11")["total_fen"] == 30


def test_bills_are_per_store(world: World, admin: Caller) -> None:
    world.request(2)
    other = admin.ok("POST", "/platform/stores", {"name": "别家", "company_name": "别家公司"}, 201)
    assert key_for(admin, "store", other["id"]).ok("GET", "/store/trace/bills")["lines"] == []


def test_csv_exports_list_each_charge_and_the_total(world: World, admin: Caller) -> None:
    world.request(4)
    admin.ok("PUT", "/platform/pricing", {"per_code_fee_fen": 15})
    world.request(2)
    text = admin.get("/platform/statements.csv").text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    charges = [r for r in rows if r["code_request_id"] != "TOTAL"]
    assert [int(r["charge_fen"]) for r in charges] == [40, 30]
    assert [r["per_code_fee_fen"] for r in charges] == ["10", "15"]
    [total] = [r for r in rows if r["code_request_id"] == "TOTAL"]
    assert total["charge_fen"] == "70" and total["store_name"] == "海淘旗舰店"
    store_csv = world.t.store.get("/store/trace/bills.csv")
    assert store_csv.headers["content-type"].startswith("text/csv")
    assert "TOTAL" in store_csv.text


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "november"])
def test_a_bad_month_is_refused(world: World, month: str) -> None:
    assert_problem(
        world.t.store.get(f"/store/trace/bills?month={month}"), 422, "VALIDATION_ERROR", "month"
    )


def test_the_warehouse_sees_only_bonded_products(world: World) -> None:
    listed = world.t.warehouse.ok("GET", f"/warehouse/stores/{world.t.store_id}/products")
    assert [p["id"] for p in listed["items"]] == [world.bonded]
