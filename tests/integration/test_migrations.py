"""The migration history runs down to nothing and back up on both databases, and ends where
the models are (``make lint`` checks the models side on SQLite too)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from suyuan.db.engine import make_engine
from suyuan.db.migrate import alembic_config
from suyuan.db.schema import metadata
from tests.conftest import _postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('mig') / 'm.db'}")
        yield engine
        engine.dispose()
        return
    for url in _postgres_database():
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _run(engine: Engine, step: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        if step == "base":
            command.downgrade(config, "base")
        else:
            command.upgrade(config, step)


def test_down_to_base_and_up_again_matches_the_models(blank_engine: Engine) -> None:
    for step in ("head", "base", "head"):
        _run(blank_engine, step)
    with blank_engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == []
