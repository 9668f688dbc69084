"""Platform administration (SPEC §7 "Platform"): stores and the pilot whitelist (R1), providers,
warehouses, API keys, console users, pricing (R16) and the lists of organizations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import COMPANY, Caller, Tenants, assert_problem

pytestmark = pytest.mark.usefixtures("ctx")


def all_audit(admin: Caller) -> list[dict[str, Any]]:
    return list(admin.ok("GET", "/platform/audit?limit=200")["items"])


# ---------------------------------------------------------------- stores


def test_a_new_store_is_not_in_the_pilot_unless_whitelisted(admin: Caller) -> None:
    store = admin.ok("POST", "/platform/stores", {"name": "小店", "company_name": COMPANY}, 201)
    assert store["pilot"] is False
    assert isinstance(store["id"], str) and store["id"]
    assert admin.ok("GET", f"/platform/stores/{store['id']}")["pilot"] is False
    piloted = admin.ok(
        "POST", "/platform/stores", {"name": "试点店", "company_name": COMPANY, "pilot": True}, 201
    )
    assert piloted["pilot"] is True
    assert admin.ok("GET", f"/platform/stores/{piloted['id']}")["pilot"] is True


def test_store_names_are_trimmed_and_kept(admin: Caller) -> None:
    store = admin.ok(
        "POST", "/platform/stores", {"name": "  海淘旗舰店 ", "company_name": f"\t{COMPANY}  "}, 201
    )
    assert store["name"] == "海淘旗舰店" and store["company_name"] == COMPANY
    stored = admin.ok("GET", f"/platform/stores/{store['id']}")
    assert stored["name"] == "海淘旗舰店" and stored["company_name"] == COMPANY


def test_a_name_of_200_characters_is_accepted(admin: Caller) -> None:
    name = "店" * 200
    store = admin.ok("POST", "/platform/stores", {"name": name, "company_name": name}, 201)
    assert admin.ok("GET", f"/platform/stores/{store['id']}")["name"] == name


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"company_name": COMPANY}, "name"),
        ({"name": "小店"}, "company_name"),
        ({"name": "   ", "company_name": COMPANY}, "name"),
        ({"name": "", "company_name": COMPANY}, "name"),
        ({"name": "小店", "company_name": " \t "}, "company_name"),
        ({"name": "店" * 201, "company_name": COMPANY}, "name"),
        ({"name": "小店", "company_name": "公" * 201}, "company_name"),
        ({"name": 123, "company_name": COMPANY}, "name"),
        ({"name": None, "company_name": COMPANY}, "name"),
        ({"name": "小店", "company_name": COMPANY, "pilot": "yes"}, "pilot"),
        ({"name": "小店", "company_name": COMPANY, "pilot": "true"}, "pilot"),
        ({"name": "小店", "company_name": COMPANY, "pilot": 1}, "pilot"),
        ({"name": "小店", "company_name": COMPANY, "pilto": True}, "pilto"),
        ({"name": "小店", "company_name": COMPANY, "id": "sto_mine"}, "id"),
    ],
)
def test_a_bad_store_is_rejected_naming_the_field_and_not_created(
    admin: Caller, body: dict[str, Any], field: str
) -> None:
    assert_problem(admin.post("/platform/stores", body), 422, "VALIDATION_ERROR", field)
    assert admin.ok("GET", "/platform/stores")["items"] == []
    assert all_audit(admin) == []


@pytest.mark.parametrize("raw", [b"{", b"[]", b'"store"', b""])
def test_a_body_that_is_not_a_json_object_is_a_validation_error(admin: Caller, raw: bytes) -> None:
    r = admin.call(
        "POST", "/platform/stores", None, content=raw, headers={"Content-Type": "application/json"}
    )
    assert_problem(r, 422, "VALIDATION_ERROR")
    assert admin.ok("GET", "/platform/stores")["items"] == []


def test_patch_switches_the_pilot_both_ways(tenants: Tenants, admin: Caller) -> None:
    sid = tenants.outsider_id
    assert admin.ok("PATCH", f"/platform/stores/{sid}", {"pilot": True})["pilot"] is True
    assert admin.ok("GET", f"/platform/stores/{sid}")["pilot"] is True
    assert tenants.outsider.ok("GET", "/store/trace")["available"] is True
    assert admin.ok("PATCH", f"/platform/stores/{sid}", {"pilot": False})["pilot"] is False
    assert admin.ok("GET", f"/platform/stores/{sid}")["pilot"] is False
    assert_problem(tenants.outsider.post("/store/trace/open"), 403, "NOT_IN_PILOT")


def test_patch_keeps_the_other_fields(tenants: Tenants, admin: Caller) -> None:
    before = admin.ok("GET", f"/platform/stores/{tenants.outsider_id}")
    admin.ok("PATCH", f"/platform/stores/{tenants.outsider_id}", {"pilot": True})
    after = admin.ok("GET", f"/platform/stores/{tenants.outsider_id}")
    assert after == {**before, "pilot": True}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pilot": "yes"}, "pilot"),
        ({"pilot": 0}, "pilot"),
        ({"pilot": None}, "pilot"),
        ({}, "pilot"),
        ({"pilot": True, "name": "改名"}, "name"),
    ],
)
def test_a_bad_patch_changes_nothing(
    tenants: Tenants, admin: Caller, body: dict[str, Any], field: str
) -> None:
    before = admin.ok("GET", f"/platform/stores/{tenants.outsider_id}")
    r = admin.call("PATCH", f"/platform/stores/{tenants.outsider_id}", body)
    assert_problem(r, 422, "VALIDATION_ERROR", field)
    assert admin.ok("GET", f"/platform/stores/{tenants.outsider_id}") == before


def test_patching_an_unknown_store_is_not_found(admin: Caller) -> None:
    r = admin.call("PATCH", "/platform/stores/sto_00000000000000000000", {"pilot": True})
    assert_problem(r, 404, "NOT_FOUND")
    assert_problem(admin.get("/platform/stores/sto_00000000000000000000"), 404, "NOT_FOUND")


# ---------------------------------------------------------------- providers and warehouses


def test_create_a_provider(admin: Caller) -> None:
    provider = admin.ok("POST", "/platform/providers", {"name": "  中检溯源服务中心 "}, 201)
    assert provider["name"] == "中检溯源服务中心" and provider["id"]
    items = admin.ok("GET", "/platform/providers")["items"]
    assert [(p["id"], p["name"]) for p in items] == [(provider["id"], "中检溯源服务中心")]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": " "}, "name"),
        ({"name": "服" * 201}, "name"),
        ({"name": ["x"]}, "name"),
        ({"name": "中检", "code": "X"}, "code"),
    ],
)
def test_a_bad_provider_is_rejected(admin: Caller, body: dict[str, Any], field: str) -> None:
    assert_problem(admin.post("/platform/providers", body), 422, "VALIDATION_ERROR", field)
    assert admin.ok("GET", "/platform/providers")["items"] == []


@pytest.mark.parametrize("body", [{}, {"customs_code": None}])  # null was a 500 (fuzzing)
def test_a_warehouse_without_customs_code(admin: Caller, body: dict[str, Any]) -> None:
    wh = admin.ok("POST", "/platform/warehouses", {"name": "宁波保税仓", **body}, 201)
    assert wh["name"] == "宁波保税仓" and wh["customs_code"] is None


@pytest.mark.parametrize(
    ("given", "stored"),
    [("3105w61234", "3105W61234"), (" ab12 ", "AB12"), ("3105", "3105"), ("A" * 20, "A" * 20)],
)
def test_a_warehouse_customs_code_is_upper_cased(admin: Caller, given: str, stored: str) -> None:
    wh = admin.ok(
        "POST", "/platform/warehouses", {"name": "宁波保税仓", "customs_code": given}, 201
    )
    assert wh["customs_code"] == stored
    listed = admin.ok("GET", "/platform/warehouses")["items"]
    assert [w["customs_code"] for w in listed] == [stored]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "仓", "customs_code": "AB-12"}, "customs_code"),
        ({"name": "仓", "customs_code": "AB1"}, "customs_code"),
        ({"name": "仓", "customs_code": "A" * 21}, "customs_code"),
        ({"name": "仓", "customs_code": "海关编码"}, "customs_code"),
        ({"name": "仓", "customs_code": 3105}, "customs_code"),
        ({"customs_code": "3105"}, "name"),
        ({"name": "仓", "address": "宁波"}, "address"),
    ],
)
def test_a_bad_warehouse_is_rejected(admin: Caller, body: dict[str, Any], field: str) -> None:
    assert_problem(admin.post("/platform/warehouses", body), 422, "VALIDATION_ERROR", field)
    assert admin.ok("GET", "/platform/warehouses")["items"] == []


# ---------------------------------------------------------------- API keys


@pytest.mark.parametrize("org", ["store", "warehouse", "provider"])
def test_an_api_key_is_shown_once_and_is_long_and_random(
    tenants: Tenants, admin: Caller, org: str
) -> None:
    org_id = {
        "store": tenants.store_id,
        "warehouse": tenants.warehouse_id,
        "provider": tenants.provider_id,
    }[org]
    first = admin.ok("POST", "/platform/api-keys", {"org_type": org, "org_id": org_id}, 201)
    second = admin.ok("POST", "/platform/api-keys", {"org_type": org, "org_id": org_id}, 201)
    for issued in (first, second):
        assert issued["key"].startswith("sy_")
        # ≥ 128 random bits: at least 22 base64url symbols after the prefix
        assert len(issued["key"]) - 3 >= 22
        assert issued["org_type"] == org and issued["org_id"] == org_id and issued["id"]
    assert first["key"] != second["key"] and first["id"] != second["id"]
    assert first["key"][3:] not in second["key"]
    # the secret is nowhere else: not in the audit log
    for entry in all_audit(admin):
        assert first["key"] not in str(entry) and second["key"] not in str(entry)


def test_each_issued_key_acts_for_its_own_organization(tenants: Tenants) -> None:
    assert tenants.store.ok("GET", "/store/trace")["available"] is True
    assert tenants.outsider.ok("GET", "/store/trace")["available"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"org_type": "store", "org_id": "sto_00000000000000000000"}, "org_id"),
        ({"org_type": "store"}, "org_id"),
        ({"org_type": "store", "org_id": ""}, "org_id"),
        ({"org_type": "admin", "org_id": "x"}, "org_type"),
        ({"org_type": "Store", "org_id": "x"}, "org_type"),
        ({"org_id": "x"}, "org_type"),
        ({"org_type": "platform", "org_id": "sto_00000000000000000000"}, "org_id"),
        ({"org_type": "store", "org_id": "x", "scopes": ["all"]}, "scopes"),
    ],
)
def test_a_bad_key_request_is_rejected_naming_the_field(
    admin: Caller, body: dict[str, Any], field: str
) -> None:
    assert_problem(admin.post("/platform/api-keys", body), 422, "VALIDATION_ERROR", field)
    assert all_audit(admin) == []


@pytest.mark.parametrize(
    ("org_type", "other"),
    [("warehouse", "store_id"), ("provider", "warehouse_id"), ("store", "provider_id")],
)
def test_a_key_cannot_be_issued_for_an_org_of_another_type(
    tenants: Tenants, admin: Caller, org_type: str, other: str
) -> None:
    r = admin.post("/platform/api-keys", {"org_type": org_type, "org_id": getattr(tenants, other)})
    assert_problem(r, 422, "VALIDATION_ERROR", "org_id")


def test_a_platform_key_has_no_org_and_can_administer(admin: Caller) -> None:
    issued = admin.ok("POST", "/platform/api-keys", {"org_type": "platform"}, 201)
    assert issued["org_id"] is None and issued["key"].startswith("sy_")
    platform = Caller(admin.client, issued["key"])
    store = platform.ok("POST", "/platform/stores", {"name": "店", "company_name": COMPANY}, 201)
    assert [s["id"] for s in platform.ok("GET", "/platform/stores")["items"]] == [store["id"]]


# ---------------------------------------------------------------- users


def test_a_user_is_created_without_showing_the_password(tenants: Tenants, admin: Caller) -> None:
    password = "correct horse battery staple"
    r = admin.post(
        "/platform/users",
        {
            "org_type": "store",
            "org_id": tenants.store_id,
            "username": "haitao.ops",
            "password": password,
        },
    )
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["username"] == "haitao.ops" and user["org_type"] == "store"
    assert user["org_id"] == tenants.store_id and user["id"]
    assert not {"password", "password_hash", "hash"} & set(user)
    assert password not in r.text and "argon2" not in r.text
    for entry in all_audit(admin):
        assert password not in str(entry) and "argon2" not in str(entry)


@pytest.mark.parametrize("org", ["store", "warehouse", "provider"])
def test_users_can_belong_to_any_organization(tenants: Tenants, admin: Caller, org: str) -> None:
    org_id = {
        "store": tenants.store_id,
        "warehouse": tenants.warehouse_id,
        "provider": tenants.provider_id,
    }[org]
    user = admin.ok(
        "POST",
        "/platform/users",
        {
            "org_type": org,
            "org_id": org_id,
            "username": f"{org}-user",
            "password": "s3cret-passw0rd",
        },
        201,
    )
    assert user["org_type"] == org and user["org_id"] == org_id


def test_a_username_is_taken_only_once(tenants: Tenants, admin: Caller) -> None:
    body = {
        "org_type": "store",
        "org_id": tenants.store_id,
        "username": "ops",
        "password": "s3cret-passw0rd",
    }
    admin.ok("POST", "/platform/users", body, 201)
    entries = all_audit(admin)
    other = {**body, "org_type": "warehouse", "org_id": tenants.warehouse_id}
    assert_problem(admin.post("/platform/users", other), 409, "USERNAME_TAKEN", "username")
    assert_problem(admin.post("/platform/users", body), 409, "USERNAME_TAKEN", "username")
    assert all_audit(admin) == entries


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": "1234567"}, "password"),
        ({"password": 12345678}, "password"),
        ({"username": "ab"}, "username"),
        ({"username": "有 空格"}, "username"),
        ({"org_id": "sto_00000000000000000000"}, "org_id"),
        ({"org_type": "warehouse"}, "org_id"),
        ({"org_type": "root"}, "org_type"),
        ({"role": "admin"}, "role"),
    ],
)
def test_a_bad_user_is_rejected_naming_the_field(
    tenants: Tenants, admin: Caller, change: dict[str, Any], field: str
) -> None:
    body = {
        "org_type": "store",
        "org_id": tenants.store_id,
        "username": "ops",
        "password": "s3cret-passw0rd",
        **change,
    }
    entries = all_audit(admin)
    assert_problem(admin.post("/platform/users", body), 422, "VALIDATION_ERROR", field)
    assert all_audit(admin) == entries
    # nothing was created: the username is still free
    good = {
        "org_type": "store",
        "org_id": tenants.store_id,
        "username": "ops",
        "password": "s3cret-passw0rd",
    }
    admin.ok("POST", "/platform/users", good, 201)


# ---------------------------------------------------------------- pricing


def test_the_default_price_is_ten_fen(admin: Caller) -> None:
    assert admin.ok("GET", "/platform/pricing")["per_code_fee_fen"] == 10


def test_put_pricing_changes_the_price(admin: Caller) -> None:
    assert admin.ok("PUT", "/platform/pricing", {"per_code_fee_fen": 25})["per_code_fee_fen"] == 25
    assert admin.ok("GET", "/platform/pricing")["per_code_fee_fen"] == 25
    admin.ok("PUT", "/platform/pricing", {"per_code_fee_fen": 8})
    assert admin.ok("GET", "/platform/pricing")["per_code_fee_fen"] == 8


@pytest.mark.parametrize(
    "body",
    [
        {"per_code_fee_fen": -1},
        {"per_code_fee_fen": 10.5},
        {"per_code_fee_fen": "10"},
        {"per_code_fee_fen": None},
        {"per_code_fee_fen": True},
        {},
        {"per_code_fee_fen": 12, "currency": "CNY"},
    ],
)
def test_a_rejected_price_leaves_the_price_unchanged(admin: Caller, body: dict[str, Any]) -> None:
    admin.ok("PUT", "/platform/pricing", {"per_code_fee_fen": 25})
    entries = all_audit(admin)
    field = "currency" if "currency" in body else "per_code_fee_fen"
    r = admin.call("PUT", "/platform/pricing", body)
    assert_problem(r, 422, "VALIDATION_ERROR", field)
    assert admin.ok("GET", "/platform/pricing")["per_code_fee_fen"] == 25
    assert all_audit(admin) == entries


def test_the_price_is_the_platforms_business(tenants: Tenants, admin: Caller) -> None:
    r = tenants.store.call("PUT", "/platform/pricing", {"per_code_fee_fen": 0})
    assert_problem(r, 403, "FORBIDDEN")
    assert admin.ok("GET", "/platform/pricing")["per_code_fee_fen"] == 10


# ---------------------------------------------------------------- lists


def test_the_lists_show_every_organization(tenants: Tenants, admin: Caller) -> None:
    stores = admin.ok("GET", "/platform/stores")
    assert stores["next_cursor"] is None
    by_id = {s["id"]: s for s in stores["items"]}
    assert set(by_id) == {tenants.store_id, tenants.outsider_id}
    assert by_id[tenants.store_id]["pilot"] is True and by_id[tenants.outsider_id]["pilot"] is False
    assert by_id[tenants.store_id]["company_name"] == COMPANY
    providers = admin.ok("GET", "/platform/providers")
    assert [p["id"] for p in providers["items"]] == [tenants.provider_id]
    assert providers["next_cursor"] is None
    warehouses = admin.ok("GET", "/platform/warehouses")
    assert [w["id"] for w in warehouses["items"]] == [tenants.warehouse_id]
    assert warehouses["next_cursor"] is None


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/platform/stores", {"name": "店", "company_name": COMPANY}),
        ("/platform/providers", {"name": "服务商"}),
        ("/platform/warehouses", {"name": "保税仓"}),
    ],
)
def test_the_lists_take_limit_and_cursor(admin: Caller, path: str, body: dict[str, Any]) -> None:
    """SPEC §7: lists take ``limit`` and ``cursor``."""
    created = {admin.ok("POST", path, body, 201)["id"] for _ in range(5)}
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = admin.ok("GET", path + query)
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == created
