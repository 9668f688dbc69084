"""Shared fixtures: every database-backed test runs on SQLite and on PostgreSQL.

PostgreSQL runs when ``SUYUAN_TEST_POSTGRES_URL`` points at a server (a fresh database is created
for the run and dropped afterwards); without it those runs are skipped with the reason shown.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from suyuan.clock import Clock
from suyuan.config import Settings
from suyuan.context import Context
from suyuan.db.engine import make_engine
from suyuan.db.migrate import upgrade
from suyuan.db.schema import metadata
from suyuan.db.scratch import scratch_database

PG_ENV = "SUYUAN_TEST_POSTGRES_URL"
ADMIN_TOKEN = "test-admin-token-0123456789abcdef"


def _postgres_database() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(
            f"PostgreSQL runs need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"
        )
    with scratch_database(base, f"suyuan_test_{secrets.token_hex(4)}") as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database of each kind, for the whole run."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "suyuan.db"
        yield f"sqlite:///{path}"
        return
    yield from _postgres_database()


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    """The engine of a database brought to the newest migration."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
        else:
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))


@pytest.fixture
def ctx(migrated_engine: Engine, database_url: str) -> Iterator[Context]:
    """A service context on an empty database, the test clock allowed."""
    settings = Settings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        test_clock=True,
        public_url="http://suyuan.test",
    )
    yield Context(settings, migrated_engine, Clock(test_clock_allowed=True))
    _truncate(migrated_engine)
