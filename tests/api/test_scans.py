"""The consumer side (R10, R17): scan API and page, Digital Link, product page, rate limit."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from suyuan.app import create_app
from suyuan.context import Context
from tests.api.conftest import Caller, Shop, assert_problem

pytestmark = pytest.mark.usefixtures("ctx")
UA_WECHAT = "Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0"


def lookup(shop: Shop, code: str, **headers: str) -> Any:
    return shop.t.store.client.get(f"/api/v1/public/trace-codes/{code}", headers=headers)


def test_a_shipped_code_tells_where_it_came_from(shop: Shop) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    shop.ship(shop.order(1), shop.codes[:1])
    r = lookup(shop, shop.codes[0].lower())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["code"] == shop.codes[0] and body["status"] == "shipped"
    assert body["product"]["title"] == "珂润保湿面霜 40g" and body["product"]["brand"] == "Curel"
    assert body["goods_name"] == "保湿面霜" and body["hs_code"] == "3304990099"
    assert body["origin_country"] == "JPN" and body["origin_country_name"]["zh"] == "日本"
    assert body["declaration"] == {
        "declaration_no_masked": "2233**********2345",
        "customs_port": "2233",
        "import_date": "2026-11-01",
        "trade_mode": "1210",
    }
    assert body["warehouse"] == {"name": "宁波保税仓一号库"}
    assert body["store"] == {"name": "海淘旗舰店"}
    assert body["scan"]["count"] == 1 and body["scan"]["first_scanned_at"]
    assert body["warnings"] == []
    assert "223320261000012345" not in r.text  # the full declaration number never shows


def test_no_buyer_data_is_ever_shown(shop: Shop) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    order = shop.order(1)
    shop.ship(order, shop.codes[:1])
    text = lookup(shop, shop.codes[0]).text + shop.t.store.client.get(f"/t/{shop.codes[0]}").text
    assert order not in text and "SF1234567890" not in text


def test_warnings_for_unshipped_voided_and_often_scanned(shop: Shop) -> None:
    unshipped = lookup(shop, shop.codes[0]).json()
    assert [w["code"] for w in unshipped["warnings"]] == ["NOT_SHIPPED"]
    assert "保税仓" in unshipped["warnings"][0]["message"]
    shop.t.warehouse.ok("POST", "/warehouse/voids", {"codes": [shop.codes[1]], "reason": "破损"})
    voided = lookup(shop, shop.codes[1]).json()
    assert [w["code"] for w in voided["warnings"]] == ["VOIDED"]
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    shop.ship(shop.order(1), shop.codes[2:3])
    answers = [lookup(shop, shop.codes[2]).json() for _ in range(7)]
    assert [len(a["warnings"]) for a in answers] == [0, 0, 0, 0, 0, 1, 1]
    assert answers[-1]["warnings"][0]["code"] == "SCANNED_MANY_TIMES"
    assert "7 次" in answers[-1]["warnings"][0]["message"]
    english = lookup(shop, shop.codes[2], **{"Accept-Language": "en"}).json()
    assert "8 times" in english["warnings"][0]["message"]


def test_unknown_and_mistyped_codes_are_told_apart(shop: Shop) -> None:
    assert_problem(lookup(shop, "0" * 17), 404, "TRACE_CODE_NOT_FOUND")
    typo = shop.codes[0][:-1] + ("0" if shop.codes[0][-1] != "0" else "1")
    assert_problem(lookup(shop, typo), 422, "MALFORMED_TRACE_CODE", "code")


def test_concurrent_scans_all_count(shop: Shop, ctx: Context) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: lookup(shop, shop.codes[0]).status_code, range(40)))
    assert statuses == [200] * 40
    assert lookup(shop, shop.codes[0]).json()["scan"]["count"] == 41


def test_the_scan_page_in_chinese_and_english(shop: Shop) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    shop.ship(shop.order(1), shop.codes[:1])
    client = shop.t.store.client
    zh = client.get(f"/t/{shop.codes[0]}")
    assert zh.status_code == 200 and zh.headers["content-type"].startswith("text/html")
    for text in (
        "正品溯源保障",
        "珂润保湿面霜 40g",
        "日本",
        "2233**********2345",
        "宁波保税仓一号库",
        "1210 保税跨境贸易电子商务",
        "共被查询 1 次",
    ):
        assert text in zh.text, text
    assert "<script" not in zh.text and "http" not in zh.text.split("<body>")[0].lower().replace(
        'name="viewport"', ""
    )
    upper = client.get(f"/T/{shop.codes[0]}", headers={"Accept-Language": "en-US,en"})
    assert "Japan" in upper.text and "Genuine-product traceability" in upper.text
    assert "共被查询 3 次" in client.get(f"/t/{shop.codes[0]}?lang=zh").text


def test_the_scan_page_warns_kindly(shop: Shop) -> None:
    page = shop.t.store.client.get(f"/t/{shop.codes[0]}").text
    assert "尚未从保税仓发货" in page and "正品溯源保障</div>" not in page
    missing = shop.t.store.client.get("/t/" + "0" * 17)
    assert missing.status_code == 404 and "未查到该溯源码" in missing.text
    typo = shop.t.store.client.get("/t/ABC")
    assert typo.status_code == 422 and "输入有误" in typo.text


def test_tenant_text_is_escaped_on_every_page(shop: Shop) -> None:
    evil = '<script>alert("x")</script>'
    product = shop.t.store.ok(
        "POST", "/store/products", {"title": evil, "goods_type": "bonded", "brand": evil}, 201
    )["id"]
    page = shop.t.store.client.get(f"/p/{product}").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    typed = "<img src=x onerror=alert(1)>"
    missing = shop.t.store.client.get("/t/" + typed)
    assert missing.headers["content-type"].startswith("text/html")
    assert "<img" not in missing.text and "&lt;img" in missing.text


def test_digital_link_resolves_only_with_the_products_gtin(tenants: Any, admin: Caller) -> None:
    shop = Shop(tenants)
    gtin_product = shop.t.store.ok(
        "POST",
        "/store/products",
        {"title": "带条码的面霜", "goods_type": "bonded", "gtin": "4901301348159"},
        201,
    )["id"]
    req = shop.t.warehouse.ok(
        "POST",
        "/warehouse/code-requests",
        {
            "store_id": shop.t.store_id,
            "product_id": gtin_product,
            "declaration_item_id": shop.item2,
            "quantity": 1,
        },
        201,
    )
    [code] = [
        c["code"]
        for c in shop.t.warehouse.ok("GET", f"/warehouse/code-requests/{req['id']}/codes")["items"]
    ]
    client = shop.t.store.client
    for gtin in ("4901301348159", "04901301348159"):
        assert client.get(f"/01/{gtin}/21/{code}").status_code == 200
    assert client.get(f"/01/4901301348166/21/{code}").status_code == 404  # another GTIN
    assert client.get(f"/01/4901301348159/21/{shop.codes[0]}").status_code == 404  # no GTIN
    rows = shop.t.warehouse.get(f"/warehouse/code-requests/{req['id']}/codes.csv").text
    assert f"/01/04901301348159/21/{code}" in rows


def test_the_product_page_shows_the_badge_exactly_while_active(shop: Shop) -> None:
    client = shop.t.store.client
    assert 'data-badge="off"' in client.get(f"/p/{shop.bonded}").text
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    page = client.get(f"/p/{shop.bonded}").text
    assert 'data-badge="on"' in page and "「正品溯源保障」" in page
    assert client.get(f"/api/v1/public/products/{shop.bonded}").json() == {
        "id": shop.bonded,
        "title": "珂润保湿面霜 40g",
        "brand": "Curel",
        "badge": True,
        "badge_label": "正品溯源保障",
    }
    shop.t.store.ok("DELETE", f"/store/trace/products/{shop.bonded}/activation")
    assert 'data-badge="off"' in client.get(f"/p/{shop.bonded}").text
    assert client.get("/p/prd_nope").status_code == 404


def test_public_lookups_are_rate_limited_per_network(shop: Shop, ctx: Context) -> None:
    ctx.settings.scan_rate_limit = 3
    with TestClient(create_app(context=ctx)) as client:
        answers = [client.get(f"/api/v1/public/trace-codes/{shop.codes[0]}") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert_problem(answers[-1], 429, "RATE_LIMITED")
        assert int(answers[-1].headers["Retry-After"]) >= 1
        page = client.get(f"/t/{shop.codes[0]}")
        assert page.status_code == 429 and "查询太频繁" in page.text
        assert page.headers["Retry-After"]


def test_scan_alerts_list_suspicious_codes_with_reasons(shop: Shop, admin: Caller) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    shop.ship(shop.order(1), shop.codes[:1])
    app = shop.t.store.client.app
    shop.ship(shop.order(1), shop.codes[3:4])
    for network in ("203.0.113.9", "198.51.100.9", "192.0.2.9"):  # three networks in a day
        phone = TestClient(app, client=(network, 50000))
        assert phone.get(f"/api/v1/public/trace-codes/{shop.codes[0]}").status_code == 200
    one_buyer = TestClient(app, client=("192.0.2.77", 50000))
    for _ in range(2):  # one network, twice, after shipping: nothing suspicious
        one_buyer.get(f"/api/v1/public/trace-codes/{shop.codes[3]}")
    lookup(shop, shop.codes[1])  # attached, never shipped
    shop.t.warehouse.ok("POST", "/warehouse/voids", {"codes": [shop.codes[2]], "reason": "破损"})
    lookup(shop, shop.codes[2])
    alerts = {
        a["code"]: a["reasons"] for a in shop.t.store.ok("GET", "/store/trace/scan-alerts")["items"]
    }
    assert alerts[shop.codes[1]] == ["SCANNED_BEFORE_SHIPPING"]
    assert alerts[shop.codes[2]] == ["SCANNED_AFTER_VOIDING"]
    assert alerts[shop.codes[0]] == ["MANY_NETWORKS"]
    assert shop.codes[3] not in alerts
    assert shop.t.outsider.ok("GET", "/store/trace/scan-alerts")["items"] == []


def test_scans_per_day_for_charts(shop: Shop, admin: Caller) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-01T10:00:00+08:00"})
    lookup(shop, shop.codes[0])
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-03T23:30:00+08:00"})
    lookup(shop, shop.codes[0])
    lookup(shop, shop.codes[1])
    chart = shop.t.store.ok("GET", f"/store/trace/products/{shop.bonded}/scans?days=3")
    assert chart["days"] == [
        {"date": "2026-12-01", "scans": 1},
        {"date": "2026-12-02", "scans": 0},
        {"date": "2026-12-03", "scans": 2},
    ]
    assert_problem(
        shop.t.outsider.get(f"/store/trace/products/{shop.bonded}/scans"), 404, "NOT_FOUND"
    )


def test_a_codes_life_as_epcis(shop: Shop) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    order = shop.order(1)
    shop.ship(order, shop.codes[:1])
    r = shop.t.store.get(f"/store/trace/codes/{shop.codes[0]}/epcis")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    doc = r.json()
    assert doc["type"] == "EPCISDocument" and doc["schemaVersion"] == "2.0"
    events = doc["epcisBody"]["eventList"]
    assert [e["bizStep"] for e in events] == ["commissioning", "commissioning", "shipping"]
    assert events[0]["epcList"] == [f"http://suyuan.test/T/{shop.codes[0]}"]
    assert events[0]["ilmd"]["suyuan:declarationNo"] == "223320261000012345"
    assert order in events[2]["bizTransactionList"][0]["bizTransaction"]
    assert_problem(
        shop.t.outsider.get(f"/store/trace/codes/{shop.codes[0]}/epcis"), 404, "NOT_FOUND"
    )


def test_the_openapi_document_gives_epcis_its_media_type(client: TestClient) -> None:
    """It said application/json (found by fuzzing)."""
    op = client.get("/api/v1/openapi.json").json()["paths"][
        "/api/v1/store/trace/codes/{code}/epcis"
    ]
    assert list(op["get"]["responses"]["200"]["content"]) == ["application/ld+json"]
