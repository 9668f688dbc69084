"""The Content-Security-Policy (issue 9) in a real browser: the pages' own inline scripts and
the one inline handler still run, and chromium reports no violation on any page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Tenants, onboard

pytestmark = pytest.mark.usefixtures("ctx")


def _watch(page: Any) -> list[str]:
    """Every console message about the policy, and every script error, on ``page``."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_the_policy_blocks_nothing_the_pages_need(
    tenants: Tenants, console_login: Any, live_server: str
) -> None:
    onboard(tenants)
    product = tenants.store.ok(
        "POST", "/store/products", {"title": "珂润保湿面霜 40g", "goods_type": "bonded"}, 201
    )["id"]

    # the warehouse's store picker submits itself (an inline onchange allowed by its hash)
    warehouse = console_login("warehouse", tenants.warehouse_id, "wh-clerk")
    problems = _watch(warehouse)
    warehouse.goto(f"{live_server}/console/warehouse/apply")
    with warehouse.expect_navigation(timeout=10_000):
        warehouse.select_option("#choose-store select[name=store_id]", tenants.store_id)
    assert f"store_id={tenants.store_id}" in warehouse.url

    # the platform's organization filter runs (an inline script allowed by its hash)
    platform = console_login("platform", None, "ops")
    problems += _watch(platform)
    platform.goto(f"{live_server}/console/platform/access")
    form = platform.locator("#new-user")
    form.locator("select[name=org_type]").select_option("platform")
    assert form.locator("select[name=org_id]").is_disabled()

    # pages without scripts: the product page and the console's login page
    for path in (f"/p/{product}", "/console/login"):
        platform.goto(f"{live_server}{path}")
        assert platform.locator("body").is_visible()
    assert problems == []
