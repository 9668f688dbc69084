"""A live suyuan server and Debian's chromium driven by Playwright (no browser downloads).

``make test`` installs chromium with apt when it is missing. Without it these tests are skipped
with the reason shown — unless ``SUYUAN_REQUIRE_BROWSER=1`` (CI), when that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from suyuan.app import create_app
from suyuan.context import Context
from tests.api.conftest import admin, client, shop, tenants

__all__ = ["admin", "client", "shop", "tenants"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(ctx: Context) -> Iterator[str]:
    """The app on a real port, sharing the test's database and clock."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(context=ctx), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SUYUAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium is required but missing at {CHROMIUM}")
        pytest.skip("Debian's chromium is not installed (make test installs it with apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def console_login(browser: Any, live_server: str, admin: Any) -> Any:
    """``console_login(org_type, org_id, username)`` → a logged-in Playwright page (zh-CN,
    1280×900). The user is created through the platform API with password ``correct horse``."""
    contexts: list[Any] = []

    def login(org_type: str, org_id: str | None, username: str) -> Any:
        body = {
            "org_type": org_type,
            "org_id": org_id,
            "username": username,
            "password": "correct horse",
        }
        admin.ok("POST", "/platform/users", body, 201)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server}/console/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "correct horse")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    yield login
    for context in contexts:
        context.close()


def screenshots_dir() -> Path:
    """Where browser tests save pictures: ``.pytest_cache/screenshots`` normally;
    ``make screenshots`` sets ``SUYUAN_SCREENSHOTS_DIR=docs/screenshots`` for the README.
    """
    root = Path(__file__).parents[2]
    return root / os.environ.get("SUYUAN_SCREENSHOTS_DIR", ".pytest_cache/screenshots")
