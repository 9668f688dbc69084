"""Console login (issue 6): argon2 users, server-side sessions in an HttpOnly SameSite cookie,
CSRF on every form, logout, each user only in their organization's console."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Caller, Tenants

pytestmark = pytest.mark.usefixtures("ctx")


def _user(admin: Caller, t: Tenants, name: str = "shop-admin") -> None:
    admin.ok(
        "POST",
        "/platform/users",
        {"org_type": "store", "org_id": t.store_id, "username": name, "password": "correct horse"},
        201,
    )


def test_pages_need_a_login(client: TestClient) -> None:
    r = client.get("/console/store/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/console/login?next=")
    assert "用户名" in client.get("/console/login").text


def test_wrong_credentials_say_so_without_telling_which(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    _user(admin, tenants)
    for name, password in (("shop-admin", "wrong"), ("nobody", "correct horse")):
        r = client.post("/console/login", data={"username": name, "password": password})
        assert r.status_code == 401 and "用户名或密码不正确" in r.text
        assert "suyuan_session" not in r.cookies


def test_login_sets_a_safe_cookie_and_logout_needs_csrf(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    _user(admin, tenants)
    r = client.post(
        "/console/login",
        data={
            "username": "shop-admin",
            "password": "correct horse",
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/store/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/console" in cookie
    page = client.get("/console/store/").text  # every console page carries the logout form
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    refused = client.post("/console/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    done = client.post(
        "/console/logout", data={"csrf_token": token.group(1)}, follow_redirects=False
    )
    assert done.status_code == 303
    again = client.get("/console/store/", follow_redirects=False)
    assert again.status_code == 303 and "login" in again.headers["location"]


def test_a_user_stays_in_their_own_console(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    _user(admin, tenants)
    client.post("/console/login", data={"username": "shop-admin", "password": "correct horse"})
    for other in ("/console/platform/", "/console/warehouse/", "/console/provider/"):
        r = client.get(other, follow_redirects=False)
        assert r.status_code == 303 and "login" in r.headers["location"], other


def test_a_stale_form_gets_a_page_not_json(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    _user(admin, tenants)
    client.post("/console/login", data={"username": "shop-admin", "password": "correct horse"})
    r = client.post("/console/logout", data={"csrf_token": "stale"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert "页面已过期" in r.text and "/console/" in r.text
    api = client.get("/api/v1/store/trace")  # the API keeps its problem documents
    assert api.headers["content-type"].startswith("application/problem+json")
