"""What a running suyuan holds: settings, the database engine and the clock."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from suyuan.clock import Clock
from suyuan.config import Settings
from suyuan.db.engine import make_engine
from suyuan.db.uow import UnitOfWork

T = TypeVar("T")
log = logging.getLogger(__name__)

#: PostgreSQL's "try the transaction again" errors: serialization_failure, deadlock_detected.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
#: How often ``Context.write`` runs a use case at most (the first run included).
WRITE_ATTEMPTS = 5
#: Backoff before retry n (1-based) is uniform in [0, BACKOFF_BASE * 2**(n-1)] seconds, capped.
BACKOFF_BASE = 0.01
BACKOFF_CAP = 0.25


def is_retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is a PostgreSQL serialization failure or deadlock (SQLSTATE 40001/40P01):
    the database rolled the transaction back and says that running it again may succeed."""
    if not isinstance(exc, DBAPIError):
        return False
    return sqlstate_of(exc) in RETRYABLE_SQLSTATES


def sqlstate_of(exc: DBAPIError) -> str | None:
    """The SQLSTATE the driver reported (psycopg 3: ``sqlstate``; psycopg2: ``pgcode``)."""
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return str(state) if state else None


def backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt ``attempt`` (1-based): full jitter, so racing
    transactions that just collided do not collide again in step."""
    return random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1)))  # noqa: S311


@dataclass
class Context:
    """Shared by the API, the consoles and the CLI; use cases run through ``write``/``read``."""

    settings: Settings
    engine: Engine
    clock: Clock

    @classmethod
    def from_settings(cls, settings: Settings) -> Context:
        """A context with a fresh engine for ``settings.database_url``."""
        return cls(
            settings,
            make_engine(settings.database_url),
            Clock(test_clock_allowed=settings.test_clock),
        )

    def write(self, use_case: Callable[[UnitOfWork], T]) -> T:
        """Run a use case that changes state: committed if it returns, rolled back if it raises.

        On PostgreSQL two transactions that lock the same rows in different orders deadlock, and
        one under a stricter isolation level can fail to serialize; the server then aborts one of
        them with SQLSTATE ``40P01`` or ``40001``. Nothing of that transaction was kept, and the
        right answer is to run it again — the request itself was fine, so a client should not see
        a 500 for it. The use case is therefore retried, in a fresh transaction (with a fresh
        ``uow.now``) after the failed one has been rolled back, up to ``WRITE_ATTEMPTS`` runs in
        all with a short jittered backoff; if the last run still fails that error propagates.
        Any other exception — a ``DomainError``, an ``IntegrityError``, a lost connection —
        propagates at once, unchanged. Use cases must therefore keep their effects inside the
        transaction (they do: ``(uow, …) → output``; the CLI's progress callback sets absolute
        counts, so a retry merely restarts the bar), so a retry is indistinguishable from a first
        run. SQLite never raises these: its writers queue on ``BEGIN IMMEDIATE``.
        """
        attempt = 1
        while True:
            try:
                with UnitOfWork(self.engine, self.clock, write=True) as uow:
                    result = use_case(uow)
                    uow.commit()
                    return result
            except DBAPIError as e:  # the unit of work has rolled back and closed by now
                if attempt >= WRITE_ATTEMPTS or not is_retryable(e):
                    raise
                log.info(
                    "retrying a write after SQLSTATE %s (attempt %d of %d)",
                    sqlstate_of(e),
                    attempt + 1,
                    WRITE_ATTEMPTS,
                )
            time.sleep(backoff(attempt))
            attempt += 1

    def read(self, use_case: Callable[[UnitOfWork], T]) -> T:
        """Run a read-only use case."""
        with UnitOfWork(self.engine, self.clock, write=False) as uow:
            return use_case(uow)
