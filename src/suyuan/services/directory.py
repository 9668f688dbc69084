"""What the platform console lists: users, API keys (prefixes only, never a password hash or
a key hash), and names for the IDs in lists and the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.services.accounts import list_orgs
from suyuan.services.paging import MAX_LIMIT, Page, page

_ORG_TABLES = (s.stores, s.warehouses, s.providers)


def users(uow: UnitOfWork, limit: int, cursor: str | None) -> Page:
    """Console users, oldest first."""
    u = s.users
    stmt = select(u.c.id, u.c.org_type, u.c.org_id, u.c.username, u.c.created_at)
    return page(uow, stmt, u.c.id, limit, cursor, lambda r: dict(r._mapping))


def api_keys(uow: UnitOfWork, limit: int, cursor: str | None) -> Page:
    """Issued API keys by their visible prefix, oldest first."""
    k = s.api_keys
    stmt = select(k.c.id, k.c.org_type, k.c.org_id, k.c.prefix, k.c.created_at, k.c.revoked_at)
    return page(uow, stmt, k.c.id, limit, cursor, lambda r: dict(r._mapping))


def org_names(uow: UnitOfWork, ids: set[str]) -> dict[str, str]:
    """``{org_id: name}`` of the stores, warehouses and providers among ``ids``."""
    wanted = sorted(i for i in ids if i)
    names: dict[str, str] = {}
    for table in _ORG_TABLES:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = uow.conn.execute(select(table.c.id, table.c.name).where(table.c.id.in_(chunk)))
            names.update({r.id: r.name for r in rows})
    return names


def usernames(uow: UnitOfWork, ids: set[str]) -> dict[str, str]:
    """``{user_id: username}`` of the console users among ``ids`` (who acted, in the log)."""
    wanted = sorted(i for i in ids if i and i.startswith("usr_"))
    if not wanted:
        return {}
    rows = uow.conn.execute(
        select(s.users.c.id, s.users.c.username).where(s.users.c.id.in_(wanted))
    )
    return {r.id: r.username for r in rows}


def org_choices(uow: UnitOfWork) -> dict[str, list[dict[str, Any]]]:
    """The organizations a user or key can belong to, per type (the first page of each)."""
    return {
        kind: list_orgs(uow, kind, MAX_LIMIT, None)["items"]
        for kind in ("store", "warehouse", "provider")
    }
