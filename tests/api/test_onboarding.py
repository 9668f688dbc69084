"""Store onboarding, steps ①–⑤ (R1, R2, R3, R7) and the overview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pypdfium2 as pdfium
import pytest

from tests.api.conftest import COMPANY, Caller, Tenants, assert_problem, onboard

pytestmark = pytest.mark.usefixtures("ctx")


def test_a_new_pilot_store_starts_at_not_opened(tenants: Tenants) -> None:
    view = tenants.store.ok("GET", "/store/trace")
    assert view == {
        "available": True,
        "onboarding_step": "not_opened",
        "subscription": None,
        "notices": [],
    }


def test_the_whole_walk_reaches_done(tenants: Tenants) -> None:
    t = tenants
    assert t.store.ok("POST", "/store/trace/open")["onboarding_step"] == "authorize_provider"
    providers = t.store.ok("GET", "/store/trace/providers")["items"]
    assert [p["id"] for p in providers] == [t.provider_id]
    assert providers[0]["plans"] == [{"plan": "standard-1y", "price_fen": 0, "term": "P1Y"}]
    sub = t.store.ok(
        "POST",
        "/store/trace/subscription",
        {"provider_id": t.provider_id, "plan": "standard-1y"},
        201,
    )
    assert sub["price_fen"] == 0 and sub["status"] == "active" and sub["days_left"] in (365, 366)
    assert t.store.ok("GET", "/store/trace")["onboarding_step"] == "bind_importer"
    t.store.ok(
        "POST",
        "/store/trace/importer-bindings",
        {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": COMPANY},
        201,
    )
    assert t.store.ok("GET", "/store/trace")["onboarding_step"] == "guide_warehouse"
    link = t.store.ok("POST", "/store/trace/warehouses", {"warehouse_id": t.warehouse_id}, 201)
    assert link["warehouse_name"] == "宁波保税仓一号库"
    assert t.store.ok("GET", "/store/trace")["onboarding_step"] == "guide_warehouse"
    assert t.store.ok("POST", "/store/trace/onboarding/complete") == {"onboarding_step": "done"}
    assert t.store.ok("GET", "/store/trace")["onboarding_step"] == "done"


def test_a_store_outside_the_pilot_cannot_open(tenants: Tenants) -> None:
    r = tenants.outsider.post("/store/trace/open")
    body = assert_problem(r, 403, "NOT_IN_PILOT")
    assert "联系店铺对接运营申请" in body["detail"]
    view = tenants.outsider.ok("GET", "/store/trace")
    assert view["available"] is False and view["onboarding_step"] == "not_opened"


def test_whitelisting_a_store_lets_it_open(tenants: Tenants, admin: Caller) -> None:
    admin.ok("PATCH", f"/platform/stores/{tenants.outsider_id}", {"pilot": True})
    assert (
        tenants.outsider.ok("POST", "/store/trace/open")["onboarding_step"] == "authorize_provider"
    )


@pytest.mark.parametrize(
    ("done", "path", "body", "missing"),
    [
        (0, "/store/trace/subscription", {"provider_id": "P", "plan": "standard-1y"}, "not_opened"),
        (
            1,
            "/store/trace/importer-bindings",
            {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": COMPANY},
            "authorize_provider",
        ),
        (2, "/store/trace/warehouses", {"warehouse_id": "W"}, "bind_importer"),
        (3, "/store/trace/onboarding/complete", None, "guide_warehouse"),
    ],
)
def test_each_step_needs_the_previous_ones(
    tenants: Tenants, done: int, path: str, body: dict[str, str] | None, missing: str
) -> None:
    t = tenants
    steps = [
        lambda: t.store.ok("POST", "/store/trace/open"),
        lambda: t.store.ok("POST", "/store/trace/subscription", {"provider_id": t.provider_id}),
        lambda: t.store.ok(
            "POST",
            "/store/trace/importer-bindings",
            {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": COMPANY},
        ),
    ]
    for step in steps[:done]:
        step()
    before = t.store.ok("GET", "/store/trace")
    problem = assert_problem(t.store.post(path, body), 409, "ONBOARDING_INCOMPLETE")
    assert problem["missing_step"] == missing
    assert t.store.ok("GET", "/store/trace") == before


def test_the_guide_pdf_needs_a_linked_warehouse(tenants: Tenants) -> None:
    onboard(tenants, complete=False)
    r = tenants.store.get("/store/trace/warehouse-guide.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pdf = pdfium.PdfDocument(r.content)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    compact = "".join(text.split())
    assert "海淘旗舰店" in compact and tenants.store_id in compact


def test_the_guide_pdf_before_linking_is_onboarding_incomplete(tenants: Tenants) -> None:
    tenants.store.ok("POST", "/store/trace/open")
    r = tenants.store.get("/store/trace/warehouse-guide.pdf")
    assert assert_problem(r, 409, "ONBOARDING_INCOMPLETE")["missing_step"] == "authorize_provider"
    # and the OpenAPI document says so (a GET that can answer 409 had it undocumented)
    paths = tenants.store.client.get("/api/v1/openapi.json").json()["paths"]
    assert "409" in paths["/api/v1/store/trace/warehouse-guide.pdf"]["get"]["responses"]


def test_renewal_extends_from_the_old_expiry_and_notices_follow_the_clock(
    tenants: Tenants, admin: Caller
) -> None:
    start = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
    admin.ok("PUT", "/platform/clock", {"now": start.isoformat()})
    onboard(tenants)
    sub = tenants.store.ok("GET", "/store/trace")["subscription"]
    assert sub["expires_at"].startswith("2027-01-10T08:00:00")
    admin.ok("PUT", "/platform/clock", {"now": (start + timedelta(days=300)).isoformat()})
    assert tenants.store.ok("GET", "/store/trace")["notices"] == []
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-20T08:00:00+00:00"})
    view = tenants.store.ok("GET", "/store/trace")
    assert [n["code"] for n in view["notices"]] == ["RENEWAL_DUE"]
    assert view["notices"][0]["days_left"] == 21 and "21" in view["notices"][0]["message"]
    renewed = tenants.store.ok("POST", "/store/trace/subscription/renew")
    assert renewed["expires_at"].startswith("2028-01-10T08:00:00")


def test_after_expiry_renewal_counts_from_now(tenants: Tenants, admin: Caller) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-01-10T08:00:00+00:00"})
    onboard(tenants)
    admin.ok("PUT", "/platform/clock", {"now": "2027-03-01T00:00:00+00:00"})
    view = tenants.store.ok("GET", "/store/trace")
    assert view["subscription"]["status"] == "expired"
    assert view["subscription"]["renewal_required"] is True
    assert [n["code"] for n in view["notices"]] == ["SUBSCRIPTION_EXPIRED"]
    renewed = tenants.store.ok("POST", "/store/trace/subscription/renew")
    assert renewed["expires_at"].startswith("2028-03-01T00:00:00")
    assert renewed["status"] == "active" and renewed["renewal_required"] is False
