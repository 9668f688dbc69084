"""Keyset pagination: ``{"items": [...], "next_cursor": ...}`` ordered by a unique column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Select
from typing_extensions import TypedDict

from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import FieldError, validation_error

MAX_LIMIT = 200


class Page(TypedDict):
    """One page of a list."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def page(
    uow: UnitOfWork,
    stmt: Select[Any],
    key: Column[Any],
    limit: int,
    cursor: str | None,
    shape: Callable[[Any], dict[str, Any]],
    *,
    numeric: bool = False,
) -> Page:
    """Rows after ``cursor`` (the last key of the previous page), ``limit`` at most."""
    if cursor:
        after: Any = cursor
        if numeric:
            if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 18):
                raise validation_error([FieldError("cursor", "error.cursor.invalid")])
            after = int(cursor)
        stmt = stmt.where(key > after)
    rows = uow.conn.execute(stmt.order_by(key).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = str(getattr(rows[-1], key.name)) if more and rows else None
    return {"items": [shape(r) for r in rows], "next_cursor": next_cursor}
