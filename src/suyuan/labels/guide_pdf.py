"""The warehouse guide (详细操作说明, R2): an A4 PDF a store hands to the bonded warehouse it
linked, telling it how to apply for, print, attach, report and void trace codes for the store."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from suyuan.labels.fonts import add_cjk_font, faux_bold, wrap_text
from suyuan.labels.guide_copy import FAQ_COPY, STEPS_COPY

__all__ = ["WarehouseGuide", "render_warehouse_guide"]

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no DST: a fixed offset
EXAMPLE_CODE = "7K3M 9Q2X B4TR 8WZD 5"  # the grouped example of SPEC §5

MARGIN = 18.0
TEXT = (33, 33, 33)
MUTED = (105, 105, 105)
ACCENT = (21, 94, 160)
WARN = (176, 32, 32)
PANEL = (238, 244, 251)
WHITE = (255, 255, 255)
INDENT = 10.0  # step bodies start right of the step's number disc
LINE_H = 5.6


@dataclass(frozen=True)
class WarehouseGuide:
    """Everything the guide says about one store and the warehouse it linked."""

    store_id: str
    store_name: str
    company_name: str
    provider_name: str
    warehouse_id: str
    warehouse_name: str
    importers: tuple[tuple[str, str], ...]  # (importer name, importer code)
    per_code_fee_fen: int
    console_url: str
    generated_at: datetime

    def __post_init__(self) -> None:
        if self.generated_at.tzinfo is None or self.generated_at.utcoffset() is None:
            raise ValueError("generated_at must be timezone-aware")
        if self.per_code_fee_fen < 0:
            raise ValueError("per_code_fee_fen must not be negative")


def yuan(fen: int) -> str:
    """Integer fen as yuan with two decimals and thousands separators: 120000 → '1,200.00'."""
    return f"{fen // 100:,}.{fen % 100:02d}"


class _GuidePdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.family = add_cjk_font(self)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, size=8)
        self.set_text_color(*MUTED)
        self.set_draw_color(215, 215, 215)
        self.line(MARGIN, self.get_y() - 1.5, self.w - MARGIN, self.get_y() - 1.5)
        half = (self.w - 2 * MARGIN) / 2
        left = wrap_text(self, self.footer_text, half)[0]
        self.cell(half, 5, left, align="L")
        self.cell(half, 5, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="R")


def render_warehouse_guide(guide: WarehouseGuide) -> bytes:
    """Render the guide as an A4 PDF in Simplified Chinese, the CJK font embedded as a subset."""
    pdf = _GuidePdf(f"「正品溯源」保税仓操作说明 · 店铺 ID {guide.store_id}")
    pdf.set_margins(MARGIN, 16, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.alias_nb_pages()
    pdf.set_creation_date(guide.generated_at)
    pdf.set_title(f"「正品溯源」保税仓操作说明 - {guide.store_name}")
    pdf.set_subject("详细操作说明")
    pdf.set_author(guide.store_name)
    pdf.set_creator("suyuan")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    _title(pdf, guide)
    _store_panel(pdf, guide)
    _flow_diagram(pdf, guide)
    _steps(pdf, guide)
    _faq(pdf, guide)
    return bytes(pdf.output())


# --- layout helpers -------------------------------------------------------------------------


def _text_width(pdf: FPDF) -> float:
    return float(pdf.w - pdf.l_margin - pdf.r_margin)


def _ensure_space(pdf: FPDF, height: float) -> None:
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _lines(
    pdf: FPDF, text: str, x: float, width: float, size: float = 10, color: tuple[int, ...] = TEXT
) -> None:
    pdf.set_font(add_cjk_font(pdf), size=size)
    pdf.set_text_color(*color)
    line_h = size * 0.56
    for line in wrap_text(pdf, text, width):
        _ensure_space(pdf, line_h)
        pdf.set_x(x)
        pdf.cell(width, line_h, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _body_width(pdf: FPDF) -> float:
    return _text_width(pdf) - INDENT - 4


def _bullet(pdf: FPDF, text: str, color: tuple[int, int, int]) -> None:
    """A bulleted paragraph under a step, kept on one page."""
    x = pdf.l_margin + INDENT
    pdf.set_font(add_cjk_font(pdf), size=10)
    _ensure_space(pdf, len(wrap_text(pdf, text, _body_width(pdf))) * LINE_H)
    pdf.set_text_color(*color)
    pdf.set_xy(x, pdf.get_y())
    pdf.cell(4, LINE_H, "•")
    _lines(pdf, text, x + 4, _body_width(pdf), color=color)
    pdf.ln(0.8)


def _heading(pdf: FPDF, text: str, size: float = 14) -> None:
    _ensure_space(pdf, 45)  # a heading never ends a page: keep room for what follows
    pdf.ln(3)
    pdf.set_font(add_cjk_font(pdf), size=size)
    with faux_bold(pdf, ACCENT, 0.22):
        pdf.cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(3.5)


def _step_title(pdf: FPDF, number: int, title: str) -> None:
    _ensure_space(pdf, 24)
    pdf.ln(2.5)
    y = pdf.get_y()
    pdf.set_fill_color(*ACCENT)
    pdf.ellipse(pdf.l_margin, y, 7, 7, style="F")
    pdf.set_font(add_cjk_font(pdf), size=11)
    pdf.set_text_color(*WHITE)
    pdf.set_xy(pdf.l_margin, y)
    pdf.cell(7, 7, str(number), align="C")
    pdf.set_font(add_cjk_font(pdf), size=12.5)
    pdf.set_xy(pdf.l_margin + INDENT, y)
    with faux_bold(pdf, TEXT, 0.18):
        pdf.cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


# --- sections -------------------------------------------------------------------------------


def _title(pdf: FPDF, guide: WarehouseGuide) -> None:
    pdf.set_font(add_cjk_font(pdf), size=20)
    with faux_bold(pdf, ACCENT, 0.3):
        pdf.cell(0, 11, "「正品溯源」保税仓操作说明", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    intro = (
        "详细操作说明 —— 请交给贵仓负责收货、贴码和发货的同事。"
        f"本说明只适用于下表中的店铺「{guide.store_name}」及其关联的保税仓。"
    )
    _lines(pdf, intro, pdf.l_margin, _text_width(pdf), 9.5, MUTED)
    pdf.ln(3)


def _panel_rows(guide: WarehouseGuide) -> list[tuple[str, str]]:
    importers = [f"{name}（编码 {code}）" for name, code in guide.importers] or ["（尚未绑定）"]
    when = guide.generated_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return [
        ("店铺名称", guide.store_name),
        ("店铺 ID", guide.store_id),
        ("店铺注册主体", guide.company_name),
        ("服务商（海关授权机构）", guide.provider_name),
        ("引导保税仓", f"{guide.warehouse_name}（保税仓 ID {guide.warehouse_id}）"),
        *(("进出口收发货人" if i == 0 else "", text) for i, text in enumerate(importers)),
        ("溯源码费用", f"{yuan(guide.per_code_fee_fen)} 元/码，由店铺支付，作废不退"),
        ("生成时间", f"{when}（北京时间，UTC+8）"),
    ]


def _clipped(pdf: FPDF, text: str, width: float, max_lines: int = 6) -> list[str]:
    """Wrapped lines of a header value; an absurdly long one is cut short with "…"."""
    lines = wrap_text(pdf, text, width)
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and pdf.get_string_width(last + "…") > width:
        last = last[:-1]
    return [*lines[: max_lines - 1], last + "…"]


def _store_panel(pdf: FPDF, guide: WarehouseGuide) -> None:
    """The store's facts on a tinted panel: one rounded panel, or row by row across pages."""
    label_w, pad, gap = 44.0, 3.0, 1.6
    value_w = _text_width(pdf) - label_w - 2 * pad
    pdf.set_font(add_cjk_font(pdf), size=10)
    rows = [(label, _clipped(pdf, value, value_w)) for label, value in _panel_rows(guide)]
    height = sum(len(lines) * LINE_H + gap for _, lines in rows) + 2 * pad
    one_panel = height <= pdf.page_break_trigger - pdf.t_margin
    pdf.set_fill_color(*PANEL)
    if one_panel:
        _ensure_space(pdf, height)
        pdf.rect(pdf.l_margin, pdf.get_y(), _text_width(pdf), height, "F", True, 2)
    pdf.set_y(pdf.get_y() + pad)
    for label, lines in rows:
        if not one_panel:
            _ensure_space(pdf, len(lines) * LINE_H + gap)
            pdf.rect(pdf.l_margin, pdf.get_y(), _text_width(pdf), len(lines) * LINE_H + gap, "F")
        y = pdf.get_y()
        pdf.set_text_color(*MUTED)
        pdf.set_xy(pdf.l_margin + pad, y)
        pdf.cell(label_w, LINE_H, label)
        pdf.set_text_color(*TEXT)
        for i, line in enumerate(lines):
            pdf.set_xy(pdf.l_margin + pad + label_w, y + i * LINE_H)
            pdf.cell(value_w, LINE_H, line)
        pdf.set_xy(pdf.l_margin, y + len(lines) * LINE_H + gap)
    pdf.set_y(pdf.get_y() + pad + 2)


def _flow_diagram(pdf: FPDF, guide: WarehouseGuide) -> None:
    _heading(pdf, "操作流程一览")
    steps = [
        ("申请", "第 3 步", f"按件数申请\n{yuan(guide.per_code_fee_fen)} 元/码"),
        ("打印", "第 4 步", "A4 标签页\n或 ZPL 热敏"),
        ("贴码", "第 5 步", "一件一码\n贴在外包装"),
        ("上报", "第 6 步", "扫码上报\n已贴码"),
        ("发货", "第 8 步", "商家发货时\n上传每件的码"),
    ]
    box_w, box_h, top = 27.0, 16.0, pdf.get_y() + 1
    gap = (_text_width(pdf) - len(steps) * box_w) / (len(steps) - 1)
    family = add_cjk_font(pdf)
    for i, (name, number, caption) in enumerate(steps):
        x = pdf.l_margin + i * (box_w + gap)
        pdf.set_fill_color(*ACCENT)
        pdf.rect(x, top, box_w, box_h, style="F", round_corners=True, corner_radius=3)
        pdf.set_text_color(*WHITE)
        pdf.set_font(family, size=13)
        pdf.set_xy(x, top + 2)
        with faux_bold(pdf, WHITE, 0.15):
            pdf.cell(box_w, 7, name, align="C")
        pdf.set_font(family, size=8)
        pdf.set_xy(x, top + 9.5)
        pdf.cell(box_w, 4, number, align="C")
        pdf.set_text_color(*MUTED)
        for j, line in enumerate(caption.split("\n")):
            pdf.set_xy(x - 3, top + box_h + 1.5 + j * 4)
            pdf.cell(box_w + 6, 4, line, align="C")
        if i:
            _arrow(pdf, x - gap + 1.5, x - 1.5, top + box_h / 2)
    pdf.set_xy(pdf.l_margin, top + box_h + 11)
    note = "损坏、丢失或贴错的标签：随时作废（第 7 步），作废的码永远不能再用。"
    _lines(pdf, note, pdf.l_margin, _text_width(pdf), 9, WARN)


def _arrow(pdf: FPDF, x1: float, x2: float, y: float) -> None:
    pdf.set_draw_color(*ACCENT)
    pdf.set_fill_color(*ACCENT)
    pdf.set_line_width(0.7)
    pdf.line(x1, y, x2 - 2.2, y)
    pdf.polygon([(x2, y), (x2 - 2.8, y - 1.8), (x2 - 2.8, y + 1.8)], style="F")


def _label_drawing(pdf: FPDF) -> None:
    """A label as printed: QR code, 「正品溯源」, the grouped code and the product title."""
    w, h = 76.0, 28.0
    _ensure_space(pdf, h + 6)
    x, y = pdf.l_margin + INDENT + 4, pdf.get_y() + 2
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=1, gap=0.8)
    pdf.rect(x, y, w, h, round_corners=True, corner_radius=2)
    pdf.set_dash_pattern()
    _qr_placeholder(pdf, x + 3, y + 3, 22.0)
    family = add_cjk_font(pdf)
    pdf.set_font(family, size=11)
    pdf.set_xy(x + 28, y + 3.5)
    with faux_bold(pdf, WARN, 0.18):
        pdf.cell(w - 30, 6, "「正品溯源」")
    pdf.set_text_color(*TEXT)
    pdf.set_font(family, size=10.5)
    pdf.set_xy(x + 28, y + 11)
    pdf.cell(w - 30, 6, EXAMPLE_CODE)
    pdf.set_font(family, size=8)
    pdf.set_xy(x + 28, y + 18.5)
    pdf.cell(w - 30, 5, "保湿面霜 50g/瓶（商品名称）")
    _label_callouts(pdf, x + w + 6, y)
    pdf.set_xy(pdf.l_margin, y + h + 3)


def _label_callouts(pdf: FPDF, x: float, y: float) -> None:
    notes = [
        "左：二维码，手机扫码查看来源",
        "右上：「正品溯源」字样",
        "中：17 位溯源码，四位一组",
        "下：商品名称（与申请时一致）",
        "示意图，非真实溯源码",
    ]
    pdf.set_font(add_cjk_font(pdf), size=8.5)
    for i, note in enumerate(notes):
        pdf.set_text_color(*(MUTED if i == len(notes) - 1 else TEXT))
        pdf.set_xy(x, y + 1.5 + i * 5)
        pdf.cell(pdf.w - pdf.r_margin - x, 5, note)


def _qr_placeholder(pdf: FPDF, x: float, y: float, size: float) -> None:
    """21×21 modules that look like a QR code: three finder squares, fixed pseudo-random dots."""
    n, m = 21, size / 21
    bits = int.from_bytes(hashlib.sha256(EXAMPLE_CODE.encode()).digest() * 2, "big")
    pdf.set_fill_color(*TEXT)
    for row, col in itertools.product(range(n), repeat=2):
        in_finder = (row < 8 and (col < 8 or col >= n - 8)) or (row >= n - 8 and col < 8)
        if not in_finder and bits >> (row * n + col) & 1:
            pdf.rect(x + col * m, y + row * m, m, m, style="F")
    for left, top in ((0, 0), (n - 7, 0), (0, n - 7)):
        for inset, color in ((0, TEXT), (1, WHITE), (2, TEXT)):
            pdf.set_fill_color(*color)
            side = (7 - 2 * inset) * m
            pdf.rect(x + (left + inset) * m, y + (top + inset) * m, side, side, style="F")


def _blocks(copy: str, guide: WarehouseGuide) -> list[tuple[str, str]]:
    """(marker, text) pairs of a copy text, continuation lines joined, placeholders filled."""
    blocks: list[tuple[str, str]] = []
    for line in copy.strip().splitlines():
        if line.startswith("  "):
            marker, text = blocks.pop()
            glue = " " if text[-1].isascii() and line.strip()[0].isascii() else ""
            blocks.append((marker, text + glue + line.strip()))
        else:
            blocks.append((line[0], line[1:].strip()))
    fields = _copy_fields(guide)
    return [(marker, text.format_map(fields)) for marker, text in blocks]


def _copy_fields(guide: WarehouseGuide) -> dict[str, str]:
    parts = urlsplit(guide.console_url)
    return {
        "api": f"{parts.scheme}://{parts.netloc}/api/v1" if parts.netloc else "/api/v1",
        "console_url": guide.console_url,
        "store_name": guide.store_name,
        "store_id": guide.store_id,
        "provider_name": guide.provider_name,
        "importers": "、".join(f"{n}（{c}）" for n, c in guide.importers) or "（尚未绑定）",
        "fee": yuan(guide.per_code_fee_fen),
        "fee_1000": yuan(guide.per_code_fee_fen * 1000),
        "example_code": EXAMPLE_CODE,
    }


def _steps(pdf: FPDF, guide: WarehouseGuide) -> None:
    _heading(pdf, "操作步骤")
    number = 0
    for marker, text in _blocks(STEPS_COPY, guide):
        if marker == "#":
            number += 1
            _step_title(pdf, number, text)
        elif marker in "-!":
            _bullet(pdf, text, WARN if marker == "!" else TEXT)
        elif marker == ">":
            _lines(pdf, f"接口：{text}", pdf.l_margin + INDENT + 4, _body_width(pdf), 8.5, MUTED)
        elif marker == "@":
            _label_drawing(pdf)


def _faq(pdf: FPDF, guide: WarehouseGuide) -> None:
    _heading(pdf, "常见问题")
    for marker, text in _blocks(FAQ_COPY, guide):
        if marker == "?":
            _ensure_space(pdf, 16)
            with faux_bold(pdf, TEXT, 0.15):
                _lines(pdf, f"问：{text}", pdf.l_margin, _text_width(pdf), 10.5)
        else:
            _lines(pdf, f"答：{text}", pdf.l_margin, _text_width(pdf), 10)
            pdf.ln(2)
