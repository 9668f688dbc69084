"""The provider and the bonded warehouse do their part of the story in a real browser (issue 6):
the provider uploads a declaration file; the warehouse sees the store, applies for 30 codes,
downloads the PDF labels, reports codes attached as a barcode scanner types them, and voids
one. Screenshots of the pages go to docs/screenshots/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import EXAMPLE, Tenants, onboard
from tests.browser.conftest import screenshots_dir

pytestmark = pytest.mark.usefixtures("ctx")
SHOTS = screenshots_dir()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_provider_uploads_and_warehouse_applies_prints_attaches_and_voids(
    tenants: Tenants, console_login: Any, live_server: str
) -> None:
    onboard(tenants)
    product = tenants.store.ok(
        "POST",
        "/store/products",
        {"title": "珂润保湿面霜 40g", "goods_type": "bonded", "brand": "Curel"},
        201,
    )["id"]

    # the provider uploads the declaration file through the file input
    provider = console_login("provider", tenants.provider_id, "pv-clerk")
    provider.get_by_role("link", name="上传报关单").first.click()
    broken = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    broken["items"][0]["hs_code"] = "3304"
    broken["import_date"] = "2026-13-01"
    provider.set_input_files(
        "input[name=files]",
        files=[
            {
                "name": "broken.json",
                "mimeType": "application/json",
                "buffer": json.dumps(broken, ensure_ascii=False).encode(),
            }
        ],
    )
    provider.get_by_role("button", name="上传并导入").click()
    problems = provider.locator("#problems")
    assert problems.get_by_text("items[0].hs_code").is_visible()
    assert problems.get_by_text("import_date").is_visible()
    shot(provider, "provider-upload-errors")
    provider.set_input_files("input[name=files]", str(EXAMPLE))
    provider.get_by_role("button", name="上传并导入").click()
    provider.wait_for_url(f"{live_server}/console/provider/?*")
    assert provider.get_by_role("status").inner_text().startswith("导入完成:新增 1 份报关单")
    assert provider.get_by_text("223320261000012345").is_visible()
    shot(provider, "provider-declarations")

    # the warehouse sees the store and applies for 30 codes
    warehouse = console_login("warehouse", tenants.warehouse_id, "wh-clerk")
    assert warehouse.url == f"{live_server}/console/warehouse/"
    row = warehouse.locator("tr", has_text="海淘旗舰店")
    assert row.get_by_text("服务中").is_visible()
    shot(warehouse, "warehouse-stores")
    row.get_by_role("link", name="查看商品").click()
    assert warehouse.get_by_text("珂润保湿面霜 40g").is_visible()
    assert warehouse.locator("td", has_text="保湿面霜").first.is_visible()
    shot(warehouse, "warehouse-store")
    warehouse.get_by_role("link", name="申请", exact=True).first.click()
    warehouse.select_option("select[name=product_id]", product)
    warehouse.fill("input[name=quantity]", "30")
    shot(warehouse, "warehouse-apply")
    warehouse.get_by_role("button", name="提交申请").click()
    warehouse.wait_for_url(f"{live_server}/console/warehouse/requests/*")
    notice = warehouse.get_by_role("status").inner_text()
    assert "已申请 30 个溯源码,费用 ¥3.00" in notice
    assert warehouse.locator("#charge").inner_text() == "¥3.00"
    shot(warehouse, "warehouse-request")

    # the PDF labels download
    with warehouse.expect_download() as download:
        warehouse.get_by_role("link", name="下载 PDF 标签").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename.endswith(".pdf")

    # codes typed into the textarea, one per line, as a scanner does
    request_id = warehouse.url.split("/requests/")[1].split("?")[0]
    listed = tenants.warehouse.ok("GET", f"/warehouse/code-requests/{request_id}/codes")
    codes = [c["code"] for c in listed["items"]]
    warehouse.get_by_role("link", name="上报贴码").first.click()
    box = warehouse.locator("textarea[name=codes]")
    misread = codes[6][:-1] + ("1" if codes[6][-1] == "0" else "0")  # a wrong check symbol
    for code in [*codes[:5], misread]:
        box.press_sequentially(code)
        box.press("Enter")
    warehouse.get_by_role("button", name="上报", exact=True).click()
    results = warehouse.locator("#results")
    assert results.locator("tr.result-attached").count() == 5
    rejected = results.locator("tr.result-rejected")
    assert rejected.count() == 1 and "格式错误" in rejected.inner_text()
    shot(warehouse, "warehouse-attach")

    # one damaged label is voided
    warehouse.get_by_role("link", name="作废").first.click()
    warehouse.fill("textarea[name=codes]", codes[5])
    warehouse.fill("input[name=reason]", "标签破损")
    warehouse.check("input[name=confirm]")
    warehouse.get_by_role("button", name="作废", exact=True).click()
    voided = warehouse.locator("#results tr.result-voided")
    assert voided.count() == 1 and codes[5][:4] in voided.inner_text()
    shot(warehouse, "warehouse-void")
    statuses = tenants.warehouse.ok("GET", f"/warehouse/code-requests/{request_id}/codes")
    counts = [c["status"] for c in statuses["items"]]
    assert counts.count("attached") == 5 and counts.count("voided") == 1

    # the provider sees the binding and the request drawn from its declaration
    provider.get_by_role("link", name="绑定与申请").click()
    assert provider.locator("#bindings").get_by_text("3122960ABC").is_visible()
    assert provider.locator("#requests").get_by_text("已申请 30 / 申报 1,200").is_visible()
    shot(provider, "provider-bindings")
