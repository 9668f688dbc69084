"""Unit of work: one transaction per use case. It alone commits; leaving it without a commit
(or with an exception) rolls everything back, so a rejected request changes nothing (R19)."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from suyuan.clock import Clock


class UnitOfWork:
    """``with uow: ...; uow.commit()``. ``uow.now`` is the one instant of this use case."""

    conn: Connection
    now: datetime

    def __init__(self, engine: Engine, clock: Clock, *, write: bool = True) -> None:
        self.engine = engine
        self.clock = clock
        self.write = write
        self._committed = False

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def __enter__(self) -> Self:
        self.conn = self.engine.connect()
        self.conn.info["write"] = self.write
        self.conn.begin()
        self.now = self.clock.now()
        self._committed = False
        return self

    def commit(self) -> None:
        """Make the use case's changes durable."""
        self.conn.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.conn.rollback()
        finally:
            self.conn.info.pop("write", None)
            self.conn.close()
