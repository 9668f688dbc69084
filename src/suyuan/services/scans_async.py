"""The consumer scan on PostgreSQL without a worker thread: the hottest path (ARCHITECTURE).

One statement does the whole scan: a data-modifying CTE counts it (``UPDATE … RETURNING``), a
second logs it into ``scans``, and the answer's facts are joined to the counted row — one round
trip, in autocommit, over an async psycopg pool that lives as long as the app. The rules are
those of ``scans.scan`` (same counting, same log row, same facts query, same answer); SQLite,
and callers that run without the app's lifespan, use that synchronous path in a thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import namedtuple_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Engine, bindparam, func, insert, literal_column, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import BindParameter

from suyuan.db import schema as s
from suyuan.domain.errors import DomainError
from suyuan.domain.scanning import network_hash, ua_family
from suyuan.services.scans import answer, facts_query, parse_code

POOL_SIZE = 4  # one event loop needs few: each is busy for one round trip; 4 beat 8 and 16 in P2


@lru_cache(maxsize=1)
def scan_statement() -> str:
    """The scan as one PostgreSQL statement, compiled once from the tables' own definitions."""
    t = s.trace_codes
    now: BindParameter[datetime] = bindparam("now")
    counted = (
        update(t)
        .where(t.c.code == bindparam("code"))
        .values(
            scan_count=t.c.scan_count + literal_column("1"),
            first_scanned_at=func.coalesce(t.c.first_scanned_at, now),
        )
        .returning(*t.c)
        .cte("counted")
    )
    logged = (
        insert(s.scans)
        .from_select(
            ["code", "scanned_at", "network_hash", "ua_family"],
            select(counted.c.code, now, bindparam("network_hash"), bindparam("ua_family")),
        )
        .cte("logged")
    )
    query = facts_query(counted).add_cte(logged)
    return str(query.compile(dialect=postgresql.psycopg.dialect()))  # type: ignore[no-untyped-call]


async def _configure(conn: AsyncConnection[Any]) -> None:
    """UTC, as the rest of the app reads times; and the scan's commit does not wait for the
    WAL flush: a scan is a lookup counter, so a crash may forget the last fraction of a second
    of counts (never corrupt them), and the lookup does not pay a disk flush."""
    await conn.execute("SET TIME ZONE 'UTC'")
    await conn.execute("SET synchronous_commit = off")


@asynccontextmanager
async def scan_pool(engine: Engine) -> AsyncIterator[AsyncConnectionPool[Any] | None]:
    """An open pool on ``engine``'s PostgreSQL database for the app's lifetime (None on SQLite)."""
    if engine.dialect.name != "postgresql":
        yield None
        return
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        conninfo,
        min_size=1,
        max_size=POOL_SIZE,
        open=False,
        configure=_configure,
        kwargs={"autocommit": True, "row_factory": namedtuple_row},
    )
    await pool.open()
    try:
        yield pool
    finally:
        await pool.close()


async def scan(
    pool: AsyncConnectionPool[Any],
    raw_code: str,
    *,
    client_ip: str | None,
    user_agent: str | None,
    warn_after: int,
    salt: str,
    now: datetime,
) -> dict[str, Any]:
    """Count one scan of the code and return its trace information with warnings."""
    code = parse_code(raw_code)
    params = {
        "code": code,
        "now": now,
        "network_hash": network_hash(client_ip, salt),
        "ua_family": ua_family(user_agent),
    }
    async with pool.connection() as conn:
        cursor = await conn.execute(scan_statement(), params)
        row = await cursor.fetchone()
    if row is None:
        raise DomainError("TRACE_CODE_NOT_FOUND", 404, params={"code": code})
    return answer(row, warn_after)
