"""Fail when the tables in ``suyuan.db.schema`` and the Alembic migrations disagree.

Migrates a scratch SQLite database to head, then asks Alembic's autogenerate for the difference
between it and the models: any difference means a model change without its migration.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from suyuan.db.engine import make_engine
from suyuan.db.migrate import upgrade
from suyuan.db.schema import metadata


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'check.db'}")
        upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), metadata
            )
        engine.dispose()
    if diff:
        print("models and migrations disagree; add a migration for:")
        for d in diff:
            print("  ", d)
        return 1
    print("models and migrations agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
