"""Warehouses report codes attached and void damaged labels (R6, R15, R18, R19)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Caller, World, assert_problem, key_for

pytestmark = pytest.mark.usefixtures("ctx")


def issued(world: World, n: int) -> list[str]:
    req = world.request(n).json()
    page = world.t.warehouse.ok("GET", f"/warehouse/code-requests/{req['id']}/codes?limit=200")
    return [c["code"] for c in page["items"]]


def statuses(world: World, req_codes: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    reqs = world.t.provider.ok("GET", "/provider/code-requests")["items"]
    for req in reqs:
        page = world.t.warehouse.ok("GET", f"/warehouse/code-requests/{req['id']}/codes?limit=200")
        out.update({c["code"]: c["status"] for c in page["items"] if c["code"] in req_codes})
    return out


def test_attaching_reports_each_code(world: World) -> None:
    codes = issued(world, 5)
    r = world.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": codes[:3]})
    assert r == {"attached": sorted(codes[:3]), "already_attached": [], "rejected": []}
    again = world.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": codes})
    assert again["attached"] == sorted(codes[3:])
    assert again["already_attached"] == sorted(codes[:3])
    assert set(statuses(world, codes).values()) == {"attached"}


def test_input_is_normalized_before_matching(world: World) -> None:
    [code] = issued(world, 1)
    grouped = " ".join(code[i : i + 4] for i in range(0, 17, 4)).lower()
    r = world.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": [grouped]})
    assert r["attached"] == [code]


def test_good_codes_attach_even_when_others_are_rejected(world: World, admin: Caller) -> None:
    good, voided = issued(world, 2)
    world.t.warehouse.ok("POST", "/warehouse/voids", {"codes": [voided], "reason": "标签破损"})
    unknown = "0000000000000000" + "0"
    r = world.t.warehouse.ok(
        "POST", "/warehouse/attachments", {"codes": [good, voided, unknown, "NOT-A-CODE"]}
    )
    assert r["attached"] == [good]
    reasons = {x["code"]: x["reason"] for x in r["rejected"]}
    assert reasons == {
        voided: "CODE_VOIDED",
        unknown: "CODE_UNKNOWN",
        "NOT-A-CODE": "MALFORMED_TRACE_CODE",
    }


def test_another_warehouse_cannot_attach_or_void_our_codes(world: World, admin: Caller) -> None:
    codes = issued(world, 2)
    other = admin.ok("POST", "/platform/warehouses", {"name": "别的保税仓"}, 201)
    stranger = key_for(admin, "warehouse", other["id"])
    r = stranger.ok("POST", "/warehouse/attachments", {"codes": codes})
    assert r["attached"] == [] and {x["reason"] for x in r["rejected"]} == {"CODE_UNKNOWN"}
    v = stranger.ok("POST", "/warehouse/voids", {"codes": codes, "reason": "x"})
    assert v["voided"] == []
    assert set(statuses(world, codes).values()) == {"issued"}


def test_voiding_is_final_and_recorded(world: World, admin: Caller) -> None:
    a, b = issued(world, 2)
    world.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": [a]})
    r = world.t.warehouse.ok("POST", "/warehouse/voids", {"codes": [a, b], "reason": "标签破损"})
    assert r["voided"] == sorted([a, b])
    again = world.t.warehouse.ok("POST", "/warehouse/voids", {"codes": [a], "reason": "again"})
    assert again["already_voided"] == [a]
    attach = world.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": [a]})
    assert attach["rejected"] == [{"code": a, "reason": "CODE_VOIDED"}]
    entries = admin.ok("GET", f"/platform/audit?object_id={a}")["items"]
    assert [e["action"] for e in entries] == ["codes.attached", "codes.voided"]
    assert entries[1]["before"] == {"status": "attached"}
    assert entries[1]["after"] == {"status": "voided", "reason": "标签破损"}
    # voided codes are not refunded (R16)
    assert world.t.store.ok("GET", "/store/trace/bills")["total_fen"] == 20


def test_after_expiry_nothing_can_be_attached(world: World, admin: Caller) -> None:
    [code] = issued(world, 1)
    admin.ok("PUT", "/platform/clock", {"now": "2031-01-01T00:00:00+00:00"})
    r = world.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": [code]})
    assert r["rejected"] == [{"code": code, "reason": "SUBSCRIPTION_EXPIRED"}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"codes": []}, "codes"),
        ({"codes": "ABC"}, "codes"),
        ({}, "codes"),
        ({"codes": ["A"] * 10_001}, "codes"),
    ],
)
def test_batches_are_validated(world: World, body: dict[str, Any], field: str) -> None:
    assert_problem(
        world.t.warehouse.post("/warehouse/attachments", body), 422, "VALIDATION_ERROR", field
    )


def test_a_void_needs_a_reason(world: World) -> None:
    codes = issued(world, 1)
    assert_problem(
        world.t.warehouse.post("/warehouse/voids", {"codes": codes, "reason": " "}),
        422,
        "VALIDATION_ERROR",
        "reason",
    )
    assert set(statuses(world, codes).values()) == {"issued"}
