"""The operator sets the service up in the platform console, in a real browser (issue 6):
a pilot store, a provider, a bonded warehouse, a store user and an API key (shown once), the
price, and the audit log of it all. Screenshots go to ``docs/screenshots/platform-*.png``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import COMPANY, Caller, Tenants, World
from tests.browser.conftest import screenshots_dir

pytestmark = pytest.mark.usefixtures("ctx")
SHOTS = screenshots_dir()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"platform-{name}.png"), full_page=True)


def _menu(page: Any, name: str) -> None:
    page.locator("aside.side").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def test_the_operator_sets_up_a_pilot_store_and_its_partners(
    console_login: Any, live_server: str, admin: Caller
) -> None:
    page = console_login("platform", None, "ops")
    assert page.url == f"{live_server}/console/platform/"
    assert page.get_by_role("heading", name="平台概览").is_visible()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    # 店铺: an empty name is refused at its field, then the store is made and whitelisted
    _menu(page, "店铺")
    page.get_by_role("button", name="创建店铺").click()
    assert page.locator("#name-error").inner_text() == "必填。"
    assert page.get_by_role("alert").is_visible()
    _shot(page, "stores-error")
    page.get_by_label("店铺名称").fill("海淘旗舰店")
    page.get_by_label("公司名称(店铺注册主体)").fill(COMPANY)
    page.get_by_role("button", name="创建店铺").click()
    assert page.get_by_role("status").inner_text() == "店铺已创建。"
    row = page.locator("tr", has_text="海淘旗舰店")
    assert row.get_by_text("未加入").is_visible()
    row.get_by_role("button", name="加入试点").click()
    assert "已加入试点" in page.get_by_role("status").inner_text()
    row = page.locator("tr", has_text="海淘旗舰店")
    assert row.get_by_text("试点中").is_visible()
    store_id = row.locator("td.code").inner_text()
    assert re.fullmatch(r"sto_[0-9A-Z]{20}", store_id)
    _shot(page, "stores")

    # 服务商 and 保税仓
    _menu(page, "服务商")
    page.get_by_label("服务商名称").fill("中检溯源服务中心")
    page.get_by_role("button", name="创建服务商").click()
    assert page.get_by_role("status").inner_text() == "服务商已创建。"
    assert page.locator("tr", has_text="中检溯源服务中心").is_visible()
    _menu(page, "保税仓")
    page.get_by_label("保税仓名称").fill("宁波保税仓一号库")
    page.get_by_label("海关编码(选填)").fill("3105w1")
    page.get_by_role("button", name="创建保税仓").click()
    assert page.locator("tr", has_text="宁波保税仓一号库").get_by_text("3105W1").is_visible()
    _shot(page, "warehouses")

    # 用户与密钥: from the store's row, the store is already chosen in both forms
    _menu(page, "店铺")
    page.locator("tr", has_text="海淘旗舰店").get_by_role("link", name="用户与密钥").click()
    user_form = page.locator("#new-user")
    assert user_form.locator("select[name=org_id]").input_value() == store_id
    user_form.locator("select[name=org_type]").select_option("warehouse")  # shows warehouses only
    assert user_form.locator("select[name=org_id]").input_value() == ""
    assert user_form.get_by_role("option", name=re.compile("宁波保税仓一号库")).count() == 1
    user_form.locator("select[name=org_type]").select_option("store")
    user_form.locator("select[name=org_id]").select_option(store_id)
    user_form.get_by_label("用户名").fill("shop-admin")
    user_form.get_by_label("初始密码").fill("correct horse")
    user_form.get_by_role("button", name="创建用户").click()
    assert "用户已创建" in page.get_by_role("status").inner_text()
    assert page.locator("tr", has_text="shop-admin").get_by_text("海淘旗舰店").is_visible()
    _shot(page, "access")

    key_form = page.locator("#new-key")
    key_form.locator("select[name=org_type]").select_option("store")
    key_form.locator("select[name=org_id]").select_option(store_id)
    key_form.get_by_role("button", name="签发密钥").click()
    assert "只显示这一次" in page.get_by_role("alert").inner_text()
    key = page.get_by_test_id("api-key").inner_text().strip()
    assert "/api-keys" in page.url and key not in page.url
    page.get_by_role("button", name="复制密钥").click()
    page.get_by_role("button", name="已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == key
    assert all(key not in c["value"] for c in page.context.cookies())
    _shot(page, "key")
    assert Caller(admin.client, key).ok("GET", "/store/trace")["available"] is True
    page.get_by_role("link", name="返回用户与密钥").click()
    assert key not in page.content() and key[:10] in page.content()

    # 定价: ¥0.10 → ¥0.20 per code
    _menu(page, "定价")
    assert page.get_by_test_id("current-fee").inner_text() == "¥0.10"
    page.get_by_label("每个溯源码的价格(元)").fill("0.20")
    page.get_by_role("button", name="保存新价格").click()
    assert "定价已更新" in page.get_by_role("status").inner_text()
    assert page.get_by_test_id("current-fee").inner_text() == "¥0.20"
    assert page.get_by_text("每个溯源码 20 分").is_visible()
    assert admin.ok("GET", "/platform/pricing") == {"per_code_fee_fen": 20}
    _shot(page, "pricing")

    # 月度账单: nothing charged yet this month
    _menu(page, "月度账单")
    assert page.get_by_text("本月没有收费。").is_visible()
    assert page.get_by_role("link", name="下载 CSV").is_visible()

    # 审计日志: everything above, and one store's history by its ID
    _menu(page, "审计日志")
    for action in ("创建店铺", "试点变更", "创建服务商", "创建保税仓", "创建用户", "签发密钥"):
        assert page.locator("td", has_text=action).count() >= 1, action
    assert page.locator("td", has_text="调整定价").count() == 1
    page.get_by_label("对象 ID").fill(store_id)
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("tbody > tr")
    assert rows.count() == 2
    assert rows.nth(1).locator(".old").inner_text() == "false"
    assert rows.nth(1).locator(".new").inner_text() == "true"
    assert "ops" in rows.nth(1).locator("strong").inner_text()
    _menu(page, "审计日志")
    _shot(page, "audit")

    _menu(page, "概览")
    assert page.locator(".p-stat").first.inner_text() == "¥0.20"


def test_the_operator_reads_the_months_statements_and_downloads_them(
    console_login: Any, live_server: str, admin: Caller, tenants: Tenants
) -> None:
    world = World(tenants)
    assert world.request(1000).status_code == 201  # 1,000 × ¥0.10
    admin.ok("PUT", "/platform/pricing", {"per_code_fee_fen": 8})
    assert world.request(200).status_code == 201  # 200 × ¥0.08
    page = console_login("platform", None, "ops")
    _menu(page, "月度账单")
    row = page.locator("tr", has_text="海淘旗舰店")
    assert row.locator("td.num").all_inner_texts() == ["2", "1200", "¥116.00"]
    assert page.get_by_test_id("platform-total").inner_text() == "¥116.00"
    page.get_by_text("收费明细").click()
    assert page.get_by_role("cell", name="¥0.08").is_visible()
    _shot(page, "statements")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert download.value.suggested_filename.startswith("statements-")
    assert text.splitlines()[-1].endswith(",TOTAL,,,,,,,,11600")
    _menu(page, "概览")
    assert page.locator(".p-stat").nth(1).inner_text() == "¥116.00"
    _shot(page, "home")


def test_the_console_speaks_english_on_request(console_login: Any, live_server: str) -> None:
    page = console_login("platform", None, "ops")
    page.goto(f"{live_server}/console/platform/stores?lang=en")
    assert page.get_by_role("heading", name="Stores", exact=True).is_visible()
    page.get_by_label("Store name").fill("Kao Flagship")
    page.get_by_label("Company name (registered entity)").fill("Kao Trading Co.")
    page.get_by_label("Add to the pilot (may open the traceability service)").check()
    page.get_by_role("button", name="Create store").click()
    assert page.get_by_role("status").inner_text() == "Store created."
    assert page.locator("tr", has_text="Kao Flagship").get_by_text("In the pilot").is_visible()
    _menu(page, "Audit log")
    assert page.get_by_text("Store created").first.is_visible()
    assert not re.search(r"[\u3400-\u9fff]", page.locator("main").inner_text())
