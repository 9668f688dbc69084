"""Customs declarations loaded by a provider (SPEC §6, R4). All-or-nothing per request."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import Actor
from suyuan.domain.declaration import (
    ITEM_FIELDS,
    ParsedDeclaration,
    declaration_fingerprint,
    parse_declarations,
)
from suyuan.domain.errors import DomainError, FieldError, validation_error
from suyuan.ids import new_id
from suyuan.services import audit
from suyuan.services.paging import Page, page

MAX_DOCUMENTS = 1000


def load(uow: UnitOfWork, actor: Actor, provider_id: str, body: Any) -> dict[str, Any]:
    """Load documents: new ones are stored, identical reloads are no-ops (R19), a changed
    document under a known number is 409 DECLARATION_EXISTS and nothing of the request lands."""
    if isinstance(body, list) and len(body) > MAX_DOCUMENTS:
        raise validation_error([FieldError("", "error.documents.count", {"max": MAX_DOCUMENTS})])
    parsed = parse_declarations(body)
    many = isinstance(body, list)

    def prefix(i: int) -> str:
        return f"[{i}]." if many else ""

    seen: dict[str, str] = {}
    by_position: dict[int, tuple[str, bool]] = {}
    # In number order, so two loads of overlapping batches take the unique index's slots in the
    # same order and queue instead of deadlocking; the answer keeps the request's order.
    for i, decl in sorted(enumerate(parsed), key=lambda x: (x[1].declaration_no, x[0])):
        fingerprint = declaration_fingerprint(decl)
        if seen.get(decl.declaration_no, fingerprint) != fingerprint:
            raise _exists(prefix(i), decl.declaration_no)
        seen[decl.declaration_no] = fingerprint
        by_position[i] = _load_one(uow, actor, provider_id, decl, fingerprint, prefix(i))
    results = [by_position[i] for i in range(len(parsed))]
    views = [dict(get(uow, provider_id, did), loaded=new) for did, new in results]
    return {
        "items": views,
        "loaded": sum(new for _, new in results),
        "unchanged": sum(not new for _, new in results),
    }


def _by_number(uow: UnitOfWork, number: str) -> Any:
    return uow.conn.execute(
        select(s.declarations).where(s.declarations.c.declaration_no == number)
    ).first()


def _load_one(
    uow: UnitOfWork,
    actor: Actor,
    provider_id: str,
    decl: ParsedDeclaration,
    fingerprint: str,
    prefix: str,
) -> tuple[str, bool]:
    """Store one document, or find it already stored; ``(id, newly loaded)``.

    The insert runs in a savepoint: when a concurrent request loads the same number first, the
    unique index makes us wait for it and then fail, and we compare with what it stored.
    """
    existing = _by_number(uow, decl.declaration_no)
    if existing is None:
        try:
            with uow.conn.begin_nested():
                return _insert(uow, actor, provider_id, decl, fingerprint), True
        except IntegrityError:
            existing = _by_number(uow, decl.declaration_no)
    if (
        existing is None
        or existing.provider_id != provider_id
        or (existing.fingerprint != fingerprint)
    ):
        raise _exists(prefix, decl.declaration_no)
    return existing.id, False


def _exists(prefix: str, number: str) -> DomainError:
    return DomainError(
        "DECLARATION_EXISTS",
        409,
        params={"declaration_no": number},
        errors=[
            FieldError(
                f"{prefix}declaration_no", "error.DECLARATION_EXISTS", {"declaration_no": number}
            )
        ],
    )


def _insert(
    uow: UnitOfWork, actor: Actor, provider_id: str, d: ParsedDeclaration, fingerprint: str
) -> str:
    declaration_id = new_id("dcl")
    header = {
        "id": declaration_id,
        "provider_id": provider_id,
        "declaration_no": d.declaration_no,
        "trade_mode": d.trade_mode,
        "customs_port": d.customs_port,
        "declare_date": d.declare_date,
        "import_date": d.import_date,
        "importer_name": d.importer_name,
        "importer_code": d.importer_code,
        "overseas_consignor": d.overseas_consignor,
        "trade_country": d.trade_country,
        "departure_country": d.departure_country,
        "fingerprint": fingerprint,
        "created_at": uow.now,
    }
    uow.conn.execute(insert(s.declarations).values(header))
    uow.conn.execute(
        insert(s.declaration_items),
        [
            {
                "id": new_id("itm"),
                "declaration_id": declaration_id,
                "issued": 0,
                **{f: getattr(it, f) for f in ITEM_FIELDS},
            }
            for it in d.items
        ],
    )
    audit.record(
        uow,
        actor,
        "declaration.loaded",
        ("declaration", declaration_id),
        after={
            "declaration_no": d.declaration_no,
            "items": len(d.items),
            "fingerprint": fingerprint,
        },
    )
    return declaration_id


def get(uow: UnitOfWork, provider_id: str, declaration_id: str) -> dict[str, Any]:
    """One of the provider's declarations with its items and their usage."""
    row = uow.conn.execute(
        select(s.declarations).where(
            s.declarations.c.id == declaration_id, s.declarations.c.provider_id == provider_id
        )
    ).one()
    return _view(row, _items_of(uow, [row.id])[row.id])


def _items_of(uow: UnitOfWork, declaration_ids: list[str]) -> dict[str, list[Any]]:
    """The items of several declarations in one query, grouped, in item order."""
    i = s.declaration_items
    grouped: dict[str, list[Any]] = {d: [] for d in declaration_ids}
    rows = uow.conn.execute(
        select(i).where(i.c.declaration_id.in_(declaration_ids)).order_by(i.c.item_no)
    )
    for row in rows:
        grouped[row.declaration_id].append(row)
    return grouped


def _view(row: Any, items: list[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "declaration_no": row.declaration_no,
        "trade_mode": row.trade_mode,
        "customs_port": row.customs_port,
        "declare_date": row.declare_date,
        "import_date": row.import_date,
        "importer": {"name": row.importer_name, "code": row.importer_code},
        "overseas_consignor": row.overseas_consignor,
        "trade_country": row.trade_country,
        "departure_country": row.departure_country,
        "created_at": row.created_at,
        "items": [
            {
                "id": it.id,
                **{f: getattr(it, f) for f in ITEM_FIELDS},
                "issued": it.issued,
                "remaining": it.quantity - it.issued,
            }
            for it in items
        ],
    }


def list_for_provider(uow: UnitOfWork, provider_id: str, limit: int, cursor: str | None) -> Page:
    """The provider's declarations, oldest first, with item usage."""
    stmt = select(s.declarations).where(s.declarations.c.provider_id == provider_id)
    result = page(uow, stmt, s.declarations.c.id, limit, cursor, lambda r: {"row": r})
    items = _items_of(uow, [x["row"].id for x in result["items"]])
    views = [_view(x["row"], items[x["row"].id]) for x in result["items"]]
    return {"items": views, "next_cursor": result["next_cursor"]}
