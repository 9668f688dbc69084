"""The scan page on a phone: a 390 px wide viewport, one request, no JavaScript needed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Shop
from tests.browser.conftest import screenshots_dir

pytestmark = pytest.mark.usefixtures("ctx")
SHOTS = screenshots_dir()


def _phone(browser: Any, javascript: bool = True) -> Any:
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        java_script_enabled=javascript,
        locale="zh-CN",
    )


def test_a_shipped_code_reads_well_on_a_phone(
    shop: Shop, live_server: str, browser: Any, request: pytest.FixtureRequest
) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    shop.ship(shop.order(1), shop.codes[:1])
    context = _phone(browser, javascript=False)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server}/T/{shop.codes[0]}")
    assert requests == [f"{live_server}/T/{shop.codes[0]}"]  # one round trip, nothing external
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    badge = page.locator(".badge")
    assert badge.is_visible() and "正品溯源保障" in badge.inner_text()
    box = badge.bounding_box()
    assert box is not None and box["y"] < 200  # the reassurance is the first thing seen
    for text in ("珂润保湿面霜 40g", "日本", "宁波保税仓一号库"):
        assert page.get_by_text(text).first.is_visible(), text
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"scan-{request.node.callspec.id}.png"), full_page=True)
    context.close()


def test_a_warning_is_the_first_thing_a_buyer_sees(
    shop: Shop, live_server: str, browser: Any
) -> None:
    context = _phone(browser)
    page = context.new_page()
    page.goto(f"{live_server}/t/{shop.codes[0]}")  # attached, never shipped
    alert = page.get_by_role("alert")
    assert alert.is_visible() and "尚未从保税仓发货" in alert.inner_text()
    assert page.locator(".badge").count() == 0
    box = alert.bounding_box()
    assert box is not None and box["y"] < 200
    context.close()
