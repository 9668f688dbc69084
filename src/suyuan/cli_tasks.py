"""Operator work in bulk: loading declaration files and issuing codes, with progress bars."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from suyuan.cli_support import console, context, fail
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import Actor
from suyuan.domain.codes import group
from suyuan.domain.declaration import parse_declarations
from suyuan.domain.errors import DomainError
from suyuan.i18n import translate
from suyuan.labels.qr import scan_url
from suyuan.labels.sheet_pdf import Label, render_label_sheet
from suyuan.labels.zpl import iter_zpl
from suyuan.services import accounts, declarations, issuance, warehouse_view

MAX_PDF_LABELS = 5000


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        out += sorted(path.glob("*.json")) if path.is_dir() else [path]
    return out


def _check(path: Path) -> tuple[Any, list[str]]:
    """A file's JSON and its problems (empty when every document in it is valid)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        parse_declarations(body)
    except (OSError, ValueError) as e:
        return None, [f"(file): {e}"]
    except DomainError as e:
        return body, [
            f"{x.field or '(document)'}: {translate(x.key, 'zh', x.params)}" for x in e.errors
        ] or [translate(e.key, "zh", e.params)]
    return body, []


def import_declarations(
    paths: list[Path] = typer.Argument(
        ...,
        help="JSON files (one document or an array), or directories of them.",
    ),
    provider: str = typer.Option(..., help="The provider (customs-authorized agency) ID."),
) -> None:
    """Load customs declarations: all files or none; exit 1 if anything is rejected."""
    files = _files(paths)
    checked: list[tuple[Path, Any, list[str]]] = []
    with _progress() as bar:
        task = bar.add_task("检查 checking", total=len(files))
        for path in files:
            checked.append((path, *_check(path)))
            bar.advance(task)
    rejected = [(p, errs) for p, _, errs in checked if errs]
    table = Table("file", "declaration", "result", "problems")
    if not rejected:
        ctx = context()
        actor = Actor("provider", provider)
        try:
            ctx.read(lambda uow: accounts.get_org(uow, "provider", provider))
            results = ctx.write(
                lambda uow: [
                    (path, declarations.load(uow, actor, provider, body))
                    for path, body, _ in checked
                ]
            )
        except DomainError as e:
            fail(e)
        for path, result in results:
            for item in result["items"]:
                table.add_row(
                    path.name,
                    item["declaration_no"],
                    "loaded 已导入" if item["loaded"] else "unchanged 无变化",
                    "",
                )
    for path, errs in rejected:
        table.add_row(path.name, "", "[red]rejected 拒绝[/red]", "\n".join(errs))
    console.print(table)
    if rejected:
        console.print("[red]有文件被拒绝,本次未导入任何报关单 / nothing was loaded[/red]")
        raise typer.Exit(1)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def issue_codes(
    warehouse: str = typer.Option(..., help="The warehouse applying."),
    store: str = typer.Option(..., help="The store."),
    product: str = typer.Option(..., help="The store's bonded product."),
    item: str = typer.Option(..., help="The declaration item ID."),
    quantity: int = typer.Option(..., min=1, max=issuance.MAX_CODES_PER_REQUEST),
    labels: Path | None = typer.Option(None, help=f"Write an A4 label PDF (≤ {MAX_PDF_LABELS})."),
    csv_out: Path | None = typer.Option(None, "--csv", help="Write code,grouped,url as CSV."),
    zpl: Path | None = typer.Option(None, help="Write ZPL labels for thermal printers."),
) -> None:
    """Apply for codes as a warehouse (the same service as the API) and write the outputs."""
    if labels and quantity > MAX_PDF_LABELS:
        console.print(f"[red]--labels writes at most {MAX_PDF_LABELS} labels; use --zpl[/red]")
        raise typer.Exit(2)
    ctx = context()
    actor = Actor("warehouse", warehouse)
    with _progress() as bar:
        task = bar.add_task("发码 issuing", total=quantity)
        try:
            req = ctx.write(
                lambda uow: issuance.request_codes(
                    uow,
                    actor,
                    store_id=store,
                    product_id=product,
                    item_id=item,
                    quantity=quantity,
                    progress=lambda done: bar.update(task, completed=done),
                )
            )
        except DomainError as e:
            fail(e)
    console.print(
        f"申请单 request {req['id']}: {req['quantity']} 个码 codes, "
        f"费用 charge ¥{req['charge_fen'] / 100:.2f} ({req['charge_fen']} fen)"
    )
    _outputs(req["id"], warehouse, labels, csv_out, zpl)


def _outputs(
    request_id: str, warehouse: str, labels: Path | None, csv_out: Path | None, zpl: Path | None
) -> None:
    """Write the request's codes out, streaming them from the database in batches."""
    if not (labels or csv_out or zpl):
        return
    ctx = context()
    with UnitOfWork(ctx.engine, ctx.clock, write=False) as uow:
        req = warehouse_view.own_request(uow, warehouse, request_id)

        def stream() -> Iterator[Label]:
            for code in warehouse_view.iter_request_codes(uow, request_id):
                yield Label(
                    code, scan_url(ctx.settings.public_url, code, req["gtin"]), req["title"]
                )

        if csv_out:
            with csv_out.open("w", newline="", encoding="utf-8-sig") as f:
                writer = csv.writer(f)
                writer.writerow(("code", "grouped", "url"))
                writer.writerows((x.code, group(x.code), x.url) for x in stream())
            console.print(f"CSV: {csv_out}")
        if zpl:
            with zpl.open("w", encoding="utf-8") as f:
                f.writelines(iter_zpl(stream()))
            console.print(f"ZPL: {zpl}")
        if labels:
            labels.write_bytes(render_label_sheet(stream()))
            console.print(f"PDF: {labels}")
