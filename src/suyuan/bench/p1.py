"""P1 issuance: codes through the service path the API uses, against a raw bulk insert.

The floor inserts the same number of rows of the same shape into an identical table (same
columns, keys, indexes, check and foreign key) in the same database: ``executemany`` in one
transaction on SQLite, ``COPY`` on PostgreSQL. Each side runs in a child process of its own, so
the peak RSS reported is the issuing process's alone.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Constraint, Index, MetaData, Table, select

from suyuan.bench.world import build_world, context_for
from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain import codes
from suyuan.services import issuance

FLOOR_TABLE = "bench_floor_codes"


@dataclass(frozen=True)
class P1Result:
    """One database's figures: ``ratio = floor_seconds / service_seconds``."""

    codes: int
    service_seconds: float
    floor_seconds: float
    peak_rss_mb: float

    @property
    def ratio(self) -> float:
        """How close the service comes to the raw insert (1.0 = as fast)."""
        return self.floor_seconds / self.service_seconds

    @property
    def codes_per_s(self) -> float:
        """Codes issued per second through the service."""
        return self.codes / self.service_seconds

    def summary(self) -> dict[str, Any]:
        """What results.json keeps."""
        return {
            "ratio": round(self.ratio, 3),
            "codes_per_s": round(self.codes_per_s),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "codes": self.codes,
            "service_seconds": round(self.service_seconds, 3),
            "floor_seconds": round(self.floor_seconds, 3),
        }


def measure(url: str, n: int) -> P1Result:
    """Issue ``n`` codes on the (empty) database at ``url``, then time the floor beside it."""
    ctx = context_for(url)
    world = build_world(ctx, declared=n + 1)
    ctx.engine.dispose()
    service_seconds, rss = _in_child(issue_codes, url, world.__dict__, n)
    floor_seconds, _ = _in_child(_floor, url, world.__dict__, n)
    return P1Result(n, service_seconds, floor_seconds, rss)


def _in_child(target: Callable[..., float], *args: Any) -> tuple[float, float]:
    """Run ``target(*args)`` in a fresh process: (its result, its peak RSS in MB)."""
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(_measured, (target, *args))


def _measured(target: Callable[..., float], *args: Any) -> tuple[float, float]:
    seconds = target(*args)
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def issue_codes(url: str, world: dict[str, str], n: int) -> float:
    """Seconds to issue ``n`` codes through ``issuance.request_codes``, ≤ 1,000,000 a request."""
    from suyuan.bench.world import World

    w = World(**world)
    ctx = context_for(url)
    started = time.perf_counter()
    for size in _requests(n):

        def request(uow: UnitOfWork, size: int = size) -> dict[str, Any]:
            return issuance.request_codes(
                uow,
                w.warehouse,
                store_id=w.store_id,
                product_id=w.product_id,
                item_id=w.item_id,
                quantity=size,
            )

        ctx.write(request)
    seconds = time.perf_counter() - started
    ctx.engine.dispose()
    return seconds


def _requests(n: int) -> list[int]:
    top = issuance.MAX_CODES_PER_REQUEST
    return [min(top, n - start) for start in range(0, n, top)]


def floor_table() -> Table:
    """A table identical to ``trace_codes`` under another name (indexes and constraints renamed
    to match, as index names are per schema on PostgreSQL)."""
    meta = MetaData(naming_convention=s.metadata.naming_convention)
    s.code_requests.to_metadata(meta)  # so the foreign key resolves; never created
    table = s.trace_codes.to_metadata(meta, name=FLOOR_TABLE)
    items: list[Index | Constraint] = [*table.indexes, *table.constraints]
    for item in items:
        if isinstance(item.name, str) and "trace_codes" in item.name:
            item.name = item.name.replace("trace_codes", FLOOR_TABLE)
    return table


def _floor(url: str, world: dict[str, str], n: int) -> float:
    """Seconds to insert ``n`` rows of the same shape raw: only the inserting is timed."""
    ctx = context_for(url)
    table = floor_table()
    table.drop(ctx.engine, checkfirst=True)
    table.create(ctx.engine)
    request_id = ctx.read(
        lambda uow: uow.conn.execute(select(s.code_requests.c.id).limit(1)).scalar_one()
    )
    shape = (request_id, world["store_id"], world["product_id"], world["item_id"], "issued")
    raw: Any = ctx.engine.raw_connection()
    try:
        insert = _copy_chunk if ctx.engine.dialect.name == "postgresql" else _executemany_chunk
        seconds = 0.0
        for chunk in codes.iter_code_chunks(n, issuance.CHUNK):
            chunk.sort()
            started = time.perf_counter()
            insert(raw, chunk, shape)
            seconds += time.perf_counter() - started
        started = time.perf_counter()
        raw.commit()
        seconds += time.perf_counter() - started
    finally:
        raw.close()
        ctx.engine.dispose()
    return seconds


_FLOOR_COLUMNS = "code, code_request_id, store_id, product_id, declaration_item_id, status"


def _executemany_chunk(raw: Any, chunk: list[str], shape: tuple[str, ...]) -> None:
    cursor = raw.cursor()
    if not raw.driver_connection.in_transaction:
        cursor.execute("BEGIN")
    cursor.executemany(
        f"INSERT INTO {FLOOR_TABLE} ({_FLOOR_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608
        [(code, *shape) for code in chunk],
    )


def _copy_chunk(raw: Any, chunk: list[str], shape: tuple[str, ...]) -> None:
    tail = "\t".join(shape)
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {FLOOR_TABLE} ({_FLOOR_COLUMNS}) FROM STDIN") as copy,
    ):
        copy.write("".join(f"{code}\t{tail}\n" for code in chunk))
