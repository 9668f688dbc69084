"""Input no database can take, out-of-range parameters and unexpected failures all answer a
problem a client can act on — never a 500 that leaks internals — and change nothing; the
outputs of a request list every code once; attaching and voiding keep their promises after
expiry and after shipping."""

from __future__ import annotations

import copy
import csv
import io
import json
import logging
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.services import accounts
from tests.api.conftest import (
    COMPANY,
    EXAMPLE,
    Caller,
    Shop,
    Tenants,
    World,
    assert_problem,
)

pytestmark = pytest.mark.usefixtures("ctx")

NUL = "\u0000"
STORE = {"name": "海淘旗舰店", "company_name": COMPANY, "pilot": True}


def store_ids(admin: Caller) -> list[str]:
    return [x["id"] for x in admin.ok("GET", "/platform/stores?limit=200")["items"]]


def issued(world: World, n: int) -> tuple[str, list[str]]:
    """A request of ``n`` codes (n ≤ 200): its id and its codes."""
    req = world.request(n).json()
    page = world.t.warehouse.ok("GET", f"/warehouse/code-requests/{req['id']}/codes?limit=200")
    return req["id"], [c["code"] for c in page["items"]]


def code_statuses(world: World, request_id: str) -> dict[str, str]:
    page = world.t.warehouse.ok("GET", f"/warehouse/code-requests/{request_id}/codes?limit=200")
    return {c["code"]: c["status"] for c in page["items"]}


def big_item(world: World, quantity: int, declaration_no: str) -> str:
    """A further declaration of the store's importer with one item of ``quantity`` units."""
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    big = copy.deepcopy(doc)
    big["declaration_no"] = declaration_no
    big["items"] = [dict(doc["items"][0], quantity=quantity)]
    loaded = world.t.provider.ok("POST", "/provider/declarations", big, 201)
    item_id: str = loaded["items"][0]["items"][0]["id"]
    return item_id


# --- NUL characters ---------------------------------------------------------------------------


def test_a_nul_in_a_store_name_is_refused_and_nothing_created(admin: Caller) -> None:
    for field in ("name", "company_name"):
        r = admin.post("/platform/stores", {**STORE, field: f"海淘{NUL}旗舰店"})
        assert_problem(r, 422, "VALIDATION_ERROR")
    assert store_ids(admin) == []
    assert admin.ok("GET", "/platform/audit")["items"] == []


def test_a_nul_refused_does_not_claim_the_idempotency_key(admin: Caller) -> None:
    bad = admin.post(
        "/platform/stores", {**STORE, "name": f"店{NUL}"}, headers={"Idempotency-Key": "nul-1"}
    )
    assert_problem(bad, 422, "VALIDATION_ERROR")
    fixed = admin.post("/platform/stores", STORE, headers={"Idempotency-Key": "nul-1"})
    assert fixed.status_code == 201, fixed.text
    assert fixed.headers.get("idempotent-replayed") is None
    assert store_ids(admin) == [fixed.json()["id"]]


def test_a_nul_in_a_product_title_is_refused_and_nothing_created(tenants: Tenants) -> None:
    r = tenants.store.post("/store/products", {"title": f"面霜{NUL}", "goods_type": "bonded"})
    assert_problem(r, 422, "VALIDATION_ERROR")
    assert tenants.store.ok("GET", "/store/products")["items"] == []


def test_a_nul_in_a_void_reason_is_refused_and_nothing_voided(world: World) -> None:
    request_id, codes = issued(world, 2)
    r = world.t.warehouse.post("/warehouse/voids", {"codes": codes, "reason": f"破{NUL}损"})
    assert_problem(r, 422, "VALIDATION_ERROR")
    assert set(code_statuses(world, request_id).values()) == {"issued"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/platform/stores/a%00b", None),
        ("PATCH", "/platform/stores/a%00b", {"pilot": True}),
        ("GET", "/platform/stores?cursor=%00", None),
        ("GET", "/platform/audit?object_id=x%00", None),
        ("POST", "/platform/stores?note=%00", STORE),
    ],
)
def test_a_nul_in_the_path_or_query_is_refused(
    admin: Caller, method: str, path: str, body: Any
) -> None:
    assert_problem(admin.call(method, path, body), 422, "VALIDATION_ERROR")
    assert store_ids(admin) == []


def test_a_nul_in_a_path_id_of_an_existing_store_changes_nothing(admin: Caller) -> None:
    store = admin.ok("POST", "/platform/stores", {**STORE, "pilot": False}, 201)
    r = admin.call("PATCH", f"/platform/stores/{store['id']}%00", {"pilot": True})
    assert_problem(r, 422, "VALIDATION_ERROR")
    assert admin.ok("GET", f"/platform/stores/{store['id']}")["pilot"] is False


def test_a_literal_backslash_u0000_is_text_not_a_nul(tenants: Tenants) -> None:
    """Only a real NUL is refused: the six characters ``\\u0000`` typed into a title are text."""
    title = "面霜 \\u0000 款"
    created = tenants.store.ok("POST", "/store/products", {"title": title, "goods_type": "general"})
    assert created["title"] == title
    assert [p["title"] for p in tenants.store.ok("GET", "/store/products")["items"]] == [title]


def test_a_lone_surrogate_in_a_declaration_is_refused_and_nothing_stored(
    tenants: Tenants,
) -> None:
    """``\\ud800`` parses as JSON but is no character any database can store: 422, not 500."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("Kao Corporation", "Kao \\ud800")
    provider = Caller(
        TestClient(tenants.provider.client.app, raise_server_exceptions=False), tenants.provider.key
    )
    r = provider.post(
        "/provider/declarations",
        content=text.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert_problem(r, 422, "VALIDATION_ERROR")
    assert tenants.provider.ok("GET", "/provider/declarations")["items"] == []


# --- bounded cursors, months, clock and label offsets ---------------------------------------


@pytest.mark.parametrize("cursor", ["²", "1" * 30, "9" * 19, "-1", "12a"])
def test_an_audit_cursor_that_is_no_entry_id_is_refused(
    tenants: Tenants, admin: Caller, cursor: str
) -> None:
    for caller, path in ((admin, "/platform/audit"), (tenants.store, "/store/audit")):
        r = caller.get(path, params={"cursor": cursor})
        assert_problem(r, 422, "VALIDATION_ERROR", "cursor")


def test_an_audit_cursor_pages_on(admin: Caller) -> None:
    for name in ("甲", "乙", "丙"):
        admin.ok("POST", "/platform/providers", {"name": name}, 201)
    first = admin.ok("GET", "/platform/audit?limit=2")
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = admin.ok("GET", f"/platform/audit?limit=2&cursor={first['next_cursor']}")
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert admin.ok("GET", "/platform/audit?cursor=0")["items"] == [*first["items"], *rest["items"]]


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "2026-00", "3000-01"])
def test_a_bill_month_out_of_range_is_refused(tenants: Tenants, admin: Caller, month: str) -> None:
    for caller, path in (
        (tenants.store, "/store/trace/bills"),
        (tenants.store, "/store/trace/bills.csv"),
        (admin, "/platform/statements"),
        (admin, "/platform/statements.csv"),
    ):
        r = caller.get(path, params={"month": month})
        assert_problem(r, 422, "VALIDATION_ERROR", "month")


@pytest.mark.parametrize("month", ["1970-01", "2026-12", "2999-12"])
def test_a_bill_month_in_range_is_answered(tenants: Tenants, admin: Caller, month: str) -> None:
    bill = tenants.store.ok("GET", f"/store/trace/bills?month={month}")
    assert bill["month"] == month and bill["lines"] == [] and bill["total_fen"] == 0
    assert admin.ok("GET", f"/platform/statements?month={month}")["total_fen"] == 0


@pytest.mark.parametrize(
    "now",
    [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+08:00",
        "9999-12-31T23:59:59+00:00",
        "9999-12-31T23:59:59-08:00",
    ],
)
def test_the_test_clock_refuses_years_it_cannot_count_from(admin: Caller, now: str) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-10T00:00:00+08:00"})
    assert_problem(
        admin.call("PUT", "/platform/clock", {"now": now}), 422, "VALIDATION_ERROR", "now"
    )
    # the clock stayed where it was: what is created now is stamped with it
    created = admin.ok("POST", "/platform/providers", {"name": "服务商"}, 201)["created_at"]
    assert datetime.fromisoformat(created) == datetime.fromisoformat("2026-12-10T00:00:00+08:00")


def test_a_label_offset_out_of_range_is_refused(world: World) -> None:
    req = world.request(5).json()
    base = f"/warehouse/code-requests/{req['id']}/labels.pdf"
    for query, field in (
        ("offset=99999999999999999999", "offset"),
        ("offset=-1", "offset"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
    ):
        assert_problem(world.t.warehouse.get(f"{base}?{query}"), 422, "VALIDATION_ERROR", field)


def test_labels_pdf_tells_where_the_next_part_starts(world: World) -> None:
    req = world.request(1005).json()
    base = f"/warehouse/code-requests/{req['id']}/labels.pdf"

    first = world.t.warehouse.get(base)  # the default part: 1,000 labels
    assert first.status_code == 200, first.text
    assert first.content.startswith(b"%PDF")
    assert first.headers["x-next-offset"] == "1000"
    assert "rel=next" in first.headers["link"] and "offset=1000" in first.headers["link"]

    last = world.t.warehouse.get(f"{base}?offset=1000")
    assert last.status_code == 200 and last.content.startswith(b"%PDF")
    assert "x-next-offset" not in last.headers and "link" not in last.headers

    small = world.t.warehouse.get(f"{base}?offset=0&limit=3")
    assert small.headers["x-next-offset"] == "3"
    assert "rel=next" in small.headers["link"] and "offset=3" in small.headers["link"]
    assert "limit=3" in small.headers["link"]
    tail = world.t.warehouse.get(f"{base}?offset=1002&limit=3")
    assert tail.status_code == 200 and tail.content.startswith(b"%PDF")
    assert "x-next-offset" not in tail.headers and "link" not in tail.headers
    before_tail = world.t.warehouse.get(f"{base}?offset=1001&limit=3")
    assert before_tail.headers["x-next-offset"] == "1004"


# --- unreadable bodies -------------------------------------------------------------------------


def test_a_malformed_declaration_body_is_a_validation_error(tenants: Tenants) -> None:
    r = tenants.provider.post(
        "/provider/declarations", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert_problem(r, 422, "VALIDATION_ERROR")
    assert tenants.provider.ok("GET", "/provider/declarations")["items"] == []


@pytest.mark.parametrize("content", [b"{nope", b'{"name": "x",', b"\xff\xfe"])
def test_a_malformed_store_body_is_a_validation_error(admin: Caller, content: bytes) -> None:
    r = admin.post(
        "/platform/stores",
        content=content,
        headers={"Content-Type": "application/json", "Idempotency-Key": "bad-body"},
    )
    assert_problem(r, 422, "VALIDATION_ERROR")
    assert store_ids(admin) == []
    # the refused body did not use up the key
    ok = admin.post("/platform/stores", STORE, headers={"Idempotency-Key": "bad-body"})
    assert ok.status_code == 201 and ok.headers.get("idempotent-replayed") is None


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/platform/stores", "GET, POST"),  # two routes share the path
        ("PUT", "/store/trace/products/p/activation", "DELETE, POST"),
        ("TRACE", "/store/orders/o", "GET"),
    ],
)
def test_a_method_the_path_does_not_take_says_which_it_does(
    admin: Caller, method: str, path: str, allow: str
) -> None:
    """A 405 carries Allow (RFC 9110) listing every method of the path (fuzzing found none)."""
    r = admin.call(method, path)
    assert_problem(r, 405, "METHOD_NOT_ALLOWED")
    assert r.headers["allow"] == allow


# --- attaching after expiry, after shipping ----------------------------------------------------


def test_an_attach_retried_after_expiry_reports_the_codes_already_attached(
    world: World, admin: Caller
) -> None:
    _, codes = issued(world, 3)
    attached, fresh = codes[:2], codes[2]
    first = world.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": attached})
    assert first["attached"] == sorted(attached)
    expires = world.t.store.ok("GET", "/store/trace")["subscription"]["expires_at"]
    later = datetime.fromisoformat(expires) + timedelta(days=1)
    admin.ok("PUT", "/platform/clock", {"now": later.isoformat()})
    assert world.t.store.ok("GET", "/store/trace")["subscription"]["status"] == "expired"

    retry = world.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": attached})
    assert retry == {"attached": [], "already_attached": sorted(attached), "rejected": []}
    mixed = world.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": [*attached, fresh]})
    assert mixed["attached"] == [] and mixed["already_attached"] == sorted(attached)
    assert mixed["rejected"] == [{"code": fresh, "reason": "SUBSCRIPTION_EXPIRED"}]


def test_a_shipped_code_cannot_be_voided_or_attached_again(shop: Shop) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    shipped = shop.codes[0]
    assert shop.ship(shop.order(1), [shipped]).json()["trace_status"] == "ok"

    void = shop.t.warehouse.ok(
        "POST", "/warehouse/voids", {"codes": [shipped], "reason": "标签破损"}
    )
    assert void == {
        "voided": [],
        "already_voided": [],
        "rejected": [{"code": shipped, "reason": "CODE_ALREADY_SHIPPED"}],
    }
    attach = shop.t.warehouse.ok("POST", "/warehouse/attachments", {"codes": [shipped]})
    assert attach == {
        "attached": [],
        "already_attached": [],
        "rejected": [{"code": shipped, "reason": "CODE_ALREADY_SHIPPED"}],
    }
    assert shop.product()["codes"] == {"issued": 2, "attached": 9, "shipped": 1, "voided": 0}
    page = shop.t.store.ok("GET", f"/store/trace/products/{shop.bonded}/codes?status=shipped")
    assert [c["code"] for c in page["items"]] == [shipped]


# --- streamed outputs of a large request ----------------------------------------------------------


def test_csv_and_zpl_list_every_code_of_a_large_request_once(world: World, ctx: Context) -> None:
    quantity = 12_000  # past the 5,000-row CSV flush and the 10,000-code fetch batch
    item = big_item(world, quantity, "223320261000088888")
    req = world.issue(ctx, quantity, item)
    with ctx.engine.connect() as conn:
        expected = sorted(
            conn.execute(
                select(s.trace_codes.c.code).where(s.trace_codes.c.code_request_id == req["id"])
            ).scalars()
        )
    assert len(expected) == len(set(expected)) == quantity
    base = f"/warehouse/code-requests/{req['id']}"

    text = world.t.warehouse.get(f"{base}/codes.csv").text
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][0] == "code"
    assert [r[0] for r in rows[1:]] == expected  # every code once, in code order
    assert all(r[2].endswith("/T/" + r[0]) for r in rows[1:])

    zpl = world.t.warehouse.get(f"{base}/labels.zpl").text
    assert zpl.count("^XA") == zpl.count("^XZ") == quantity
    assert re.findall(r"/T/([0-9A-Z]{17})\^FS", zpl) == expected


# --- unexpected failures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "method", "path", "body"),
    [
        ("list_orgs", "GET", "/platform/stores", None),
        ("create_org", "POST", "/platform/stores", STORE),
    ],
)
def test_an_unexpected_error_is_a_bare_500_problem_and_logged(
    admin: Caller,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    target: str,
    method: str,
    path: str,
    body: Any,
) -> None:
    secret = "password=hunter2 at /srv/suyuan/db.py"

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(secret)

    monkeypatch.setattr(accounts, target, boom)
    quiet = Caller(TestClient(admin.client.app, raise_server_exceptions=False), admin.key)
    with caplog.at_level(logging.ERROR, logger="suyuan.api"):
        r = quiet.call(method, path, body)
    problem = assert_problem(r, 500, "INTERNAL_ERROR")
    for leak in (secret, "hunter2", "RuntimeError", "Traceback", 'File "'):
        assert leak not in r.text, r.text
    assert set(problem) <= {"type", "title", "status", "detail", "code", "instance"}
    logged = [rec for rec in caplog.records if rec.exc_info and rec.levelno >= logging.ERROR]
    assert logged, caplog.records
    assert logged[0].exc_info is not None
    exc_type, exc, _ = logged[0].exc_info
    assert exc_type is RuntimeError and str(exc) == secret
    monkeypatch.undo()
    assert store_ids(admin) == []
