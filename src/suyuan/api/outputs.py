"""Streamed outputs of a code request: CSV, ZPL and the PDF label sheet (SPEC §5)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.responses import Response

from suyuan.context import Context
from suyuan.db.uow import UnitOfWork
from suyuan.domain.codes import group
from suyuan.labels.qr import scan_url
from suyuan.labels.sheet_pdf import Label, render_label_sheet
from suyuan.labels.zpl import iter_zpl
from suyuan.services.warehouse_view import (
    iter_request_codes,
    own_request,
    request_codes_window,
)


def _labels(req: dict[str, Any], codes: Iterator[str], public_url: str) -> Iterator[Label]:
    for code in codes:
        yield Label(code=code, url=scan_url(public_url, code, req["gtin"]), title=req["title"])


def stream_csv(ctx: Context, warehouse_id: str, request_id: str) -> Iterator[bytes]:
    """``code,grouped,url`` per code, read in batches inside one read transaction."""
    with UnitOfWork(ctx.engine, ctx.clock, write=False) as uow:
        req = own_request(uow, warehouse_id, request_id)
        buf = io.StringIO()
        buf.write("\ufeff")  # so spreadsheet programs read the Chinese titles
        writer = csv.writer(buf)
        writer.writerow(("code", "grouped", "url", "product_title", "declaration_no", "item_no"))
        for n, code in enumerate(iter_request_codes(uow, request_id), 1):
            writer.writerow(
                (
                    code,
                    group(code),
                    scan_url(ctx.settings.public_url, code, req["gtin"]),
                    req["title"],
                    req["declaration_no"],
                    req["item_no"],
                )
            )
            if n % 5000 == 0:
                yield buf.getvalue().encode()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue().encode()


def stream_zpl(ctx: Context, warehouse_id: str, request_id: str) -> Iterator[bytes]:
    """One ``^XA…^XZ`` label per code."""
    with UnitOfWork(ctx.engine, ctx.clock, write=False) as uow:
        req = own_request(uow, warehouse_id, request_id)
        labels = _labels(req, iter_request_codes(uow, request_id), ctx.settings.public_url)
        for block in iter_zpl(labels):
            yield block.encode()


def labels_pdf(
    uow: UnitOfWork, ctx: Context, warehouse_id: str, request_id: str, offset: int, limit: int
) -> tuple[bytes, int | None]:
    """A4 label sheets for ``limit`` codes of the request from ``offset`` (code order), and the
    offset of the next part when codes remain."""
    req = own_request(uow, warehouse_id, request_id)
    window = request_codes_window(uow, request_id, offset, limit)
    pdf = render_label_sheet(_labels(req, iter(window), ctx.settings.public_url))
    following = offset + limit
    return pdf, following if following < req["quantity"] else None


def csv_response(rows: Iterable[Iterable[Any]], filename: str) -> Response:
    """A small CSV download (UTF-8 with BOM so spreadsheet programs read the Chinese)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    csv.writer(buf).writerows(rows)
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
