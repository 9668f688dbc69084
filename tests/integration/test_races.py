"""Racing warehouses never over-issue (R5): the invariant holds in the database, with threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.domain.actor import Actor
from suyuan.domain.errors import DomainError
from suyuan.services import shipping
from tests.api.conftest import Shop, World

pytestmark = pytest.mark.usefixtures("ctx")


def test_concurrent_requests_never_exceed_the_declared_quantity(world: World, ctx: Context) -> None:

    # 1,200 declared units; 24 threads each ask for 70 → at most 17 can succeed (1,190).
    def apply(_: int) -> str:
        try:
            world.issue(ctx, 70)
            return "ok"
        except DomainError as e:
            return e.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(apply, range(24)))
    assert outcomes.count("ok") == 17
    assert outcomes.count("QUANTITY_EXCEEDS_DECLARATION") == 7
    with ctx.engine.connect() as conn:
        issued = conn.execute(
            select(s.declaration_items.c.issued).where(s.declaration_items.c.id == world.item)
        ).scalar_one()
        codes = conn.execute(
            select(func.count())
            .select_from(s.trace_codes)
            .where(s.trace_codes.c.declaration_item_id == world.item)
        ).scalar_one()
        charged = conn.execute(select(func.sum(s.code_requests.c.charge_fen))).scalar_one()
    assert issued == codes == 17 * 70
    assert charged == 17 * 70 * 10


def test_one_code_ships_in_one_order_however_many_race_for_it(shop: Shop, ctx: Context) -> None:
    shop.t.store.ok("POST", f"/store/trace/products/{shop.bonded}/activation")
    store = Actor("store", shop.t.store_id)
    orders = [shop.order(1) for _ in range(20)]
    code = shop.codes[0]

    def ship(order_id: str) -> str:
        result = ctx.write(
            lambda uow: shipping.ship(
                uow, store, shop.t.store_id, order_id, "SF", [(shop.bonded, [code])]
            )
        )
        return str(result["trace_status"])

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(ship, orders))
    assert outcomes.count("ok") == 1
    assert outcomes.count("abnormal") == 19
    with ctx.engine.connect() as conn:
        owner = conn.execute(
            select(s.trace_codes.c.order_id).where(s.trace_codes.c.code == code)
        ).scalar_one()
        reasons = conn.execute(select(s.order_problems.c.reason)).scalars().all()
    assert owner == orders[outcomes.index("ok")]
    assert reasons == ["CODE_ALREADY_SHIPPED"] * 19
