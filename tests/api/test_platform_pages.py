"""The platform console's pages (issue 6) through HTTP: forms with CSRF, Post/Redirect/Get,
errors at the field, the API key shown once, pricing, statements with CSV, the audit log —
and nothing changes when a form is refused."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import COMPANY, Caller, Tenants, World

pytestmark = pytest.mark.usefixtures("ctx")
P = "/console/platform"
PASSWORD = "correct horse"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _login(client: TestClient, admin: Caller, username: str = "ops") -> None:
    body = {"org_type": "platform", "org_id": None, "username": username, "password": PASSWORD}
    admin.ok("POST", "/platform/users", body, 201)
    r = client.post("/console/login", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200 and str(r.url).endswith(f"{P}/"), r.text


@pytest.fixture
def ops(client: TestClient, admin: Caller) -> TestClient:
    """The test client, logged in to the platform console as ``ops``."""
    _login(client, admin)
    return client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


def _post(client: TestClient, page: str, action: str, data: dict[str, str]) -> object:
    """Open ``page``, then submit ``data`` with the page's CSRF token to ``action``."""
    token = _csrf(client.get(P + page).text)
    return client.post(P + action, data={"csrf_token": token, **data}, follow_redirects=False)


def _stores(admin: Caller) -> list[dict[str, object]]:
    items: list[dict[str, object]] = admin.ok("GET", "/platform/stores")["items"]
    return items


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'<span class="field-error" id="{field}-error">([^<]+)</span>', html)
    assert found is not None, f"no error at {field}"
    return found.group(1)


def test_a_store_is_created_by_the_form_and_switched_in_and_out_of_the_pilot(
    ops: TestClient, admin: Caller
) -> None:
    r = _post(
        ops, "/stores", "/stores", {"name": " 海淘旗舰店 ", "company_name": COMPANY, "pilot": "1"}
    )
    assert r.status_code == 303 and r.headers["location"] == f"{P}/stores?notice=store_created"
    page = ops.get(r.headers["location"]).text
    assert "店铺已创建" in page and "海淘旗舰店" in page and "试点中" in page
    [store] = _stores(admin)
    assert store["name"] == "海淘旗舰店" and store["company_name"] == COMPANY and store["pilot"]

    r = _post(ops, "/stores", f"/stores/{store['id']}/pilot", {"pilot": "0"})
    assert r.status_code == 303 and "notice=pilot_off" in r.headers["location"]
    assert "已移出试点" in ops.get(r.headers["location"]).text
    assert _stores(admin)[0]["pilot"] is False
    again = _post(ops, "/stores", f"/stores/{store['id']}/pilot", {"pilot": "1"})
    assert again.status_code == 303 and _stores(admin)[0]["pilot"] is True
    unknown = _post(ops, "/stores", "/stores/sto_nope/pilot", {"pilot": "1"})
    assert unknown.status_code == 404 and 'role="alert"' in unknown.text


def test_an_empty_name_is_shown_at_its_field_and_nothing_is_created(
    ops: TestClient, admin: Caller
) -> None:
    r = _post(ops, "/stores", "/stores", {"name": "   ", "company_name": COMPANY})
    assert r.status_code == 422
    assert _field_error(r.text, "name") == "必填。"
    assert "请修改标出的字段后重新提交" in r.text  # the overall message in the alert
    assert f'value="{COMPANY}"' in r.text  # what was typed stays in the form
    assert 'name="name" value="   " maxlength="200" required class="invalid"' in r.text
    assert _stores(admin) == []

    r = _post(ops, "/warehouses", "/warehouses", {"name": "宁波保税仓", "customs_code": "x!"})
    assert r.status_code == 422 and "4–20 位数字或大写字母" in _field_error(r.text, "customs_code")
    r = _post(ops, "/providers", "/providers", {"name": "x" * 201})
    assert r.status_code == 422 and "200" in _field_error(r.text, "name")
    assert admin.ok("GET", "/platform/providers")["items"] == []


def test_text_no_database_can_hold_is_refused_at_the_field(
    ops: TestClient, admin: Caller, tenants: Tenants
) -> None:
    r = _post(ops, "/stores", "/stores", {"name": "a\x00b", "company_name": COMPANY})
    assert r.status_code == 422 and "NUL" in _field_error(r.text, "name")
    user = {"org_type": "store", "username": "shop-9", "password": PASSWORD}
    for org_id in ("sto_\x00", "x' OR '1'='1", "s" * 41):
        r = _post(ops, "/access", "/users", {**user, "org_id": org_id})
        assert r.status_code == 422 and _field_error(r.text, "org_id"), org_id
        r = _post(ops, "/access", "/api-keys", {"org_type": "store", "org_id": org_id})
        assert r.status_code == 422 and _field_error(r.text, "key_org_id"), org_id
    r = _post(
        ops, "/access", "/users", {**user, "org_id": tenants.store_id, "password": "x" * 7 + "\x00"}
    )
    assert r.status_code == 422 and _field_error(r.text, "password")
    assert len(_stores(admin)) == 2


def test_providers_and_warehouses_are_created_and_listed(ops: TestClient, admin: Caller) -> None:
    r = _post(ops, "/providers", "/providers", {"name": "中检溯源服务中心"})
    assert r.status_code == 303 and "服务商已创建" in ops.get(r.headers["location"]).text
    r = _post(
        ops, "/warehouses", "/warehouses", {"name": "宁波保税仓一号库", "customs_code": "3105w1"}
    )
    assert r.status_code == 303
    page = ops.get(r.headers["location"]).text
    assert "保税仓已创建" in page and "宁波保税仓一号库" in page and "3105W1" in page
    [warehouse] = admin.ok("GET", "/platform/warehouses")["items"]
    assert warehouse["customs_code"] == "3105W1"
    assert "中检溯源服务中心" in ops.get(f"{P}/providers").text


def test_lists_are_paged(ops: TestClient, admin: Caller) -> None:
    for n in range(23):
        admin.ok(
            "POST", "/platform/stores", {"name": f"店铺{n:02d}", "company_name": "某公司"}, 201
        )
    first = ops.get(f"{P}/stores").text
    assert "店铺00" in first and "店铺19" in first and "店铺20" not in first
    next_url = re.search(r'href="([^"]+)" rel="next"', first)
    assert next_url is not None
    second = ops.get(next_url.group(1).replace("&amp;", "&")).text
    assert "店铺20" in second and "店铺22" in second and "店铺19" not in second
    assert 'rel="next"' not in second and "第一页" in second


def test_a_console_user_and_an_api_key_are_made_and_the_key_is_shown_once(
    ops: TestClient, admin: Caller, client: TestClient, tenants: Tenants
) -> None:
    form = {"org_type": "store", "org_id": tenants.store_id}
    r = _post(ops, "/access", "/users", {**form, "username": "shop-1", "password": PASSWORD})
    assert r.status_code == 303 and "用户已创建" in ops.get(r.headers["location"]).text
    page = ops.get(f"{P}/access").text
    assert "shop-1" in page and "海淘旗舰店" in page and "argon2" not in page

    taken = _post(ops, "/access", "/users", {**form, "username": "shop-1", "password": PASSWORD})
    assert taken.status_code == 409 and "已被占用" in _field_error(taken.text, "username")
    short = _post(ops, "/access", "/users", {**form, "username": "s", "password": "short"})
    assert short.status_code == 422
    assert _field_error(short.text, "username") and _field_error(short.text, "password")
    mismatch = _post(
        ops,
        "/access",
        "/users",
        {
            "org_type": "warehouse",
            "org_id": tenants.store_id,
            "username": "wh-1",
            "password": PASSWORD,
        },
    )
    assert mismatch.status_code == 422 and "不属于所选类型" in _field_error(mismatch.text, "org_id")
    no_org = _post(ops, "/access", "/api-keys", {"org_type": "store", "org_id": ""})
    assert no_org.status_code == 422 and _field_error(no_org.text, "key_org_id") == "请选择。"

    issued = _post(ops, "/access", "/api-keys", form)
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    assert "只显示这一次" in issued.text
    key_match = re.search(r'data-testid="api-key">([^<]+)<', issued.text)
    assert key_match is not None
    key = key_match.group(1)
    assert key not in issued.headers.get("set-cookie", "") and key not in str(issued.url)
    for path in ("/access", "/", "/audit", "/stores"):
        assert key not in ops.get(P + path).text, path
    assert key[:10] in ops.get(f"{P}/access").text  # the prefix is listed, never the key

    # reloading the answer's address (or switching its language) opens the form page
    r = ops.get(f"{P}/api-keys?lang=zh", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{P}/access?lang=zh"
    as_store = Caller(client, key)
    assert as_store.ok("GET", "/store/trace")["available"] is True  # the key works on the API


def test_the_new_store_user_logs_in_to_the_store_console(
    ops: TestClient, admin: Caller, tenants: Tenants, ctx: object
) -> None:
    form = {"org_type": "store", "org_id": tenants.store_id, "username": "shop-2"}
    assert _post(ops, "/access", "/users", {**form, "password": PASSWORD}).status_code == 303
    with TestClient(ops.app) as other:
        data = {"username": "shop-2", "password": PASSWORD}
        r = other.post("/console/login", data=data, follow_redirects=False)
        assert r.headers["location"] == "/console/store/"
        refused = other.get(f"{P}/", follow_redirects=False)
        assert refused.status_code == 303 and refused.headers["location"].startswith(
            "/console/login"
        )


def test_a_platform_user_needs_no_organization(ops: TestClient, admin: Caller) -> None:
    data = {"org_type": "platform", "org_id": "", "username": "ops-2", "password": PASSWORD}
    assert _post(ops, "/access", "/users", data).status_code == 303
    with TestClient(ops.app) as other:
        r = other.post("/console/login", data={"username": "ops-2", "password": PASSWORD})
        assert str(r.url).endswith(f"{P}/")


def test_the_price_is_set_in_yuan_and_kept_in_fen(ops: TestClient, admin: Caller) -> None:
    page = ops.get(f"{P}/pricing").text
    assert "¥0.10" in page and "每个溯源码 10 分" in page
    r = _post(ops, "/pricing", "/pricing", {"fee_yuan": "0.25"})
    assert r.status_code == 303 and "定价已更新" in ops.get(r.headers["location"]).text
    assert admin.ok("GET", "/platform/pricing") == {"per_code_fee_fen": 25}
    page = ops.get(f"{P}/pricing").text
    assert "¥0.25" in page and "每个溯源码 25 分" in page
    for bad in ("0.255", "abc", "-1", "1001", "NaN", "1e999999", ""):
        r = _post(ops, "/pricing", "/pricing", {"fee_yuan": bad})
        assert r.status_code == 422 and _field_error(r.text, "fee_yuan"), bad
    assert admin.ok("GET", "/platform/pricing") == {"per_code_fee_fen": 25}
    assert _post(ops, "/pricing", "/pricing", {"fee_yuan": "¥1"}).status_code == 303
    assert admin.ok("GET", "/platform/pricing") == {"per_code_fee_fen": 100}
    history = ops.get(f"{P}/audit?object_id=per_code_fee_fen").text
    assert history.count("调整定价") == 2


def test_statements_of_a_month_with_totals_and_csv(ops: TestClient, world: World) -> None:
    assert world.request(30).status_code == 201  # 30 × 10 fen
    assert world.request(12).status_code == 201
    month = world.t.store.ok("GET", "/store/trace/bills")["month"]
    page = ops.get(f"{P}/statements").text  # this China month by default
    assert f'value="{month}"' in page and "海淘旗舰店" in page
    assert "¥4.20" in page and f"statements.csv?month={month}" in page
    r = ops.get(f"{P}/statements.csv?month={month}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "store_id" and rows[-1][2] == "TOTAL" and rows[-1][-1] == "420"
    empty = ops.get(f"{P}/statements?month=2020-01").text
    assert "本月没有收费" in empty and "¥0.00" in empty
    bad = ops.get(f"{P}/statements?month=2026-13")
    assert bad.status_code == 422 and "YYYY-MM" in _field_error(bad.text, "month")
    assert ops.get(f"{P}/statements.csv?month=nope").status_code == 422


def test_the_audit_log_is_filtered_by_object_and_paged(
    ops: TestClient, admin: Caller, tenants: Tenants
) -> None:
    r = _post(ops, "/stores", f"/stores/{tenants.outsider_id}/pilot", {"pilot": "1"})
    assert r.status_code == 303
    page = ops.get(f"{P}/audit?object_id={tenants.outsider_id}").text
    assert "创建店铺" in page and "试点变更" in page
    assert '<strong class="code">ops</strong>' in page  # the operator by name
    assert '<span class="old">false</span> → <span class="new">true</span>' in page
    assert tenants.store_id not in page
    everything = ops.get(f"{P}/audit").text
    assert tenants.store_id in everything and "签发密钥" in everything
    for n in range(50):
        admin.ok("POST", "/platform/providers", {"name": f"服务商{n}"}, 201)
    first = ops.get(f"{P}/audit").text
    next_url = re.search(r'href="([^"]+)" rel="next"', first)
    assert next_url is not None and "服务商49" not in first
    second = ops.get(next_url.group(1).replace("&amp;", "&")).text
    assert "服务商49" in second and 'rel="next"' not in second
    for bad in ("x'--", "abc", "²", "9" * 30):  # a cursor that is no entry number: the first page
        assert ops.get(f"{P}/audit?cursor={bad}").text.count("服务商0<") == 1, bad


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(
    ops: TestClient, admin: Caller, tenants: Tenants
) -> None:
    posts = {
        "/stores": {"name": "不该出现的店", "company_name": "某公司"},
        f"/stores/{tenants.outsider_id}/pilot": {"pilot": "1"},
        "/providers": {"name": "不该出现的服务商"},
        "/warehouses": {"name": "不该出现的仓"},
        "/users": {"org_type": "platform", "username": "sneaky", "password": PASSWORD},
        "/api-keys": {"org_type": "store", "org_id": tenants.store_id},
        "/pricing": {"fee_yuan": "9.99"},
    }
    audit_before = admin.ok("GET", "/platform/audit?limit=200")["items"]
    for path, data in posts.items():
        for token in (None, "forged"):
            sent = data if token is None else {**data, "csrf_token": token}
            r = ops.post(P + path, data=sent, follow_redirects=False)
            assert r.status_code == 403, (path, token)
    assert admin.ok("GET", "/platform/audit?limit=200")["items"] == audit_before
    assert admin.ok("GET", "/platform/pricing") == {"per_code_fee_fen": 10}
    assert not next(s for s in _stores(admin) if s["id"] == tenants.outsider_id)["pilot"]


def test_only_platform_users_open_the_platform_console(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    assert (
        client.get(f"{P}/", follow_redirects=False).headers["location"].startswith("/console/login")
    )
    body = {
        "org_type": "store",
        "org_id": tenants.store_id,
        "username": "shop",
        "password": PASSWORD,
    }
    admin.ok("POST", "/platform/users", body, 201)
    client.post(
        "/console/login", data={"username": "shop", "password": PASSWORD}, follow_redirects=False
    )
    for path in ("/", "/stores", "/access", "/pricing", "/statements", "/audit"):
        r = client.get(P + path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), path
    r = client.post(f"{P}/pricing", data={"fee_yuan": "1"}, follow_redirects=False)
    assert r.status_code == 303 and admin.ok("GET", "/platform/pricing")["per_code_fee_fen"] == 10


def test_english_pages_hold_no_chinese_but_the_tenants_own_words(
    ops: TestClient, world: World
) -> None:
    tenant_words = ["海淘旗舰店", "别家小店", COMPANY, "杭州别家贸易有限公司", "中检溯源服务中心"]
    tenant_words += ["宁波保税仓一号库", "中文"]  # and the switch back to Chinese
    assert world.request(5).status_code == 201
    assert ops.get(f"{P}/?lang=en").status_code == 200  # the language cookie is set from here on
    ops.cookies.set("suyuan_lang", "en")
    pages = [ops.get(P + p).text for p in ("/", "/stores", "/providers", "/warehouses")]
    pages += [ops.get(P + p).text for p in ("/access", "/pricing", "/statements", "/audit")]
    pages.append(_post(ops, "/stores", "/stores", {"name": "", "company_name": ""}).text)
    pages.append(_post(ops, "/pricing", "/pricing", {"fee_yuan": "x"}).text)
    form = {"org_type": "store", "org_id": world.t.store_id}
    pages.append(_post(ops, "/access", "/api-keys", form).text)
    pages.append(ops.get(f"{P}/stores?notice=store_created").text)
    for html in pages:
        for word in tenant_words:
            html = html.replace(word, "")
        # the audit log shows what tenants typed inside the logged values, too
        html = re.sub(r'<span class="(old|new)">[^<]*</span>', "", html)
        assert not CJK.search(html), CJK.findall(html)[:20]
    assert "Copy this key now" in pages[-2]
