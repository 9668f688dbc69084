"""详细操作说明: the PDF a merchant hands to its bonded warehouse once one is linked (R2)."""

from __future__ import annotations

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import FieldError, validation_error
from suyuan.labels.guide_pdf import WarehouseGuide, render_warehouse_guide
from suyuan.services.accounts import current_fee_fen
from suyuan.services.onboarding import require_step
from suyuan.services.stores import load_store, load_subscription


def warehouse_guide_pdf(
    uow: UnitOfWork, store_id: str, warehouse_id: str | None, public_url: str
) -> bytes:
    """The guide for one linked warehouse (the most recently linked one when none is named)."""
    store = load_store(uow, store_id)
    require_step(uow, store, "done")
    ln, wh = s.warehouse_links, s.warehouses
    stmt = (
        select(wh.c.id, wh.c.name)
        .join(ln, ln.c.warehouse_id == wh.c.id)
        .where(ln.c.store_id == store_id)
        .order_by(ln.c.id.desc())
    )
    if warehouse_id is not None:
        stmt = stmt.where(wh.c.id == warehouse_id)
    warehouse = uow.conn.execute(stmt).first()
    sub = load_subscription(uow, store_id)
    if warehouse is None or sub is None:
        raise validation_error([FieldError("warehouse_id", "error.warehouse_id.not_linked")])
    provider_name = uow.conn.execute(
        select(s.providers.c.name).where(s.providers.c.id == sub["provider_id"])
    ).scalar_one()
    importers = uow.conn.execute(
        select(s.importer_bindings.c.importer_name, s.importer_bindings.c.importer_code)
        .where(s.importer_bindings.c.store_id == store_id)
        .order_by(s.importer_bindings.c.id)
    ).all()
    return render_warehouse_guide(
        WarehouseGuide(
            store_id=store["id"],
            store_name=store["name"],
            company_name=store["company_name"],
            provider_name=provider_name,
            warehouse_id=warehouse.id,
            warehouse_name=warehouse.name,
            importers=tuple((r.importer_name, r.importer_code) for r in importers),
            per_code_fee_fen=current_fee_fen(uow),
            console_url=public_url.rstrip("/") + "/console/warehouse/",
            generated_at=uow.now,
        )
    )
