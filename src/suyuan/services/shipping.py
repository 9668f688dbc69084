"""Shipping with codes (R11, R12, R15) and correcting abnormal orders (R13).

A shipment is checked as a whole first (counts, duplicates, malformed codes: a rejection ships
nothing and records nothing). Then every well-formed code is judged: valid ones are bound to the
order with a conditional ``UPDATE … WHERE status = 'attached'`` so that a code ships in one order
only, however many shipments race for it; wrong ones become the order's problems, the order is
abnormal, and so is every product with an open problem (derived, see trace_state).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update

import suyuan.domain.codes as code_rules
from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import Actor
from suyuan.domain.errors import DomainError, FieldError, validation_error
from suyuan.domain.tracing import (
    KnownCode,
    LineCheck,
    check_line_counts,
    code_problem,
    codes_required,
    trace_status,
)
from suyuan.ids import new_id
from suyuan.services import audit
from suyuan.services.orders import load_order, order_lines, problems
from suyuan.services.trace_state import product_traces

RequestLine = tuple[str, list[str]]  # (product_id, raw trace codes)


@dataclass(frozen=True)
class Planned:
    """One order line as the upload covers it: whether codes are required, and which."""

    product_id: str
    quantity: int
    required: bool
    codes: tuple[str, ...]


def _index_request(lines: list[RequestLine], allowed: set[str]) -> dict[str, tuple[int, list[str]]]:
    by_product: dict[str, tuple[int, list[str]]] = {}
    errors = []
    for i, (pid, raw) in enumerate(lines):
        if pid not in allowed:
            errors.append(FieldError(f"lines[{i}].product_id", "error.line.product_not_in_order"))
        elif pid in by_product:
            errors.append(FieldError(f"lines[{i}].product_id", "error.product_id.repeated"))
        else:
            by_product[pid] = (i, raw)
    if errors:
        raise validation_error(errors)
    return by_product


def _normalized(i: int, raw: list[str]) -> tuple[tuple[str, ...], list[FieldError]]:
    out, errors = [], []
    for j, value in enumerate(raw):
        code = code_rules.parse(value)
        if code is None:
            errors.append(
                FieldError(
                    f"lines[{i}].trace_codes[{j}]", "error.MALFORMED_TRACE_CODE", {"code": value}
                )
            )
        else:
            out.append(code)
    return tuple(out), errors


def plan(
    uow: UnitOfWork, lines: list[Any], request: list[RequestLine], required_of: dict[str, bool]
) -> list[Planned]:
    """Check an upload against R11 for the given order lines; raise if it must be rejected."""
    by_product = _index_request(request, {ln.product_id for ln in lines})
    malformed: list[FieldError] = []
    planned: list[tuple[int, Planned]] = []
    for k, ln in enumerate(lines):
        i, raw = by_product.get(ln.product_id, (len(request) + k, []))
        required = required_of[ln.product_id]
        codes: tuple[str, ...] = ()
        if required:
            codes, errors = _normalized(i, raw)
            malformed += errors
        planned.append((i, Planned(ln.product_id, ln.quantity, required, codes)))
    if malformed:
        raise DomainError("MALFORMED_TRACE_CODE", 422, errors=malformed)
    planned.sort(key=lambda x: x[0])
    check_line_counts(
        [
            LineCheck(
                p.product_id,
                p.quantity,
                p.required,
                p.codes,
                field=None if p.product_id in by_product else "lines",
            )
            for _, p in planned
        ]
    )
    return [p for _, p in planned]


def _known(uow: UnitOfWork, codes: list[str]) -> dict[str, KnownCode]:
    """The codes' current facts; on PostgreSQL their rows are locked in code order, so racing
    shipments queue instead of deadlocking."""
    t = s.trace_codes
    stmt = (
        select(t.c.code, t.c.store_id, t.c.product_id, t.c.status, t.c.order_id)
        .where(t.c.code.in_(codes))
        .order_by(t.c.code)
    )
    if uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    return (
        {
            r.code: KnownCode(r.store_id, r.product_id, r.status, r.order_id)
            for r in uow.conn.execute(stmt)
        }
        if codes
        else {}
    )


def bind(
    uow: UnitOfWork, store_id: str, order_id: str, planned: list[Planned]
) -> list[dict[str, str]]:
    """Bind the valid codes of required lines to the order; return the wrong ones (R12)."""
    known = _known(uow, sorted({c for p in planned for c in p.codes}))
    found: list[dict[str, str]] = []
    t = s.trace_codes
    for p in planned:
        fresh = []
        for code in p.codes:
            reason = code_problem(
                known.get(code), store_id=store_id, product_id=p.product_id, order_id=order_id
            )
            if reason is not None:
                found.append({"product_id": p.product_id, "code": code, "reason": reason})
            elif known[code].status == "attached":
                fresh.append(code)
        if fresh:
            moved = set(
                uow.conn.execute(
                    update(t)
                    .where(t.c.code.in_(fresh), t.c.status == "attached")
                    .values(status="shipped", order_id=order_id, shipped_at=uow.now)
                    .returning(t.c.code)
                ).scalars()
            )
            found += [
                {"product_id": p.product_id, "code": c, "reason": "CODE_ALREADY_SHIPPED"}
                for c in fresh
                if c not in moved
            ]
    return found


def _record_problems(uow: UnitOfWork, order_id: str, found: list[dict[str, str]]) -> None:
    if found:
        uow.conn.execute(
            insert(s.order_problems),
            [
                {"id": new_id("prb"), "order_id": order_id, "created_at": uow.now, **f}
                for f in found
            ],
        )


def ship(
    uow: UnitOfWork,
    actor: Actor,
    store_id: str,
    order_id: str,
    tracking_no: str,
    request: list[RequestLine],
) -> dict[str, Any]:
    """发货: ship the order, binding each unit's code where the product requires codes."""
    order = load_order(uow, store_id, order_id, lock=True)
    if order.status != "paid":
        raise DomainError("ORDER_ALREADY_SHIPPED", 409)
    lines = order_lines(uow, order_id)
    products = [
        dict(r._mapping)
        for r in uow.conn.execute(
            select(s.products).where(s.products.c.id.in_([ln.product_id for ln in lines]))
        )
    ]
    traces = product_traces(uow, products)
    required_of = {pid: codes_required(trace_status(tr, uow.now)) for pid, tr in traces.items()}
    planned = plan(uow, lines, request, required_of)
    found = bind(uow, store_id, order_id, planned)
    _record_problems(uow, order_id, found)
    trace = "abnormal" if found else ("ok" if any(required_of.values()) else "not_required")
    shipped = uow.conn.execute(
        update(s.orders)
        .where(s.orders.c.id == order_id, s.orders.c.status == "paid")
        .values(status="shipped", trace_status=trace, tracking_no=tracking_no, shipped_at=uow.now)
    )
    if shipped.rowcount != 1:
        raise DomainError("ORDER_ALREADY_SHIPPED", 409)
    for ln in lines:
        uow.conn.execute(
            update(s.order_lines)
            .where(s.order_lines.c.id == ln.id)
            .values(codes_required=required_of[ln.product_id])
        )
    audit.record(
        uow,
        actor,
        "order.shipped",
        ("order", order_id),
        before={"status": "paid"},
        after={
            "status": "shipped",
            "trace_status": trace,
            "tracking_no": tracking_no,
            "problems": found,
        },
        store_id=store_id,
    )
    return {"status": "shipped", "trace_status": trace, "problems": found}


def correct(
    uow: UnitOfWork, actor: Actor, store_id: str, order_id: str, request: list[RequestLine]
) -> dict[str, Any]:
    """Re-upload the codes of an abnormal order's lines (R13). Codes already bound to this
    order stay bound and count; lines not re-uploaded keep their problems."""
    order = load_order(uow, store_id, order_id, lock=True)
    if order.trace_status != "abnormal":
        raise DomainError("INVALID_STATE", 409, "error.correction.not_abnormal")
    lines = [ln for ln in order_lines(uow, order_id) if ln.codes_required]
    given = {pid for pid, _ in request}
    planned = plan(
        uow,
        [ln for ln in lines if ln.product_id in given] or lines,
        request,
        {ln.product_id: True for ln in lines},
    )
    _check_not_over(uow, order_id, planned)
    found = bind(uow, store_id, order_id, planned)
    p = s.order_problems
    uow.conn.execute(
        delete(p).where(
            p.c.order_id == order_id, p.c.product_id.in_([x.product_id for x in planned])
        )
    )
    _record_problems(uow, order_id, found)
    remaining = problems(uow, order_id)
    trace = "abnormal" if remaining else "corrected"
    uow.conn.execute(update(s.orders).where(s.orders.c.id == order_id).values(trace_status=trace))
    audit.record(
        uow,
        actor,
        "order.corrected" if trace == "corrected" else "order.correction",
        ("order", order_id),
        before={"trace_status": "abnormal"},
        after={"trace_status": trace, "problems": remaining},
        store_id=store_id,
    )
    return {"trace_status": trace, "problems": remaining}


def _check_not_over(uow: UnitOfWork, order_id: str, planned: list[Planned]) -> None:
    """Bound codes can't be unshipped: with them, a line must not exceed its quantity."""
    t = s.trace_codes
    errors = []
    for i, p in enumerate(planned):
        bound = set(
            uow.conn.execute(
                select(t.c.code).where(t.c.order_id == order_id, t.c.product_id == p.product_id)
            ).scalars()
        )
        total = len(bound | set(p.codes))
        if total > p.quantity:
            errors.append(
                FieldError(
                    f"lines[{i}].trace_codes",
                    "error.TRACE_CODE_COUNT_MISMATCH",
                    {"given": total, "quantity": p.quantity, "product_id": p.product_id},
                )
            )
    if errors:
        raise DomainError("TRACE_CODE_COUNT_MISMATCH", 422, errors=errors)
