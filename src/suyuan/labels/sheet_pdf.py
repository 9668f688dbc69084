"""A4 label sheets (SPEC §5): one label per trace code for laser and inkjet printers.

Each page holds 3 × 8 labels of 66 × 35 mm, framed by thin grey cut lines, inside margins that
office printers can print (6 mm left and right, 8.5 mm top and bottom). A label carries the QR
code (vector squares, 4-module quiet zone, the symbol itself ≥ 19 mm wide), 「正品溯源」, the
grouped trace code in a monospace font and the product title (up to four lines, cut short with
"…"). Labels are drawn one by one as they come from the iterable, so no list of labels or QR
matrices is ever built; only the PDF being written grows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from fpdf import FPDF

from suyuan.domain.codes import group, parse
from suyuan.labels.fonts import add_cjk_font, faux_bold, wrap_text
from suyuan.labels.qr import qr_matrix

__all__ = ["COLUMNS", "LABELS_PER_PAGE", "ROWS", "Label", "render_label_sheet"]

PAGE_W, PAGE_H = 210.0, 297.0  # A4, mm
COLUMNS, ROWS = 3, 8
LABELS_PER_PAGE: Final = COLUMNS * ROWS
MARGIN_X, MARGIN_Y = 6.0, 8.5
LABEL_W = (PAGE_W - 2 * MARGIN_X) / COLUMNS  # 66 mm
LABEL_H = (PAGE_H - 2 * MARGIN_Y) / ROWS  # 35 mm
QR_BOX = 25.0  # the QR symbol with its 4-module quiet zone, mm
QR_LEFT = 1.5  # from the label's left cut line to the QR box (the quiet zone adds ~2.7 mm)
QUIET_ZONE = 4  # modules
TEXT_LEFT = QR_LEFT + QR_BOX + 0.5  # the text column, right of the QR box ...
TEXT_RIGHT = 2.5  # ... up to this far from the label's right cut line
TEXT_W = LABEL_W - TEXT_LEFT - TEXT_RIGHT
BRACKET_INSET = 1.6  # mm
TITLE_SIZE, TITLE_LINE_H, TITLE_LINES = 7.5, 3.3, 4
CODE_FONT = "Courier"  # a PDF core font: monospace, every reader has it, ASCII is all it needs
CODE_MAX_SIZE = 8.5
GROUP_GAP = 0.75  # characters between two groups of the code

INK = (0, 0, 0)
TEXT = (33, 33, 33)
MUTED = (120, 120, 120)
BRAND = (176, 32, 32)  # the red of 「正品溯源」 in the warehouse guide
CUT_LINE = (185, 185, 185)


@dataclass(frozen=True)
class Label:
    """One label: the trace code, the URL its QR code encodes, the product title."""

    code: str
    url: str
    title: str


class _SheetPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.family = add_cjk_font(self)
        self.set_auto_page_break(auto=False)
        self.set_margins(MARGIN_X, MARGIN_Y, MARGIN_X)
        self.alias_nb_pages()
        self.set_title("「正品溯源」标签")
        self.set_creator("suyuan")
        self.set_lang("zh-CN")

    def footer(self) -> None:
        self.set_font(self.family, size=6.5)
        self.set_text_color(*MUTED)
        self.set_xy(MARGIN_X, PAGE_H - MARGIN_Y + 1.2)
        note = "「正品溯源」标签 · 请按 100% 实际尺寸打印，不要缩放 · 沿灰线裁切"
        self.cell(LABEL_W * 2, 4, note)
        self.cell(LABEL_W, 4, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="R")


def render_label_sheet(labels: Iterable[Label]) -> bytes:
    """The labels as an A4 PDF, 24 to a page, in the order given (an empty sheet for none)."""
    pdf = _SheetPdf()
    for index, label in enumerate(labels):
        slot = index % LABELS_PER_PAGE
        if slot == 0:
            pdf.add_page()
        column, row = slot % COLUMNS, slot // COLUMNS
        _draw_label(pdf, label, MARGIN_X + column * LABEL_W, MARGIN_Y + row * LABEL_H)
    if pdf.page == 0:
        pdf.add_page()
    return bytes(pdf.output())


# --- one label ------------------------------------------------------------------------------


def _draw_label(pdf: _SheetPdf, label: Label, x: float, y: float) -> None:
    code = parse(label.code)
    if code is None:
        raise ValueError(f"not a well-formed trace code: {label.code!r}")
    pdf.set_draw_color(*CUT_LINE)
    pdf.set_line_width(0.1)
    pdf.rect(x, y, LABEL_W, LABEL_H)
    _draw_qr(pdf, label.url, x + QR_LEFT, y + (LABEL_H - QR_BOX) / 2, QR_BOX)
    left, width = x + TEXT_LEFT, TEXT_W
    pdf.set_font(pdf.family, size=11)
    pdf.set_xy(left - BRACKET_INSET, y + 6)  # 「 is drawn in the right half of its em square
    with faux_bold(pdf, BRAND, 0.2):
        pdf.cell(width + BRACKET_INSET, 5.5, "「正品溯源」")
    _draw_code(pdf, group(code), left, y + 13, width)
    pdf.set_font(pdf.family, size=TITLE_SIZE)
    pdf.set_text_color(*TEXT)
    for i, line in enumerate(_title_lines(pdf, label.title, width)):
        pdf.set_xy(left, y + 19 + i * TITLE_LINE_H)
        pdf.cell(width, TITLE_LINE_H, line)


def _draw_code(pdf: _SheetPdf, grouped: str, left: float, top: float, width: float) -> None:
    """The grouped code on one line, its groups ¾ of a character apart (a full monospace space
    is too wide for the column), in the largest size up to 8.5 pt that fits."""
    groups = grouped.split(" ")
    pdf.set_font(CODE_FONT, style="B", size=CODE_MAX_SIZE)
    char_w = pdf.get_string_width("0")
    natural = char_w * (sum(map(len, groups)) + GROUP_GAP * (len(groups) - 1))
    if natural > width:
        pdf.set_font_size(CODE_MAX_SIZE * width / natural)
        char_w = pdf.get_string_width("0")
    pdf.set_text_color(*INK)
    x = left
    for text in groups:
        pdf.set_xy(x, top)
        pdf.cell(char_w * len(text), 4, text)
        x += char_w * (len(text) + GROUP_GAP)


def _title_lines(pdf: FPDF, title: str, width: float) -> list[str]:
    """The title wrapped to ``width``; past four lines the fourth ends in "…"."""
    lines = wrap_text(pdf, re.sub(r"\s+", " ", title).strip(), width)
    if len(lines) <= TITLE_LINES:
        return lines
    last = lines[TITLE_LINES - 1]
    while last and pdf.get_string_width(last + "…") > width:
        last = last[:-1]
    return [*lines[: TITLE_LINES - 1], last.rstrip() + "…"]


def _draw_qr(pdf: FPDF, url: str, x: float, y: float, box: float) -> None:
    """The QR symbol for ``url`` filling a ``box`` mm square, quiet zone included.

    Dark modules are drawn as filled rectangles, one per horizontal run, in pure black.
    """
    qr = qr_matrix(url)
    module = box / (qr.symbol_size(border=0)[0] + 2 * QUIET_ZONE)
    origin_x, origin_y = x + QUIET_ZONE * module, y + QUIET_ZONE * module
    pdf.set_fill_color(*INK)
    for row, start, length in _dark_runs(qr.matrix):
        pdf.rect(origin_x + start * module, origin_y + row * module, length * module, module, "F")


def _dark_runs(matrix: Iterable[Iterable[int]]) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of every run of dark modules, row by row."""
    for row, modules in enumerate(matrix):
        column = 0
        for dark, run in itertools.groupby(modules):
            length = sum(1 for _ in run)
            if dark:
                yield row, column, length
            column += length
