"""ZPL II for thermal label printers (SPEC §5): one ``^XA…^XZ`` format per trace code.

The label is 50 × 30 mm. Left: the QR code with its 4-module quiet zone inside the label (the
packaging around a stuck label is not blank). Right: 「正品溯源」, the grouped code on two lines
and the product title on up to four lines.

Choices, checked against the ZPL II Programming Guide (^BQ, ^FD for QR codes, ^FH, ^CI):

- ``^BQN,2,<mag>,M``: model 2, magnification = dots per module, chosen so that the symbol and
  its quiet zone fill the label's height, capped at ~0.75 mm per module.
- The field data starts with the error correction level and the input mode: ``MM,A<url>`` is
  level M, *manual* input, alphanumeric character mode — exactly what the PDF labels encode, as
  the upper-case scan URLs are in the QR alphanumeric set. (``MA,<url>``, level M with automatic
  input, is used for a URL that is not; ``QA,`` would mean level Q, not "alphanumeric".)
- ``^CI28``: field data is UTF-8.
- Chinese needs a CJK font stored on the printer: by default ``E:SIMSUN.FNT`` (SimSun, as
  commonly downloaded to printers sold in China), selected per field with ``^A@``; pass
  another with ``cjk_font``. The code line uses the built-in scalable font 0, which is ASCII,
  so the code prints even on a printer without the CJK font.
- User text (the title) is written with ``^FH_`` and every ``^``, ``~`` and ``_`` as a hex
  escape (``_5E``, ``_7E``, ``_5F``), so a title cannot end its field or start a command; control
  characters become spaces. The URL and the code are checked, not escaped.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Final

from suyuan.domain.codes import group, parse
from suyuan.labels.qr import is_alphanumeric, qr_matrix
from suyuan.labels.sheet_pdf import Label

__all__ = ["DEFAULT_CJK_FONT", "LABEL_SIZE_MM", "escape_field", "iter_zpl"]

LABEL_SIZE_MM: Final = (50.0, 30.0)
DEFAULT_CJK_FONT: Final = "E:SIMSUN.FNT"
QUIET_ZONE = 4  # modules
MAX_MODULE_MM = 0.75
TITLE_LINES = 4
_TOKEN: Final = re.compile(r"[!-~]+| +|.", re.DOTALL)
_ESCAPED: Final = {ord(char): f"_{ord(char):02X}" for char in "^~_"}


def iter_zpl(
    labels: Iterable[Label], dpmm: int = 8, cjk_font: str = DEFAULT_CJK_FONT
) -> Iterator[str]:
    """One ZPL format (``^XA`` … ``^XZ``, newline-terminated) per label, lazily.

    ``dpmm`` is the printer's resolution in dots per mm: 6 (152 dpi), 8 (203 dpi), 12 (300 dpi)
    or 24 (600 dpi).
    """
    if dpmm < 1:
        raise ValueError(f"dpmm must be positive, got {dpmm}")
    if not cjk_font.isascii() or any(char in cjk_font for char in "^~,"):
        raise ValueError(f"not a printer font name: {cjk_font!r}")
    for label in labels:
        yield _label(label, dpmm, cjk_font)


def escape_field(text: str) -> str:
    """``text`` as data of a ``^FH_`` field: ``^``, ``~``, ``_`` hex-escaped, controls → spaces."""
    printable = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return printable.translate(_ESCAPED)


# --- one label ------------------------------------------------------------------------------


def _label(label: Label, dpmm: int, cjk_font: str) -> str:
    code = parse(label.code)
    if code is None:
        raise ValueError(f"not a well-formed trace code: {label.code!r}")
    _check_url(label.url)
    width, height = (round(side * dpmm) for side in LABEL_SIZE_MM)
    mag = _magnification(label.url, height, dpmm)
    quiet = QUIET_ZONE * mag
    left = quiet + _modules(len(label.url), is_alphanumeric(label.url)) * mag + quiet // 2
    column = width - left - round(1.5 * dpmm)

    def mm(value: float) -> int:
        return round(value * dpmm)

    lines = [
        "^XA",
        "^CI28",
        f"^PW{width}",
        f"^LL{height}",
        "^LH0,0",
        f"^FO{quiet},{quiet}^BQN,2,{mag},M^FD{_qr_data(label.url)}^FS",
        _cjk_field(left, mm(2.5), mm(3), cjk_font, "「正品溯源」"),
    ]
    first, second = group(code)[:9], group(code)[10:]  # "7K3M 9Q2X" / "B4TR 8WZD 5"
    for i, part in enumerate((first, second)):
        lines.append(f"^FO{left},{mm(7) + i * mm(4)}^A0N,{mm(3.25)},{mm(2.75)}^FD{part}^FS")
    size = mm(2.5)
    for i, line in enumerate(_title_lines(label.title, column, size)):
        lines.append(_cjk_field(left, mm(16) + i * mm(3.1), size, cjk_font, line))
    lines.append("^XZ")
    return "\n".join(lines) + "\n"


def _cjk_field(x: int, y: int, size: int, font: str, text: str) -> str:
    return f"^FO{x},{y}^A@N,{size},{size},{font}^FH_^FD{escape_field(text)}^FS"


def _check_url(url: str) -> None:
    if not url.isascii() or not url.isprintable() or any(c in url for c in "^~ "):
        raise ValueError(f"a label URL is printable ASCII without ^, ~ or spaces, got {url!r}")


def _qr_data(url: str) -> str:
    return f"MM,A{url}" if is_alphanumeric(url) else f"MA,{url}"


@functools.lru_cache(maxsize=64)
def _modules(length: int, alphanumeric: bool) -> int:
    """Modules per side of the symbol for a URL of this length and kind (one segno run each:
    every URL of a request has the same length, and segno is slow next to writing ZPL)."""
    sample = ("A" if alphanumeric else "a") * length
    return int(qr_matrix(sample).symbol_size(border=0)[0])


def _magnification(url: str, height: int, dpmm: int) -> int:
    """Dots per module: the symbol and quiet zone fit the label's height; at most ~0.75 mm."""
    total = _modules(len(url), is_alphanumeric(url)) + 2 * QUIET_ZONE
    cap = max(1, round(MAX_MODULE_MM * dpmm))
    return max(1, min(10, cap, height // total))


def _width(text: str, size: int) -> float:
    """Estimated advance in dots: CJK fonts set wide characters on a square, others on half."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size / 2 for c in text)


def _tokens(text: str, width: int, size: int) -> Iterator[str]:
    """Runs of printable ASCII (words, numbers) stay whole unless wider than a line."""
    for token in _TOKEN.findall(text):
        if _width(token, size) <= width:
            yield token
        else:
            yield from token


def _title_lines(title: str, width: int, size: int) -> list[str]:
    """The title broken into lines of about ``width`` dots; past four the fourth ends in "…"."""
    lines: list[str] = []
    line = ""
    for token in _tokens(" ".join(title.split()), width, size):
        if line and _width(line + token, size) > width:
            lines.append(line.rstrip())
            line = ""
        if line or not token.isspace():
            line += token
    if line:
        lines.append(line.rstrip())
    if len(lines) <= TITLE_LINES:
        return lines
    last = lines[TITLE_LINES - 1]
    while last and _width(last + "…", size) > width:
        last = last[:-1]
    return [*lines[: TITLE_LINES - 1], last.rstrip() + "…"]
