"""CJK font lookup and small CJK text helpers for the PDFs the project renders (fpdf2).

The font comes from the ``pylopdf-fonts-zh-cn`` package, a regular dependency of the project
that ships Noto Sans SC, so a fresh install can always render Simplified Chinese. A system CJK
font is used only when that package is missing; no font is ever required from the system.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

__all__ = [
    "SYSTEM_FONT_CANDIDATES",
    "CjkFont",
    "add_cjk_font",
    "cjk_font",
    "cjk_font_path",
    "faux_bold",
    "wrap_text",
]

FONT_PACKAGE = "pylopdf-fonts-zh-cn"

# (path, face index inside a .ttc collection). NotoSansCJK-*.ttc holds JP, KR, SC, TC, HK in that
# order, so face 2 is Simplified Chinese.
SYSTEM_FONT_CANDIDATES: tuple[tuple[Path, int], ...] = (
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    (Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), 0),
    (Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0),
    (Path("C:/Windows/Fonts/simhei.ttf"), 0),
)


@dataclass(frozen=True)
class CjkFont:
    """A font file able to render Simplified Chinese, and where it was found."""

    path: Path
    collection_index: int = 0
    source: str = FONT_PACKAGE


def _package_font_path() -> Path | None:
    """Noto Sans SC as shipped by the ``pylopdf-fonts-zh-cn`` package, if installed."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    return path if path.is_file() else None


@functools.cache
def cjk_font() -> CjkFont:
    """Find a CJK font once per process: the packaged Noto Sans SC, else a system font."""
    packaged = _package_font_path()
    if packaged is not None:
        return CjkFont(packaged)
    for path, index in SYSTEM_FONT_CANDIDATES:
        if path.is_file():
            return CjkFont(path, index, source="system")
    raise RuntimeError(
        "No CJK font found to render Chinese text in PDFs. Install the Python package "
        f"'{FONT_PACKAGE}' (a dependency of suyuan: `pip install {FONT_PACKAGE}`), "
        "or a system CJK font such as fonts-noto-cjk or fonts-wqy-microhei."
    )


def cjk_font_path() -> Path:
    """Path of the CJK font file used for every PDF (cached)."""
    return cjk_font().path


def add_cjk_font(pdf: FPDF, family: str = "cjk") -> str:
    """Register the CJK font on ``pdf`` (once) and return the family name to pass to set_font.

    The font is embedded as a subset holding only the glyphs the document uses.
    """
    if family.lower() not in pdf.fonts:
        font = cjk_font()
        pdf.add_font(family, "", font.path, collection_font_number=font.collection_index)
    return family


@contextmanager
def faux_bold(
    pdf: FPDF, color: tuple[int, int, int] = (0, 0, 0), stroke_mm: float = 0.2
) -> Iterator[None]:
    """Draw text with its outline stroked too: a bold look from the single Regular weight."""
    with pdf.local_context(
        text_mode=TextMode.FILL_STROKE, line_width=stroke_mm, draw_color=color, text_color=color
    ):
        yield


# Chinese line-breaking rules (禁则): these never start a line ...
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’・·…—～%,.;:?!)]}")
# ... and these never end one.
_NO_LINE_END = frozenset("（《「『【〔〈“‘([{¥$")
# Runs of printable ASCII (words, numbers, URLs, codes) stay together; anything else is one token.
_TOKEN = re.compile(r"[!-~]+| +|.", re.DOTALL)


def wrap_text(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` in the current font.

    CJK text may break between any two characters, Latin words and numbers only at spaces (or,
    when a single one is wider than the line, anywhere), and the usual Chinese rules apply:
    no closing punctuation at the start of a line, no opening bracket at its end.
    ``\\n`` starts a new line.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(pdf, paragraph, width))
    return lines


def _tokens(pdf: FPDF, text: str, width: float) -> Iterator[tuple[str, float]]:
    for token in _TOKEN.findall(text):
        token_width = pdf.get_string_width(token)
        if token_width <= width or len(token) == 1:
            yield token, token_width
        else:
            yield from ((char, pdf.get_string_width(char)) for char in token)


def _wrap_paragraph(pdf: FPDF, text: str, width: float) -> list[str]:
    lines: list[str] = []
    line: list[tuple[str, float]] = []
    used = 0.0
    for token, token_width in _tokens(pdf, text, width):
        if not line and token.isspace():
            continue
        if used + token_width <= width or not line:
            line.append((token, token_width))
            used += token_width
            continue
        carried = _carry_over(line, token)
        lines.append(_join(line))
        line = [*carried, (token, token_width)] if not token.isspace() else carried
        used = sum(w for _, w in line)
    if line or not lines:
        lines.append(_join(line))
    return lines


def _carry_over(line: list[tuple[str, float]], next_token: str) -> list[tuple[str, float]]:
    """Tokens to move from the end of a full ``line`` to the next one (and remove them)."""
    carried: list[tuple[str, float]] = []
    head = next_token
    while head[0] in _NO_LINE_START and len(line) > 1:  # "境）。" moves down as a whole
        carried.insert(0, line.pop())
        head = carried[0][0]
    while len(line) > 1 and line[-1][0][-1] in _NO_LINE_END:
        carried.insert(0, line.pop())
    return carried


def _join(tokens: Sequence[tuple[str, float]]) -> str:
    return "".join(token for token, _ in tokens).strip()
