"""1,000 concurrent HTTP requests against a live server on PostgreSQL: two warehouses draw codes
from one declaration item that cannot satisfy them all (R5, R16, R19), while the store ships
hundreds of orders fighting over the same attached codes (R11, R12, R15).

Afterwards the database must agree with every answer: nothing issued beyond the declared
quantity and exactly what the successful answers add up to, no code in two orders, every order
holding the codes its answer says it got — and every request answered on purpose (no 500, no
dropped connection). SQLite is skipped: its writers queue one at a time, there is no race.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.domain.actor import Actor
from suyuan.services import orders
from tests.api.conftest import EXAMPLE, Caller, World, key_for
from tests.browser.conftest import live_server

__all__ = ["live_server"]
pytestmark = pytest.mark.postgres

THREADS = 64
DECLARED = 2_000  # units on the raced declaration item
MAX_ASK = 12  # a code request asks for 1..MAX_ASK codes
PLAIN_ASKS = 400  # code requests without an Idempotency-Key
KEYED_ASKS = 20  # code requests sent twice at once with the same Idempotency-Key
POOL = 120  # attached codes the shipments fight over
SHIP_ONCE = 440  # orders shipped once with the right number of codes
SHIP_TWICE = 40  # orders whose shipment is sent twice at once
TOO_FEW = 20  # orders of 2 units shipped with 1 code → 409 TRACE_CODES_REQUIRED
TOO_MANY = 20  # orders of 1 unit shipped with 2 codes → 422 TRACE_CODE_COUNT_MISMATCH
RACE_DECLARATION = "223320261000077777"
EXPECTED = {
    "ask": {(201, None), (409, "QUANTITY_EXCEEDS_DECLARATION"), (409, "INVALID_STATE")},
    "ship": {
        (200, None),
        (409, "ORDER_ALREADY_SHIPPED"),
        (409, "TRACE_CODES_REQUIRED"),
        (422, "TRACE_CODE_COUNT_MISMATCH"),
    },
}


@pytest.fixture(autouse=True)
def _postgresql_only(database_url: str) -> None:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("races need PostgreSQL's row locks; SQLite runs one writer at a time")


@dataclass
class Call:
    """One planned request and, once sent, its answer."""

    kind: str  # "ask" (code request) or "ship"
    method: str
    path: str
    key: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    answer: Any = None
    error: str | None = None

    @property
    def code(self) -> str | None:
        """The problem's code, None for a success."""
        if self.status is None or self.status < 400 or not isinstance(self.answer, dict):
            return None
        return str(self.answer.get("code"))


@dataclass
class Scene:
    """The world the requests race in."""

    world: World
    warehouses: list[Caller]
    item: str  # the raced declaration item
    pool: list[str]  # attached codes of the active product
    quantity_of: dict[str, int]  # order id → units


def build(world: World, admin: Caller, ctx: Context) -> Scene:
    t = world.t
    second = admin.ok("POST", "/platform/warehouses", {"name": "宁波保税仓二号库"}, 201)["id"]
    t.store.ok("POST", "/store/trace/warehouses", {"warehouse_id": second}, 201)
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["declaration_no"] = RACE_DECLARATION
    doc["items"] = [dict(doc["items"][0], quantity=DECLARED)]
    loaded = t.provider.ok("POST", "/provider/declarations", doc, 201)
    item = loaded["items"][0]["items"][0]["id"]

    req = world.issue(ctx, POOL)  # from another item: the shipments' codes
    with ctx.engine.connect() as conn:
        pool = sorted(
            conn.execute(
                select(s.trace_codes.c.code).where(s.trace_codes.c.code_request_id == req["id"])
            ).scalars()
        )
    attached = t.warehouse.ok("POST", "/warehouse/attachments", {"codes": pool})
    assert len(attached["attached"]) == POOL
    t.store.ok("POST", f"/store/trace/products/{world.bonded}/activation")

    store = Actor("store", t.store_id)
    units = [1 + i % 2 for i in range(SHIP_ONCE + SHIP_TWICE)] + [2] * TOO_FEW + [1] * TOO_MANY
    made = ctx.write(
        lambda uow: [
            orders.create_order(uow, store, t.store_id, [(world.bonded, q)])["id"] for q in units
        ]
    )
    return Scene(
        world,
        [t.warehouse, key_for(admin, "warehouse", second)],
        item,
        pool,
        dict(zip(made, units, strict=True)),
    )


def plan(scene: Scene, rng: random.Random) -> list[Call]:
    """The 1,000 requests, shuffled; the two halves of a duplicate stay side by side so they
    really run at the same time."""
    t = scene.world.t
    units: list[list[Call]] = []

    def ask(n: int, key: str | None = None) -> list[Call]:
        warehouse = rng.choice(scene.warehouses)
        body = {
            "store_id": t.store_id,
            "product_id": scene.world.bonded,
            "declaration_item_id": scene.item,
            "quantity": rng.randint(1, MAX_ASK),
        }
        headers = {"Idempotency-Key": key} if key else {}
        return [
            Call(
                "ask", "POST", "/api/v1/warehouse/code-requests", str(warehouse.key), body, headers
            )
            for _ in range(n)
        ]

    def ship(order_id: str, codes: int) -> Call:
        lines = [{"product_id": scene.world.bonded, "trace_codes": rng.sample(scene.pool, codes)}]
        return Call(
            "ship",
            "POST",
            f"/api/v1/store/orders/{order_id}/shipment",
            str(t.store.key),
            {"tracking_no": f"SF{rng.randrange(10**10):010d}", "lines": lines},
        )

    units += [ask(1) for _ in range(PLAIN_ASKS)]
    units += [ask(2, f"race-{i}") for i in range(KEYED_ASKS)]
    ids = list(scene.quantity_of)
    once, twice = ids[:SHIP_ONCE], ids[SHIP_ONCE : SHIP_ONCE + SHIP_TWICE]
    few = ids[SHIP_ONCE + SHIP_TWICE : SHIP_ONCE + SHIP_TWICE + TOO_FEW]
    many = ids[SHIP_ONCE + SHIP_TWICE + TOO_FEW :]
    units += [[ship(o, scene.quantity_of[o])] for o in once]
    units += [[ship(o, scene.quantity_of[o]) for _ in range(2)] for o in twice]
    units += [[ship(o, 1)] for o in few]
    units += [[ship(o, 2)] for o in many]
    rng.shuffle(units)
    return [c for u in units for c in u]


def send_all(base_url: str, calls: list[Call]) -> float:
    """Send every call from THREADS threads (one HTTP client each); the seconds it took."""
    local = threading.local()
    clients: list[httpx.Client] = []
    lock = threading.Lock()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base_url, timeout=60)
            with lock:
                clients.append(local.client)
        c: httpx.Client = local.client
        return c

    def send(call: Call) -> None:
        headers = {"Authorization": f"Bearer {call.key}", **call.headers}
        try:
            r = client().request(call.method, call.path, json=call.body, headers=headers)
        except httpx.HTTPError as e:
            call.error = f"{type(e).__name__}: {e}"
            return
        call.status = r.status_code
        try:
            call.answer = r.json()
        except ValueError:
            call.answer = r.text

    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            list(pool.map(send, calls))
    finally:
        for c in clients:
            c.close()
    return time.monotonic() - started


def scalar(ctx: Context, stmt: Any) -> Any:
    with ctx.engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def check_issuance(ctx: Context, scene: Scene, asks: list[Call]) -> tuple[int, int]:
    """R5/R16/R19: what the answers granted is exactly what the database issued and charged,
    and never more than declared. Returns (issued, distinct requests granted)."""
    granted: dict[str, int] = {}
    for c in asks:
        if c.status == 201:
            assert c.answer["quantity"] == c.body["quantity"], c
            assert granted.setdefault(c.answer["id"], c.answer["quantity"]) == c.answer["quantity"]
        elif c.code == "QUANTITY_EXCEEDS_DECLARATION":
            assert c.status == 409 and c.answer["errors"][0]["field"] == "quantity", c
    # a retried request (same Idempotency-Key) never issues twice: at most one request per key
    by_key: defaultdict[str, set[str]] = defaultdict(set)
    for c in asks:
        if c.status == 201 and c.headers:
            by_key[c.headers["Idempotency-Key"]].add(c.answer["id"])
    assert all(len(ids) == 1 for ids in by_key.values()), by_key

    i, r, t = s.declaration_items, s.code_requests, s.trace_codes
    issued = scalar(ctx, select(i.c.issued).where(i.c.id == scene.item))
    with ctx.engine.connect() as conn:
        rows = {
            row.id: (row.quantity, row.charge_fen)
            for row in conn.execute(select(r).where(r.c.declaration_item_id == scene.item))
        }
    codes = scalar(
        ctx, select(func.count()).select_from(t).where(t.c.declaration_item_id == scene.item)
    )
    assert set(rows) == set(granted), "a request was stored that no answer granted, or lost"
    figures = f"granted {sum(granted.values())}, issued {issued}, code rows {codes}"
    assert sum(granted.values()) == issued == codes <= DECLARED, figures
    assert sum(charge for _, charge in rows.values()) == issued * 10
    refused = [c for c in asks if c.code == "QUANTITY_EXCEEDS_DECLARATION"]
    assert granted and refused, "the mix must both grant and refuse code requests"
    # a refusal saw fewer than MAX_ASK codes left, and what is left only shrinks
    assert DECLARED - issued < MAX_ASK
    return issued, len(granted)


def check_shipping(ctx: Context, scene: Scene, ships: list[Call]) -> tuple[int, int]:
    """R11/R12/R15: no code in two orders; each order holds exactly the codes its answer bound.
    Returns (codes shipped, abnormal orders)."""
    bound: dict[str, str] = {}  # code → the order whose answer bound it
    shipped: dict[str, Call] = {}
    by_order: defaultdict[str, list[Call]] = defaultdict(list)
    for c in ships:
        order_id = c.path.split("/")[-2]
        by_order[order_id].append(c)
        if c.status != 200:
            continue
        assert order_id not in shipped, f"order {order_id} shipped twice"
        shipped[order_id] = c
        sent = c.body["lines"][0]["trace_codes"]
        problems = {p["code"]: p["reason"] for p in c.answer["problems"]}
        # every code is attached and the store's: the only way to lose one is another order
        assert set(problems.values()) <= {"CODE_ALREADY_SHIPPED"}, c.answer
        assert c.answer["trace_status"] == ("abnormal" if problems else "ok"), c.answer
        for code in sent:
            if code not in problems:
                assert code not in bound, f"{code} bound to {bound.get(code)} and {order_id}"
                bound[code] = order_id
    for calls in by_order.values():  # a duplicated shipment ships once, at most
        assert sum(c.status == 200 for c in calls) <= 1, calls
        if len(calls) == 2:
            assert sorted(c.status or 0 for c in calls) == [200, 409], calls

    t, o, p = s.trace_codes, s.orders, s.order_problems
    with ctx.engine.connect() as conn:
        codes = {
            row.code: (row.status, row.order_id)
            for row in conn.execute(select(t).where(t.c.code.in_(scene.pool)))
        }
        order_rows = {
            row.id: row for row in conn.execute(select(o).where(o.c.id.in_(list(by_order))))
        }
        problem_counts = Counter(
            conn.execute(select(p.c.order_id).where(p.c.order_id.in_(list(by_order)))).scalars()
        )
    audited = scalar(
        ctx,
        select(func.count())
        .select_from(s.audit_log)
        .where(s.audit_log.c.action == "order.shipped"),
    )
    for code, (status, owner) in codes.items():
        assert (status, owner) == (
            ("shipped", bound[code]) if code in bound else ("attached", None)
        )
    held = Counter(owner for _, owner in codes.values() if owner)
    for order_id, row in order_rows.items():
        answer = shipped.get(order_id)
        if answer is None:  # refused: nothing recorded
            assert (row.status, row.trace_status, held[order_id]) == ("paid", None, 0)
            assert problem_counts[order_id] == 0
            continue
        wrong = len(answer.answer["problems"])
        assert row.status == "shipped" and row.trace_status == answer.answer["trace_status"]
        assert held[order_id] + wrong == scene.quantity_of[order_id]
        assert problem_counts[order_id] == wrong
    assert audited == len(shipped)
    abnormal = sum(1 for c in shipped.values() if c.answer["trace_status"] == "abnormal")
    assert 0 < len(bound) <= POOL and abnormal > 0, "the shipments must really fight"
    return len(bound), abnormal


def test_a_thousand_racing_requests_over_http_keep_every_invariant(
    world: World,
    admin: Caller,
    ctx: Context,
    live_server: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    scene = build(world, admin, ctx)
    calls = plan(scene, random.Random(9))
    assert len(calls) == 1_000

    caplog.set_level(logging.INFO, logger="suyuan.context")
    seconds = send_all(live_server, calls)
    retries = Counter(
        r.args[0] if isinstance(r.args, tuple) else None
        for r in caplog.records
        if r.name == "suyuan.context"
    )

    errors = [c for c in calls if c.error is not None]
    assert not errors, f"{len(errors)} requests got no answer, e.g. {errors[:3]}"
    unexpected = [c for c in calls if (c.status, c.code) not in EXPECTED[c.kind]]
    assert not unexpected, f"{len(unexpected)} unexpected answers, e.g. {unexpected[:3]}"
    asks = [c for c in calls if c.kind == "ask"]
    ships = [c for c in calls if c.kind == "ship"]
    issued, granted = check_issuance(ctx, scene, asks)
    codes_shipped, abnormal = check_shipping(ctx, scene, ships)

    ok = sum(1 for c in calls if c.status is not None and c.status < 300)
    refused = Counter(f"{c.status} {c.code}" for c in calls if c.code)
    with capsys.disabled():
        print(
            f"\nrace mix: {len(calls)} requests ({len(asks)} code requests, {len(ships)} "
            f"shipments) from {THREADS} threads in {seconds:.1f} s ({len(calls) / seconds:.0f}/s):"
            f" ok {ok}, refused {sum(refused.values())} "
            f"({', '.join(f'{k} ×{v}' for k, v in sorted(refused.items()))}); "
            f"issued {issued}/{DECLARED} in {granted} requests; "
            f"{codes_shipped}/{POOL} codes shipped; {abnormal} abnormal orders; "
            f"retried writes {dict(retries) or 0}"
        )
