"""Labels (SPEC §5): scan URLs, QR symbols, the A4 label sheet and ZPL for thermal printers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pypdfium2 as pdfium
import pytest
import segno
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from suyuan.domain.codes import ALPHABET, check_symbol, generate_codes, group
from suyuan.domain.customs import gtin_check_digit
from suyuan.labels import sheet_pdf
from suyuan.labels.qr import ERROR_LEVEL, is_alphanumeric, qr_matrix, scan_url
from suyuan.labels.sheet_pdf import Label, render_label_sheet
from suyuan.labels.zpl import escape_field, iter_zpl

PUBLIC_URL = "https://trace.example.com"
GTIN = "0490130123456" + gtin_check_digit("0490130123456")
TITLES = (
    "珂润保湿面霜 50g/瓶",
    "Curel 润浸保湿乳液 120ml",
    "维生素C泡腾片",
)
LONG_TITLE = (
    "日本花王珂润Curel润浸保湿滋养乳霜 40g 敏感肌可用 保税直供 正品保障 "
    "超长的商品标题会被截断到四行以内并以省略号结尾 这一段不会出现在标签上"
)
A4_PT = (595.28, 841.89)
MM = 72 / 25.4  # points per millimetre

bodies = st.text(alphabet=ALPHABET, min_size=16, max_size=16)
valid_codes = bodies.map(lambda body: body + check_symbol(body))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- scan URLs and QR symbols -----------------------------------------------------------------


def test_scan_url_short_form_is_upper_case() -> None:
    code = generate_codes(1)[0]
    assert scan_url(PUBLIC_URL, code) == f"HTTPS://TRACE.EXAMPLE.COM/T/{code}"
    assert scan_url("HTTP://127.0.0.1:8000/", code) == f"HTTP://127.0.0.1:8000/T/{code}"


def test_scan_url_digital_link_form() -> None:
    code = generate_codes(1)[0]
    url = scan_url(PUBLIC_URL, code, GTIN)
    assert url == f"HTTPS://TRACE.EXAMPLE.COM/01/{GTIN}/21/{code}"
    assert scan_url(PUBLIC_URL, code, None) == scan_url(PUBLIC_URL, code, "")


def test_scan_url_normalizes_the_code() -> None:
    code = generate_codes(1)[0]
    assert scan_url(PUBLIC_URL, group(code).lower()) == scan_url(PUBLIC_URL, code)


def test_scan_url_keeps_a_path_prefix_as_configured() -> None:
    code = generate_codes(1)[0]
    url = scan_url("https://shop.example.com/suyuan/", code)
    assert url == f"HTTPS://SHOP.EXAMPLE.COM/suyuan/T/{code}"


@pytest.mark.parametrize(
    ("public_url", "code", "gtin", "message"),
    [
        (PUBLIC_URL, "7K3M9Q2XB4TR8WZD5", None, "trace code"),  # the SPEC's example: bad check
        ("trace.example.com", None, None, "scheme and a host"),
        ("https://trace.example.com/?a=1", None, None, "query"),
        ("https://user:pw@trace.example.com", None, None, "credentials"),
        (PUBLIC_URL, None, "4901301234567", "14 digits"),
        (PUBLIC_URL, None, GTIN[:-1] + str((int(GTIN[-1]) + 1) % 10), "check digit"),
    ],
)
def test_scan_url_refuses_bad_input(
    public_url: str, code: str | None, gtin: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        scan_url(public_url, code or generate_codes(1)[0], gtin)


@settings(deadline=None)  # rendering a QR is CPU work; a loaded CI machine must not fail it
@given(valid_codes, st.booleans())
def test_scan_urls_use_alphanumeric_mode_at_level_m(code: str, with_gtin: bool) -> None:
    url = scan_url(PUBLIC_URL, code, GTIN if with_gtin else None)
    assert is_alphanumeric(url)
    qr = qr_matrix(url)
    assert qr.mode == "alphanumeric"
    assert qr.error == ERROR_LEVEL == "M"
    assert not qr.is_micro
    assert qr.symbol_size(border=0) <= (
        33,
        33,
    )  # version 4 at most × 33 modules at most: big modules on a small label
    assert segno.make(url, error="m", micro=False).mode == "alphanumeric"


def test_a_lower_case_url_would_cost_byte_mode() -> None:
    assert qr_matrix("https://trace.example.com/t/x").mode == "byte"


# --- the A4 label sheet -----------------------------------------------------------------------


def make_labels(n: int) -> list[Label]:
    labels = []
    for i, code in enumerate(generate_codes(n)):
        url = scan_url(PUBLIC_URL, code, GTIN if i % 3 == 0 else None)
        labels.append(Label(code=code, url=url, title=TITLES[i % len(TITLES)]))
    return labels


@pytest.fixture(scope="module")
def labels() -> list[Label]:
    return make_labels(30)


@pytest.fixture(scope="module")
def sheet(labels: list[Label]) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(render_label_sheet(iter(labels)))


def page_texts(document: pdfium.PdfDocument) -> list[str]:
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def test_sheet_is_a4_with_24_labels_a_page(sheet: pdfium.PdfDocument) -> None:
    assert len(sheet) == 2
    for i in range(len(sheet)):
        assert sheet[i].get_size() == pytest.approx(A4_PT, abs=1)
    first, second = page_texts(sheet)
    assert brand_lines(first) == 24
    assert brand_lines(second) == 6


def brand_lines(text: str) -> int:
    return [line.strip() for line in text.splitlines()].count("「正品溯源」")


def decode_page(page: pdfium.PdfPage, dpi: int = 200) -> list[zxingcpp.Result]:
    image = page.render(scale=dpi / 72, grayscale=True).to_numpy()
    return list(zxingcpp.read_barcodes(image))


def test_every_qr_code_on_the_sheet_scans_to_its_url(
    sheet: pdfium.PdfDocument, labels: list[Label]
) -> None:
    decoded = [result for i in range(len(sheet)) for result in decode_page(sheet[i])]
    assert len(decoded) == len(labels) == 30
    assert all(result.format == zxingcpp.BarcodeFormat.QRCode for result in decoded)
    assert {result.text for result in decoded} == {label.url for label in labels}
    assert all(result.ec_level == "M" for result in decoded)


def test_qr_codes_are_big_enough_to_scan(sheet: pdfium.PdfDocument) -> None:
    for result in decode_page(sheet[0]):
        corners = result.position
        side_px = abs(corners.top_right.x - corners.top_left.x)
        assert side_px / 200 * 25.4 >= 18  # mm, quiet zone not counted


def test_sheet_text_has_each_code_title_and_brand(
    sheet: pdfium.PdfDocument, labels: list[Label]
) -> None:
    text = squeeze("".join(page_texts(sheet)))
    for label in labels:
        assert squeeze(group(label.code)) in text
    for title in TITLES:
        assert squeeze(title) in text
    assert sum(brand_lines(page) for page in page_texts(sheet)) == 30
    assert "第1页/共2页" in text and "第2页/共2页" in text


def test_grouped_code_reads_as_four_groups(sheet: pdfium.PdfDocument, labels: list[Label]) -> None:
    text = page_texts(sheet)[0]
    assert group(labels[0].code) in text  # groups apart enough for a text extractor's spaces


def char_boxes_mm(page: pdfium.PdfPage) -> Iterator[tuple[str, float, float, float, float]]:
    """(char, left, top, right, bottom) in mm from the page's top-left corner."""
    textpage = page.get_textpage()
    height = page.get_height()
    for i in range(textpage.count_chars()):
        char = textpage.get_text_range(i, 1)
        if char.strip():
            left, bottom, right, top = textpage.get_charbox(i)
            yield char, left / MM, (height - top) / MM, right / MM, (height - bottom) / MM


def test_long_titles_are_cut_short_and_all_text_stays_inside_its_label() -> None:
    codes = generate_codes(3)
    items = [Label(code, scan_url(PUBLIC_URL, code), LONG_TITLE) for code in codes]
    document = pdfium.PdfDocument(render_label_sheet(items))
    text = squeeze(page_texts(document)[0])
    assert "…" in text
    assert squeeze(LONG_TITLE[:20]) in text
    assert "这一段不会出现在标签上" not in text
    w, h = sheet_pdf.LABEL_W, sheet_pdf.LABEL_H
    x0, y0 = sheet_pdf.MARGIN_X, sheet_pdf.MARGIN_Y
    for char, left, top, right, bottom in char_boxes_mm(document[0]):
        if top > y0 + sheet_pdf.ROWS * h:
            continue  # the page footer
        column, row = int((left - x0) // w), int((top - y0) // h)
        inside = (x0 + column * w + 1, y0 + row * h + 1, x0 + (column + 1) * w - 1)
        assert left >= inside[0] and top >= inside[1], char
        assert right <= inside[2] and bottom <= y0 + (row + 1) * h - 1, char


def test_an_empty_sheet_is_still_a_pdf() -> None:
    document = pdfium.PdfDocument(render_label_sheet([]))
    assert len(document) == 1


def test_sheet_refuses_a_malformed_code() -> None:
    with pytest.raises(ValueError, match="trace code"):
        render_label_sheet([Label("7K3M9Q2XB4TR8WZD5", PUBLIC_URL, "x")])


# --- ZPL --------------------------------------------------------------------------------------

ZPL_COMMANDS = {"XA", "CI", "PW", "LL", "LH", "FO", "BQ", "FD", "FS", "A@", "A0", "FH", "XZ"}


def fields(block: str) -> list[str]:
    """The commands of one format, each as written after its ``^``."""
    return [part for part in block.strip().split("^") if part]


def unescape(data: str) -> str:
    return re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), data)


def test_one_format_per_label(labels: list[Label]) -> None:
    blocks = list(iter_zpl(labels))
    assert len(blocks) == len(labels)
    for block, label in zip(blocks, labels, strict=True):
        assert block.startswith("^XA\n") and block.endswith("^XZ\n")
        assert block.count("^XA") == block.count("^XZ") == 1
        assert "^CI28" in block and "^PW400" in block and "^LL240" in block
        assert "^BQN,2," in block
        assert f"^FDMM,A{label.url}^FS" in block  # level M, manual input, alphanumeric
        grouped = group(label.code)
        assert f"^FD{grouped[:9]}^FS" in block and f"^FD{grouped[10:]}^FS" in block
        assert "^FD「正品溯源」^FS" in block
        assert squeeze("".join(title_data(block))) == squeeze(label.title)
        assert {command[:2] for command in fields(block)} <= ZPL_COMMANDS


def test_zpl_is_lazy() -> None:
    def endless() -> Iterator[Label]:
        while True:
            yield make_labels(1)[0]

    assert next(iter_zpl(endless())).startswith("^XA")


def title_data(block: str) -> list[str]:
    """The unescaped data of the title's fields (the ``^FH_`` fields after 「正品溯源」)."""
    parts = fields(block)
    data = [parts[i + 1][2:] for i, part in enumerate(parts) if part == "FH_"]
    return [unescape(d) for d in data[1:]]


@pytest.mark.parametrize(
    "title", ["^XZ^XA", "~JA~JR", "商品^FS^FO0,0^A0N,99,99^FDFAKE", "a_b_5E", "tab\tnew\nline\x00"]
)
def test_a_title_cannot_break_the_format(title: str) -> None:
    label = make_labels(1)[0]
    block = next(iter_zpl([Label(label.code, label.url, f"{title} 面霜")]))
    assert block.count("^XA") == block.count("^XZ") == 1
    assert "~" not in block
    assert {command[:2] for command in fields(block)} <= ZPL_COMMANDS
    shown = "".join(title_data(block))
    assert squeeze(shown) == squeeze(f"{title} 面霜".replace("\x00", " "))


@given(st.text(max_size=60))
def test_escaped_titles_round_trip(title: str) -> None:
    escaped = escape_field(title)
    assert "^" not in escaped and "~" not in escaped
    expected = "".join(" " if unicodedata.category(c).startswith("C") else c for c in title)
    assert unescape(escaped) == expected


def test_title_lines_fit_and_long_titles_end_with_an_ellipsis() -> None:
    label = make_labels(1)[0]
    block = next(iter_zpl([Label(label.code, label.url, LONG_TITLE)]))
    title_lines = [f for f in fields(block) if f.startswith("FD")][4:]
    assert 1 <= len(title_lines) <= 4
    assert title_lines[-1].endswith("…")


@pytest.mark.parametrize("dpmm", [6, 8, 12, 24])
def test_qr_size_follows_the_printer_resolution(dpmm: int) -> None:
    label = make_labels(1)[0]
    block = next(iter_zpl([label], dpmm=dpmm))
    mag = int(re.search(r"\^BQN,2,(\d+),M", block).group(1))  # type: ignore[union-attr]
    assert 1 <= mag <= 10
    modules = qr_matrix(label.url).symbol_size(border=4)[0]
    assert modules * mag <= 30 * dpmm  # symbol and quiet zone fit the label's height
    assert f"^PW{50 * dpmm}" in block and f"^LL{30 * dpmm}" in block


def test_a_url_outside_the_alphanumeric_set_uses_automatic_input() -> None:
    code = generate_codes(1)[0]
    block = next(iter_zpl([Label(code, f"https://trace.example.com/t/{code}", "x")]))
    assert f"^FDMA,https://trace.example.com/t/{code}^FS" in block


@pytest.mark.parametrize(
    "url", ["HTTPS://X/T/^XZ", "HTTPS://X/T/~JA", "HTTPS://X/T/ A", "HTTPS://例子"]
)
def test_zpl_refuses_unsafe_urls(url: str) -> None:
    code = generate_codes(1)[0]
    with pytest.raises(ValueError, match="URL"):
        next(iter_zpl([Label(code, url, "x")]))


def test_zpl_refuses_a_malformed_code_and_a_bad_font() -> None:
    with pytest.raises(ValueError, match="trace code"):
        next(iter_zpl([Label("7K3M9Q2XB4TR8WZD5", PUBLIC_URL, "x")]))
    with pytest.raises(ValueError, match="font"):
        next(iter_zpl(make_labels(1), cjk_font="E:X.FNT^XZ"))


def test_zpl_uses_the_given_cjk_font() -> None:
    block = next(iter_zpl(make_labels(1), cjk_font="E:ANMDS.TTF"))
    assert "^A@N,24,24,E:ANMDS.TTF^FH_^FD「正品溯源」^FS" in block
