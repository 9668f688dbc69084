"""Public lookups per client network per minute (``SUYUAN_SCAN_RATE_LIMIT``): a sliding window
kept in the process. Per process is enough for one server; several workers each count alone."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from fastapi import Request

from suyuan.domain.errors import DomainError
from suyuan.domain.scanning import network_of

WINDOW_SECONDS = 60.0


class RateLimiter:
    """At most ``limit`` hits per network in any 60 seconds."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, network: str, now: float | None = None) -> int:
        """0 when this hit is allowed (and counted), else the seconds until one is."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(network, deque())
            while hits and now - hits[0] >= WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(WINDOW_SECONDS - (now - hits[0])))
            hits.append(now)
            if len(self._hits) > 100_000:  # forget idle networks so memory stays bounded
                self._hits = {k: v for k, v in self._hits.items() if v}
            return 0


def client_ip(request: Request) -> str | None:
    """The client's address as the server saw it (behind a proxy, run with --proxy-headers)."""
    return request.client.host if request.client else None


async def check_public_rate(request: Request) -> None:
    """Dependency: 429 RATE_LIMITED with Retry-After when the client's network is too busy.

    Async because it only counts in memory: it runs on the event loop, not in a worker thread."""
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.retry_after(network_of(client_ip(request)))
    if wait:
        raise DomainError("RATE_LIMITED", 429, params={"seconds": wait, "retry_after": wait})
