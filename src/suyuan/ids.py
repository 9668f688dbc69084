"""Object IDs: a short type prefix and 20 Crockford base32 symbols (50 bits of milliseconds
since the epoch, then 50 random bits), so IDs sort by creation and serve as list cursors."""

from __future__ import annotations

import secrets
import time

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _base32(value: int, length: int) -> str:
    out = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        out.append(ALPHABET[digit])
    return "".join(reversed(out))


def new_id(prefix: str) -> str:
    """A new ID such as ``sto_01JF3Q8ZC9R4V7N2KX5M``."""
    millis = time.time_ns() // 1_000_000
    return f"{prefix}_{_base32(millis, 10)}{_base32(secrets.randbits(50), 10)}"
