"""Store onboarding (R1, R2, R3, R7): open → subscribe → bind importer → link warehouse → done."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, insert, select, update

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain import onboarding as steps
from suyuan.domain import subscription as term
from suyuan.domain.actor import Actor
from suyuan.domain.customs import company_names_match, validate_importer_code
from suyuan.domain.errors import DomainError, FieldError, validation_error
from suyuan.ids import new_id
from suyuan.services import audit
from suyuan.services.paging import Page, page
from suyuan.services.stores import load_store, load_subscription, require_current_subscription


def progress(uow: UnitOfWork, store: dict[str, Any]) -> steps.Progress:
    """What the store has done so far, read from the database."""
    sid = store["id"]

    def count(t: Table) -> int:
        return int(
            uow.conn.execute(
                select(func.count()).select_from(t).where(t.c.store_id == sid)
            ).scalar_one()
        )

    return steps.Progress(
        opened=store["opened_at"] is not None,
        subscribed=load_subscription(uow, sid) is not None,
        importers_bound=count(s.importer_bindings),
        warehouses_linked=count(s.warehouse_links),
        completed=store["onboarding_completed_at"] is not None,
    )


def require_step(uow: UnitOfWork, store: dict[str, Any], needed: steps.Step) -> None:
    missing = steps.missing_for(progress(uow, store), needed)
    if missing is not None:
        raise DomainError("ONBOARDING_INCOMPLETE", 409, params={"missing_step": missing})


def open_service(uow: UnitOfWork, actor: Actor, store_id: str) -> dict[str, Any]:
    """立即开通: only pilot stores (R1). Opening twice is harmless."""
    store = load_store(uow, store_id, lock=True)
    if not store["pilot"]:
        raise DomainError("NOT_IN_PILOT", 403)
    if store["opened_at"] is None:
        uow.conn.execute(
            update(s.stores).where(s.stores.c.id == store_id).values(opened_at=uow.now)
        )
        audit.record(
            uow,
            actor,
            "trace.opened",
            ("store", store_id),
            before={"opened_at": None},
            after={"opened_at": uow.now},
            store_id=store_id,
        )
    return {"onboarding_step": steps.current_step(progress(uow, load_store(uow, store_id)))}


def subscribe(
    uow: UnitOfWork, actor: Actor, store_id: str, provider_id: str, plan: str
) -> dict[str, Any]:
    """服务商授权: order the provider's plan ``standard-1y`` at 0 fen for one year."""
    store = load_store(uow, store_id, lock=True)
    require_step(uow, store, "authorize_provider")
    if plan != term.PLAN:
        raise validation_error([FieldError("plan", "error.plan.unknown", {"plan": term.PLAN})])
    if (
        uow.conn.execute(select(s.providers.c.id).where(s.providers.c.id == provider_id)).first()
        is None
    ):
        raise validation_error([FieldError("provider_id", "error.provider_id.unknown")])
    if load_subscription(uow, store_id) is not None:
        raise DomainError("INVALID_STATE", 409, "error.subscription.exists")
    row: dict[str, Any] = {
        "id": new_id("sub"),
        "store_id": store_id,
        "provider_id": provider_id,
        "plan": plan,
        "price_fen": term.PLAN_PRICE_FEN,
        "starts_at": uow.now,
        "expires_at": term.one_year_after(uow.now),
        "created_at": uow.now,
    }
    uow.conn.execute(insert(s.subscriptions).values(row))
    audit.record(
        uow,
        actor,
        "subscription.created",
        ("subscription", row["id"]),
        after=row,
        store_id=store_id,
    )
    return subscription_view(row, uow.now)


def renew(uow: UnitOfWork, actor: Actor, store_id: str) -> dict[str, Any]:
    """续期 (free): one more year from the later of now and the old expiry (R7)."""
    load_store(uow, store_id, lock=True)
    sub = load_subscription(uow, store_id)
    if sub is None:
        raise DomainError(
            "ONBOARDING_INCOMPLETE", 409, params={"missing_step": "authorize_provider"}
        )
    expires_at = term.renewed_expiry(sub["expires_at"], uow.now)
    uow.conn.execute(
        update(s.subscriptions)
        .where(s.subscriptions.c.id == sub["id"])
        .values(expires_at=expires_at)
    )
    audit.record(
        uow,
        actor,
        "subscription.renewed",
        ("subscription", sub["id"]),
        before={"expires_at": sub["expires_at"]},
        after={"expires_at": expires_at},
        store_id=store_id,
    )
    return subscription_view({**sub, "expires_at": expires_at}, uow.now)


def subscription_view(sub: dict[str, Any], now: Any) -> dict[str, Any]:
    """The subscription as the store sees it, with status derived from the clock."""
    status = term.status(sub["expires_at"], now)
    return {
        "id": sub["id"],
        "provider_id": sub["provider_id"],
        "plan": sub["plan"],
        "price_fen": sub["price_fen"],
        "starts_at": sub["starts_at"],
        "expires_at": sub["expires_at"],
        "status": status,
        "renewal_required": status == "expired",
        "days_left": term.days_left(sub["expires_at"], now),
    }


def bind_importer(
    uow: UnitOfWork,
    actor: Actor,
    store_id: str,
    importer_name: str,
    importer_code: str,
    company_name: str,
) -> dict[str, Any]:
    """绑定进出口收发货人 with the subscribed provider (R3). The same importer again is a no-op."""
    store = load_store(uow, store_id, lock=True)
    require_step(uow, store, "bind_importer")
    sub = require_current_subscription(uow, store_id)
    errors: list[FieldError] = []
    code, code_error = validate_importer_code(importer_code, "importer_code")
    if code_error:
        errors.append(code_error)
    if not importer_name.strip():
        errors.append(FieldError("importer_name", "error.field.required"))
    if errors:
        raise validation_error(errors)
    if not company_names_match(company_name, store["company_name"]):
        raise DomainError(
            "COMPANY_NAME_MISMATCH",
            422,
            params={"given": company_name.strip()},
            errors=[
                FieldError(
                    "company_name", "error.COMPANY_NAME_MISMATCH", {"given": company_name.strip()}
                )
            ],
        )
    existing = uow.conn.execute(
        select(s.importer_bindings).where(
            s.importer_bindings.c.store_id == store_id,
            s.importer_bindings.c.provider_id == sub["provider_id"],
            s.importer_bindings.c.importer_code == code,
        )
    ).first()
    if existing is not None:
        if existing.importer_name != importer_name.strip():
            raise DomainError(
                "INVALID_STATE", 409, "error.binding.other_name", {"name": existing.importer_name}
            )
        return binding_view(dict(existing._mapping))
    row: dict[str, Any] = {
        "id": new_id("bnd"),
        "store_id": store_id,
        "provider_id": sub["provider_id"],
        "importer_name": importer_name.strip(),
        "importer_code": code,
        "company_name": store["company_name"],
        "created_at": uow.now,
    }
    uow.conn.execute(insert(s.importer_bindings).values(row))
    audit.record(
        uow, actor, "importer.bound", ("importer_binding", row["id"]), after=row, store_id=store_id
    )
    return binding_view(row)


def binding_view(row: dict[str, Any]) -> dict[str, Any]:
    """An importer binding as the API shows it."""
    keys = (
        "id",
        "store_id",
        "provider_id",
        "importer_name",
        "importer_code",
        "company_name",
        "created_at",
    )
    return {k: row[k] for k in keys}


def link_warehouse(
    uow: UnitOfWork, actor: Actor, store_id: str, warehouse_id: str
) -> dict[str, Any]:
    """引导保税仓: let a bonded warehouse act for the store. Linking twice is a no-op."""
    store = load_store(uow, store_id, lock=True)
    require_step(uow, store, "guide_warehouse")
    require_current_subscription(uow, store_id)
    wh = uow.conn.execute(select(s.warehouses).where(s.warehouses.c.id == warehouse_id)).first()
    if wh is None:
        raise validation_error([FieldError("warehouse_id", "error.warehouse_id.unknown")])
    existing = uow.conn.execute(
        select(s.warehouse_links).where(
            s.warehouse_links.c.store_id == store_id,
            s.warehouse_links.c.warehouse_id == warehouse_id,
        )
    ).first()
    if existing is not None:
        return _link_view(dict(existing._mapping), wh.name)
    row: dict[str, Any] = {
        "id": new_id("lnk"),
        "store_id": store_id,
        "warehouse_id": warehouse_id,
        "created_at": uow.now,
    }
    uow.conn.execute(insert(s.warehouse_links).values(row))
    audit.record(
        uow, actor, "warehouse.linked", ("warehouse_link", row["id"]), after=row, store_id=store_id
    )
    return _link_view(row, wh.name)


def _link_view(row: dict[str, Any], warehouse_name: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "warehouse_id": row["warehouse_id"],
        "warehouse_name": warehouse_name,
        "created_at": row["created_at"],
    }


def complete(uow: UnitOfWork, actor: Actor, store_id: str) -> dict[str, Any]:
    """已完成,开始使用: needs every earlier step (R2). Completing twice is harmless."""
    store = load_store(uow, store_id, lock=True)
    p = progress(uow, store)
    missing = steps.missing_for(p, "done")
    if missing is not None:
        raise DomainError("ONBOARDING_INCOMPLETE", 409, params={"missing_step": missing})
    if store["onboarding_completed_at"] is None:
        uow.conn.execute(
            update(s.stores)
            .where(s.stores.c.id == store_id)
            .values(onboarding_completed_at=uow.now)
        )
        audit.record(
            uow,
            actor,
            "onboarding.completed",
            ("store", store_id),
            before={"onboarding_step": steps.current_step(p)},
            after={"onboarding_step": "done"},
            store_id=store_id,
        )
    return {"onboarding_step": "done"}


def overview(uow: UnitOfWork, store_id: str) -> dict[str, Any]:
    """GET /store/trace: availability, the onboarding step, the subscription and notices."""
    store = load_store(uow, store_id)
    sub = load_subscription(uow, store_id)
    return {
        "available": bool(store["pilot"]),
        "onboarding_step": steps.current_step(progress(uow, store)),
        "subscription": None if sub is None else subscription_view(sub, uow.now),
        "notices": []
        if sub is None
        else [
            {"code": n.code, "expires_at": n.expires_at, "days_left": n.days_left}
            for n in term.notices(sub["expires_at"], uow.now)
        ],
    }


def bindings(uow: UnitOfWork, store_id: str, limit: int, cursor: str | None) -> Page:
    """The store's importer bindings, oldest first."""
    b = s.importer_bindings
    stmt = select(b).where(b.c.store_id == store_id)
    return page(uow, stmt, b.c.id, limit, cursor, lambda r: binding_view(dict(r._mapping)))


def links(uow: UnitOfWork, store_id: str, limit: int, cursor: str | None) -> Page:
    """The warehouses the store linked, oldest first."""
    ln, wh = s.warehouse_links, s.warehouses
    stmt = (
        select(ln, wh.c.name)
        .join(wh, wh.c.id == ln.c.warehouse_id)
        .where(ln.c.store_id == store_id)
    )
    return page(uow, stmt, ln.c.id, limit, cursor, lambda r: _link_view(dict(r._mapping), r.name))
