"""Trace codes (溯源码, SPEC §5): generation, check symbol, normalization, display.

A code is 16 symbols of Crockford base32 drawn from the operating system's CSPRNG (80 random
bits), followed by one Luhn mod 32 check symbol: 17 symbols in all. Pure functions, no I/O.

Generation is batched for speed: the random bytes of a whole batch become symbols with one
``bytes.translate`` (a byte's low 5 bits pick the symbol), and the check symbols of the batch are
summed with bytes and big-integer operations, not symbol by symbol in Python.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Final

__all__ = [
    "ALPHABET",
    "BODY_LENGTH",
    "CODE_LENGTH",
    "check_symbol",
    "generate_codes",
    "group",
    "is_well_formed",
    "iter_code_chunks",
    "normalize",
    "parse",
]

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
BODY_LENGTH: Final = 16
CODE_LENGTH: Final = BODY_LENGTH + 1
N: Final = len(ALPHABET)  # 32
_VALUE: Final = {symbol: value for value, symbol in enumerate(ALPHABET)}
_WELL_FORMED: Final = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")


def _doubled(value: int) -> int:
    """A doubled symbol value as Luhn mod N counts it: 2v // N + 2v % N."""
    return 2 * value // N + 2 * value % N


# --- the check symbol -------------------------------------------------------------------------


def check_symbol(body: str) -> str:
    """The Luhn mod 32 check symbol of a 16-symbol body (SPEC §5).

    Walking the body from the right, the rightmost symbol's value is doubled, then every second
    one; a doubled value v counts as v // 32 + v % 32. The check symbol is the one whose value
    makes the total a multiple of 32.
    """
    if len(body) != BODY_LENGTH or any(symbol not in _VALUE for symbol in body):
        raise ValueError(f"a code body is {BODY_LENGTH} symbols of {ALPHABET}, got {body!r}")
    total = 0
    for i, symbol in enumerate(reversed(body)):
        value = _VALUE[symbol]
        total += _doubled(value) if i % 2 == 0 else value
    return ALPHABET[-total % N]


# Batch tables. In a 16-symbol body the symbols at odd indexes (1, 3, …, 15 from the left) are
# the doubled ones, because the rightmost (index 15) is.
_SYMBOL_FOR_BYTE: Final = bytes(ord(ALPHABET[b % N]) for b in range(256))
_PLAIN_VALUE: Final = bytes.maketrans(ALPHABET.encode(), bytes(range(N)))
_DOUBLED_VALUE: Final = bytes.maketrans(ALPHABET.encode(), bytes(_doubled(v) for v in range(N)))
# A total modulo 256 (a multiple of 32) → the ASCII check symbol that completes it.
_CHECK_FOR_TOTAL: Final = bytes(ord(ALPHABET[-t % N]) for t in range(256))


def _random_bodies(n: int) -> bytes:
    """``n`` bodies of 16 ASCII Crockford symbols each, back to back, from the CSPRNG.

    One random byte per symbol, of which the low 5 bits pick it: 256 is a multiple of 32, so
    every symbol is exactly uniform, and a body carries 16 × 5 = 80 random bits. (This spends
    16 bytes of randomness per body instead of 10, and is many times faster than
    ``base64.b32encode``, a Python loop on Python 3.11.)
    """
    return os.urandom(BODY_LENGTH * n).translate(_SYMBOL_FOR_BYTE)


def _lane_mask(lane_bytes: int, lanes: int) -> int:
    """A big-int mask with the low half of every ``lane_bytes``-wide lane set."""
    half = lane_bytes // 2
    return int.from_bytes((b"\x00" * half + b"\xff" * half) * lanes, "big")


def _check_symbols(bodies: bytes) -> bytes:
    """The check symbols (ASCII) of ``len(bodies) // 16`` bodies given back to back.

    Each body's 8 plain and 8 doubled values are added pairwise into 8 bytes (≤ 62 each), one
    8-byte lane per body in one big integer. Three shift-and-add steps then sum every lane's
    bytes into its lowest byte (≤ 496, never carrying into the next lane) — all in C.
    """
    n = len(bodies) // BODY_LENGTH
    plain = int.from_bytes(bodies[0::2].translate(_PLAIN_VALUE), "big")
    doubled = int.from_bytes(bodies[1::2].translate(_DOUBLED_VALUE), "big")
    lanes = plain + doubled
    for width in (1, 2, 4):  # bytes per half-lane: sum 2 bytes, then 2 shorts, then 2 ints
        mask = _lane_mask(2 * width, 8 * n // (2 * width))
        lanes = (lanes & mask) + ((lanes >> (8 * width)) & mask)
    totals = lanes.to_bytes(8 * n, "big")[7::8]  # each lane's low byte: its total mod 256
    return totals.translate(_CHECK_FOR_TOTAL)


def generate_codes(n: int) -> list[str]:
    """``n`` fresh random trace codes (17 symbols each, check symbol included).

    Codes are drawn independently: a collision has probability about n² / 2⁸¹, and the caller's
    unique index on the code is what finally guarantees uniqueness.
    """
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    if n == 0:
        return []
    bodies = _random_bodies(n)
    checks = _check_symbols(bodies)
    # Interleave body, check symbol and a separator with slice assignments, then split: the
    # list of strings is built in C rather than by n string concatenations.
    stride = CODE_LENGTH + 1
    out = bytearray(b"\n" * (stride * n))
    for i in range(BODY_LENGTH):
        out[i::stride] = bodies[i::BODY_LENGTH]
    out[BODY_LENGTH::stride] = checks
    return out.decode("ascii").split("\n")[:n]


def iter_code_chunks(n: int, chunk: int = 50_000) -> Iterator[list[str]]:
    """``n`` fresh codes in lists of at most ``chunk``: a caller never holds more than one."""
    if n < 0 or chunk < 1:
        raise ValueError(f"need n >= 0 and chunk >= 1, got n={n}, chunk={chunk}")
    for start in range(0, n, chunk):
        yield generate_codes(min(chunk, n - start))


# --- reading codes people typed or scanned ----------------------------------------------------

# Full-width forms (what a Chinese input method types: ７Ｋ３Ｍ－９Ｑ) → ASCII, ideographic space →
# space. Only these, not full NFKC, so that normalize() stays simple and idempotent.
_FULL_WIDTH: Final = {0xFF01 + i: 0x21 + i for i in range(0xFF5E - 0xFF01 + 1)} | {0x3000: 0x20}
# After upper-casing: hyphens go, the letters Crockford leaves out read as the digits they
# resemble.
_FOLD: Final = str.maketrans({"-": None, "O": "0", "I": "1", "L": "1"})


def normalize(raw: str) -> str:
    """A code as typed → its canonical form (SPEC §5); idempotent, never raises.

    Upper-case, whitespace and ``-`` removed, O → 0, I and L → 1. Full-width letters, digits
    and hyphens (from a Chinese input method) count as their ASCII forms.
    """
    text = raw.translate(_FULL_WIDTH).upper()
    return "".join(text.split()).translate(_FOLD)


def _valid(code: str) -> bool:
    return _WELL_FORMED.fullmatch(code) is not None and check_symbol(code[:-1]) == code[-1]


def is_well_formed(code: str) -> bool:
    """Whether ``code``, once normalized, is 17 symbols of the alphabet with a right check."""
    return _valid(normalize(code))


def parse(raw: str) -> str | None:
    """The canonical code for input ``raw``, or None when it is not a well-formed code."""
    code = normalize(raw)
    return code if _valid(code) else None


def group(code: str) -> str:
    """The code for people, in groups of four: ``7K3M 9Q2X B4TR 8WZD 5``.

    The input is normalized first, so grouping an already grouped code changes nothing.
    """
    code = normalize(code)
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
