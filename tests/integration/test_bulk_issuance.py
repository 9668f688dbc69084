"""A request for a million codes streams in chunks: it completes, issues exactly that many, and
never holds a million code objects at once (ARCHITECTURE: bulk work streams)."""

from __future__ import annotations

import copy
import json
import tracemalloc

import pytest
from sqlalchemy import func, select

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.services import issuance
from tests.api.conftest import EXAMPLE, World

pytestmark = pytest.mark.usefixtures("ctx")
MILLION = 1_000_000


def test_a_million_codes_in_one_request_with_flat_memory(world: World, ctx: Context) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    big = copy.deepcopy(doc)
    big["declaration_no"] = "223320261000077777"
    big["items"] = [dict(doc["items"][0], quantity=MILLION)]
    loaded = world.t.provider.ok("POST", "/provider/declarations", big, 201)
    item_id = loaded["items"][0]["items"][0]["id"]
    seen: list[int] = []

    tracemalloc.start()
    try:
        req = world.issue(ctx, MILLION, item_id, progress=seen.append)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert req["charge_fen"] == MILLION * 10
    assert seen[-1] == MILLION and len(seen) == MILLION // issuance.CHUNK
    # A million 17-symbol str objects alone would take ~66 MB; chunks of 50,000 stay far below.
    assert peak < 40 * 1024 * 1024, f"peak traced memory {peak / 2**20:.1f} MiB"
    with ctx.engine.connect() as conn:
        count = conn.execute(
            select(func.count())
            .select_from(s.trace_codes)
            .where(s.trace_codes.c.code_request_id == req["id"])
        ).scalar_one()
    assert count == MILLION


def test_a_request_that_fails_midway_leaves_no_codes_and_no_charge(
    world: World, ctx: Context
) -> None:

    def fail_after_first_chunk(done: int) -> None:
        raise RuntimeError(f"printer caught fire after {done} codes")

    with pytest.raises(RuntimeError):
        world.issue(ctx, issuance.CHUNK // 50, progress=fail_after_first_chunk)
    with ctx.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.trace_codes)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(s.code_requests)).scalar_one() == 0
    assert world.item_view()["issued"] == 0
    assert world.t.store.ok("GET", "/store/trace/bills")["total_fen"] == 0
