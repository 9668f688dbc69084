"""Racing warehouses never over-issue (R5): the invariant holds in the database, with threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.domain.errors import DomainError
from tests.api.conftest import World

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
