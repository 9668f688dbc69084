"""What a running suyuan holds: settings, the database engine and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine

from suyuan.clock import Clock
from suyuan.config import Settings
from suyuan.db.engine import make_engine
from suyuan.db.uow import UnitOfWork

T = TypeVar("T")


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
        """Run a use case that changes state: committed if it returns, rolled back if it raises."""
        with UnitOfWork(self.engine, self.clock, write=True) as uow:
            result = use_case(uow)
            uow.commit()
            return result

    def read(self, use_case: Callable[[UnitOfWork], T]) -> T:
        """Run a read-only use case."""
        with UnitOfWork(self.engine, self.clock, write=False) as uow:
            return use_case(uow)
