"""Platform administration: tenants, API keys, users, pricing; and who a key belongs to."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import Actor
from suyuan.domain.errors import DomainError, FieldError, not_found, validation_error
from suyuan.ids import new_id
from suyuan.services import audit
from suyuan.services.credentials import hash_password, key_hash, new_api_key
from suyuan.services.paging import MAX_LIMIT, Page, page

OrgType = Literal["store", "warehouse", "provider"]
DEFAULT_PER_CODE_FEE_FEN = 10
_ORG_TABLES = {"store": s.stores, "warehouse": s.warehouses, "provider": s.providers}
_PREFIX = {"store": "sto", "warehouse": "wh", "provider": "prv"}


def create_org(
    uow: UnitOfWork, actor: Actor, org_type: OrgType, values: dict[str, Any]
) -> dict[str, Any]:
    """Create a store, warehouse or provider."""
    row: dict[str, Any] = {"id": new_id(_PREFIX[org_type]), "created_at": uow.now, **values}
    uow.conn.execute(insert(_ORG_TABLES[org_type]).values(row))
    store_id = row["id"] if org_type == "store" else None
    audit.record(
        uow, actor, f"{org_type}.created", (org_type, row["id"]), after=row, store_id=store_id
    )
    return row


def list_orgs(
    uow: UnitOfWork, org_type: OrgType, limit: int = MAX_LIMIT, cursor: str | None = None
) -> Page:
    """Stores, warehouses or providers, oldest first, one page."""
    table = _ORG_TABLES[org_type]
    return page(uow, select(table), table.c.id, limit, cursor, lambda r: dict(r._mapping))


def get_org(uow: UnitOfWork, org_type: OrgType, org_id: str) -> dict[str, Any]:
    """One organization, or 404."""
    table = _ORG_TABLES[org_type]
    row = uow.conn.execute(select(table).where(table.c.id == org_id)).first()
    if row is None:
        raise not_found(org_type)
    return dict(row._mapping)


def set_pilot(uow: UnitOfWork, actor: Actor, store_id: str, pilot: bool) -> dict[str, Any]:
    """Whitelist a store for the pilot, or take it off (R1)."""
    before = get_org(uow, "store", store_id)
    uow.conn.execute(update(s.stores).where(s.stores.c.id == store_id).values(pilot=pilot))
    audit.record(
        uow,
        actor,
        "store.pilot_changed",
        ("store", store_id),
        before={"pilot": before["pilot"]},
        after={"pilot": pilot},
        store_id=store_id,
    )
    return {**before, "pilot": pilot}


def _require_org(uow: UnitOfWork, org_type: str, org_id: str | None) -> str | None:
    if org_type == "platform":
        if org_id is not None:
            raise validation_error([FieldError("org_id", "error.org_id.platform_has_none")])
        return None
    if not org_id:
        raise validation_error([FieldError("org_id", "error.field.required")])
    table = _ORG_TABLES[org_type]
    if uow.conn.execute(select(table.c.id).where(table.c.id == org_id)).first() is None:
        raise validation_error(
            [FieldError("org_id", "error.org_id.unknown", {"org_type": org_type, "id": org_id})]
        )
    return org_id


def issue_api_key(
    uow: UnitOfWork, actor: Actor, org_type: str, org_id: str | None
) -> dict[str, Any]:
    """A new key for an organization; the key itself is returned this once, only its hash kept."""
    org_id = _require_org(uow, org_type, org_id)
    key = new_api_key()
    row: dict[str, Any] = {
        "id": new_id("key"),
        "org_type": org_type,
        "org_id": org_id,
        "key_hash": key_hash(key),
        "prefix": key[:10],
        "created_at": uow.now,
    }
    uow.conn.execute(insert(s.api_keys).values(row))
    shown = {k: row[k] for k in ("id", "org_type", "org_id", "prefix", "created_at")}
    audit.record(
        uow,
        actor,
        "api_key.issued",
        ("api_key", row["id"]),
        after=shown,
        store_id=org_id if org_type == "store" else None,
    )
    return {**shown, "key": key}


def actor_for_key(uow: UnitOfWork, key: str) -> Actor | None:
    """The organization a presented key belongs to, or None when unknown or revoked."""
    row = uow.conn.execute(
        select(s.api_keys).where(
            s.api_keys.c.key_hash == key_hash(key), s.api_keys.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    return Actor(row.org_type, row.org_id, row.id)


def create_user(
    uow: UnitOfWork,
    actor: Actor,
    org_type: str,
    org_id: str | None,
    username: str,
    password: str,
) -> dict[str, Any]:
    """A console user with an argon2-hashed password; usernames are unique platform-wide."""
    org_id = _require_org(uow, org_type, org_id)
    taken = DomainError(
        "USERNAME_TAKEN", 409, errors=[FieldError("username", "error.USERNAME_TAKEN")]
    )
    if uow.conn.execute(select(s.users.c.id).where(s.users.c.username == username)).first():
        raise taken
    row: dict[str, Any] = {
        "id": new_id("usr"),
        "org_type": org_type,
        "org_id": org_id,
        "username": username,
        "password_hash": hash_password(password),
        "created_at": uow.now,
    }
    try:
        with uow.conn.begin_nested():  # the unique index decides a race for the same name
            uow.conn.execute(insert(s.users).values(row))
    except IntegrityError:
        raise taken from None
    shown = {k: row[k] for k in ("id", "org_type", "org_id", "username", "created_at")}
    audit.record(
        uow,
        actor,
        "user.created",
        ("user", row["id"]),
        after=shown,
        store_id=org_id if org_type == "store" else None,
    )
    return shown


def current_fee_fen(uow: UnitOfWork) -> int:
    """The price per code now (R16): the latest pricing change, else the default 10 fen."""
    row = uow.conn.execute(
        select(s.pricing_changes.c.per_code_fee_fen)
        .order_by(s.pricing_changes.c.effective_at.desc(), s.pricing_changes.c.id.desc())
        .limit(1)
    ).first()
    return DEFAULT_PER_CODE_FEE_FEN if row is None else int(row[0])


def set_pricing(uow: UnitOfWork, actor: Actor, per_code_fee_fen: int) -> dict[str, Any]:
    """Change the per-code fee from now on; requests already made keep their price."""
    before = current_fee_fen(uow)
    uow.conn.execute(
        insert(s.pricing_changes).values(
            id=new_id("prc"), per_code_fee_fen=per_code_fee_fen, effective_at=uow.now
        )
    )
    audit.record(
        uow,
        actor,
        "pricing.changed",
        ("pricing", "per_code_fee_fen"),
        before={"per_code_fee_fen": before},
        after={"per_code_fee_fen": per_code_fee_fen},
    )
    return {"per_code_fee_fen": per_code_fee_fen, "effective_at": uow.now}


def ensure_platform_token(uow: UnitOfWork) -> str | None:
    """When no ``SUYUAN_ADMIN_TOKEN`` is configured: create a platform key once and return it.

    Returns None when one already exists (it was printed when it was made and is kept hashed).
    """
    exists = uow.conn.execute(
        select(s.api_keys.c.id).where(s.api_keys.c.org_type == "platform").limit(1)
    ).first()
    if exists is not None:
        return None
    from suyuan.domain.actor import SYSTEM

    return str(issue_api_key(uow, SYSTEM, "platform", None)["key"])
