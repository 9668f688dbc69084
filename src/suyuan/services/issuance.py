"""Code requests (R4, R5, R6, R16): a warehouse applies for N codes for a store's bonded product
from a declaration item; the item's issued counter never passes its declared quantity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select, update

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain import codes
from suyuan.domain.actor import Actor
from suyuan.domain.declaration import BONDED_TRADE_MODES
from suyuan.domain.errors import DomainError, FieldError, not_found, validation_error
from suyuan.ids import new_id
from suyuan.services import audit
from suyuan.services.access import act_for_store
from suyuan.services.accounts import current_fee_fen
from suyuan.services.bulk import insert_codes
from suyuan.services.stores import load_product

MAX_CODES_PER_REQUEST = 1_000_000
CHUNK = 50_000
Progress = Callable[[int], None]


def visible_item(uow: UnitOfWork, store_id: str, provider_id: str, item_id: str) -> Any:
    """A declaration item the store may draw codes from (R5): its declaration was loaded by the
    store's provider and its importer is bound by the store with that provider; else 404."""
    d, i, b = s.declarations, s.declaration_items, s.importer_bindings
    row = uow.conn.execute(
        select(i, d.c.declaration_no, d.c.trade_mode)
        .join(d, d.c.id == i.c.declaration_id)
        .join(b, (b.c.importer_code == d.c.importer_code) & (b.c.provider_id == d.c.provider_id))
        .where(i.c.id == item_id, b.c.store_id == store_id, d.c.provider_id == provider_id)
        .limit(1)
    ).first()
    if row is None:
        raise not_found("declaration_item")
    return row


def request_codes(
    uow: UnitOfWork,
    actor: Actor,
    *,
    store_id: str,
    product_id: str,
    item_id: str,
    quantity: int,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Issue ``quantity`` codes and record the charge, all in the caller's transaction."""
    assert actor.org_id is not None  # noqa: S101 - warehouse actors always have their org
    warehouse_id = actor.org_id
    if not 0 < quantity <= MAX_CODES_PER_REQUEST:
        raise validation_error(
            [FieldError("quantity", "error.quantity.range", {"max": MAX_CODES_PER_REQUEST})]
        )
    sub = act_for_store(uow, warehouse_id, store_id)
    product = load_product(uow, store_id, product_id)
    if product["goods_type"] != "bonded":
        raise DomainError(
            "NOT_BONDED_PRODUCT", 422, errors=[FieldError("product_id", "error.NOT_BONDED_PRODUCT")]
        )
    item = visible_item(uow, store_id, sub["provider_id"], item_id)
    if item.trade_mode not in BONDED_TRADE_MODES:
        raise DomainError(
            "NOT_BONDED_DECLARATION",
            422,
            errors=[FieldError("declaration_item_id", "error.NOT_BONDED_DECLARATION")],
        )
    _draw(uow, item_id, quantity, item.quantity)
    fee = current_fee_fen(uow)
    row: dict[str, Any] = {
        "id": new_id("req"),
        "store_id": store_id,
        "warehouse_id": warehouse_id,
        "product_id": product_id,
        "declaration_item_id": item_id,
        "quantity": quantity,
        "per_code_fee_fen": fee,
        "charge_fen": quantity * fee,
        "created_at": uow.now,
    }
    uow.conn.execute(insert(s.code_requests).values(row))
    common = {
        "code_request_id": row["id"],
        "store_id": store_id,
        "product_id": product_id,
        "declaration_item_id": item_id,
    }
    done = 0
    for chunk in codes.iter_code_chunks(quantity, CHUNK):
        insert_codes(uow, chunk, common)
        done += len(chunk)
        if progress:
            progress(done)
    audit.record(
        uow,
        actor,
        "codes.requested",
        ("code_request", row["id"]),
        after={
            k: row[k]
            for k in (
                "product_id",
                "declaration_item_id",
                "quantity",
                "per_code_fee_fen",
                "charge_fen",
            )
        },
        store_id=store_id,
    )
    return request_view(row, item.declaration_no, item.item_no)


def _draw(uow: UnitOfWork, item_id: str, quantity: int, declared: int) -> None:
    """Raise the item's issued counter only if it stays within the declared quantity.

    One conditional UPDATE: on PostgreSQL a concurrent request waits for the row lock and then
    re-checks the condition against the committed counter; on SQLite writers are serialized by
    BEGIN IMMEDIATE. The CHECK constraint on the table is the last line of defence.
    """
    i = s.declaration_items
    result = uow.conn.execute(
        update(i)
        .where(i.c.id == item_id, i.c.issued + quantity <= i.c.quantity)
        .values(issued=i.c.issued + quantity)
    )
    if result.rowcount != 1:
        issued = uow.conn.execute(select(i.c.issued).where(i.c.id == item_id)).scalar_one()
        raise DomainError(
            "QUANTITY_EXCEEDS_DECLARATION",
            409,
            params={"remaining": declared - issued, "requested": quantity},
            errors=[
                FieldError(
                    "quantity",
                    "error.QUANTITY_EXCEEDS_DECLARATION",
                    {"remaining": declared - issued},
                )
            ],
        )


def request_view(row: Any, declaration_no: str, item_no: int) -> dict[str, Any]:
    """A code request as the API shows it."""
    keys = (
        "id",
        "store_id",
        "warehouse_id",
        "product_id",
        "declaration_item_id",
        "quantity",
        "per_code_fee_fen",
        "charge_fen",
        "created_at",
    )
    get = row.get if isinstance(row, dict) else row._mapping.get
    return {**{k: get(k) for k in keys}, "declaration_no": declaration_no, "item_no": item_no}
