"""生效 / 定时生效 / 停止生效 (R9, R14): the merchant's switch for the badge and shipping rule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import Actor
from suyuan.domain.errors import DomainError
from suyuan.domain.tracing import check_activation, trace_status
from suyuan.services import audit
from suyuan.services.stores import load_product
from suyuan.services.trace_state import product_traces


def _set(
    uow: UnitOfWork,
    actor: Actor,
    product: dict[str, Any],
    activation: str,
    activate_at: datetime | None,
    action: str,
) -> dict[str, Any]:
    before = product_traces(uow, [product])[product["id"]]
    uow.conn.execute(
        update(s.products)
        .where(s.products.c.id == product["id"])
        .values(activation=activation, activate_at=activate_at)
    )
    after = product_traces(
        uow, [{**product, "activation": activation, "activate_at": activate_at}]
    )[product["id"]]
    view = {"trace_status": trace_status(after, uow.now), "activate_at": activate_at}
    audit.record(
        uow,
        actor,
        action,
        ("product", product["id"]),
        before={
            "trace_status": trace_status(before, uow.now),
            "activate_at": product["activate_at"],
        },
        after=view,
        store_id=product["store_id"],
    )
    return view


def activate(
    uow: UnitOfWork, actor: Actor, store_id: str, product_id: str, at: datetime | None
) -> dict[str, Any]:
    """Activate now (``at`` None) or at a future time; needs attached codes."""
    product = load_product(uow, store_id, product_id)
    trace = product_traces(uow, [product])[product_id]
    effective = check_activation(trace, uow.now, at)
    return _set(uow, actor, product, "on", effective, "product.activated")


def stop(uow: UnitOfWork, actor: Actor, store_id: str, product_id: str) -> dict[str, Any]:
    """Stop at once: badge off, shipping rule lifted, a pending schedule cancelled (R14)."""
    product = load_product(uow, store_id, product_id)
    trace = product_traces(uow, [product])[product_id]
    if trace.attached_codes == 0:
        raise DomainError("INVALID_STATE", 409, "error.stop.not_enrolled")
    return _set(uow, actor, product, "stopped", None, "product.stopped")
