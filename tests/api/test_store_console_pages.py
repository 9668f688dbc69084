"""The merchant console without a browser (issue 6): the wizard by form posts with CSRF, errors
at their fields, nothing changed by a refused form, 404 for another store's objects, the
expiry banner and popup under the test clock, English pages without Chinese, the SVG chart."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from suyuan.domain.scanning import AlertReason
from suyuan.domain.tracing import AbnormalReason, TraceStatus
from suyuan.i18n import CATALOG
from suyuan.web.console.store_chart import bar_chart, nice_top
from tests.api.conftest import COMPANY, Caller, Shop, Tenants

pytestmark = pytest.mark.usefixtures("ctx")
STORE = "/console/store"
TEMPLATES = Path(__file__).parents[2] / "src/suyuan/web/templates/console/store"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


class Console:
    """A logged-in console session: ``post`` adds the session's CSRF token."""

    def __init__(self, client: TestClient, username: str) -> None:
        self.client = client
        self.username = username
        self.login()

    def login(self) -> None:
        r = self.client.post(
            "/console/login", data={"username": self.username, "password": "correct horse"}
        )
        assert r.status_code == 200, r.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
        assert token is not None
        self.token = token.group(1)

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict[str, str] | None = None, **kw: Any) -> Any:
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kw)


def console(client: TestClient, admin: Caller, store_id: str, name: str = "shop-admin") -> Console:
    body = {"org_type": "store", "org_id": store_id, "username": name, "password": "correct horse"}
    admin.ok("POST", "/platform/users", body, 201)
    return Console(client, name)


def current_step(html: str) -> str:
    found = re.search(r'<li class="current" aria-current="step">\s*(\S+)', html)
    return found.group(1) if found else ""


def field_error(html: str, field: str) -> str:
    found = re.search(rf'<span class="field-error" id="err-{re.escape(field)}"[^>]*>([^<]+)<', html)
    return found.group(1) if found else ""


def test_the_wizard_walks_the_seed_steps(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    c = console(client, admin, tenants.store_id)
    home = c.get(f"{STORE}/").text
    assert current_step(home) == "①" and "立即开通" in home
    assert "店铺后台" in home and "发货管理" in home and "正品溯源管理" in home
    r = c.post(f"{STORE}/open")
    assert r.status_code == 200 and current_step(r.text) == "②"
    assert "中检溯源服务中心" in r.text and "0 元订购" in r.text and "标准版-一年" in r.text
    r = c.post(f"{STORE}/subscription", {"provider_id": tenants.provider_id})
    assert current_step(r.text) == "③" and "已订购" in r.text

    wrong = {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": "别家公司"}
    r = c.post(f"{STORE}/importer-bindings", wrong)
    assert r.status_code == 422 and "与店铺注册主体不一致" in field_error(r.text, "company_name")
    assert re.search(r'name="company_name" value="别家公司"[^>]*class="invalid"', r.text)
    assert not field_error(r.text, "importer_code")
    assert tenants.store.ok("GET", "/store/trace")["onboarding_step"] == "bind_importer"
    r = c.post(f"{STORE}/importer-bindings", {**wrong, "importer_code": "123"})
    assert r.status_code == 422 and field_error(r.text, "importer_code")
    assert tenants.store.ok("GET", "/store/trace/importer-bindings")["items"] == []

    r = c.post(f"{STORE}/importer-bindings", {**wrong, "company_name": f" {COMPANY} "})
    assert r.status_code == 200 and current_step(r.text) == "④"
    assert "宁波保税仓一号库" in r.text
    r = c.post(f"{STORE}/warehouses", {"warehouse_id": tenants.warehouse_id})
    assert current_step(r.text) == "⑤" and "warehouse-guide.pdf" in r.text
    pdf = c.get(f"{STORE}/warehouse-guide.pdf?warehouse_id={tenants.warehouse_id}")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    r = c.post(f"{STORE}/complete")
    assert r.status_code == 200 and "开通完成" in r.text and current_step(r.text) == ""
    assert r.text.count('<li class="done"') == 5
    sub = tenants.store.ok("GET", "/store/trace")["subscription"]
    expires = datetime.fromisoformat(sub["expires_at"]).astimezone(timezone(timedelta(hours=8)))
    assert expires.strftime("%Y-%m-%d %H:%M") in r.text
    assert f"{sub['days_left']} 天" in r.text and "续期" in r.text


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    console(client, admin, tenants.store_id)
    for data in ({}, {"csrf_token": "forged"}):
        r = client.post(f"{STORE}/open", data=data)
        assert r.status_code == 403 and "页面已过期" in r.text
        assert r.headers["content-type"].startswith("text/html")
    assert tenants.store.ok("GET", "/store/trace")["onboarding_step"] == "not_opened"


def test_a_store_outside_the_pilot_is_told_whom_to_ask(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    c = console(client, admin, tenants.outsider_id, "outsider")
    home = c.get(f"{STORE}/").text
    assert "联系店铺对接运营申请" in home and 'class="steps"' not in home
    r = c.post(f"{STORE}/open")
    assert r.status_code == 422 and "联系店铺对接运营申请" in r.text


def test_another_stores_objects_are_not_found(
    client: TestClient, admin: Caller, shop: Shop
) -> None:
    t = shop.t
    other = t.outsider.ok("POST", "/store/products", {"title": "别家面霜", "goods_type": "bonded"})
    items = [{"product_id": other["id"], "quantity": 1}]
    other_order = t.outsider.ok("POST", "/store/orders", {"items": items}, 201)["id"]
    c = console(client, admin, t.store_id)
    for path in (
        f"/products/{other['id']}",
        f"/products/{other['id']}/codes",
        f"/products/{other['id']}/stop",
        f"/scans?product={other['id']}",
        f"/orders/{other_order}",
    ):
        r = c.get(STORE + path)
        assert r.status_code == 404 and "别家面霜" not in r.text, path
        assert "没有找到" in r.text and r.headers["content-type"].startswith("text/html")
    r = c.post(f"{STORE}/orders/{other_order}/shipment", {"tracking_no": "SF1", "product_0": "x"})
    assert r.status_code == 404
    assert t.outsider.ok("GET", f"/store/orders/{other_order}")["status"] == "paid"
    r = c.post(f"{STORE}/products/{other['id']}/stop")
    assert r.status_code == 404


def test_activate_ship_go_abnormal_and_correct_through_forms(
    client: TestClient, admin: Caller, shop: Shop
) -> None:
    c = console(client, admin, shop.t.store_id)
    listing = c.get(f"{STORE}/products").text
    assert 'class="tag pending"' in listing and "珂润保湿面霜 40g" in listing
    r = c.post(f"{STORE}/products/{shop.bonded}/activation", {"mode": "now"})
    assert r.status_code == 200 and "正品溯源保障" in r.text and shop.badge() is True

    r = c.post(f"{STORE}/orders", {"product_0": shop.bonded, "quantity_0": "2"})
    order = r.url.path.rsplit("/", 1)[-1]
    assert r.status_code == 200 and "需要 2 个溯源码" in r.text
    short = {"tracking_no": "SF100", "product_0": shop.bonded, "codes_0": shop.codes[0]}
    r = c.post(f"{STORE}/orders/{order}/shipment", short)
    assert r.status_code == 422 and "还缺少 1 个溯源码" in r.text and "订单未发货" in r.text
    r = c.post(f"{STORE}/orders/{order}/shipment", {**short, "codes_0": "7K3M-9Q2X"})
    assert r.status_code == 422 and "不是有效的溯源码" in r.text
    assert shop.t.store.ok("GET", f"/store/orders/{order}")["status"] == "paid"
    typed = "\n".join(
        " ".join(code[i : i + 4] for i in range(0, 17, 4)).lower() for code in shop.codes[:2]
    )
    r = c.post(f"{STORE}/orders/{order}/shipment", {**short, "codes_0": typed + "\n\n"})
    assert r.status_code == 200 and "已发货" in r.text
    assert shop.t.store.ok("GET", f"/store/orders/{order}")["trace_status"] == "ok"

    r = c.post(f"{STORE}/orders", {"product_0": shop.bonded, "quantity_0": "1"})
    second = r.url.path.rsplit("/", 1)[-1]
    wrong = {"tracking_no": "SF101", "product_0": shop.bonded, "codes_0": shop.unattached[0]}
    r = c.post(f"{STORE}/orders/{second}/shipment", wrong)
    assert r.status_code == 200 and "该溯源码尚未贴码上报" in r.text
    page = c.get(f"{STORE}/abnormal-orders").text
    assert second in page and "该溯源码尚未贴码上报" in page and 'name="codes_0"' in page
    assert 'class="tag abnormal"' in c.get(f"{STORE}/products").text
    back = c.get(f"{STORE}/orders/{second}/correction")  # e.g. after logging in again
    assert back.url.path == f"{STORE}/orders/{second}" and 'name="codes_0"' in back.text
    fix = {"product_0": shop.bonded, "codes_0": shop.codes[2], "back": "abnormal"}
    r = c.post(f"{STORE}/orders/{second}/correction", fix)
    assert r.status_code == 200 and "没有异常订单" in r.text and "已更正" in r.text
    assert shop.product()["trace_status"] == "active"


def test_scheduled_activation_reads_china_time_and_stop_needs_a_confirm(
    client: TestClient, admin: Caller, shop: Shop
) -> None:
    c = console(client, admin, shop.t.store_id)
    path = f"{STORE}/products/{shop.bonded}/activation"
    r = c.post(path, {"mode": "scheduled", "at": "2020-01-01T10:00"})
    assert r.status_code == 422 and "生效时间必须晚于当前时间" in field_error(r.text, "at")
    r = c.post(path, {"mode": "scheduled", "at": ""})
    assert r.status_code == 422 and field_error(r.text, "at")
    assert shop.product()["trace_status"] == "pending"
    r = c.post(path, {"mode": "scheduled", "at": "2999-01-01T10:00"})
    assert r.status_code == 200 and "定时生效" in r.text and "2999-01-01 10:00" in r.text
    product = shop.product()
    assert product["trace_status"] == "scheduled"
    assert datetime.fromisoformat(product["activate_at"]) == datetime(2999, 1, 1, 2, tzinfo=UTC)
    confirm = c.get(f"{STORE}/products/{shop.bonded}/stop").text
    assert "确认停止生效" in confirm and shop.product()["trace_status"] == "scheduled"
    r = c.post(f"{STORE}/products/{shop.bonded}/stop")
    assert r.status_code == 200 and "已停止生效" in r.text
    assert shop.product()["trace_status"] == "stopped"


def _move_clock(admin: Caller, instant: datetime) -> None:
    admin.ok("PUT", "/platform/clock", {"now": instant.isoformat()})


def test_the_banner_from_30_days_before_and_the_popup_after_expiry(
    client: TestClient, admin: Caller, shop: Shop
) -> None:
    c = console(client, admin, shop.t.store_id)
    assert 'data-notice="RENEWAL_DUE"' not in c.get(f"{STORE}/products").text
    expires = datetime.fromisoformat(
        shop.t.store.ok("GET", "/store/trace")["subscription"]["expires_at"]
    )
    _move_clock(admin, expires - timedelta(days=10))
    c.login()  # the session is 12 hours long: the clock moved a year
    for path in ("/products", "/orders", "/bills"):
        html = c.get(STORE + path).text
        assert 'data-notice="RENEWAL_DUE"' in html and "10 天后" in html, path
        assert 'class="modal-backdrop"' not in html
    _move_clock(admin, expires + timedelta(days=1))
    c.login()
    for path in ("/", "/products", f"/products/{shop.bonded}", "/orders", "/scans"):
        html = c.get(STORE + path).text
        assert 'class="modal-backdrop"' in html and "续期(免费)" in html, path
    r = c.post(f"{STORE}/renew", {"next": f"{STORE}/products"})
    assert r.url.path == f"{STORE}/products" and "已续期" in r.text
    assert 'class="modal-backdrop"' not in r.text and "data-notice" not in r.text
    sub = shop.t.store.ok("GET", "/store/trace")["subscription"]
    assert sub["status"] == "active" and sub["days_left"] >= 365


def test_scans_per_day_are_an_svg_bar_chart(client: TestClient, admin: Caller, shop: Shop) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    shop.ship(shop.order(1), shop.codes[:1])
    for _ in range(3):
        client.get(f"/api/v1/public/trace-codes/{shop.codes[0]}")
    c = console(client, admin, shop.t.store_id)
    html = c.get(f"{STORE}/scans?days=7").text
    assert html.count('<svg class="chart"') == 1 and "珂润保湿面霜 40g" in html
    assert html.count("<rect ") == 7 and "3 次</title>" in html
    assert "<script" not in html
    assert c.get(f"{STORE}/scans?days=abc").status_code == 200
    client.get(f"/api/v1/public/trace-codes/{shop.codes[5]}")  # attached, never shipped
    alerts = c.get(f"{STORE}/scan-alerts").text
    assert shop.codes[5][:4] in alerts and "发货前被扫码" in alerts


def test_the_bill_and_its_csv_match_the_api(client: TestClient, admin: Caller, shop: Shop) -> None:
    c = console(client, admin, shop.t.store_id)
    html = c.get(f"{STORE}/bills").text
    assert "¥1.20" in html and "¥0.10" in html and "宁波保税仓一号库" in html
    mine = c.get(f"{STORE}/bills.csv")
    api = shop.t.store.get("/store/trace/bills.csv")
    assert mine.status_code == 200 and mine.content == api.content
    assert mine.headers["content-type"].startswith("text/csv")
    bad = c.get(f"{STORE}/bills?month=2026-13")
    assert bad.status_code == 422 and field_error(bad.text, "month")


def test_pages_in_english_have_no_chinese_but_tenant_data(
    client: TestClient, admin: Caller, shop: Shop
) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    good = shop.order(1)
    shop.ship(good, shop.codes[:1])
    bad = shop.order(1)
    shop.ship(bad, shop.unattached[:1])
    c = console(client, admin, shop.t.store_id)
    tenant_data = (
        "珂润保湿面霜 40g",
        "国产毛巾",
        COMPANY,
        "宁波保税仓一号库",
        "中检溯源服务中心",
        "中文",  # the language switch names Chinese in Chinese
    )
    for path in (
        "/",
        "/products",
        f"/products/{shop.bonded}",
        f"/products/{shop.bonded}/codes",
        f"/products/{shop.bonded}/stop",
        "/orders",
        f"/orders/{good}",
        f"/orders/{bad}",
        "/abnormal-orders",
        "/bills",
        "/scans",
        "/scan-alerts",
    ):
        r = c.get(f"{STORE}{path}?lang=en")
        assert r.status_code == 200, path
        html = r.text
        for text in tenant_data:
            html = html.replace(text, "")
        assert not CJK.findall(html), (path, CJK.findall(html)[:10])
    assert "Genuine-product" in c.get(f"{STORE}/").text  # the language choice sticks


def test_every_word_comes_from_the_catalog() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        source = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        assert not CJK.findall(source), template.name  # no hard-coded text
        used |= set(re.findall(r"\bt\('([A-Za-z0-9_.]+)'", source))
    dynamic = [f"store.status.{s}" for s in get_args(TraceStatus)]
    dynamic += [f"store.reason.{r}" for r in get_args(AbnormalReason)]
    dynamic += [f"store.alert.{r}" for r in get_args(AlertReason)]
    dynamic += [f"store.step.{n}" for n in range(1, 6)]
    for key in sorted(used | set(dynamic)):
        if key.endswith("."):
            continue
        assert key in CATALOG, key
        zh, en = CATALOG[key]
        assert (
            zh
            and en
            and not CJK.findall(en.replace("正品溯源", "").replace("联系店铺对接运营申请", ""))
        ), key


def test_the_chart_scale_is_round_and_bars_stay_in_the_plot() -> None:
    assert [nice_top(n) for n in (0, 1, 2, 3, 7, 10, 11, 26, 101)] == [
        1,
        1,
        2,
        5,
        10,
        10,
        20,
        50,
        200,
    ]
    days = [{"date": f"2026-12-{d:02d}", "scans": d % 4} for d in range(1, 31)]
    chart = bar_chart(days)
    assert chart.top == 5 and chart.total == sum(d % 4 for d in range(1, 31))
    assert all(chart.left <= b.x and b.x + b.width <= chart.right_edge for b in chart.bars)
    assert all(b.y + b.height == pytest.approx(chart.baseline) for b in chart.bars)
    assert chart.labels[-1][1] == "12-30" and len(chart.labels) <= 8


def test_the_orders_page_lists_the_latest_orders(
    client: TestClient, admin: Caller, shop: Shop
) -> None:
    c = console(client, admin, shop.t.store_id)
    first, second = shop.order(1), shop.order(2)
    html = c.get(f"{STORE}/orders").text
    assert first in html and second in html
    assert html.index(second) < html.index(first)  # newest first
    other = console(client, admin, shop.t.outsider_id, "other-shop")
    assert first not in other.get(f"{STORE}/orders").text
