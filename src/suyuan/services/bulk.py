"""Bulk insertion of trace codes: COPY on PostgreSQL, executemany on SQLite, in chunks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from suyuan.db.uow import UnitOfWork

_COLUMNS = ("code", "code_request_id", "store_id", "product_id", "declaration_item_id", "status")
# SQLite: plain tuples through the driver's executemany, skipping per-row dict processing.
_INSERT = "INSERT INTO trace_codes ({}) VALUES ({})".format(  # noqa: S608 - constant names
    ", ".join(_COLUMNS), ", ".join("?" * len(_COLUMNS))
)


def insert_codes(uow: UnitOfWork, codes: Iterable[str], common: dict[str, str]) -> None:
    """Insert one chunk of new ``issued`` codes sharing the request's columns.

    Codes are sorted first: both engines insert into a B-tree keyed by the code, and sorted
    input keeps that append-like.
    """
    ordered = sorted(codes)
    if uow.dialect == "postgresql":
        _copy(uow, ordered, common)
        return
    tail = (*_shape(common), "issued")
    uow.conn.exec_driver_sql(_INSERT, [(c, *tail) for c in ordered])


def _shape(common: dict[str, str]) -> tuple[str, ...]:
    """The request's columns in ``_COLUMNS`` order (between the code and the status)."""
    return tuple(common[c] for c in _COLUMNS[1:-1])


def _copy(uow: UnitOfWork, codes: list[str], common: dict[str, str]) -> None:
    tail = "\t".join([*_shape(common), "issued"])
    block = "".join(f"{c}\t{tail}\n" for c in codes)
    raw: Any = uow.conn.connection.driver_connection
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY trace_codes ({', '.join(_COLUMNS)}) FROM STDIN") as copy,
    ):
        copy.write(block)
