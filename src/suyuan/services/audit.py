"""R20: every state change is appended to the audit log (who, what, when, before → after)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, insert, select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import Actor
from suyuan.services.paging import Page, page


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    obj: tuple[str, str],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    store_id: str | None = None,
) -> None:
    """Append one entry inside the use case's transaction: it lands exactly when the change does."""
    object_type, object_id = obj
    uow.conn.execute(
        insert(s.audit_log).values(
            at=uow.now,
            actor_type=actor.type,
            actor_id=actor.audit_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            store_id=store_id,
            before=_jsonable(before),
            after=_jsonable(after),
        )
    )


Entry = tuple[tuple[str, str], dict[str, Any] | None, dict[str, Any] | None, str | None]


def record_many(uow: UnitOfWork, actor: Actor, action: str, entries: list[Entry]) -> None:
    """Append many entries of one action at once: ``(object, before, after, store_id)``."""
    if not entries:
        return
    uow.conn.execute(
        insert(s.audit_log),
        [
            {
                "at": uow.now,
                "actor_type": actor.type,
                "actor_id": actor.audit_id,
                "action": action,
                "object_type": obj[0],
                "object_id": obj[1],
                "store_id": store_id,
                "before": _jsonable(before),
                "after": _jsonable(after),
            }
            for obj, before, after, store_id in entries
        ],
    )


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def entries(
    uow: UnitOfWork,
    *,
    object_id: str | None,
    store_id: str | None,
    limit: int,
    cursor: str | None,
) -> Page:
    """Entries oldest first; ``store_id`` restricts to one store's objects (its own reading)."""
    stmt: Select[Any] = select(s.audit_log)
    if object_id:
        stmt = stmt.where(s.audit_log.c.object_id == object_id)
    if store_id is not None:
        stmt = stmt.where(s.audit_log.c.store_id == store_id)
    return page(uow, stmt, s.audit_log.c.id, limit, cursor, _entry, numeric=True)


def _entry(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "at": row.at,
        "actor": {"type": row.actor_type, "id": row.actor_id},
        "action": row.action,
        "object": {"type": row.object_type, "id": row.object_id},
        "before": row.before,
        "after": row.after,
    }
