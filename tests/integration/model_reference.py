"""A small pure-Python reference model of the trace service, written from SPEC R4–R16.

The model-based test (test_model_based.py) drives the real service through the HTTP API and asks
this model, before every call, what must happen: success (and what it returns) or which problem
``(status, code)``. It keeps no database and knows nothing of the implementation; where the spec
leaves the order of checks open it follows the README's documented choices.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHINA = timezone(timedelta(hours=8))
BONDED_TRADE_MODES = ("1210", "1239")
REASON_FOR_STATUS = {
    "issued": "CODE_NOT_ATTACHED",
    "voided": "CODE_VOIDED",
    "shipped": "CODE_ALREADY_SHIPPED",
}


@dataclass(frozen=True)
class Refusal:
    """A request the service must refuse, changing nothing (R19)."""

    status: int
    code: str


# --------------------------------------------------------------------------- codes (SPEC §5)


def _luhn_total(symbols: str, double_first: bool) -> int:
    total = 0
    for i, ch in enumerate(reversed(symbols)):
        v = ALPHABET.index(ch)
        if (i % 2 == 0) == double_first:
            v *= 2
            v = v // 32 + v % 32
        total += v
    return total


def with_check(body: str) -> str:
    """``body`` (16 symbols) followed by its Luhn mod 32 check symbol."""
    return body + ALPHABET[-_luhn_total(body, double_first=True) % 32]


def parse(raw: str) -> str | None:
    """The normalized code, or None when malformed (wrong length, symbol or check)."""
    code = raw.upper().replace(" ", "").replace("-", "")
    code = code.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(code) != 17 or any(ch not in ALPHABET for ch in code):
        return None
    return code if _luhn_total(code, double_first=False) % 32 == 0 else None


def corrupt(code: str) -> str:
    """The code with a wrong check symbol (a single wrong symbol is always caught)."""
    return code[:-1] + ALPHABET[(ALPHABET.index(code[-1]) + 1) % 32]


def one_year_after(start: datetime) -> datetime:
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


# --------------------------------------------------------------------------- state


@dataclass
class Item:
    quantity: int
    visible: bool  # its importer is bound by the store with the store's provider (R5)
    issued: int = 0


@dataclass
class Code:
    product: str
    item: str
    status: str = "issued"  # issued → attached → shipped; issued|attached → voided (R15)
    order: str | None = None


@dataclass
class Product:
    bonded: bool
    activation: str = "none"  # none | on | stopped
    activate_at: datetime | None = None


@dataclass
class Order:
    lines: dict[str, int]  # product → quantity
    status: str = "paid"
    trace_status: str | None = None
    required: dict[str, bool] = field(default_factory=dict)  # fixed at shipment
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (product, code, reason)


@dataclass
class Charge:
    month: str
    quantity: int
    fee: int


@dataclass
class Model:
    now: datetime
    expires_at: datetime
    fee: int = 10
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # by declaration_no
    products: dict[str, Product] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    charges: list[Charge] = field(default_factory=list)

    # ------------------------------------------------------------------ derived
    @property
    def expired(self) -> bool:
        return self.expires_at <= self.now

    def count(self, product: str, *statuses: str) -> int:
        return sum(1 for c in self.codes.values() if c.product == product and c.status in statuses)

    def abnormal_orders(self, product: str) -> int:
        """Orders with an open problem on ``product`` (R12)."""
        return sum(1 for o in self.orders.values() if any(p[0] == product for p in o.problems))

    def status(self, product: str) -> str:
        """The product's trace status now (SPEC §4, R8–R14)."""
        p = self.products[product]
        if self.count(product, "attached", "shipped") == 0:
            return "not_enrolled"
        if p.activation == "none":
            return "pending"
        if p.activation == "stopped":
            return "stopped"
        assert p.activate_at is not None
        if p.activate_at > self.now:
            return "scheduled"
        return "abnormal" if self.abnormal_orders(product) else "active"

    def requires_codes(self, product: str) -> bool:
        return self.status(product) in ("active", "abnormal")

    def bill(self, month: str) -> tuple[int, list[tuple[int, int, int]]]:
        lines = [(c.quantity, c.fee, c.quantity * c.fee) for c in self.charges if c.month == month]
        return sum(x[2] for x in lines), sorted(lines)

    # ------------------------------------------------------------------ platform and store
    def subscription(self) -> dict[str, Any]:
        """R7: the status, the popup flag and the notices the store overview carries."""
        due = self.expires_at - self.now <= timedelta(days=30)
        notices = ["SUBSCRIPTION_EXPIRED"] if self.expired else ["RENEWAL_DUE"] if due else []
        status = "expired" if self.expired else "active"
        return {"status": status, "renewal_required": self.expired, "notices": notices}

    def renew(self) -> datetime:
        self.expires_at = one_year_after(max(self.expires_at, self.now))
        return self.expires_at

    def load_declaration(self, doc: dict[str, Any]) -> Refusal | str:
        """R4 and SPEC §6: only bonded declarations (1210/1239) are loaded; the same document
        again is a no-op, another one under a known number is 409. ``loaded`` or
        ``unchanged``; the new items themselves come from the service's answer."""
        if doc["trade_mode"] not in BONDED_TRADE_MODES:
            return Refusal(422, "NOT_BONDED_DECLARATION")
        known = self.documents.setdefault(doc["declaration_no"], doc)
        if known is doc:
            return "loaded"
        return "unchanged" if known == doc else Refusal(409, "DECLARATION_EXISTS")

    def request_codes(self, product: str, item_id: str, quantity: int) -> Refusal | int:
        """R4–R6, R16: the refusal, or the charge in fen (codes are added by ``issued``)."""
        item = self.items[item_id]
        if self.expired:
            return Refusal(403, "SUBSCRIPTION_EXPIRED")
        if not self.products[product].bonded:
            return Refusal(422, "NOT_BONDED_PRODUCT")
        if not item.visible:
            return Refusal(404, "NOT_FOUND")
        if item.issued + quantity > item.quantity:
            return Refusal(409, "QUANTITY_EXCEEDS_DECLARATION")
        item.issued += quantity
        self.charges.append(
            Charge(self.now.astimezone(CHINA).strftime("%Y-%m"), quantity, self.fee)
        )
        return quantity * self.fee

    def issued(self, product: str, item_id: str, codes: list[str]) -> None:
        for code in codes:
            self.codes[code] = Code(product, item_id)

    def _batch(
        self, raw: list[str], done: str, movable: tuple[str, ...], to: str
    ) -> dict[str, Any]:
        """Attach or void, answered per code (R6, R7, R15)."""
        moved, already, rejected = [], [], []
        wanted: set[str] = set()
        for value in raw:
            code = parse(value)
            if code is None:
                rejected.append((value, "MALFORMED_TRACE_CODE"))
            else:
                wanted.add(code)
        for code in sorted(wanted):
            known = self.codes.get(code)
            if known is None:
                rejected.append((code, "CODE_UNKNOWN"))
            elif known.status == done:
                already.append(code)
            elif self.expired:
                rejected.append((code, "SUBSCRIPTION_EXPIRED"))
            elif known.status in movable:
                known.status = to
                moved.append(code)
            else:
                rejected.append((code, REASON_FOR_STATUS[known.status]))
        return {"moved": moved, "already": already, "rejected": sorted(rejected)}

    def attach(self, raw: list[str]) -> dict[str, Any]:
        return self._batch(raw, "attached", ("issued",), "attached")

    def void(self, raw: list[str]) -> dict[str, Any]:
        return self._batch(raw, "voided", ("issued", "attached"), "voided")

    def activate(self, product: str, at: datetime | None) -> Refusal | str:
        """R9: the refusal, or the trace status right after."""
        if self.count(product, "attached", "shipped") == 0:
            return Refusal(409, "NO_ATTACHED_CODES")
        if at is not None and at <= self.now:
            return Refusal(422, "ACTIVATION_TIME_IN_PAST")
        p = self.products[product]
        p.activation, p.activate_at = "on", at or self.now
        return self.status(product)

    def stop(self, product: str) -> Refusal | str:
        """R14: stopping needs an enrolled product; it clears any schedule."""
        if self.count(product, "attached", "shipped") == 0:
            return Refusal(409, "INVALID_STATE")
        p = self.products[product]
        p.activation, p.activate_at = "stopped", None
        return "stopped"

    # ------------------------------------------------------------------ orders (R11–R13)
    def _check_upload(
        self, lines: dict[str, int], required: dict[str, bool], upload: list[tuple[str, list[str]]]
    ) -> Refusal | dict[str, list[str]]:
        """The normalized codes per required line, or why the upload ships nothing (R11)."""
        given = [pid for pid, _ in upload]
        if any(pid not in lines for pid in given) or len(set(given)) != len(given):
            return Refusal(422, "VALIDATION_ERROR")
        by_product = dict(upload)
        codes: dict[str, list[str]] = {}
        for pid in lines:
            if required[pid]:
                parsed = [parse(raw) for raw in by_product.get(pid, [])]
                if None in parsed:
                    return Refusal(422, "MALFORMED_TRACE_CODE")
                codes[pid] = [c for c in parsed if c is not None]
        if any(n > 1 for n in Counter(c for cs in codes.values() for c in cs).values()):
            return Refusal(422, "DUPLICATE_TRACE_CODE")
        if any(len(cs) > lines[pid] for pid, cs in codes.items()):
            return Refusal(422, "TRACE_CODE_COUNT_MISMATCH")
        if any(len(cs) < lines[pid] for pid, cs in codes.items()):
            return Refusal(409, "TRACE_CODES_REQUIRED")
        return codes

    def _bind(self, order_id: str, codes: dict[str, list[str]]) -> list[tuple[str, str, str]]:
        """Bind the valid codes to the order; the wrong ones with their reasons (R12, R15)."""
        found = []
        for pid, cs in codes.items():
            for code in cs:
                known = self.codes.get(code)
                if known is None:
                    found.append((pid, code, "CODE_UNKNOWN"))
                elif known.product != pid:
                    found.append((pid, code, "CODE_PRODUCT_MISMATCH"))
                elif known.status == "shipped" and known.order == order_id:
                    continue  # already bound to this order (a correction re-upload)
                elif known.status != "attached":
                    found.append((pid, code, REASON_FOR_STATUS[known.status]))
                else:
                    known.status, known.order = "shipped", order_id
        return found

    def ship(self, order_id: str, upload: list[tuple[str, list[str]]]) -> Refusal | dict[str, Any]:
        order = self.orders[order_id]
        if order.status != "paid":
            return Refusal(409, "ORDER_ALREADY_SHIPPED")
        required = {pid: self.requires_codes(pid) for pid in order.lines}
        codes = self._check_upload(order.lines, required, upload)
        if isinstance(codes, Refusal):
            return codes
        order.problems = self._bind(order_id, codes)
        order.status, order.required = "shipped", required
        order.trace_status = (
            "abnormal" if order.problems else "ok" if any(required.values()) else "not_required"
        )
        return {"trace_status": order.trace_status, "problems": sorted(order.problems)}

    def bound(self, order_id: str, product: str) -> list[str]:
        return [k for k, c in self.codes.items() if c.order == order_id and c.product == product]

    def correct(
        self, order_id: str, upload: list[tuple[str, list[str]]]
    ) -> Refusal | dict[str, Any]:
        """R13: re-upload whole lines; bound codes stay bound and count toward the quantity."""
        order = self.orders[order_id]
        if order.trace_status != "abnormal":
            return Refusal(409, "INVALID_STATE")
        needing = {pid: q for pid, q in order.lines.items() if order.required[pid]}
        lines = {pid: q for pid, q in needing.items() if pid in dict(upload)} or needing
        codes = self._check_upload(lines, dict.fromkeys(lines, True), upload)
        if isinstance(codes, Refusal):
            return codes
        if any(len(set(self.bound(order_id, p)) | set(cs)) > lines[p] for p, cs in codes.items()):
            return Refusal(422, "TRACE_CODE_COUNT_MISMATCH")
        found = self._bind(order_id, codes)
        kept = [p for p in order.problems if p[0] not in lines]
        order.problems = kept + found
        order.trace_status = "abnormal" if order.problems else "corrected"
        return {"trace_status": order.trace_status, "problems": sorted(order.problems)}
