"""Bulk insertion of trace codes: COPY on PostgreSQL, executemany on SQLite, in chunks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork

_COLUMNS = ("code", "code_request_id", "store_id", "product_id", "declaration_item_id", "status")


def insert_codes(uow: UnitOfWork, codes: Iterable[str], common: dict[str, str]) -> None:
    """Insert one chunk of new ``issued`` codes sharing the request's columns.

    Codes are sorted first: both engines insert into a B-tree keyed by the code, and sorted
    input keeps that append-like.
    """
    ordered = sorted(codes)
    if uow.dialect == "postgresql":
        _copy(uow, ordered, common)
        return
    rows = [{"code": c, **common, "status": "issued"} for c in ordered]
    uow.conn.execute(insert(s.trace_codes), rows)


def _copy(uow: UnitOfWork, codes: list[str], common: dict[str, str]) -> None:
    tail = "\t".join(
        [
            common["code_request_id"],
            common["store_id"],
            common["product_id"],
            common["declaration_item_id"],
            "issued",
        ]
    )
    block = "".join(f"{c}\t{tail}\n" for c in codes)
    raw: Any = uow.conn.connection.driver_connection
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY trace_codes ({', '.join(_COLUMNS)}) FROM STDIN") as copy,
    ):
        copy.write(block)
