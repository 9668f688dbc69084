"""The one source of "now".

The system clock, unless the test clock (``SUYUAN_TEST_CLOCK=1``) has been set through
``PUT /platform/clock``: then time stands still at the set instant, like a payment platform's
test clock, until it is set again or cleared. Everything time-dependent (subscription expiry,
scheduled activation) is derived from this value, never from a job that must run on time.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime


class Clock:
    """System time, optionally frozen at a chosen instant (only when the test clock is allowed)."""

    def __init__(self, *, test_clock_allowed: bool = False) -> None:
        self.test_clock_allowed = test_clock_allowed
        self._frozen: datetime | None = None
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        with self._lock:
            frozen = self._frozen
        return frozen if frozen is not None else datetime.now(UTC)

    def freeze(self, instant: datetime) -> None:
        """Stop time at ``instant`` (aware). Only callable when the test clock is allowed."""
        if not self.test_clock_allowed:
            raise RuntimeError("the test clock is disabled (set SUYUAN_TEST_CLOCK=1)")
        with self._lock:
            self._frozen = instant.astimezone(UTC)

    def reset(self) -> None:
        """Back to the system clock."""
        with self._lock:
            self._frozen = None

    @property
    def is_frozen(self) -> bool:
        """Whether the test clock currently overrides the system clock."""
        return self._frozen is not None
