"""Attaching printed labels to units, and voiding damaged ones (R6, R8, R15).

Per-code answers: a batch attaches every acceptable code even when others are rejected, and says
exactly which. A warehouse sees only codes of its own requests; any other code is unknown to it
(R18). Each code moves with a conditional UPDATE, so two batches racing never both win.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update

import suyuan.domain.codes as code_rules
from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain import subscription as term
from suyuan.domain.actor import Actor
from suyuan.services import audit

MAX_BATCH = 10_000
_REJECT_FOR = {"voided": "CODE_VOIDED", "shipped": "CODE_ALREADY_SHIPPED"}


def _sorted_batch(raw_codes: Iterable[str]) -> tuple[list[str], list[dict[str, str]]]:
    """Normalized, de-duplicated well-formed codes, and the malformed ones rejected."""
    seen: dict[str, None] = {}
    rejected = []
    for raw in raw_codes:
        code = code_rules.parse(raw)
        if code is None:
            rejected.append({"code": raw, "reason": "MALFORMED_TRACE_CODE"})
        else:
            seen.setdefault(code, None)
    return sorted(seen), rejected


def _warehouse(actor: Actor) -> str:
    assert actor.org_id is not None  # noqa: S101 - warehouse actors always have their org
    return actor.org_id


def _own_codes(uow: UnitOfWork, warehouse_id: str, wanted: list[str]) -> dict[str, Any]:
    t, r, sub = s.trace_codes, s.code_requests, s.subscriptions
    stmt = (
        select(t.c.code, t.c.status, t.c.store_id, sub.c.expires_at)
        .join(r, r.c.id == t.c.code_request_id)
        .join(sub, sub.c.store_id == t.c.store_id)
        .where(r.c.warehouse_id == warehouse_id)
        .order_by(t.c.code)
    )
    if uow.dialect == "postgresql":
        stmt = stmt.with_for_update(of=t)
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        found.update({row.code: row for row in uow.conn.execute(stmt.where(t.c.code.in_(chunk)))})
    return found


def _move(
    uow: UnitOfWork, codes: list[str], source: tuple[str, ...], values: dict[str, Any]
) -> set[str]:
    """Conditionally move codes still in a ``source`` status; return those that moved."""
    t = s.trace_codes
    moved: set[str] = set()
    for start in range(0, len(codes), 1000):
        chunk = codes[start : start + 1000]
        result = uow.conn.execute(
            update(t)
            .where(t.c.code.in_(chunk), t.c.status.in_(source))
            .values(**values)
            .returning(t.c.code)
        )
        moved.update(result.scalars())
    return moved


def _classify(
    uow: UnitOfWork,
    actor: Actor,
    raw_codes: Iterable[str],
    movable: tuple[str, ...],
    done_status: str,
) -> tuple[list[str], list[str], list[dict[str, str]], Any]:
    wanted, rejected = _sorted_batch(raw_codes)
    found = _own_codes(uow, _warehouse(actor), wanted)
    candidates, already = [], []
    for code in wanted:
        row = found.get(code)
        if row is None:
            rejected.append({"code": code, "reason": "CODE_UNKNOWN"})
        elif row.status == done_status:  # a retry stays a no-op, even after expiry
            already.append(code)
        elif term.status(row.expires_at, uow.now) == "expired":
            rejected.append({"code": code, "reason": "SUBSCRIPTION_EXPIRED"})
        elif row.status in movable:
            candidates.append(code)
        else:
            rejected.append({"code": code, "reason": _REJECT_FOR[row.status]})
    return candidates, already, rejected, found


def attach(uow: UnitOfWork, actor: Actor, raw_codes: list[str]) -> dict[str, Any]:
    """Report codes as stuck on their units: ``issued → attached``. Idempotent per code."""
    candidates, already, rejected, found = _classify(uow, actor, raw_codes, ("issued",), "attached")
    moved = _move(uow, candidates, ("issued",), {"status": "attached", "attached_at": uow.now})
    already += [c for c in candidates if c not in moved]  # lost a race to an identical batch
    _audit_by_store(uow, actor, "codes.attached", sorted(moved), found)
    return {"attached": sorted(moved), "already_attached": sorted(already), "rejected": rejected}


def void(uow: UnitOfWork, actor: Actor, raw_codes: list[str], reason: str) -> dict[str, Any]:
    """Void damaged or lost labels: ``issued|attached → voided``; shipped codes cannot be."""
    candidates, already, rejected, found = _classify(
        uow, actor, raw_codes, ("issued", "attached"), "voided"
    )
    moved = _move(
        uow,
        candidates,
        ("issued", "attached"),
        {"status": "voided", "voided_at": uow.now, "void_reason": reason},
    )
    rejected += [
        {"code": c, "reason": "CODE_ALREADY_SHIPPED"} for c in candidates if c not in moved
    ]
    _audit_by_store(uow, actor, "codes.voided", sorted(moved), found, reason)
    return {"voided": sorted(moved), "already_voided": sorted(already), "rejected": rejected}


def _audit_by_store(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    moved: list[str],
    found: dict[str, Any],
    reason: str | None = None,
) -> None:
    """One audit entry per code moved (the object is the code), tagged with its store."""
    after = {"status": action.split(".")[1]} | ({"reason": reason} if reason else {})
    audit.record_many(
        uow,
        actor,
        action,
        [
            (("trace_code", code), {"status": found[code].status}, after, found[code].store_id)
            for code in moved
        ],
    )
