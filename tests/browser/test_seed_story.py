"""The seed's whole story through the consoles, in Chinese, in a real browser (issue 6).

The platform operator sets up a pilot store, a provider and a bonded warehouse and their users;
the merchant onboards ①–⑤ and creates a bonded product; the provider uploads the declaration
file; the warehouse applies for codes, prints the labels and reports codes attached; the
merchant activates, ships, gets an abnormal order and corrects it, stops and schedules; a
consumer scans a code on a phone; after expiry the merchant renews from the popup. The only
API calls: the first platform user (``console_login``) and the test clock.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import COMPANY, EXAMPLE, Caller

pytestmark = pytest.mark.usefixtures("ctx")
PASSWORD = "correct horse"
START = "2026-11-10T02:00:00+00:00"  # 10:00 China time; the declaration was imported 11-01
SCHEDULED_AT = "2026-11-20T10:00"  # China time, in the datetime-local picker
AFTER_EXPIRY = "2027-12-01T02:00:00+00:00"  # the one-year subscription ended 2027-11-10
TITLE = "珂润保湿面霜 40g"
STORE, PROVIDER, WAREHOUSE = "海淘旗舰店", "中检溯源服务中心", "宁波保税仓一号库"


def click(page: Any, role: str, name: str) -> None:
    page.get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()


def menu(page: Any, name: str) -> None:
    page.locator("aside.side").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def notice(page: Any) -> str:
    text: str = page.locator(".alert.ok").inner_text()
    return text


def step(page: Any) -> str:
    text: str = page.locator("ul.steps li.current").inner_text()
    return text


def sign_in(page: Any, base: str, username: str) -> None:
    """Log an existing console user in through /console/login."""
    if "/console/login" not in page.url:
        page.goto(f"{base}/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/console/login" not in page.url, page.locator("main").inner_text()


def scan_in(page: Any, box: Any, codes: list[str]) -> None:
    """Type codes the way a barcode scanner does: the symbols, then Enter."""
    box.click()
    for code in codes:
        box.press_sequentially(code)
        box.press("Enter")


def org_id(page: Any, name: str) -> str:
    """The ID shown in the platform list row of ``name`` (the last code cell of the row)."""
    text: str = page.locator("tr", has_text=name).locator("td.code").last.inner_text()
    return text.strip()


def create_user(page: Any, base: str, org_type: str, org: str, username: str) -> None:
    page.goto(f"{base}/console/platform/access")
    form = page.locator("#new-user")
    form.locator("select[name=org_type]").select_option(org_type)
    form.locator("select[name=org_id]").select_option(org)
    form.get_by_label("用户名").fill(username)
    form.get_by_label("初始密码").fill(PASSWORD)
    form.get_by_role("button", name="创建用户").click()
    page.wait_for_load_state()
    assert "用户已创建" in page.get_by_role("status").inner_text()
    assert page.locator("tr", has_text=username).locator("span.code", has_text=org).count() == 1


def new_order(page: Any, console: str, product: str, quantity: int) -> str:
    page.goto(f"{console}/orders")
    page.select_option("select[name=product_0]", product)
    page.fill("input[name=quantity_0]", str(quantity))
    click(page, "button", "创建订单")
    order: str = page.url.split("/orders/")[1].split("?")[0]
    return order


def ship(page: Any, codes: list[str], tracking_no: str) -> None:
    page.fill("input[name=tracking_no]", tracking_no)
    scan_in(page, page.locator("textarea[name=codes_0]"), codes)
    click(page, "button", "确认发货")


def test_the_seed_story_through_the_consoles(
    console_login: Any, live_server: str, admin: Caller, browser: Any
) -> None:
    base = live_server
    admin.ok("PUT", "/platform/clock", {"now": START})
    contexts: list[Any] = []

    def new_page(username: str, **options: Any) -> Any:
        context = browser.new_context(locale="zh-CN", **options)
        contexts.append(context)
        page = context.new_page()
        if username:
            sign_in(page, base, username)
        return page

    try:
        _story(console_login, base, admin, new_page)
    finally:
        for context in contexts:
            context.close()


def _story(console_login: Any, base: str, admin: Caller, new_page: Any) -> None:
    # 1. the platform operator sets up a pilot store, a provider, a warehouse and their users
    ops = console_login("platform", None, "ops")
    assert ops.get_by_role("heading", name="平台概览").is_visible()
    menu(ops, "店铺")
    ops.get_by_label("店铺名称").fill(STORE)
    ops.get_by_label("公司名称(店铺注册主体)").fill(COMPANY)
    ops.get_by_role("button", name="创建店铺").click()
    ops.wait_for_load_state()
    assert ops.get_by_role("status").inner_text() == "店铺已创建。"
    ops.locator("tr", has_text=STORE).get_by_role("button", name="加入试点").click()
    ops.wait_for_load_state()
    assert "已加入试点" in ops.get_by_role("status").inner_text()
    assert ops.locator("tr", has_text=STORE).get_by_text("试点中").is_visible()
    store_id = org_id(ops, STORE)
    assert re.fullmatch(r"sto_[0-9A-Z]{20}", store_id)

    menu(ops, "服务商")
    ops.get_by_label("服务商名称").fill(PROVIDER)
    ops.get_by_role("button", name="创建服务商").click()
    ops.wait_for_load_state()
    assert ops.get_by_role("status").inner_text() == "服务商已创建。"
    provider_id = org_id(ops, PROVIDER)

    menu(ops, "保税仓")
    ops.get_by_label("保税仓名称").fill(WAREHOUSE)
    ops.get_by_label("海关编码(选填)").fill("3105W1")
    ops.get_by_role("button", name="创建保税仓").click()
    ops.wait_for_load_state()
    assert ops.locator("tr", has_text=WAREHOUSE).get_by_text("3105W1").is_visible()
    warehouse_id = org_id(ops, WAREHOUSE)
    assert len({store_id, provider_id, warehouse_id}) == 3

    create_user(ops, base, "store", store_id, "shop-admin")
    create_user(ops, base, "provider", provider_id, "pv-clerk")
    create_user(ops, base, "warehouse", warehouse_id, "wh-clerk")

    # 2. the merchant onboards ①–⑤ and creates a bonded product
    shop = new_page("shop-admin", viewport={"width": 1280, "height": 900})
    console = f"{base}/console/store"
    assert shop.url.startswith(console)
    assert "① 立即开通" in step(shop)
    click(shop, "button", "立即开通")
    assert "② 服务商授权" in step(shop)
    shop.check(f"input[name=provider_id][value={provider_id}]")
    click(shop, "button", "0 元订购")
    assert "③ 绑定进出口收发货人信息" in step(shop)
    shop.fill("input[name=importer_name]", COMPANY)
    shop.fill("input[name=importer_code]", "3122960ABC")
    shop.fill("input[name=company_name]", COMPANY)
    click(shop, "button", "绑定")
    assert "④ 引导保税仓完成操作" in step(shop)
    shop.select_option("select[name=warehouse_id]", warehouse_id)
    click(shop, "button", "关联保税仓")
    assert "⑤ 已完成,开始使用" in step(shop)
    with shop.expect_download() as guide:
        shop.get_by_role("link", name="下载详细操作说明(PDF)").click()
    assert Path(guide.value.path()).read_bytes().startswith(b"%PDF")
    click(shop, "button", "已完成,开始使用")
    assert "开通完成" in notice(shop) and shop.locator("ul.steps li.done").count() == 5
    assert "365 天" in shop.locator(".days-left").inner_text()

    shop.goto(f"{console}/products")
    shop.fill("input[name=title]", TITLE)
    shop.select_option("select[name=goods_type]", "bonded")
    shop.fill("input[name=brand]", "Curel")
    click(shop, "button", "创建商品")
    assert "商品已创建" in notice(shop)
    product = shop.url.split("/products/")[1].split("?")[0]

    # 3. the provider uploads the declaration file
    provider = new_page("pv-clerk", viewport={"width": 1280, "height": 900})
    provider.get_by_role("link", name="上传报关单").first.click()
    provider.wait_for_load_state()
    provider.set_input_files("input[name=files]", str(EXAMPLE))
    provider.get_by_role("button", name="上传并导入").click()
    provider.wait_for_url(f"{base}/console/provider/?*")
    assert provider.get_by_role("status").inner_text().startswith("导入完成:新增 1 份报关单")
    assert provider.get_by_text("223320261000012345").is_visible()

    # 4. the warehouse applies for 10 codes from item 1, prints them and attaches 8
    warehouse = new_page("wh-clerk", viewport={"width": 1280, "height": 900})
    assert warehouse.url == f"{base}/console/warehouse/"
    row = warehouse.locator("tr", has_text=STORE)
    assert row.get_by_text("服务中").is_visible()
    row.get_by_role("link", name="查看商品").click()
    warehouse.wait_for_load_state()
    assert warehouse.get_by_text(TITLE).first.is_visible()
    warehouse.goto(f"{base}/console/warehouse/apply?store_id={store_id}")
    warehouse.select_option("select[name=product_id]", product)
    item = warehouse.locator("select[name=declaration_item_id] option", has_text="第 1 项")
    assert "剩余 1,200 / 申报 1,200" in item.inner_text()
    warehouse.select_option("select[name=declaration_item_id]", item.get_attribute("value"))
    warehouse.fill("input[name=quantity]", "10")
    warehouse.get_by_role("button", name="提交申请").click()
    warehouse.wait_for_url(f"{base}/console/warehouse/requests/*")
    assert "已申请 10 个溯源码,费用 ¥1.00" in warehouse.get_by_role("status").inner_text()
    with warehouse.expect_download() as labels:
        warehouse.get_by_role("link", name="下载 PDF 标签").click()
    assert Path(labels.value.path()).read_bytes().startswith(b"%PDF")
    assert labels.value.suggested_filename.endswith(".pdf")
    shown = warehouse.locator("table tbody td.code").all_inner_texts()
    codes = [c.replace(" ", "") for c in shown]
    assert len(codes) == 10 and all(len(c) == 17 for c in codes)
    attached, unattached = codes[:8], codes[8:]

    warehouse.get_by_role("link", name="上报贴码").first.click()
    warehouse.wait_for_load_state()
    scan_in(warehouse, warehouse.locator("textarea[name=codes]"), attached)
    warehouse.get_by_role("button", name="上报", exact=True).click()
    warehouse.wait_for_load_state()
    results = warehouse.locator("#results")
    assert results.locator("tr.result-attached").count() == 8
    assert results.locator("tr.result-rejected").count() == 0

    # 5. the merchant activates, ships, gets an abnormal order, corrects it, stops, schedules
    shop.goto(f"{console}/products")
    row = shop.locator(f"tr[data-product='{product}']")
    assert "待生效" in row.inner_text() and "8" in row.inner_text()
    row.get_by_role("link", name="生效", exact=True).click()
    shop.wait_for_load_state()
    click(shop, "button", "立即生效")
    assert "已生效" in notice(shop)
    assert "已生效" in shop.locator(".trace-status").inner_text()
    assert "正品溯源保障" in shop.locator("dl.facts").inner_text()

    first = new_order(shop, console, product, 2)
    assert "需要 2 个溯源码" in shop.locator("#ship").inner_text()
    ship(shop, attached[:2], "SF1000000001")
    assert "已发货" in notice(shop) and "正常" in shop.locator(".order-trace").inner_text()
    assert shop.locator("td.bound .code").count() == 2

    second = new_order(shop, console, product, 1)
    assert second != first
    ship(shop, unattached[:1], "SF1000000002")
    assert "异常订单" in notice(shop)
    shop.get_by_role("link", name="异常订单", exact=True).first.click()
    shop.wait_for_load_state()
    card = shop.locator(f"section[data-order='{second}']")
    assert "该溯源码尚未贴码上报" in card.locator(".reason").inner_text()
    assert unattached[0][:4] in card.inner_text()
    shop.goto(f"{console}/products")
    assert "异常" in shop.locator(f"tr[data-product='{product}'] .tag").inner_text()
    shop.goto(f"{base}/p/{product}")
    assert shop.locator(".badge").count() == 0
    assert shop.locator("[data-badge=off]").is_visible()

    shop.goto(f"{console}/abnormal-orders")
    card = shop.locator(f"section[data-order='{second}']")
    box = card.locator("textarea[name=codes_0]")
    box.fill("")
    scan_in(shop, box, attached[2:3])
    card.get_by_role("button", name="提交更正").click()
    shop.wait_for_load_state()
    assert "已更正" in notice(shop) and "没有异常订单" in shop.locator("main").inner_text()
    shop.goto(f"{console}/products")
    assert "已生效" in shop.locator(f"tr[data-product='{product}'] .tag").inner_text()
    shop.goto(f"{base}/p/{product}")
    badge = shop.locator(".badge")
    assert badge.is_visible() and "正品溯源保障" in badge.inner_text()
    assert TITLE in shop.locator("h1").inner_text()

    shop.goto(f"{console}/products/{product}")
    click(shop, "link", "停止生效")
    assert "确认停止生效" in shop.locator("main").inner_text()
    click(shop, "button", "确认停止生效")
    assert "已停止生效" in notice(shop)
    assert "已停止" in shop.locator(".trace-status").inner_text()
    shop.fill("input[name=at]", SCHEDULED_AT)
    click(shop, "button", "设置定时生效")
    status = shop.locator(".trace-status").inner_text()
    assert "定时生效" in status and "2026-11-20 10:00" in status
    shop.goto(f"{base}/p/{product}")
    assert shop.locator(".badge").count() == 0  # not before its time

    # 6. a consumer scans a shipped code on a phone
    phone = new_page(
        "",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
    )
    phone.goto(f"{base}/t/{attached[0]}")
    badge = phone.locator(".badge")
    assert badge.is_visible() and "正品溯源保障" in badge.inner_text()
    assert phone.get_by_text(TITLE).first.is_visible()
    assert phone.get_by_text(WAREHOUSE).first.is_visible()
    assert phone.get_by_role("alert").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # 7. past expiry the merchant sees the popup on a trace page and renews for free
    admin.ok("PUT", "/platform/clock", {"now": AFTER_EXPIRY})
    shop.goto(f"{console}/products")
    if "/console/login" in shop.url:  # the session ended when the clock moved
        sign_in(shop, base, "shop-admin")
        shop.goto(f"{console}/products")
    assert "已生效" in shop.locator(f"tr[data-product='{product}'] .tag").inner_text()
    modal = shop.locator(".modal")
    assert modal.is_visible() and "已到期" in modal.inner_text()
    modal.get_by_role("button", name="续期(免费)").click()
    shop.wait_for_load_state()
    assert "已续期" in notice(shop) and shop.locator(".modal").count() == 0
    shop.goto(f"{console}/orders")
    assert shop.locator(".modal").count() == 0
