"""HTTP fixtures: a client per test and a small helper that speaks the API as each actor."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from suyuan.app import create_app
from suyuan.context import Context
from suyuan.domain.actor import Actor
from suyuan.services import issuance
from tests.conftest import ADMIN_TOKEN

API = "/api/v1"
EXAMPLE = Path(__file__).parents[2] / "examples" / "declaration-face-cream.json"


@dataclass
class Caller:
    """Calls the API with one key; ``call`` returns the response, checks nothing."""

    client: TestClient
    key: str | None

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        h = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        return {**h, **(extra or {})}

    def call(self, method: str, path: str, json: Any = None, **kw: Any) -> Any:
        headers = self.headers(kw.pop("headers", None))
        return self.client.request(method, API + path, json=json, headers=headers, **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self.call("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.call("POST", path, json, **kw)

    def ok(self, method: str, path: str, json: Any = None, status: int | None = None) -> Any:
        """Call and insist on success (the expected status when given); return the JSON."""
        r = self.call(method, path, json)
        assert r.status_code < 300, r.text
        if status is not None:
            assert r.status_code == status, r.text
        return r.json()


@pytest.fixture
def client(ctx: Context) -> Iterator[TestClient]:
    with TestClient(create_app(context=ctx)) as c:
        yield c


@pytest.fixture
def admin(client: TestClient) -> Caller:
    return Caller(client, ADMIN_TOKEN)


@dataclass
class Tenants:
    """A small world: one pilot store, one store outside the pilot, a provider, a warehouse."""

    store: Caller
    store_id: str
    outsider: Caller
    outsider_id: str
    provider: Caller
    provider_id: str
    warehouse: Caller
    warehouse_id: str


COMPANY = "上海海淘进出口有限公司"


def key_for(admin: Caller, org_type: str, org_id: str) -> Caller:
    body = admin.ok("POST", "/platform/api-keys", {"org_type": org_type, "org_id": org_id}, 201)
    return Caller(admin.client, body["key"])


@pytest.fixture
def tenants(admin: Caller) -> Tenants:
    store = admin.ok(
        "POST",
        "/platform/stores",
        {"name": "海淘旗舰店", "company_name": COMPANY, "pilot": True},
        201,
    )
    outsider = admin.ok(
        "POST",
        "/platform/stores",
        {"name": "别家小店", "company_name": "杭州别家贸易有限公司"},
        201,
    )
    provider = admin.ok("POST", "/platform/providers", {"name": "中检溯源服务中心"}, 201)
    warehouse = admin.ok("POST", "/platform/warehouses", {"name": "宁波保税仓一号库"}, 201)
    return Tenants(
        key_for(admin, "store", store["id"]),
        store["id"],
        key_for(admin, "store", outsider["id"]),
        outsider["id"],
        key_for(admin, "provider", provider["id"]),
        provider["id"],
        key_for(admin, "warehouse", warehouse["id"]),
        warehouse["id"],
    )


def onboard(t: Tenants, *, complete: bool = True) -> None:
    """Walk the store through steps ①–⑤."""
    t.store.ok("POST", "/store/trace/open")
    t.store.ok(
        "POST",
        "/store/trace/subscription",
        {"provider_id": t.provider_id, "plan": "standard-1y"},
        201,
    )
    t.store.ok(
        "POST",
        "/store/trace/importer-bindings",
        {"importer_name": COMPANY, "importer_code": "3122960ABC", "company_name": COMPANY},
        201,
    )
    t.store.ok("POST", "/store/trace/warehouses", {"warehouse_id": t.warehouse_id}, 201)
    if complete:
        t.store.ok("POST", "/store/trace/onboarding/complete")


def assert_problem(r: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with ``code`` (naming ``field`` when given)."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, Any] = r.json()
    assert body["code"] == code, body
    assert body["status"] == status and body["title"] and body["detail"], body
    if field is not None:
        assert field in [e["field"] for e in body.get("errors", [])], body
    return body


class World:
    """An onboarded store with a bonded and a general product and a loaded declaration."""

    def __init__(self, t: Tenants) -> None:
        self.t = t
        onboard(t)
        self.bonded = t.store.ok(
            "POST",
            "/store/products",
            {"title": "珂润保湿面霜 40g", "goods_type": "bonded", "brand": "Curel"},
            201,
        )["id"]
        self.general = t.store.ok(
            "POST", "/store/products", {"title": "国产毛巾", "goods_type": "general"}, 201
        )["id"]
        t.provider.ok(
            "POST", "/provider/declarations", json.loads(EXAMPLE.read_text(encoding="utf-8")), 201
        )
        items = t.warehouse.ok("GET", f"/warehouse/stores/{t.store_id}/declaration-items")
        by_no = {i["item_no"]: i["id"] for i in items["items"]}
        self.item, self.item2 = by_no[1], by_no[2]

    def request(self, quantity: int, **changes: Any) -> Any:
        body = {
            "store_id": self.t.store_id,
            "product_id": self.bonded,
            "declaration_item_id": self.item,
            "quantity": quantity,
            **changes,
        }
        return self.t.warehouse.post("/warehouse/code-requests", body)

    def issue(
        self,
        ctx: Context,
        quantity: int,
        item_id: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> dict[str, Any]:
        """Issue codes through the service itself (no HTTP), as the warehouse."""
        warehouse = Actor("warehouse", self.t.warehouse_id)
        return ctx.write(
            lambda uow: issuance.request_codes(
                uow,
                warehouse,
                store_id=self.t.store_id,
                product_id=self.bonded,
                item_id=item_id or self.item,
                quantity=quantity,
                progress=progress,
            )
        )

    def item_view(self) -> dict[str, Any]:
        items = self.t.warehouse.ok("GET", f"/warehouse/stores/{self.t.store_id}/declaration-items")
        found: dict[str, Any] = next(i for i in items["items"] if i["id"] == self.item)
        return found


@pytest.fixture
def world(tenants: Tenants) -> World:
    return World(tenants)


class Shop(World):
    """A World whose bonded product has attached codes, ready to activate and ship."""

    def __init__(self, t: Tenants, attached: int = 10) -> None:
        super().__init__(t)
        req = self.request(attached + 2).json()
        page = t.warehouse.ok("GET", f"/warehouse/code-requests/{req['id']}/codes?limit=200")
        codes = [c["code"] for c in page["items"]]
        self.codes, self.unattached = codes[:attached], codes[attached:]
        t.warehouse.ok("POST", "/warehouse/attachments", {"codes": self.codes})

    def order(self, quantity: int = 1, product_id: str | None = None) -> str:
        items = [{"product_id": product_id or self.bonded, "quantity": quantity}]
        order_id: str = self.t.store.ok("POST", "/store/orders", {"items": items}, 201)["id"]
        return order_id

    def ship(self, order_id: str, codes: list[str], product_id: str | None = None) -> Any:
        lines = [{"product_id": product_id or self.bonded, "trace_codes": codes}]
        return self.t.store.post(
            f"/store/orders/{order_id}/shipment", {"tracking_no": "SF1234567890", "lines": lines}
        )

    def product(self) -> dict[str, Any]:
        items = self.t.store.ok("GET", "/store/trace/products")["items"]
        found: dict[str, Any] = next(p for p in items if p["product_id"] == self.bonded)
        return found

    def badge(self) -> bool:
        shown: bool = self.t.store.client.get(f"/api/v1/public/products/{self.bonded}").json()[
            "badge"
        ]
        return shown


@pytest.fixture
def shop(tenants: Tenants) -> Shop:
    return Shop(tenants)
