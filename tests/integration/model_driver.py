"""The trace service through its HTTP API, every answer checked against the reference model.

Each method asks the model (model_reference.py) what must happen — success, or which problem
``(status, code)`` — makes the real request, compares, and only then lets the model's state
stand. The model-based test (test_model_based.py) decides what to do; this module does it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from suyuan.api.ratelimit import RateLimiter
from suyuan.context import Context
from suyuan.db import schema as s
from tests.api.conftest import COMPANY, Caller, key_for
from tests.conftest import ADMIN_TOKEN
from tests.integration.model_reference import CHINA, Item, Model, Order, Product, Refusal

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
BOUND_IMPORTER, OTHER_IMPORTER = "3122960ABC", "4403960XYZ"
Upload = list[tuple[str, list[str]]]  # (product_id, trace codes as typed)


def empty_database(engine: Engine) -> None:
    """Delete every row, children first. Like the ``ctx`` fixture's ``_truncate``, but on
    PostgreSQL a DELETE of the few rows an example leaves is far faster than a TRUNCATE."""
    with engine.begin() as conn:
        for table in reversed(s.metadata.sorted_tables):
            conn.execute(table.delete())


def declaration(serial: int, trade_mode: str, importer: str, quantities: list[int]) -> Any:
    """A valid SPEC §6 document with a fresh number (9th digit 1: an import)."""
    items = [
        {"item_no": n, "hs_code": "3304990099", "goods_name": f"面霜{n}", "spec": "50g",
         "brand": "Curel", "origin_country": "JPN", "quantity": q, "unit": "瓶",
         "unit_price": "88.00", "currency": "CNY"}
        for n, q in enumerate(quantities, 1)
    ]  # fmt: skip
    return {
        "declaration_no": f"223320261{serial:09d}", "trade_mode": trade_mode,
        "customs_port": "2233", "declare_date": "2026-11-02", "import_date": "2026-11-01",
        "importer": {"name": COMPANY, "code": importer}, "overseas_consignor": "Kao Corporation",
        "trade_country": "JPN", "departure_country": "JPN", "items": items,
    }  # fmt: skip


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _expect(r: Any, outcome: Any, status: int = 200) -> dict[str, Any]:
    """The answer is the refusal the model predicted, or a success; return its JSON."""
    body: dict[str, Any] = r.json()
    if isinstance(outcome, Refusal):
        assert (r.status_code, body.get("code")) == (outcome.status, outcome.code), r.text
    else:
        assert r.status_code == status, f"the model expected {outcome!r}: {r.text}"
    return body


def _triples(problems: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return sorted((p["product_id"], p["code"], p["reason"]) for p in problems)


def _problems(answer: dict[str, Any]) -> dict[str, Any]:
    return {"trace_status": answer["trace_status"], "problems": _triples(answer["problems"])}


def _per_code(body: dict[str, Any], moved: str, already: str) -> dict[str, Any]:
    rejected = sorted((x["code"], x["reason"]) for x in body["rejected"])
    return {"moved": body[moved], "already": body[already], "rejected": rejected}


class CheckedApi:
    """A fresh world on an empty database and a frozen clock: one pilot store onboarded with a
    provider and a linked warehouse, two bonded products and a general one."""

    def __init__(self, ctx: Context, client: TestClient) -> None:
        empty_database(ctx.engine)
        # A fresh limit on public lookups too: each example reads the product pages anew.
        client.app.state.rate_limiter = RateLimiter(ctx.settings.scan_rate_limit)  # type: ignore[attr-defined]
        self.ctx, self.client, self.keys = ctx, client, 0
        self.admin = a = Caller(client, ADMIN_TOKEN)
        a.ok("PUT", "/platform/clock", {"now": START.isoformat()})
        self.model = Model(now=START, expires_at=START.replace(year=START.year + 1))
        body = {"name": "海淘旗舰店", "company_name": COMPANY, "pilot": True}
        self.store_id = a.ok("POST", "/platform/stores", body, 201)["id"]
        provider_id = a.ok("POST", "/platform/providers", {"name": "中检溯源"}, 201)["id"]
        warehouse_id = a.ok("POST", "/platform/warehouses", {"name": "宁波保税仓"}, 201)["id"]
        self.store = key_for(a, "store", self.store_id)
        self.provider = key_for(a, "provider", provider_id)
        self.warehouse = key_for(a, "warehouse", warehouse_id)
        self.store.ok("POST", "/store/trace/open")
        self.store.ok("POST", "/store/trace/subscription", {"provider_id": provider_id}, 201)
        binding = {"importer_name": COMPANY, "importer_code": BOUND_IMPORTER}
        self.store.ok(
            "POST", "/store/trace/importer-bindings", binding | {"company_name": COMPANY}, 201
        )
        self.store.ok("POST", "/store/trace/warehouses", {"warehouse_id": warehouse_id}, 201)
        self.store.ok("POST", "/store/trace/onboarding/complete")
        for title, goods_type in (("面霜", "bonded"), ("乳液", "bonded"), ("毛巾", "general")):
            body = {"title": title, "goods_type": goods_type}
            pid = self.store.ok("POST", "/store/products", body, 201)["id"]
            self.model.products[pid] = Product(bonded=goods_type == "bonded")

    def _post(self, caller: Caller, path: str, body: Any, retry: bool) -> Any:
        """POST; with ``retry``, once more under the same Idempotency-Key (R19): a success is
        replayed, not done twice; a refusal releases the key and is answered again."""
        if not retry:
            return caller.post(path, body)
        self.keys += 1
        headers = {"Idempotency-Key": f"model-retry-{self.keys}"}
        first = caller.post(path, body, headers=headers)
        again = caller.post(path, body, headers=headers)
        assert again.status_code == first.status_code, again.text
        if first.status_code < 300:
            assert again.headers.get("Idempotent-Replayed") == "true", again.headers
            assert again.json() == first.json()
        else:
            assert again.json()["code"] == first.json()["code"], again.text
        return first

    # ------------------------------------------------------------------ provider, warehouse
    def load(self, doc: dict[str, Any]) -> None:
        r = self.provider.post("/provider/declarations", doc)
        outcome = self.model.load_declaration(doc)
        body = _expect(r, outcome, 201 if outcome == "loaded" else 200)
        if isinstance(outcome, Refusal):
            return
        assert body[outcome] == 1, body
        visible = doc["importer"]["code"] == BOUND_IMPORTER
        for it in body["items"][0]["items"] if outcome == "loaded" else []:
            self.model.items[it["id"]] = Item(it["quantity"], visible)

    def request(self, product: str, item: str, quantity: int, retry: bool = False) -> list[str]:
        """Apply for codes; the codes issued (none when refused)."""
        body = {"store_id": self.store_id, "product_id": product}
        body |= {"declaration_item_id": item, "quantity": quantity}
        outcome = self.model.request_codes(product, item, quantity)
        r = self._post(self.warehouse, "/warehouse/code-requests", body, retry)
        answer = _expect(r, outcome, 201)
        if isinstance(outcome, Refusal):
            return []
        assert (answer["quantity"], answer["charge_fen"]) == (quantity, outcome), answer
        page = self.warehouse.ok("GET", f"/warehouse/code-requests/{answer['id']}/codes?limit=200")
        codes = [c["code"] for c in page["items"]]
        assert len(set(codes)) == quantity, page
        self.model.issued(product, item, codes)
        return codes

    def attach(self, raw: list[str]) -> None:
        if raw:  # an empty batch is a malformed request, not a rule under test
            expected = self.model.attach(raw)
            body = self.warehouse.ok("POST", "/warehouse/attachments", {"codes": raw})
            assert _per_code(body, "attached", "already_attached") == expected

    def void(self, raw: list[str]) -> None:
        expected = self.model.void(raw)
        body = self.warehouse.ok("POST", "/warehouse/voids", {"codes": raw, "reason": "标签破损"})
        assert _per_code(body, "voided", "already_voided") == expected

    # ------------------------------------------------------------------ store
    def activate(self, product: str, at: datetime | None) -> None:
        body = None if at is None else {"at": at.isoformat()}
        r = self.store.call("POST", f"/store/trace/products/{product}/activation", body)
        outcome = self.model.activate(product, at)
        answer = _expect(r, outcome)
        if not isinstance(outcome, Refusal):
            assert answer["trace_status"] == outcome, answer
            assert _time(answer["activate_at"]) == self.model.products[product].activate_at

    def stop(self, product: str) -> None:
        r = self.store.call("DELETE", f"/store/trace/products/{product}/activation")
        outcome = self.model.stop(product)
        answer = _expect(r, outcome)
        assert isinstance(outcome, Refusal) or answer["trace_status"] == "stopped", answer

    def order(self, lines: dict[str, int]) -> str:
        items = [{"product_id": pid, "quantity": q} for pid, q in lines.items()]
        order = self.store.ok("POST", "/store/orders", {"items": items}, 201)
        assert order["status"] == "paid", order
        self.model.orders[order["id"]] = Order(lines)
        return str(order["id"])

    def ship(self, order_id: str, upload: Upload, retry: bool = False) -> None:
        lines = [{"product_id": p, "trace_codes": cs} for p, cs in upload]
        body = {"tracking_no": "SF1234567890", "lines": lines}
        r = self._post(self.store, f"/store/orders/{order_id}/shipment", body, retry)
        outcome = self.model.ship(order_id, upload)
        answer = _expect(r, outcome)
        if not isinstance(outcome, Refusal):
            assert answer["status"] == "shipped" and _problems(answer) == outcome, answer
        self.check_order(order_id)

    def correct(self, order_id: str, upload: Upload) -> None:
        body = {"lines": [{"product_id": p, "trace_codes": cs} for p, cs in upload]}
        r = self.store.call("PUT", f"/store/orders/{order_id}/trace-codes", body)
        # An empty correction is refused by the request's shape before any rule runs.
        empty = Refusal(422, "VALIDATION_ERROR")
        outcome = self.model.correct(order_id, upload) if upload else empty
        answer = _expect(r, outcome)
        assert isinstance(outcome, Refusal) or _problems(answer) == outcome, answer
        self.check_order(order_id)
        self.check_abnormal_orders()

    def check_order(self, order_id: str) -> None:
        """The order as the store reads it: the codes bound to each line, its problems."""
        order, view = self.model.orders[order_id], self.store.ok("GET", f"/store/orders/{order_id}")
        assert (view["status"], view["trace_status"]) == (order.status, order.trace_status), view
        bound = {x["product_id"]: sorted(x["trace_codes"]) for x in view["items"]}
        assert bound == {p: sorted(self.model.bound(order_id, p)) for p in order.lines}, view
        assert _triples(view["problems"]) == sorted(order.problems), view

    def check_abnormal_orders(self) -> None:
        """异常订单 (R12, R13): exactly the orders still abnormal, each with its wrong codes."""
        listed = self.store.ok("GET", "/store/trace/abnormal-orders?limit=200")["items"]
        orders = self.model.orders.items()
        expected = {k: sorted(o.problems) for k, o in orders if o.trace_status == "abnormal"}
        assert {x["order_id"]: _triples(x["problems"]) for x in listed} == expected

    def renew(self) -> None:
        answer = self.store.ok("POST", "/store/trace/subscription/renew")
        assert _time(answer["expires_at"]) == self.model.renew(), answer
        self.check_subscription()

    def check_subscription(self) -> None:
        """R7 on the store overview: status, the popup flag, the renewal notices."""
        view = self.store.ok("GET", "/store/trace")
        sub = view["subscription"]
        assert _time(sub["expires_at"]) == self.model.expires_at, view
        found = {k: sub[k] for k in ("status", "renewal_required")}
        found["notices"] = [n["code"] for n in view["notices"]]
        assert found == self.model.subscription(), view

    def check_items(self) -> None:
        """R5, R6 from the warehouse's side: each item the store may draw from with what was
        issued and what remains; nothing at all once the subscription has expired."""
        path = f"/warehouse/stores/{self.store_id}/declaration-items?limit=200"
        expired = self.model.expired
        body = _expect(
            self.warehouse.get(path), Refusal(403, "SUBSCRIPTION_EXPIRED") if expired else None
        )
        if not expired:
            found = {x["id"]: (x["issued"], x["remaining"]) for x in body["items"]}
            m = self.model.items.items()
            assert found == {k: (x.issued, x.quantity - x.issued) for k, x in m if x.visible}

    def check_bills(self) -> None:
        """R16 through the store's bills: each month's lines and total, at their own prices."""
        months = {c.month for c in self.model.charges}
        months.add(self.model.now.astimezone(CHINA).strftime("%Y-%m"))
        for month in sorted(months):
            bill = self.store.ok("GET", f"/store/trace/bills?month={month}")
            found = [(x["quantity"], x["per_code_fee_fen"], x["charge_fen"]) for x in bill["lines"]]
            assert (bill["total_fen"], sorted(found)) == self.model.bill(month), month

    # ------------------------------------------------------------------ platform
    def set_fee(self, fee: int) -> None:
        self.admin.ok("PUT", "/platform/pricing", {"per_code_fee_fen": fee})
        self.model.fee = fee

    def move_clock(self, seconds: int) -> None:
        self.model.now += timedelta(seconds=seconds)
        self.admin.ok("PUT", "/platform/clock", {"now": self.model.now.isoformat()})
