"""Providers load customs declarations (SPEC §6, R4): validation, idempotent reload, conflicts."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Caller, Tenants, assert_problem, key_for

pytestmark = pytest.mark.usefixtures("ctx")
EXAMPLE = Path(__file__).parents[2] / "examples" / "declaration-face-cream.json"


def document(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


def declarations(provider: Caller) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = provider.ok("GET", "/provider/declarations")["items"]
    return items


def test_loading_a_declaration_stores_it_with_its_items(tenants: Tenants) -> None:
    r = tenants.provider.post("/provider/declarations", document())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["loaded"] == 1 and body["unchanged"] == 0
    [decl] = declarations(tenants.provider)
    assert decl["declaration_no"] == "223320261000012345"
    assert decl["importer"] == {"name": "上海海淘进出口有限公司", "code": "3122960ABC"}
    assert decl["declare_date"] == "2026-11-02" and decl["trade_mode"] == "1210"
    first = decl["items"][0]
    assert (first["item_no"], first["quantity"], first["issued"], first["remaining"]) == (
        1,
        1200,
        0,
        1200,
    )
    assert first["unit_price"] == "88.00" and first["origin_country"] == "JPN"
    assert [i["item_no"] for i in decl["items"]] == [1, 2]


def test_loading_the_same_document_again_changes_nothing(tenants: Tenants) -> None:
    tenants.provider.ok("POST", "/provider/declarations", document(), 201)
    reordered = dict(reversed(list(document().items())))
    r = tenants.provider.post("/provider/declarations", reordered)
    assert r.status_code == 200, r.text
    assert r.json()["loaded"] == 0 and r.json()["unchanged"] == 1
    assert len(declarations(tenants.provider)) == 1
    # both answers are in the OpenAPI document (201 was missing: fuzzing)
    paths = tenants.provider.client.get("/api/v1/openapi.json").json()["paths"]
    assert {"200", "201"} <= set(paths["/api/v1/provider/declarations"]["post"]["responses"])


def test_the_same_number_with_other_content_is_a_conflict(tenants: Tenants) -> None:
    tenants.provider.ok("POST", "/provider/declarations", document(), 201)
    changed = document()
    changed["items"][0]["quantity"] = 1300
    r = tenants.provider.post("/provider/declarations", changed)
    assert_problem(r, 409, "DECLARATION_EXISTS", "declaration_no")
    assert declarations(tenants.provider)[0]["items"][0]["quantity"] == 1200


def test_another_provider_cannot_load_a_number_already_loaded(
    tenants: Tenants, admin: Caller
) -> None:
    tenants.provider.ok("POST", "/provider/declarations", document(), 201)
    other = admin.ok("POST", "/platform/providers", {"name": "另一家服务商"}, 201)
    other_provider = key_for(admin, "provider", other["id"])
    r = other_provider.post("/provider/declarations", document())
    assert_problem(r, 409, "DECLARATION_EXISTS", "declaration_no")
    assert declarations(other_provider) == []


def test_an_array_loads_all_or_nothing(tenants: Tenants) -> None:
    second = document(declaration_no="223320261000012346")
    bad = document(declaration_no="223320261000012347", customs_port="22X3")
    r = tenants.provider.post("/provider/declarations", [document(), second, bad])
    assert_problem(r, 422, "VALIDATION_ERROR", "[2].customs_port")
    assert declarations(tenants.provider) == []
    body = tenants.provider.ok("POST", "/provider/declarations", [document(), second], 201)
    assert body["loaded"] == 2
    assert len(declarations(tenants.provider)) == 2


def test_a_non_bonded_trade_mode_is_refused(tenants: Tenants) -> None:
    r = tenants.provider.post("/provider/declarations", document(trade_mode="0110"))
    assert_problem(r, 422, "NOT_BONDED_DECLARATION", "trade_mode")
    assert declarations(tenants.provider) == []


@pytest.mark.parametrize("trade_mode", ["1210", "1239"])
def test_both_bonded_trade_modes_are_accepted(tenants: Tenants, trade_mode: str) -> None:
    tenants.provider.ok("POST", "/provider/declarations", document(trade_mode=trade_mode), 201)


def _item(**changes: Any) -> dict[str, Any]:
    doc = document()
    doc["items"][1].update(changes)
    return doc


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        (document(declaration_no="22332026100001234"), "declaration_no"),
        (document(declaration_no="223320260000012345"), "declaration_no"),  # 9th digit 0: export
        (document(customs_port="223"), "customs_port"),
        (document(declare_date="2026-02-30"), "declare_date"),
        (document(import_date="2026-12-05"), "import_date"),  # > declare_date + 30 days
        (document(trade_country="JP"), "trade_country"),
        (document(importer={"name": "上海海淘进出口有限公司", "code": "12345"}), "importer.code"),
        (_item(hs_code="33049900"), "items[1].hs_code"),
        (_item(quantity=0), "items[1].quantity"),
        (_item(quantity=12.5), "items[1].quantity"),
        (_item(quantity="600"), "items[1].quantity"),
        (_item(item_no=1), "items[1].item_no"),
        (_item(origin_country="XXX"), "items[1].origin_country"),
        (document(items=[]), "items"),
        (document(hscode="3304990099"), "hscode"),
    ],
)
def test_each_bad_field_is_named(tenants: Tenants, doc: dict[str, Any], field: str) -> None:
    r = tenants.provider.post("/provider/declarations", doc)
    body = assert_problem(r, 422, "VALIDATION_ERROR", field)
    assert all(e["message"] for e in body["errors"])
    assert declarations(tenants.provider) == []


def test_every_error_of_a_document_is_reported_at_once(tenants: Tenants) -> None:
    doc = copy.deepcopy(document(customs_port="X", declaration_no="1"))
    doc["items"][0]["hs_code"] = "1"
    body = assert_problem(
        tenants.provider.post("/provider/declarations", doc), 422, "VALIDATION_ERROR"
    )
    fields = {e["field"] for e in body["errors"]}
    assert {"customs_port", "declaration_no", "items[0].hs_code"} <= fields


def test_messages_follow_accept_language(tenants: Tenants) -> None:
    doc = _item(hs_code="33")
    zh = tenants.provider.post("/provider/declarations", doc).json()
    en = tenants.provider.post(
        "/provider/declarations", doc, headers={"Accept-Language": "en-US,en;q=0.9"}
    ).json()
    assert zh["title"] != en["title"]
    assert en["errors"][0]["message"].isascii() or "HS" in en["errors"][0]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["errors"][0]["message"])


@pytest.mark.parametrize("body", [None, "not json", 42, ["x"], {}])
def test_bodies_that_are_not_declarations_are_422(tenants: Tenants, body: Any) -> None:
    if body == "not json":
        r = tenants.provider.client.post(
            "/api/v1/provider/declarations",
            content=b"{nope",
            headers=tenants.provider.headers({"Content-Type": "application/json"}),
        )
    else:
        r = tenants.provider.post("/provider/declarations", body)
    assert_problem(r, 422, "VALIDATION_ERROR")
    assert declarations(tenants.provider) == []


def test_a_provider_sees_only_its_own_declarations(tenants: Tenants, admin: Caller) -> None:
    tenants.provider.ok("POST", "/provider/declarations", document(), 201)
    other = admin.ok("POST", "/platform/providers", {"name": "另一家服务商"}, 201)
    assert declarations(key_for(admin, "provider", other["id"])) == []
