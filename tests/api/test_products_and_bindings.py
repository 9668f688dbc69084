"""Products (GTIN check digits) and importer bindings (R3: company name, importer code)."""

from __future__ import annotations

import pytest

from tests.api.conftest import COMPANY, Tenants, assert_problem

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.mark.parametrize(
    ("gtin", "stored"),
    [
        ("4901301348159", "04901301348159"),  # GTIN-13
        ("96385074", "00000096385074"),  # GTIN-8
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("10012345678902", "10012345678902"),  # GTIN-14
    ],
)
def test_a_product_gtin_is_checked_and_stored_as_gtin14(
    tenants: Tenants, gtin: str, stored: str
) -> None:
    product = tenants.store.ok(
        "POST",
        "/store/products",
        {"title": "花王 珂润 保湿面霜 40g", "goods_type": "bonded", "gtin": gtin, "brand": "Curel"},
        201,
    )
    assert product["gtin"] == stored
    assert tenants.store.ok("GET", f"/store/products/{product['id']}") == product


@pytest.mark.parametrize("gtin", ["4901301348158", "490130134815", "49013013481591", "ABC"])
def test_a_wrong_gtin_is_refused_and_nothing_is_created(tenants: Tenants, gtin: str) -> None:
    r = tenants.store.post(
        "/store/products", {"title": "面霜", "goods_type": "bonded", "gtin": gtin}
    )
    assert_problem(r, 422, "VALIDATION_ERROR", "gtin")
    assert tenants.store.ok("GET", "/store/products")["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "goods_type": "bonded"}, "title"),
        ({"title": "面霜", "goods_type": "duty_free"}, "goods_type"),
        ({"goods_type": "general"}, "title"),
        ({"title": "面霜", "goods_type": "general", "colour": "red"}, "colour"),
    ],
)
def test_product_fields_are_validated(tenants: Tenants, body: dict[str, str], field: str) -> None:
    assert_problem(tenants.store.post("/store/products", body), 422, "VALIDATION_ERROR", field)


def _ready_to_bind(t: Tenants) -> None:
    t.store.ok("POST", "/store/trace/open")
    t.store.ok("POST", "/store/trace/subscription", {"provider_id": t.provider_id})


@pytest.mark.parametrize(
    "given",
    [
        COMPANY,
        "  上海海淘进出口有限公司 ",
        "上海海淘进出口有限公司\u3000",
    ],
)
def test_company_name_matches_after_trimming(tenants: Tenants, given: str) -> None:
    _ready_to_bind(tenants)
    binding = tenants.store.ok(
        "POST",
        "/store/trace/importer-bindings",
        {"importer_name": COMPANY, "importer_code": "3122960abc", "company_name": given},
        201,
    )
    assert binding["importer_code"] == "3122960ABC"
    assert binding["company_name"] == COMPANY


def test_full_width_parentheses_fold_to_half_width(tenants: Tenants, admin: object) -> None:
    from tests.api.conftest import Caller, key_for

    assert isinstance(admin, Caller)
    store = admin.ok(
        "POST",
        "/platform/stores",
        {"name": "国际店", "company_name": "上海海淘(国际)贸易有限公司", "pilot": True},
        201,
    )
    caller = key_for(admin, "store", store["id"])
    caller.ok("POST", "/store/trace/open")
    caller.ok("POST", "/store/trace/subscription", {"provider_id": tenants.provider_id})
    caller.ok(
        "POST",
        "/store/trace/importer-bindings",
        {
            "importer_name": "上海海淘(国际)贸易有限公司",
            "importer_code": "91350100M000100Y43",
            "company_name": "上海海淘（国际）贸易有限公司",
        },
        201,
    )


def test_another_company_name_is_a_mismatch(tenants: Tenants) -> None:
    _ready_to_bind(tenants)
    r = tenants.store.post(
        "/store/trace/importer-bindings",
        {
            "importer_name": COMPANY,
            "importer_code": "3122960ABC",
            "company_name": "上海海淘贸易有限公司",
        },
    )
    assert_problem(r, 422, "COMPANY_NAME_MISMATCH", "company_name")
    assert tenants.store.ok("GET", "/store/trace")["onboarding_step"] == "bind_importer"


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # USCC with a wrong check character
        "3122960AB",  # 9 characters
        "ABCDE60ABC",  # customs code must start with 5 digits
        "91350100M000100Y4",  # 17 characters
    ],
)
def test_a_bad_importer_code_is_refused(tenants: Tenants, code: str) -> None:
    _ready_to_bind(tenants)
    r = tenants.store.post(
        "/store/trace/importer-bindings",
        {"importer_name": COMPANY, "importer_code": code, "company_name": COMPANY},
    )
    assert_problem(r, 422, "VALIDATION_ERROR", "importer_code")
    assert tenants.store.ok("GET", "/store/trace/importer-bindings")["items"] == []


def test_binding_the_same_importer_twice_keeps_one(tenants: Tenants) -> None:
    _ready_to_bind(tenants)
    body = {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": COMPANY}
    first = tenants.store.ok("POST", "/store/trace/importer-bindings", body)
    second = tenants.store.ok("POST", "/store/trace/importer-bindings", body)
    assert first["id"] == second["id"]
    assert len(tenants.store.ok("GET", "/store/trace/importer-bindings")["items"]) == 1


def test_linking_an_unknown_warehouse_names_the_field(tenants: Tenants) -> None:
    _ready_to_bind(tenants)
    tenants.store.ok(
        "POST",
        "/store/trace/importer-bindings",
        {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": COMPANY},
    )
    r = tenants.store.post("/store/trace/warehouses", {"warehouse_id": "wh_nope"})
    assert_problem(r, 422, "VALIDATION_ERROR", "warehouse_id")
    assert tenants.store.ok("GET", "/store/trace/warehouses")["items"] == []


def test_subscribing_twice_is_refused(tenants: Tenants) -> None:
    _ready_to_bind(tenants)
    r = tenants.store.post("/store/trace/subscription", {"provider_id": tenants.provider_id})
    assert_problem(r, 409, "INVALID_STATE")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"provider_id": "prv_nope"}, "provider_id"),
        ({"provider_id": "PROVIDER", "plan": "premium-3y"}, "plan"),
    ],
)
def test_subscription_fields_are_validated(
    tenants: Tenants, body: dict[str, str], field: str
) -> None:
    tenants.store.ok("POST", "/store/trace/open")
    body = {k: (tenants.provider_id if v == "PROVIDER" else v) for k, v in body.items()}
    assert_problem(
        tenants.store.post("/store/trace/subscription", body), 422, "VALIDATION_ERROR", field
    )
    assert tenants.store.ok("GET", "/store/trace")["subscription"] is None


def test_expired_subscription_blocks_new_bindings_until_renewed(
    tenants: Tenants, admin: object
) -> None:
    from tests.api.conftest import Caller

    assert isinstance(admin, Caller)
    admin.ok("PUT", "/platform/clock", {"now": "2026-01-01T00:00:00+00:00"})
    _ready_to_bind(tenants)
    admin.ok("PUT", "/platform/clock", {"now": "2027-06-01T00:00:00+00:00"})
    body = {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": COMPANY}
    assert_problem(
        tenants.store.post("/store/trace/importer-bindings", body), 403, "SUBSCRIPTION_EXPIRED"
    )
    tenants.store.ok("POST", "/store/trace/subscription/renew")
    tenants.store.ok("POST", "/store/trace/importer-bindings", body, 201)
