"""Object IDs: a short type prefix and 20 Crockford base32 symbols (50 bits of milliseconds
since the epoch, then 50 random bits), so IDs sort by creation and serve as list cursors.

Within one process IDs are strictly increasing (like monotonic ULIDs): an ID made in the same
millisecond as the previous one takes the previous random part plus one.
"""

from __future__ import annotations

import secrets
import threading
import time

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RANDOM_BITS = 50
_lock = threading.Lock()
_last = (0, 0)


def _base32(value: int, length: int) -> str:
    out = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        out.append(ALPHABET[digit])
    return "".join(reversed(out))


def _next() -> tuple[int, int]:
    global _last
    millis = time.time_ns() // 1_000_000
    with _lock:
        last_millis, last_random = _last
        if millis <= last_millis:
            millis, rand = last_millis, last_random + 1
            if rand >= 1 << _RANDOM_BITS:  # astronomically rare: borrow the next millisecond
                millis, rand = millis + 1, secrets.randbits(_RANDOM_BITS - 1)
        else:
            rand = secrets.randbits(_RANDOM_BITS - 1)  # headroom for increments
        _last = (millis, rand)
    return millis, rand


def new_id(prefix: str) -> str:
    """A new ID such as ``sto_01JF3Q8ZC9R4V7N2KX5M``."""
    millis, rand = _next()
    return f"{prefix}_{_base32(millis, 10)}{_base32(rand, 10)}"
