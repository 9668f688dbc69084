"""``Context.write`` runs a use case again when PostgreSQL aborts it for a deadlock (40P01) or a
serialization failure (40001), and only then: these tests provoke the real errors on a real server
(no mocked database) and count how often the use case ran."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from suyuan.context import WRITE_ATTEMPTS, Context, is_retryable
from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import DomainError

P = s.providers
_counting = threading.Lock()


@pytest.fixture
def rows(ctx: Context) -> tuple[str, str]:
    """Two provider rows to lock and change."""
    now = datetime.now(UTC)
    with ctx.engine.begin() as conn:
        conn.execute(
            insert(P),
            [
                {"id": "prv_A", "name": "A", "created_at": now},
                {"id": "prv_B", "name": "B", "created_at": now},
            ],
        )
    return "prv_A", "prv_B"


@pytest.fixture
def pg(ctx: Context) -> Context:
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("deadlocks and serialization failures are PostgreSQL's; SQLite queues writers")
    return ctx


def name_of(ctx: Context, row_id: str) -> str:
    with ctx.engine.connect() as conn:
        return str(conn.execute(select(P.c.name).where(P.c.id == row_id)).scalar_one())


def counted(runs: Counter[str], who: str) -> int:
    """Count a run of ``who``'s use case; return which run this is (1-based)."""
    with _counting:
        runs[who] += 1
        return runs[who]


def race(*work: Callable[[], str]) -> list[str]:
    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        futures = [pool.submit(w) for w in work]
        return [f.result(timeout=60) for f in futures]


def test_a_real_deadlock_is_retried_and_both_use_cases_succeed(
    pg: Context, rows: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="suyuan.context")
    a, b = rows
    holding_first = threading.Barrier(2, timeout=20)
    runs: Counter[str] = Counter()

    def tag(uow: UnitOfWork, row_id: str, mark: str) -> None:
        uow.conn.execute(update(P).where(P.c.id == row_id).values(name=P.c.name + mark))

    def transfer(who: str, first: str, second: str) -> Callable[[], str]:
        def use_case(uow: UnitOfWork) -> str:
            run = counted(runs, who)
            tag(uow, first, who)
            if run == 1:  # both hold their first row before either asks for its second
                holding_first.wait()
            tag(uow, second, who)
            return who

        return lambda: pg.write(use_case)

    assert race(transfer("x", a, b), transfer("y", b, a)) == ["x", "y"]
    # PostgreSQL aborted exactly one of them (40P01); it ran again after the other committed
    assert sorted(runs.values()) == [1, 2], runs
    assert [r.getMessage() for r in caplog.records if r.name == "suyuan.context"] == [
        "retrying a write after SQLSTATE 40P01 (attempt 2 of 5)"
    ]
    # each committed once: its mark is on both rows exactly once, the aborted run left nothing
    for row_id, initial in zip(rows, "AB", strict=True):
        name = name_of(pg, row_id)
        assert sorted(name[1:]) == ["x", "y"] and name[0] == initial, name


def test_a_real_serialization_failure_is_retried_and_no_update_is_lost(
    pg: Context, rows: tuple[str, str]
) -> None:
    a, _ = rows
    both_read = threading.Barrier(2, timeout=20)
    runs: Counter[str] = Counter()

    def append(who: str) -> Callable[[], str]:
        def use_case(uow: UnitOfWork) -> str:
            run = counted(runs, who)
            uow.conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            name = uow.conn.execute(select(P.c.name).where(P.c.id == a)).scalar_one()
            if run == 1:  # both read the same snapshot before either writes
                both_read.wait()
            uow.conn.execute(update(P).where(P.c.id == a).values(name=name + who))
            return who

        return lambda: pg.write(use_case)

    assert race(append("x"), append("y")) == ["x", "y"]
    assert sorted(runs.values()) == [1, 2], runs  # the loser got 40001 and ran again
    name = name_of(pg, a)
    assert name[0] == "A" and sorted(name[1:]) == ["x", "y"], name  # neither write lost


def test_retries_are_bounded_and_the_last_error_propagates(
    pg: Context, rows: tuple[str, str]
) -> None:
    runs: Counter[str] = Counter()

    def always_fails(uow: UnitOfWork) -> None:
        counted(runs, "f")
        uow.conn.execute(update(P).where(P.c.id == rows[0]).values(name="changed"))
        uow.conn.execute(
            text(
                "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'serialization_failure'; "
                "END $$"
            )
        )

    with pytest.raises(OperationalError) as raised:
        pg.write(always_fails)
    assert is_retryable(raised.value)
    assert getattr(raised.value.orig, "sqlstate", None) == "40001"
    assert runs["f"] == WRITE_ATTEMPTS
    assert name_of(pg, rows[0]) == "A"  # every run was rolled back


def test_other_errors_propagate_unchanged_after_one_run(
    ctx: Context, rows: tuple[str, str]
) -> None:
    runs: Counter[str] = Counter()
    refused = DomainError("INVALID_STATE", 409)

    def rejected(uow: UnitOfWork) -> None:
        counted(runs, "rejected")
        uow.conn.execute(update(P).where(P.c.id == rows[0]).values(name="changed"))
        raise refused

    def duplicate(uow: UnitOfWork) -> None:
        counted(runs, "duplicate")
        uow.conn.execute(insert(P).values(id=rows[0], name="again", created_at=uow.now))

    with pytest.raises(DomainError) as domain:
        ctx.write(rejected)
    assert domain.value is refused
    with pytest.raises(IntegrityError) as integrity:
        ctx.write(duplicate)
    assert not is_retryable(integrity.value)
    assert runs == Counter(rejected=1, duplicate=1)
    assert name_of(ctx, rows[0]) == "A"
