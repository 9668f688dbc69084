"""Product trace status and the shipping rule (SPEC §3 R8–R15, §4 "States"). Pure, no I/O.

``trace_status`` is derived from stored facts and the clock every time it is asked for, so it is
never stale: a scheduled activation takes effect when ``now`` passes its time, with no job running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from suyuan.domain.errors import DomainError, FieldError

__all__ = [
    "AbnormalReason",
    "Activation",
    "KnownCode",
    "LineCheck",
    "ProductTrace",
    "TraceStatus",
    "badge",
    "check_activation",
    "check_line_counts",
    "code_problem",
    "codes_required",
    "trace_status",
]

TraceStatus = Literal["not_enrolled", "pending", "scheduled", "active", "abnormal", "stopped"]
Activation = Literal["none", "on", "stopped"]
AbnormalReason = Literal[
    "CODE_UNKNOWN",
    "CODE_PRODUCT_MISMATCH",
    "CODE_NOT_ATTACHED",
    "CODE_VOIDED",
    "CODE_ALREADY_SHIPPED",
]


def _require_aware(name: str, value: datetime) -> None:
    """Naive datetimes cannot be compared with stored UTC instants; refuse them loudly."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True)
class ProductTrace:
    """The stored facts a product's trace status is derived from.

    ``attached_codes`` counts codes with status ``attached`` or ``shipped`` (a shipped code was
    attached once, so a product keeps its enrolment after shipping); only whether it is 0 matters,
    so the services count at most one. ``activation`` is the
    merchant's switch: ``"none"`` never activated, ``"on"`` activated now or scheduled (the
    instant is ``activate_at``), ``"stopped"`` 停止生效. ``activate_at`` is ignored unless ``"on"``.
    """

    attached_codes: int
    activation: Activation
    activate_at: datetime | None
    open_abnormal_orders: int

    def __post_init__(self) -> None:
        if self.attached_codes < 0 or self.open_abnormal_orders < 0:
            raise ValueError("counts must not be negative")
        if self.activation == "on" and self.activate_at is None:
            raise ValueError("activation 'on' needs activate_at")
        if self.activate_at is not None:
            _require_aware("activate_at", self.activate_at)


def trace_status(p: ProductTrace, now: datetime) -> TraceStatus:
    """The product's ``trace_status`` at ``now`` (R8, R9, R12–R14).

    No attached code wins over everything (``not_enrolled``): nothing can be traced, whatever the
    switch says. An activation at exactly ``now`` has taken effect.
    """
    _require_aware("now", now)
    if p.attached_codes == 0:
        return "not_enrolled"
    if p.activation == "none":
        return "pending"
    if p.activation == "stopped":
        return "stopped"
    if p.activate_at is None:  # unreachable: ProductTrace.__post_init__ forbids it
        raise ValueError("activation 'on' needs activate_at")
    if p.activate_at > now:
        return "scheduled"
    return "abnormal" if p.open_abnormal_orders > 0 else "active"


def badge(status: TraceStatus) -> bool:
    """The product page shows the 正品溯源 badge exactly while active (R10)."""
    return status == "active"


def codes_required(status: TraceStatus) -> bool:
    """Shipping needs codes while active or abnormal (R11, R12)."""
    return status in ("active", "abnormal")


def check_activation(p: ProductTrace, now: datetime, at: datetime | None) -> datetime:
    """The effective ``activate_at`` of an activation request (R9), or the reason it is refused.

    ``at=None`` activates immediately (returns ``now``). ``at`` equal to ``now`` counts as past:
    a future time must be strictly later. ``NO_ATTACHED_CODES`` is checked before the time, since
    no time can make such a product activatable. Re-activating an ``on`` or ``stopped`` product is
    allowed (R14: "can be activated again"); the caller replaces the stored time.
    """
    _require_aware("now", now)
    if at is not None:
        _require_aware("at", at)
    if p.attached_codes == 0:
        raise DomainError("NO_ATTACHED_CODES", 409)
    if at is None:
        return now
    if at <= now:
        raise DomainError(
            "ACTIVATION_TIME_IN_PAST",
            422,
            errors=[FieldError("at", "error.ACTIVATION_TIME_IN_PAST")],
        )
    return at


@dataclass(frozen=True)
class LineCheck:
    """One order line of a ship request: ``required`` is ``codes_required`` of its product.

    ``codes`` are already normalized and well-formed; the caller reports malformed ones
    (``MALFORMED_TRACE_CODE``) itself.
    """

    product_id: str
    quantity: int
    required: bool
    codes: tuple[str, ...]
    field: str | None = None  # where errors point; default ``lines[i].trace_codes``

    def __post_init__(self) -> None:
        if self.quantity < 0:
            raise ValueError("quantity must not be negative")


def _codes_field(i: int, line: LineCheck | None = None) -> str:
    if line is not None and line.field is not None:
        return line.field
    return f"lines[{i}].trace_codes"


def check_line_counts(lines: list[LineCheck]) -> None:
    """Enforce R11's counts on a ship request; return normally if it may proceed.

    Only required lines are looked at: codes given for other lines are ignored entirely (R11), so
    they neither count nor collide. Precedence, first failing check wins, each naming every
    offender:

    1. ``422 DUPLICATE_TRACE_CODE`` — a code repeated anywhere (across lines too); each repeat
       after the first occurrence is named at ``lines[i].trace_codes[j]``.
    2. ``422 TRACE_CODE_COUNT_MISMATCH`` — a line with more codes than ``quantity``.
    3. ``409 TRACE_CODES_REQUIRED`` — a line with fewer codes than ``quantity``.

    The malformed request errors (422) come before the state conflict (409): fixing a request
    that is wrong on its face should not first demand more codes.
    """
    required = [(i, line) for i, line in enumerate(lines) if line.required]

    seen: set[str] = set()
    repeats: list[FieldError] = []
    for i, line in required:
        for j, code in enumerate(line.codes):
            if code in seen:
                repeats.append(
                    FieldError(
                        f"{_codes_field(i, line)}[{j}]",
                        "error.DUPLICATE_TRACE_CODE",
                        {"code": code},
                    )
                )
            seen.add(code)
    if repeats:
        raise DomainError("DUPLICATE_TRACE_CODE", 422, errors=repeats)

    too_many = [
        FieldError(
            _codes_field(i, line),
            "error.TRACE_CODE_COUNT_MISMATCH",
            {"given": len(line.codes), "quantity": line.quantity, "product_id": line.product_id},
        )
        for i, line in required
        if len(line.codes) > line.quantity
    ]
    if too_many:
        raise DomainError("TRACE_CODE_COUNT_MISMATCH", 422, errors=too_many)

    missing: list[dict[str, Any]] = []
    short: list[FieldError] = []
    for i, line in required:
        n = line.quantity - len(line.codes)
        if n > 0:
            missing.append(
                {"line": i, "product_id": line.product_id, "missing": n, "quantity": line.quantity}
            )
            short.append(
                FieldError(
                    _codes_field(i, line),
                    "error.TRACE_CODES_REQUIRED",
                    {"missing": n, "quantity": line.quantity, "product_id": line.product_id},
                )
            )
    if short:
        raise DomainError(
            "TRACE_CODES_REQUIRED",
            409,
            "error.TRACE_CODES_REQUIRED.detail",
            {"missing": missing, "lines": len(short)},
            errors=short,
        )


@dataclass(frozen=True)
class KnownCode:
    """What the store of codes knows about a code: owner, product, ``status``, shipping order."""

    store_id: str
    product_id: str
    status: str
    order_id: str | None


def code_problem(
    code: KnownCode | None, *, store_id: str, product_id: str, order_id: str
) -> AbnormalReason | None:
    """Why a well-formed code shipped on ``order_id``'s line of ``product_id`` is wrong (R12).

    Checks in order: existence, owner, product, then status. Another store's code is
    ``CODE_UNKNOWN``, not ``CODE_PRODUCT_MISMATCH``: R18 says another tenant's object answers as if
    it did not exist, and the abnormal list is shown to the store, so a distinct reason would leak
    that the code exists elsewhere. A code already shipped in *this* order is fine: that is a
    correction re-upload (R13). Unknown statuses are a programming error (``ValueError``).
    """
    if code is None or code.store_id != store_id:
        return "CODE_UNKNOWN"
    if code.product_id != product_id:
        return "CODE_PRODUCT_MISMATCH"
    if code.status == "issued":
        return "CODE_NOT_ATTACHED"
    if code.status == "voided":
        return "CODE_VOIDED"
    if code.status == "shipped":
        return None if code.order_id == order_id else "CODE_ALREADY_SHIPPED"
    if code.status == "attached":
        return None
    raise ValueError(f"unknown code status {code.status!r}")
