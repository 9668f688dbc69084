"""The warehouse guide PDF (R2, 详细操作说明) and the CJK font helpers it is built on."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from fpdf import FPDF
from pypdf import PdfReader

from suyuan.labels import fonts
from suyuan.labels.fonts import add_cjk_font, cjk_font, cjk_font_path, wrap_text
from suyuan.labels.guide_pdf import WarehouseGuide, render_warehouse_guide, yuan

GENERATED_AT = datetime(2026, 11, 5, 6, 30, tzinfo=UTC)  # 14:30 in China
IMPORTERS = (
    ("上海海淘进出口有限公司", "3122960ABC"),
    ("杭州跨境优品贸易有限公司", "91330100MA2KXXXX0X"),
)
STEP_TITLES = (
    "登录保税仓后台",
    "查看保税商品与报关单表体商品项",
    "申请溯源码",
    "打印标签",
    "贴码",
    "上报已贴码",
    "作废损坏标签",
    "发货",
)
A4_PT = (595.28, 841.89)


def make_guide(**changes: Any) -> WarehouseGuide:
    values: dict[str, Any] = {
        "store_id": "st_01HZX3K9Q2",
        "store_name": "海淘优选旗舰店",
        "company_name": "上海海淘进出口有限公司",
        "provider_name": "中检溯源（上海）信息技术有限公司",
        "warehouse_id": "wh_0001",
        "warehouse_name": "上海外高桥保税仓一号库",
        "importers": IMPORTERS,
        "per_code_fee_fen": 10,
        "console_url": "http://127.0.0.1:8000/console/warehouse/",
        "generated_at": GENERATED_AT,
    }
    values.update(changes)
    return WarehouseGuide(**values)


def pdf_text(data: bytes) -> str:
    """All text of the document as PDFium extracts it, whitespace removed (lines wrap anywhere).

    PDFium rather than pypdf: pypdf 7 reads fpdf2's CFF CID fonts (an embedded code→CID CMap as
    /Encoding) as one-byte codes and garbles the text, although the PDF is correct.
    """
    document = pdfium.PdfDocument(data)
    pages = (document[i].get_textpage().get_text_range() for i in range(len(document)))
    return re.sub(r"\s+", "", "".join(pages))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def dark_pixels(bitmap: pdfium.PdfBitmap, box: tuple[int, int, int, int] | None = None) -> int:
    """Pixels darker than mid-grey in an 8-bit greyscale bitmap, optionally within a box."""
    buffer = bytes(bitmap.buffer)
    left, top, right, bottom = box or (0, 0, bitmap.width, bitmap.height)
    return sum(
        1
        for row in range(max(top, 0), min(bottom, bitmap.height))
        for value in buffer[row * bitmap.stride + left : row * bitmap.stride + right]
        if value < 128
    )


@pytest.fixture(scope="module")
def guide_pdf() -> bytes:
    return render_warehouse_guide(make_guide())


@pytest.fixture
def fresh_font_cache() -> Iterator[None]:
    cjk_font.cache_clear()
    yield
    cjk_font.cache_clear()


def test_output_is_an_a4_pdf(guide_pdf: bytes) -> None:
    assert guide_pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(guide_pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4_PT[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4_PT[1], abs=1)


def test_header_names_this_store_its_warehouse_and_importers(guide_pdf: bytes) -> None:
    text = pdf_text(guide_pdf)
    guide = make_guide()
    for expected in (
        "「正品溯源」保税仓操作说明",
        "详细操作说明",
        guide.store_name,
        guide.store_id,
        guide.company_name,
        guide.provider_name,
        guide.warehouse_name,
        guide.warehouse_id,
        "http://127.0.0.1:8000/console/warehouse/",
    ):
        assert squeeze(expected) in text, expected
    for name, code in IMPORTERS:
        assert name in text
        assert code in text


def test_generation_time_is_china_time(guide_pdf: bytes) -> None:
    assert "2026-11-0514:30（北京时间，UTC+8）" in pdf_text(guide_pdf)
    new_york = timezone(timedelta(hours=-5))
    same_instant = make_guide(generated_at=GENERATED_AT.astimezone(new_york))
    assert "2026-11-0514:30" in pdf_text(render_warehouse_guide(same_instant))


def test_every_step_is_there_numbered_and_in_order(guide_pdf: bytes) -> None:
    text = pdf_text(guide_pdf)
    positions = [text.find(f"{n}{title}") for n, title in enumerate(STEP_TITLES, start=1)]
    assert min(positions) >= 0, dict(zip(STEP_TITLES, positions, strict=True))
    assert positions == sorted(positions)
    for heading in ("操作流程一览", "操作步骤", "常见问题"):
        assert heading in text
    assert text.find("常见问题") > positions[-1]
    assert "店铺的服务订购过期了怎么办？" in text
    assert "已经贴好并上报的码不受影响" in text
    pages = len(pdfium.PdfDocument(guide_pdf))
    assert f"第1页/共{pages}页" in text
    assert f"第{pages}页/共{pages}页" in text


def test_flow_diagram_and_label_drawing_are_drawn(guide_pdf: bytes) -> None:
    text = pdf_text(guide_pdf)
    assert "申请第3步" in text
    assert "发货第8步" in text
    assert "「正品溯源」7K3M9Q2XB4TR8WZD5" in text  # the label drawing
    document = pdfium.PdfDocument(guide_pdf)
    shapes = sum(
        1
        for i in range(len(document))
        for obj in document[i].get_objects()
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH
    )
    assert shapes > 100  # boxes, arrows and the QR placeholder's modules


@pytest.mark.parametrize(
    ("fee_fen", "per_code", "per_thousand"),
    [(10, "0.10", "100.00"), (25, "0.25", "250.00"), (100, "1.00", "1,000.00")],
)
def test_fee_is_printed_in_yuan(fee_fen: int, per_code: str, per_thousand: str) -> None:
    text = pdf_text(render_warehouse_guide(make_guide(per_code_fee_fen=fee_fen)))
    assert f"{per_code}元/码" in text
    assert f"费用为{per_thousand}元" in text
    assert "作废的溯源码不退费" in text


def test_yuan_formats_integer_fen() -> None:
    assert yuan(0) == "0.00"
    assert yuan(10) == "0.10"
    assert yuan(123456) == "1,234.56"


def test_cjk_font_is_embedded_as_a_subset(guide_pdf: bytes) -> None:
    reader = PdfReader(BytesIO(guide_pdf))
    embedded: list[int] = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font_ref in resources["/Font"].values():
            font = font_ref.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                file_key = next(k for k in ("/FontFile2", "/FontFile3") if k in descriptor)
                embedded.append(len(descriptor[file_key].get_object().get_data()))
    assert embedded, "no embedded font file"
    # a subset: a small fraction of the 8 MB Noto Sans SC file
    assert max(embedded) < cjk_font_path().stat().st_size / 10


def test_every_page_renders_with_ink(guide_pdf: bytes) -> None:
    document = pdfium.PdfDocument(guide_pdf)
    for index in range(len(document)):
        bitmap = document[index].render(scale=1, grayscale=True)
        assert dark_pixels(bitmap) > 500, f"page {index + 1} is blank"


def test_title_glyphs_are_drawn(guide_pdf: bytes) -> None:
    document = pdfium.PdfDocument(guide_pdf)
    page = document[0]
    textpage = page.get_textpage()
    title = "保税仓操作说明"
    start = textpage.get_text_range().find(title)
    assert start >= 0
    boxes = [textpage.get_charbox(i) for i in range(start, start + len(title))]
    scale = 2
    bitmap = page.render(scale=scale, grayscale=True)
    _, page_height = page.get_size()
    for char, (left, bottom, right, top) in zip(title, boxes, strict=True):
        assert right - left > 5, f"{char} has no width"
        pixel_box = (
            int(left * scale),
            int((page_height - top) * scale),
            int(right * scale) + 1,
            int((page_height - bottom) * scale) + 1,
        )
        area = (pixel_box[2] - pixel_box[0]) * (pixel_box[3] - pixel_box[1])
        ink = dark_pixels(bitmap, pixel_box)
        assert 0.05 * area < ink < 0.9 * area, f"{char}: {ink} dark pixels of {area}"


def test_no_glyph_is_missing_from_the_font(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        render_warehouse_guide(make_guide())
    assert not [r for r in caplog.records if "missing" in r.getMessage()]


def test_long_and_astral_names_wrap_without_raising() -> None:
    astral = "🄰𠮷"  # U+1F130 is in Noto Sans SC, U+20BB7 is not (drawn as .notdef)
    long_name = astral + "海淘优选全球直供跨境进口母婴美妆个护保健食品专营旗舰店" * 6
    guide = make_guide(
        store_name=long_name,
        company_name="上海" + "海淘" * 60 + "进出口有限公司",
        provider_name="P" * 300,
        warehouse_name="仓" * 120,
        store_id="st_" + "x" * 200,
        importers=((long_name, "3122960ABC"),) * 12,
        console_url="https://example.invalid/" + "very-long-path/" * 20,
    )
    data = render_warehouse_guide(guide)
    text = pdf_text(data)
    assert "海淘优选全球直供跨境进口母婴美妆个护保健食品专营旗舰店" in text
    assert "🄰" in text
    document = pdfium.PdfDocument(data)
    assert len(document) >= 3
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()
        assert (width, height) == pytest.approx(A4_PT, abs=1)
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):  # nothing runs off the page
            left, bottom, right, top = textpage.get_charbox(i)
            assert 0 <= left <= right <= width
            assert 20 <= bottom <= top <= height - 20


def test_rendering_is_deterministic() -> None:
    assert render_warehouse_guide(make_guide()) == render_warehouse_guide(make_guide())


def test_guide_rejects_naive_time_and_negative_fee() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_guide(generated_at=datetime(2026, 11, 5, 14, 30))
    with pytest.raises(ValueError, match="negative"):
        make_guide(per_code_fee_fen=-1)


def test_no_importer_bound_still_renders() -> None:
    assert "（尚未绑定）" in pdf_text(render_warehouse_guide(make_guide(importers=())))


# --- fonts.py -------------------------------------------------------------------------------


def test_font_comes_from_the_project_package() -> None:
    import pylopdf_fonts_zh_cn

    assert cjk_font_path() == Path(pylopdf_fonts_zh_cn.sans_path())
    assert cjk_font_path().is_file()
    assert cjk_font().source == "pylopdf-fonts-zh-cn"


def test_add_cjk_font_registers_once() -> None:
    pdf = FPDF()
    assert add_cjk_font(pdf) == "cjk"
    assert add_cjk_font(pdf) == "cjk"
    assert add_cjk_font(pdf, "Label") == "Label"
    assert sorted(pdf.fonts) == ["cjk", "label"]


def test_system_font_is_the_fallback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_font_cache: None
) -> None:
    system_font = tmp_path / "wqy-microhei.ttc"
    system_font.write_bytes(b"")
    monkeypatch.setattr(fonts, "_package_font_path", lambda: None)
    monkeypatch.setattr(
        fonts, "SYSTEM_FONT_CANDIDATES", ((tmp_path / "absent.ttc", 2), (system_font, 0))
    )
    found = cjk_font()
    assert (found.path, found.collection_index, found.source) == (system_font, 0, "system")


def test_no_font_at_all_names_the_package(
    monkeypatch: pytest.MonkeyPatch, fresh_font_cache: None
) -> None:
    monkeypatch.setattr(fonts, "_package_font_path", lambda: None)
    monkeypatch.setattr(fonts, "SYSTEM_FONT_CANDIDATES", ())
    with pytest.raises(RuntimeError, match="pylopdf-fonts-zh-cn"):
        cjk_font_path()


@pytest.fixture
def pdf_10pt() -> FPDF:
    pdf = FPDF()
    pdf.set_font(add_cjk_font(pdf), size=10)
    return pdf


def test_wrap_text_fits_and_follows_chinese_line_breaking_rules(pdf_10pt: FPDF) -> None:
    text = (
        "溯源码只能来自本店铺绑定的进出口收发货人的报关单，且监管方式必须是 1210 或 1239"
        "（保税跨境）。码号 7K3M9Q2XB4TR8WZD5 不会被拆开，「正品溯源」保障。" * 3
    )
    for width in (40.0, 57.3, 90.0, 151.0):
        lines = wrap_text(pdf_10pt, text, width)
        assert len(lines) > 1
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            assert pdf_10pt.get_string_width(line) <= width + 0.01
            assert line[0] not in "，。、；：）」"
            assert line[-1] not in "（「"
        assert any("7K3M9Q2XB4TR8WZD5" in line for line in lines)


def test_wrap_text_breaks_words_longer_than_the_line_and_keeps_newlines(
    pdf_10pt: FPDF,
) -> None:
    lines = wrap_text(pdf_10pt, "A" * 100 + "\n\n第二段", 30)
    assert all(pdf_10pt.get_string_width(line) <= 30 for line in lines)
    assert lines[-2:] == ["", "第二段"]
    assert wrap_text(pdf_10pt, "", 30) == [""]
