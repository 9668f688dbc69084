"""Concurrent duplicates settle the way a single retry does (R19): onboarding steps, renewals,
declaration loads, usernames and attachment batches raced from threads never end in an
IntegrityError, a deadlock or a double write — on SQLite and on PostgreSQL."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from threading import Barrier
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.domain.actor import Actor
from suyuan.domain.errors import DomainError
from suyuan.services import accounts, attachments, declarations, onboarding
from tests.api.conftest import COMPANY, EXAMPLE, Caller, Tenants, World

pytestmark = pytest.mark.usefixtures("ctx")

T = TypeVar("T")
PLATFORM = Actor("platform", None, "test")


def race(n: int, work: Callable[[int], T]) -> list[T | DomainError]:
    """Run ``work(i)`` for i < n in n threads released together; a DomainError is an outcome,
    any other exception fails the test."""
    start = Barrier(n)

    def run(i: int) -> T | DomainError:
        start.wait()
        try:
            return work(i)
        except DomainError as e:
            return e

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def count(ctx: Context, table: Any, *where: Any) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def document(number: str | None = None, quantity: int | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    if number is not None:
        doc["declaration_no"] = number
    if quantity is not None:
        doc["items"] = [dict(doc["items"][0], quantity=quantity)]
    return doc


def test_one_subscription_however_many_race_to_subscribe(tenants: Tenants, ctx: Context) -> None:
    tenants.store.ok("POST", "/store/trace/open")
    store = Actor("store", tenants.store_id)

    def subscribe(_: int) -> str:
        view = ctx.write(
            lambda uow: onboarding.subscribe(
                uow, store, tenants.store_id, tenants.provider_id, "standard-1y"
            )
        )
        return str(view["id"])

    outcomes = race(8, subscribe)
    won = [o for o in outcomes if isinstance(o, str)]
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(won) == 1 and len(lost) == 7, outcomes
    assert {(e.code, e.status) for e in lost} == {("INVALID_STATE", 409)}
    assert count(ctx, s.subscriptions, s.subscriptions.c.store_id == tenants.store_id) == 1
    sub = tenants.store.ok("GET", "/store/trace")["subscription"]
    assert sub["id"] == won[0]
    assert count(ctx, s.audit_log, s.audit_log.c.action == "subscription.created") == 1


def test_identical_importer_bindings_raced_make_one_binding(tenants: Tenants, ctx: Context) -> None:
    tenants.store.ok("POST", "/store/trace/open")
    tenants.store.ok(
        "POST",
        "/store/trace/subscription",
        {"provider_id": tenants.provider_id, "plan": "standard-1y"},
        201,
    )
    store = Actor("store", tenants.store_id)

    def bind(_: int) -> str:
        view = ctx.write(
            lambda uow: onboarding.bind_importer(
                uow, store, tenants.store_id, COMPANY, "3122960ABC", COMPANY
            )
        )
        return str(view["id"])

    outcomes = race(8, bind)
    assert all(isinstance(o, str) for o in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assert count(ctx, s.importer_bindings, s.importer_bindings.c.store_id == tenants.store_id) == 1
    listed = tenants.store.ok("GET", "/store/trace/importer-bindings")["items"]
    assert [b["id"] for b in listed] == [outcomes[0]]
    assert count(ctx, s.audit_log, s.audit_log.c.action == "importer.bound") == 1


def test_concurrent_renewals_each_add_a_year(tenants: Tenants, admin: Caller, ctx: Context) -> None:
    admin.ok("PUT", "/platform/clock", {"now": "2026-12-10T00:00:00+00:00"})
    tenants.store.ok("POST", "/store/trace/open")
    first = tenants.store.ok(
        "POST",
        "/store/trace/subscription",
        {"provider_id": tenants.provider_id, "plan": "standard-1y"},
        201,
    )
    assert datetime.fromisoformat(first["expires_at"]) == datetime.fromisoformat(
        "2027-12-10T00:00:00+00:00"
    )
    store = Actor("store", tenants.store_id)

    def renew(_: int) -> datetime:
        view = ctx.write(lambda uow: onboarding.renew(uow, store, tenants.store_id))
        expires: datetime = view["expires_at"]
        return expires

    outcomes = race(6, renew)
    assert all(isinstance(o, datetime) for o in outcomes), outcomes
    # each renewal saw the one before it: six different expiries, a year apart
    years = sorted(o.year for o in outcomes if isinstance(o, datetime))
    assert years == [2028, 2029, 2030, 2031, 2032, 2033]
    sub = tenants.store.ok("GET", "/store/trace")["subscription"]
    assert datetime.fromisoformat(sub["expires_at"]) == datetime.fromisoformat(
        "2033-12-10T00:00:00+00:00"
    )
    assert count(ctx, s.audit_log, s.audit_log.c.action == "subscription.renewed") == 6


def test_identical_declaration_loads_raced_store_one(tenants: Tenants, ctx: Context) -> None:
    provider = Actor("provider", tenants.provider_id)
    doc = document()

    def load(_: int) -> dict[str, Any]:
        return ctx.write(
            lambda uow: declarations.load(uow, provider, tenants.provider_id, copy.deepcopy(doc))
        )

    outcomes = race(6, load)
    assert all(isinstance(o, dict) for o in outcomes), outcomes
    results = [o for o in outcomes if isinstance(o, dict)]
    assert sorted((r["loaded"], r["unchanged"]) for r in results) == [(0, 1)] * 5 + [(1, 0)]
    assert len({r["items"][0]["id"] for r in results}) == 1
    assert count(ctx, s.declarations) == 1
    assert count(ctx, s.declaration_items) == len(doc["items"])
    assert count(ctx, s.audit_log, s.audit_log.c.action == "declaration.loaded") == 1


def test_overlapping_declaration_batches_raced_in_opposite_orders(
    tenants: Tenants, ctx: Context
) -> None:
    """Two retries of a provider's batch of the same two documents, sent in opposite orders:
    both succeed (each document stored once) and neither deadlocks."""
    provider = Actor("provider", tenants.provider_id)
    for round_no in range(4):
        a = document(f"2233202610000{round_no:03d}01")
        b = document(f"2233202610000{round_no:03d}02")
        batches = [[a, b], [b, a]]

        def load(i: int, batches: list[list[dict[str, Any]]] = batches) -> dict[str, Any]:
            body = copy.deepcopy(batches[i % 2])
            return ctx.write(
                lambda uow: declarations.load(uow, provider, tenants.provider_id, body)
            )

        outcomes = race(2, load)
        assert all(isinstance(o, dict) for o in outcomes), outcomes
        results = [o for o in outcomes if isinstance(o, dict)]
        assert sum(r["loaded"] for r in results) == 2
        assert sum(r["unchanged"] for r in results) == 2
    assert count(ctx, s.declarations) == 8


def test_one_user_per_username_however_many_race(admin: Caller, ctx: Context) -> None:
    def create(i: int) -> str:
        user = ctx.write(
            lambda uow: accounts.create_user(
                uow, PLATFORM, "platform", None, "ops.lead", f"password-{i:04d}"
            )
        )
        return str(user["id"])

    outcomes = race(6, create)
    won = [o for o in outcomes if isinstance(o, str)]
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(won) == 1 and len(lost) == 5, outcomes
    assert {(e.code, e.status) for e in lost} == {("USERNAME_TAKEN", 409)}
    assert all([f.field for f in e.errors] == ["username"] for e in lost)
    assert count(ctx, s.users, s.users.c.username == "ops.lead") == 1
    assert count(ctx, s.audit_log, s.audit_log.c.action == "user.created") == 1


def test_attachment_batches_raced_in_opposite_orders(world: World, ctx: Context) -> None:
    per_round, rounds = 1_500, 3
    loaded = world.t.provider.ok(
        "POST", "/provider/declarations", document("223320261000099999", per_round * rounds), 201
    )
    item = loaded["items"][0]["items"][0]["id"]
    warehouse = Actor("warehouse", world.t.warehouse_id)
    for _ in range(rounds):
        req = world.issue(ctx, per_round, item)
        with ctx.engine.connect() as conn:
            codes = sorted(
                conn.execute(
                    select(s.trace_codes.c.code).where(s.trace_codes.c.code_request_id == req["id"])
                ).scalars()
            )
        assert len(codes) == per_round
        orders = [codes, codes[::-1]]

        def attach(i: int, orders: list[list[str]] = orders) -> dict[str, Any]:
            return ctx.write(lambda uow: attachments.attach(uow, warehouse, orders[i % 2]))

        outcomes = race(2, attach)
        assert all(isinstance(o, dict) for o in outcomes), outcomes
        results = [o for o in outcomes if isinstance(o, dict)]
        assert all(r["rejected"] == [] for r in results)
        won = [c for r in results for c in r["attached"]]
        assert len(won) == per_round and sorted(won) == codes  # each code attached once
        for r in results:  # what one batch did not attach, it reports as already attached
            assert sorted(r["attached"] + r["already_attached"]) == codes
        attached = count(
            ctx,
            s.trace_codes,
            s.trace_codes.c.code_request_id == req["id"],
            s.trace_codes.c.status == "attached",
        )
        assert attached == per_round
    assert count(ctx, s.audit_log, s.audit_log.c.action == "codes.attached") == per_round * rounds
