"""The merchant's story in the store console, in Chinese, in a real browser (issue 6): onboard
①–⑤, create a bonded product, activate it once the warehouse attached codes, ship with codes
typed like a barcode scanner, get an abnormal order and correct it, schedule and stop, and
the expiry popup with 续期 after the clock moves. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.api.conftest import COMPANY, EXAMPLE, Caller, Tenants
from tests.browser.conftest import screenshots_dir

pytestmark = pytest.mark.usefixtures("ctx")
SHOTS = screenshots_dir()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"store-{name}.png"), full_page=True)


def click(page: Any, role: str, name: str) -> None:
    page.get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()


def notice(page: Any) -> str:
    text: str = page.locator(".alert.ok").inner_text()
    return text


def step(page: Any) -> str:
    text: str = page.locator("ul.steps li.current").inner_text()
    return text


def onboard(page: Any, t: Tenants) -> None:
    assert "① 立即开通" in step(page)
    assert page.locator("nav.crumbs").inner_text().split() == [
        "店铺后台",
        "›",
        "发货管理",
        "›",
        "正品溯源",
    ]
    shot(page, "wizard-1-open")
    click(page, "button", "立即开通")
    assert "② 服务商授权" in step(page)
    page.check(f"input[name=provider_id][value={t.provider_id}]")
    shot(page, "wizard-2-provider")
    click(page, "button", "0 元订购")
    assert "③ 绑定进出口收发货人信息" in step(page)
    page.fill("input[name=importer_name]", COMPANY)
    page.fill("input[name=importer_code]", "3122960ABC")
    page.fill("input[name=company_name]", "上海海淘进出口公司")
    click(page, "button", "绑定")
    assert "与店铺注册主体不一致" in page.locator("#err-company_name").inner_text()
    assert page.locator("input[name=importer_code]").input_value() == "3122960ABC"
    shot(page, "wizard-3-company-error")
    page.fill("input[name=company_name]", COMPANY)
    click(page, "button", "绑定")
    assert "④ 引导保税仓完成操作" in step(page)
    page.select_option("select[name=warehouse_id]", t.warehouse_id)
    click(page, "button", "关联保税仓")
    assert "⑤ 已完成,开始使用" in step(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载详细操作说明(PDF)").click()
    assert download.value.suggested_filename == "suyuan-warehouse-guide.pdf"
    shot(page, "wizard-5-complete")
    click(page, "button", "已完成,开始使用")
    assert "开通完成" in notice(page) and page.locator("ul.steps li.done").count() == 5
    assert "365 天" in page.locator(".days-left").inner_text()
    shot(page, "home-subscription")


def codes_from_the_warehouse(t: Tenants, product_id: str, quantity: int, attach: int) -> list[str]:
    """The provider loads the declaration; the warehouse requests codes and attaches some."""
    t.provider.ok("POST", "/provider/declarations", json.loads(EXAMPLE.read_text("utf-8")), 201)
    items = t.warehouse.ok("GET", f"/warehouse/stores/{t.store_id}/declaration-items")["items"]
    body = {
        "store_id": t.store_id,
        "product_id": product_id,
        "declaration_item_id": next(i["id"] for i in items if i["item_no"] == 1),
        "quantity": quantity,
    }
    request = t.warehouse.ok("POST", "/warehouse/code-requests", body, 201)
    listed = t.warehouse.ok("GET", f"/warehouse/code-requests/{request['id']}/codes?limit=200")
    codes = [c["code"] for c in listed["items"]]
    t.warehouse.ok("POST", "/warehouse/attachments", {"codes": codes[:attach]})
    return codes


def scan_in(page: Any, selector: str, codes: list[str]) -> None:
    """Type codes the way a barcode scanner does: the symbols, then Enter."""
    box = page.locator(selector)
    box.click()
    for code in codes:
        box.press_sequentially(code)
        box.press("Enter")


def new_order(page: Any, base: str, product_id: str, quantity: int) -> str:
    page.goto(f"{base}/orders")
    page.select_option("select[name=product_0]", product_id)
    page.fill("input[name=quantity_0]", str(quantity))
    click(page, "button", "创建订单")
    order_id: str = page.url.split("/orders/")[1].split("?")[0]
    return order_id


def ship(page: Any, codes: list[str], tracking_no: str) -> None:
    page.fill("input[name=tracking_no]", tracking_no)
    scan_in(page, "textarea[name=codes_0]", codes)


def test_the_merchants_story(
    tenants: Tenants, console_login: Any, live_server: str, admin: Caller
) -> None:
    t = tenants
    base = f"{live_server}/console/store"
    page = console_login("store", t.store_id, "shop-admin")
    onboard(page, t)

    page.goto(f"{base}/products")
    page.fill("input[name=title]", "珂润保湿面霜 40g")
    page.select_option("select[name=goods_type]", "bonded")
    page.fill("input[name=brand]", "Curel")
    click(page, "button", "创建商品")
    assert "商品已创建" in notice(page)
    product = page.url.split("/products/")[1].split("?")[0]
    codes = codes_from_the_warehouse(t, product, quantity=6, attach=5)
    attached, not_attached = codes[:5], codes[5:]

    page.goto(f"{base}/products")
    row = page.locator(f"tr[data-product='{product}']")
    assert "待生效" in row.inner_text() and "5" in row.inner_text()
    row.get_by_role("link", name="生效", exact=True).click()
    page.wait_for_load_state()
    click(page, "button", "立即生效")
    assert "已生效" in notice(page) and "正品溯源保障" in page.locator("dl.facts").inner_text()

    first = new_order(page, base, product, 2)
    assert "需要 2 个溯源码" in page.locator("#ship").inner_text()
    ship(page, attached[:2], "SF1000000001")
    shot(page, "order-ship")
    click(page, "button", "确认发货")
    assert "已发货" in notice(page) and "正常" in page.locator(".order-trace").inner_text()
    assert page.locator("td.bound .code").count() == 2
    shot(page, "order-shipped")

    second = new_order(page, base, product, 1)
    ship(page, not_attached, "SF1000000002")
    click(page, "button", "确认发货")
    assert "异常订单" in notice(page)
    page.get_by_role("link", name="异常订单", exact=True).click()
    page.wait_for_load_state()
    card = page.locator(f"section[data-order='{second}']")
    assert "该溯源码尚未贴码上报" in card.locator(".reason").inner_text()
    shot(page, "abnormal-orders")
    page.goto(f"{base}/products")
    assert "异常" in page.locator(f"tr[data-product='{product}'] .tag").inner_text()
    shot(page, "products")

    page.goto(f"{base}/abnormal-orders")
    card = page.locator(f"section[data-order='{second}']")
    card.locator("textarea[name=codes_0]").fill("")
    scan_in(page, f"section[data-order='{second}'] textarea[name=codes_0]", attached[2:3])
    card.get_by_role("button", name="提交更正").click()
    page.wait_for_load_state()
    assert "已更正" in notice(page) and "没有异常订单" in page.locator("main").inner_text()
    page.goto(f"{base}/products")
    assert "已生效" in page.locator(f"tr[data-product='{product}'] .tag").inner_text()
    assert first != second

    page.goto(f"{base}/products/{product}")
    page.fill("input[name=at]", "2030-01-01T10:00")
    shot(page, "product-schedule")
    click(page, "button", "设置定时生效")
    assert "定时生效" in page.locator(".trace-status").inner_text()
    assert "2030-01-01 10:00" in page.locator(".trace-status").inner_text()

    click(page, "link", "停止生效")
    assert "确认停止生效" in page.locator("main").inner_text()
    shot(page, "stop-confirm")
    click(page, "button", "确认停止生效")
    assert "已停止生效" in notice(page) and "已停止" in page.locator(".trace-status").inner_text()

    page.goto(f"{base}/products/{product}/codes?status=shipped")
    assert page.locator("table.codes tbody tr").count() == 3
    shot(page, "codes")
    page.goto(f"{live_server}/t/{attached[0]}")
    page.goto(f"{base}/scans?days=7")
    assert page.locator("svg.chart rect").count() == 7
    shot(page, "scans")
    page.goto(f"{base}/bills")
    assert "¥0.60" in page.locator("table.bill").inner_text()
    shot(page, "bills")

    expires = datetime.fromisoformat(
        t.store.ok("GET", "/store/trace")["subscription"]["expires_at"]
    )
    admin.ok("PUT", "/platform/clock", {"now": (expires - timedelta(days=5)).isoformat()})
    page.goto(f"{base}/products")
    if "/console/login" in page.url:  # the 12-hour session ended when the clock moved
        login_again(page)
    assert "5 天后" in page.locator(".alert.warn.notice").inner_text()
    admin.ok("PUT", "/platform/clock", {"now": (expires + timedelta(days=1)).isoformat()})
    page.goto(f"{base}/orders")
    if "/console/login" in page.url:
        login_again(page)
    modal = page.locator(".modal")
    assert modal.is_visible() and "已到期" in modal.inner_text()
    shot(page, "expired-modal")
    modal.get_by_text("稍后", exact=True).click()
    assert not modal.is_visible()
    page.goto(f"{base}/products")
    assert page.locator(".modal").is_visible()  # it comes back on every trace page
    page.locator(".modal").get_by_role("button", name="续期(免费)").click()
    page.wait_for_load_state()
    assert "已续期" in notice(page) and page.locator(".modal").count() == 0
    assert t.store.ok("GET", "/store/trace")["subscription"]["status"] == "active"


def login_again(page: Any) -> None:
    page.fill("input[name=username]", "shop-admin")
    page.fill("input[name=password]", "correct horse")
    page.click("button[type=submit]")
    page.wait_for_load_state()
