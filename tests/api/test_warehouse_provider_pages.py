"""The warehouse and provider consoles (issue 6) through HTTP: forms with CSRF, per-field and
per-code results, downloads, expiry (R6), tenancy (R18), all-or-nothing uploads (R19), and
English pages that hold no Chinese except the tenants' own data."""

from __future__ import annotations

import copy
import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from suyuan.context import Context
from suyuan.domain.codes import generate_codes, group
from tests.api.conftest import COMPANY, EXAMPLE, Caller, Tenants, World

pytestmark = pytest.mark.usefixtures("ctx")
WH = "/console/warehouse"
PV = "/console/provider"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def login(client: TestClient, admin: Caller, org_type: str, org_id: str, name: str) -> str:
    """A console user of the organization, logged in; returns the session's CSRF token."""
    body = {"org_type": org_type, "org_id": org_id, "username": name, "password": "correct horse"}
    admin.ok("POST", "/platform/users", body, 201)
    r = client.post(
        "/console/login",
        data={"username": name, "password": "correct horse"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf_of(client.get(f"/console/{org_type}/").text)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def text_of(page: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    no_style = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", no_style)).split())


def request_codes(world: World, request_id: str) -> list[str]:
    page = world.t.warehouse.ok("GET", f"/warehouse/code-requests/{request_id}/codes?limit=200")
    return [c["code"] for c in page["items"]]


@pytest.fixture
def warehouse(client: TestClient, admin: Caller, world: World) -> str:
    """The world's warehouse logged in to its console; the CSRF token."""
    return login(client, admin, "warehouse", world.t.warehouse_id, "wh-clerk")


# ------------------------------------------------------------------ warehouse


def test_the_warehouse_sees_its_stores_products_and_what_is_left(
    client: TestClient, world: World, warehouse: str
) -> None:
    home = text_of(client.get(f"{WH}/").text)
    assert "海淘旗舰店" in home and "服务中" in home
    store = client.get(f"{WH}/stores/{world.t.store_id}")
    assert store.status_code == 200
    text = text_of(store.text)
    assert "珂润保湿面霜 40g" in text and "国产毛巾" not in text  # bonded products only (R4)
    assert "223320261000012345" in text and "保湿面霜" in text and "1,200" in text


def test_applying_shows_the_charge_and_the_request(
    client: TestClient, world: World, warehouse: str
) -> None:
    form = client.get(f"{WH}/apply", params={"store_id": world.t.store_id}).text
    assert 'name="declaration_item_id"' in form and "¥0.10" in form
    r = client.post(
        f"{WH}/apply",
        data={
            "csrf_token": warehouse,
            "store_id": world.t.store_id,
            "product_id": world.bonded,
            "declaration_item_id": world.item,
            "quantity": "30",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith(f"{WH}/requests/req_") and "notice=applied" in location
    page = client.get(location)
    text = text_of(page.text)
    assert "已申请 30 个溯源码,费用 ¥3.00" in text
    assert re.search(r'id="charge">¥3\.00<', page.text)
    assert text.count("待贴码") == 30  # every code, not yet attached
    assert world.item_view()["remaining"] == 1170
    listed = text_of(client.get(f"{WH}/requests").text)
    assert "珂润保湿面霜 40g" in listed and "¥3.00" in listed


def test_a_rejected_application_says_so_at_the_field(
    client: TestClient, world: World, warehouse: str
) -> None:
    base = {
        "csrf_token": warehouse,
        "store_id": world.t.store_id,
        "product_id": world.bonded,
        "declaration_item_id": world.item,
    }
    too_many = client.post(f"{WH}/apply", data={**base, "quantity": "1201"})
    assert too_many.status_code == 409
    assert re.search(r'class="field-error">[^<]*还可申请 1200 个', too_many.text)
    nonsense = client.post(f"{WH}/apply", data={**base, "quantity": "abc", "product_id": ""})
    assert nonsense.status_code == 422
    assert nonsense.text.count('class="field-error"') == 2
    assert 'role="alert">请按提示修改后重新提交。' in nonsense.text
    general = client.post(
        f"{WH}/apply", data={**base, "quantity": "1", "product_id": world.general}
    )
    assert general.status_code == 422 and "只有保税仓/直供商品可以申请溯源码" in general.text
    assert world.item_view()["issued"] == 0  # nothing was issued or charged


def test_downloads_are_pdf_zpl_and_csv_in_parts_of_1000(
    client: TestClient, ctx: Context, world: World, warehouse: str
) -> None:
    small = world.issue(ctx, 30)["id"]
    pdf = client.get(f"{WH}/requests/{small}/labels.pdf?offset=0&limit=1000")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    zpl = client.get(f"{WH}/requests/{small}/labels.zpl")
    assert zpl.status_code == 200 and zpl.text.count("^XA") == 30
    csv = client.get(f"{WH}/requests/{small}/codes.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert len(csv.text.strip().splitlines()) == 31
    big = world.issue(ctx, 1100)["id"]
    page = client.get(f"{WH}/requests/{big}").text
    assert f"/requests/{big}/labels.pdf?offset=0&amp;limit=1000" in page
    assert f"/requests/{big}/labels.pdf?offset=1000&amp;limit=1000" in page
    assert "第 1,001–1,100 个" in page


def test_attaching_answers_per_code(
    client: TestClient, ctx: Context, world: World, warehouse: str
) -> None:
    codes = request_codes(world, world.issue(ctx, 5)["id"])
    [unknown] = generate_codes(1)
    typed = "\n".join([codes[0], group(codes[1]).lower(), unknown, "ABC-123", "", codes[0]])
    r = client.post(f"{WH}/attach", data={"csrf_token": warehouse, "codes": typed})
    assert r.status_code == 200
    text = text_of(r.text)
    assert f"{group(codes[0])} 上报成功" in text and f"{group(codes[1])} 上报成功" in text
    assert f"{group(unknown)} 被拒绝 本仓没有申请过这个溯源码" in text
    assert "ABC-123 被拒绝 格式错误" in text
    again = text_of(
        client.post(f"{WH}/attach", data={"csrf_token": warehouse, "codes": codes[0]}).text
    )
    assert f"{group(codes[0])} 此前已上报" in again
    statuses = world.t.warehouse.ok("GET", f"/warehouse/code-requests/{_req(world)}/codes")
    assert sorted(c["status"] for c in statuses["items"]) == ["attached"] * 2 + ["issued"] * 3
    empty = client.post(f"{WH}/attach", data={"csrf_token": warehouse, "codes": " \n "})
    assert empty.status_code == 422 and "请至少输入一个溯源码" in empty.text


def _req(world: World) -> str:
    found: str = world.t.provider.ok("GET", "/provider/code-requests")["items"][0]["id"]
    return found


def test_voiding_answers_per_code_and_needs_a_reason(
    client: TestClient, ctx: Context, world: World, warehouse: str
) -> None:
    codes = request_codes(world, world.issue(ctx, 3)["id"])
    missing = client.post(f"{WH}/void", data={"csrf_token": warehouse, "codes": codes[0]})
    assert missing.status_code == 422
    assert "请填写作废原因" in missing.text and "请勾选确认" in missing.text
    form = {"csrf_token": warehouse, "codes": codes[0], "reason": "标签破损", "confirm": "1"}
    done = text_of(client.post(f"{WH}/void", data=form).text)
    assert f"{group(codes[0])} 已作废" in done
    attach = text_of(
        client.post(f"{WH}/attach", data={"csrf_token": warehouse, "codes": codes[0]}).text
    )
    assert "该溯源码已作废" in attach


def test_an_expired_store_says_why_nothing_can_be_done(
    client: TestClient, ctx: Context, admin: Caller, world: World
) -> None:
    request_id = world.issue(ctx, 2)["id"]
    [code, _] = request_codes(world, request_id)
    admin.ok("PUT", "/platform/clock", {"now": "2031-01-01T00:00:00+00:00"})
    csrf = login(client, admin, "warehouse", world.t.warehouse_id, "wh-late")
    assert "已到期" in text_of(client.get(f"{WH}/").text)
    store = client.get(f"{WH}/stores/{world.t.store_id}")
    assert store.status_code == 200 and "服务已到期" in store.text
    assert "在店铺续期之前,本仓不能查看该店铺的商品" in store.text
    assert "珂润保湿面霜" not in store.text
    apply = client.get(f"{WH}/apply", params={"store_id": world.t.store_id})
    assert 'id="blocked"' in apply.text and 'id="apply-form"' not in apply.text
    refused = client.post(
        f"{WH}/apply",
        data={
            "csrf_token": csrf,
            "store_id": world.t.store_id,
            "product_id": world.bonded,
            "declaration_item_id": world.item,
            "quantity": "1",
        },
    )
    assert refused.status_code == 403 and "请联系店铺续期" in refused.text
    request_page = client.get(f"{WH}/requests/{request_id}")
    assert request_page.status_code == 403 and "请联系店铺续期" in request_page.text
    attach = client.post(f"{WH}/attach", data={"csrf_token": csrf, "codes": code})
    assert "该码所属店铺的正品溯源服务已到期" in text_of(attach.text)


def test_another_warehouse_sees_nothing(
    client: TestClient, ctx: Context, admin: Caller, world: World
) -> None:
    request_id = world.issue(ctx, 2)["id"]
    other = admin.ok("POST", "/platform/warehouses", {"name": "杭州保税仓"}, 201)["id"]
    csrf = login(client, admin, "warehouse", other, "other-clerk")
    assert "海淘旗舰店" not in client.get(f"{WH}/").text
    for path in ("", "/labels.pdf", "/labels.zpl", "/codes.csv"):
        r = client.get(f"{WH}/requests/{request_id}{path}")
        assert r.status_code == 404 and "没有这个溯源码申请" in r.text, path
    store = client.get(f"{WH}/stores/{world.t.store_id}")
    assert store.status_code == 403 and "该店铺尚未引导本保税仓" in store.text
    apply = client.post(
        f"{WH}/apply",
        data={
            "csrf_token": csrf,
            "store_id": world.t.store_id,
            "product_id": world.bonded,
            "declaration_item_id": world.item,
            "quantity": "1",
        },
    )
    assert apply.status_code == 403 and "该店铺尚未引导本保税仓" in apply.text
    codes = request_codes(world, request_id)
    attach = text_of(client.post(f"{WH}/attach", data={"csrf_token": csrf, "codes": codes[0]}).text)
    assert "本仓没有申请过这个溯源码" in attach


# ------------------------------------------------------------------ provider


def _upload(client: TestClient, csrf: str, files: list[tuple[str, bytes]], pasted: str = "") -> Any:
    parts = [("files", (name, data, "application/json")) for name, data in files]
    return client.post(
        f"{PV}/upload",
        data={"csrf_token": csrf, "pasted": pasted},
        files=parts,
        follow_redirects=False,
    )


def _declaration_numbers(t: Tenants) -> list[str]:
    return [d["declaration_no"] for d in t.provider.ok("GET", "/provider/declarations")["items"]]


def test_the_provider_uploads_files_and_sees_usage(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    csrf = login(client, admin, "provider", tenants.provider_id, "pv-clerk")
    assert 'type="file" name="files" multiple' in client.get(f"{PV}/upload").text
    r = _upload(client, csrf, [("face-cream.json", EXAMPLE.read_bytes())])
    assert r.status_code == 303
    listed = text_of(client.get(r.headers["location"]).text)
    assert "新增 1 份报关单,0 份与已导入的内容相同" in listed
    assert "223320261000012345" in listed and "保湿面霜" in listed and "1,200" in listed
    again = _upload(client, csrf, [], pasted=EXAMPLE.read_text(encoding="utf-8"))
    assert "新增 0 份报关单,1 份" in text_of(client.get(again.headers["location"]).text)


def test_a_broken_upload_lists_each_field_and_stores_nothing(
    client: TestClient, admin: Caller, tenants: Tenants
) -> None:
    csrf = login(client, admin, "provider", tenants.provider_id, "pv-clerk")
    good = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    other = copy.deepcopy(good)
    other["declaration_no"] = "223320261000099999"
    broken = copy.deepcopy(good)
    broken["declaration_no"] = "223320261000077777"
    broken["items"][1]["hs_code"] = "33049"
    broken["items"][0]["quantity"] = -5
    files = [
        ("good.json", json.dumps(good, ensure_ascii=False).encode()),
        ("batch.json", json.dumps([other, broken], ensure_ascii=False).encode()),
    ]
    r = _upload(client, csrf, files, pasted="{not json")
    assert r.status_code == 422
    rows = [
        [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", r.text.split('id="problems"')[1], re.S)
        if "<td" in row
    ]
    fields = {(row[0], row[1]) for row in rows}
    assert ("batch.json", "[1].items[1].hs_code") in fields
    assert ("batch.json", "[1].items[0].quantity") in fields
    assert any(row[0] == "粘贴的内容" and "不是合法的 JSON" in row[2] for row in rows)
    assert "没有导入任何报关单" in r.text and 'class="field-error"' in r.text
    assert _declaration_numbers(tenants) == []  # all or nothing (R19)
    # a number loaded before, now with other content, is refused at its field, in its file
    assert _upload(client, csrf, [("good.json", EXAMPLE.read_bytes())]).status_code == 303
    changed = copy.deepcopy(good)
    changed["items"][0]["quantity"] = 99
    batch = [other, changed]
    clash = _upload(client, csrf, [("clash.json", json.dumps(batch).encode())])
    assert clash.status_code == 422 and "[1].declaration_no" in clash.text
    assert "已存在且内容不同" in clash.text
    assert _declaration_numbers(tenants) == ["223320261000012345"]


def test_the_provider_sees_bindings_and_code_requests(
    client: TestClient, ctx: Context, admin: Caller, world: World
) -> None:
    world.issue(ctx, 7)
    login(client, admin, "provider", world.t.provider_id, "pv-clerk")
    text = text_of(client.get(f"{PV}/bindings").text)
    assert "海淘旗舰店" in text and COMPANY in text and "3122960ABC" in text and "服务中" in text
    assert "已申请 7 / 申报 1,200(剩余 1,193)" in text


# ------------------------------------------------------------------ CSRF and language


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    client: TestClient, ctx: Context, admin: Caller, world: World, warehouse: str
) -> None:
    codes = request_codes(world, world.issue(ctx, 1)["id"])
    form = {
        "store_id": world.t.store_id,
        "product_id": world.bonded,
        "declaration_item_id": world.item,
        "quantity": "5",
    }
    assert client.post(f"{WH}/apply", data=form).status_code == 403
    assert client.post(f"{WH}/apply", data={**form, "csrf_token": "forged"}).status_code == 403
    assert client.post(f"{WH}/attach", data={"codes": codes[0]}).status_code == 403
    void = {"codes": codes[0], "reason": "x", "confirm": "1"}
    assert client.post(f"{WH}/void", data=void).status_code == 403
    assert world.item_view()["issued"] == 1
    status = world.t.warehouse.ok("GET", f"/warehouse/code-requests/{_req(world)}/codes")
    assert [c["status"] for c in status["items"]] == ["issued"]
    login(client, admin, "provider", world.t.provider_id, "pv-clerk")
    other = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    other["declaration_no"] = "223320261000099999"
    refused = client.post(
        f"{PV}/upload",
        data={"pasted": json.dumps(other)},
        files=[("files", ("x.json", b"", "application/json"))],
    )
    assert refused.status_code == 403
    assert _declaration_numbers(world.t) == ["223320261000012345"]


TENANT_WORDS = (
    "海淘旗舰店",
    COMPANY,
    "珂润保湿面霜 40g",
    "保湿面霜",
    "保湿乳液",
    "50g/瓶",
    "120ml/瓶",
    "瓶",
    "中文",  # the link to the Chinese pages
)


def _english(page: str) -> str:
    text = text_of(page)
    for word in TENANT_WORDS:
        text = text.replace(word, "")
    return text


def test_english_pages_hold_no_chinese_but_the_tenants_data(
    client: TestClient, ctx: Context, admin: Caller, world: World, warehouse: str
) -> None:
    request_id = world.issue(ctx, 3)["id"]
    codes = request_codes(world, request_id)
    pages = {
        path: client.get(path, params={"lang": "en"}).text
        for path in (
            f"{WH}/",
            f"{WH}/stores/{world.t.store_id}",
            f"{WH}/apply?store_id={world.t.store_id}",
            f"{WH}/requests",
            f"{WH}/requests/{request_id}",
            f"{WH}/void",
            f"{WH}/requests/req_nope",
        )
    }
    attach = {"csrf_token": warehouse, "codes": f"{codes[0]}\nABC\n{generate_codes(1)[0]}"}
    pages["attach"] = client.post(f"{WH}/attach?lang=en", data=attach).text
    assert "Malformed" in pages["attach"] and "never applied for" in pages["attach"]
    bad = client.post(
        f"{WH}/apply?lang=en",
        data={"csrf_token": warehouse, "store_id": world.t.store_id, "quantity": "0"},
    )
    pages["apply-errors"] = bad.text
    login(client, admin, "provider", world.t.provider_id, "pv-clerk")
    for path in (f"{PV}/", f"{PV}/bindings", f"{PV}/upload"):
        pages[path] = client.get(path, params={"lang": "en"}).text
    csrf = csrf_of(pages[f"{PV}/upload"])
    broken = client.post(
        f"{PV}/upload?lang=en",
        data={"csrf_token": csrf, "pasted": '{"declaration_no": "1", "items": []}'},
    )
    assert broken.status_code == 422
    pages["upload-errors"] = broken.text
    for name, page in pages.items():
        assert 'lang="en"' in page, name
        leftover = CJK.findall(_english(page))
        assert not leftover, (name, "".join(leftover), _english(page)[:2000])


@pytest.mark.parametrize("prefix", ["warehouse.", "provider."])
def test_every_console_message_has_both_languages(prefix: str) -> None:
    from suyuan.i18n import CATALOG

    mine = {k: v for k, v in CATALOG.items() if k.startswith(prefix)}
    assert len(mine) > 40
    for key, (zh, en) in mine.items():
        assert zh and en, key
        assert not CJK.search(en), key
    reasons = ("MALFORMED_TRACE_CODE", "CODE_UNKNOWN", "CODE_VOIDED", "CODE_ALREADY_SHIPPED")
    for reason in (*reasons, "SUBSCRIPTION_EXPIRED"):
        assert f"warehouse.reason.{reason}" in CATALOG
