"""What the QR code on a label says (SPEC §5) and its symbol.

The URL is written in upper case so that every character is in the QR alphanumeric set
(``0-9 A-Z space $ % * + - . / :``): alphanumeric mode packs 5.5 bits per character instead of
8, so the symbol stays one or two versions smaller and its modules bigger on a small label.
Scheme and host are case-insensitive, the code is upper case anyway, and the server serves both
``/t/`` and ``/T/``. A path prefix of ``SUYUAN_PUBLIC_URL`` (if any) is kept as configured,
because paths are case-sensitive: a lower-case prefix costs a byte-mode symbol, not a dead link.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit, urlunsplit

import segno

from suyuan.domain import codes
from suyuan.domain.customs import gtin_check_digit

__all__ = ["ERROR_LEVEL", "QR_ALPHANUMERIC", "is_alphanumeric", "qr_matrix", "scan_url"]

ERROR_LEVEL: Final = "M"  # ~15 % of the symbol may be damaged; the ZPL labels use the same
QR_ALPHANUMERIC: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def _base_url(public_url: str) -> str:
    """``public_url`` with scheme and host upper-cased and no trailing slash."""
    parts = urlsplit(public_url.strip())
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"public URL needs a scheme and a host, got {public_url!r}")
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError(
            f"public URL cannot have credentials, a query or a fragment: {public_url!r}"
        )
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.upper(), parts.netloc.upper(), path, "", ""))


def _gtin14(gtin14: str) -> str:
    if len(gtin14) != 14 or not gtin14.isascii() or not gtin14.isdigit():
        raise ValueError(f"a GTIN in Digital Link form is 14 digits, got {gtin14!r}")
    if gtin_check_digit(gtin14[:-1]) != gtin14[-1]:
        raise ValueError(f"GTIN {gtin14!r} has a wrong check digit")
    return gtin14


def scan_url(public_url: str, code: str, gtin14: str | None = None) -> str:
    """The URL a label's QR code encodes for ``code`` (normalized first; must be well-formed).

    ``{PUBLIC_URL}/T/{code}``, or with the product's GTIN the GS1 Digital Link
    ``{PUBLIC_URL}/01/{gtin14}/21/{code}`` (AI 01 = GTIN, AI 21 = serial number), which resolves
    to the same scan page. Scheme and host are written in upper case.
    """
    canonical = codes.parse(code)
    if canonical is None:
        raise ValueError(f"not a well-formed trace code: {code!r}")
    base = _base_url(public_url)
    if gtin14:
        return f"{base}/01/{_gtin14(gtin14)}/21/{canonical}"
    return f"{base}/T/{canonical}"


def is_alphanumeric(text: str) -> bool:
    """Whether a QR symbol can hold ``text`` in alphanumeric mode."""
    return all(char in QR_ALPHANUMERIC for char in text)


def qr_matrix(url: str) -> segno.QRCode:
    """The QR symbol (never Micro QR) for ``url`` at error correction level M.

    segno picks the most compact mode: alphanumeric for the URLs of :func:`scan_url`. The level
    is not boosted, so the PDF and the ZPL labels carry the same error correction.
    """
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)
