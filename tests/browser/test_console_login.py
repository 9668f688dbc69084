"""Logging in to a console in a real browser lands in the organization's own console."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Tenants

pytestmark = pytest.mark.usefixtures("ctx")


def test_a_store_user_logs_in_and_out(
    tenants: Tenants, console_login: Any, live_server: str
) -> None:
    page = console_login("store", tenants.store_id, "shop-admin")
    assert page.url == f"{live_server}/console/store/"
    assert page.get_by_text("shop-admin").is_visible()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{live_server}/console/login")
    page.goto(f"{live_server}/console/store/")
    assert "/console/login" in page.url
