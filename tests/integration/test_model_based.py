"""Model-based test: random sequences of the whole trace workflow through the HTTP API, each
answer predicted by a small reference model (model_reference.py, driven by model_driver.py),
the database and the product views compared with the model after every step (R4–R16).

Hypothesis switches rules off at random per example (swarm testing) and likes long runs of one
rule, so the rules are "thick" — a shipment may create its order, the warehouse often restocks
codes before an upload, the world starts with attached codes and mostly an active product —
and switch tracing mostly where it changes something, to keep the deep states (abnormal
orders, corrections, expiry) reachable within a bounded number of steps.

Choices are drawn from the model's lists in creation order, never sorted by code: the codes
themselves are random, and the same draws must replay to the same (isomorphic) states.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from suyuan.context import Context
from suyuan.db import schema as s
from tests.integration.model_driver import (
    BOUND_IMPORTER,
    OTHER_IMPORTER,
    CheckedApi,
    Upload,
    declaration,
)
from tests.integration.model_reference import corrupt, with_check

# How one line's codes are chosen for a shipment or a correction.
KINDS = ("right",) * 4 + ("wrong",) * 3 + ("fresh", "missing", "extra", "duplicate", "malformed")
ON, OFF = ("active", "abnormal"), ("pending", "scheduled", "stopped")  # tracing in effect?
# move_clock, besides fixed steps: into the renewal notice's 30 days, or just past expiry
RENEWAL_WINDOW, PAST_EXPIRY = -1, -2
STYLES = ("plain", "plain", "lower", "grouped", "dashed")  # SPEC §5: input is normalized first
SETTINGS = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _present(code: str, style: str) -> str:
    """A code as a person or a scanner might type it."""
    groups = [code[i : i + 4] for i in range(0, len(code), 4)]
    typed = {"lower": code.lower(), "grouped": " ".join(groups), "dashed": "-".join(groups)}
    return typed.get(style, code)


class TraceMachine(RuleBasedStateMachine):
    def __init__(self, ctx: Context, client: TestClient) -> None:
        super().__init__()
        self.api = CheckedApi(ctx, client)  # an empty database and a fresh world
        self.model = self.api.model
        self.serial = 0  # declaration numbers and unknown codes
        self.seen: dict[str, str] = {}  # the trace status each product page was last read at
        self.turn = 0

    # ------------------------------------------------------------------ choosing
    def _unknown_code(self) -> str:
        self.serial += 1
        return with_check(f"Z{self.serial:015d}")

    def _codes(self, *statuses: str, product: str | None = None) -> list[str]:
        found = self.model.codes.items()
        return [k for k, c in found if c.status in statuses and product in (None, c.product)]

    def _some(self, *statuses: str) -> bool:
        return any(self.model.status(p) in statuses for p in self.model.products)

    def _product(self, data: st.DataObject, *statuses: str) -> str:
        """Mostly a product in one of ``statuses`` (default: any with attached codes)."""
        m = self.model
        likely = [
            p
            for p in m.products
            if (m.status(p) in statuses if statuses else m.count(p, "attached", "shipped"))
        ]
        choice = st.sampled_from(likely) if likely else st.nothing()
        return data.draw(choice | choice | st.sampled_from(list(m.products)))

    def _batch(self, data: st.DataObject, likely: list[str], size: int) -> list[str]:
        """For attach/void: mostly ``likely`` codes, any known one, an unknown or malformed."""
        known = st.sampled_from(list(self.model.codes))
        pick = (st.sampled_from(likely) | known) if likely else known
        batch = data.draw(st.lists(pick, min_size=1, max_size=size))
        extra = data.draw(st.sampled_from(["none", "none", "unknown", "malformed"]))
        if extra != "none":
            batch.append(self._unknown_code() if extra == "unknown" else corrupt(batch[0]))
        style = data.draw(st.sampled_from(STYLES))
        return [_present(c, style) for c in batch]

    def _wrong_code(self, data: st.DataObject, order_id: str, product: str) -> str:
        """A well-formed code that is wrong for the line; each R12 reason about as likely."""
        m = self.model
        mine = [(k, c) for k, c in m.codes.items() if c.product == product]
        pools = [
            [k for k, c in m.codes.items() if c.product != product],
            [k for k, c in mine if c.status == "issued"],
            [k for k, c in mine if c.status == "voided"],
            [k for k, c in mine if c.status == "shipped" and c.order != order_id],
        ]
        choices = [st.sampled_from(pool) for pool in pools if pool]
        code: str = data.draw(st.one_of(*choices, st.builds(self._unknown_code)))
        return code

    def _line(self, data: st.DataObject, order_id: str, product: str) -> list[str] | None:
        """The codes of one upload line, right or wrong in one of the KINDS (None: omitted).
        "Right" is the codes already bound to the order, then fresh attached ones; "fresh"
        leaves the bound ones out (a correction may then exceed the line's units)."""
        kind = data.draw(st.sampled_from((*KINDS, "omit")))
        if kind == "omit":
            return None
        quantity = self.model.orders[order_id].lines[product]
        bound = [] if kind == "fresh" else self.model.bound(order_id, product)
        codes = (bound + self._codes("attached", product=product))[:quantity]
        if kind == "wrong":
            codes = [*codes[:-1], self._wrong_code(data, order_id, product)]
        elif kind == "missing":
            codes = codes[:-1]
        elif kind == "extra":
            others = [c for c in self.model.codes if c not in codes]
            codes = [*codes, others[0] if others else self._unknown_code()]
        elif kind == "duplicate" and codes:
            codes = [*codes[:-1], codes[0]] if len(codes) > 1 else codes * 2
        elif kind == "malformed":
            codes = [*codes[:-1], corrupt(codes[-1] if codes else self._unknown_code())]
        style = data.draw(st.sampled_from(STYLES))
        return [_present(c, style) for c in codes]

    def _restock(self, order_id: str, product: str) -> None:
        """The warehouse labels enough new codes for the line, if the declarations allow."""
        m = self.model
        missing = m.orders[order_id].lines[product] - len(m.bound(order_id, product))
        missing -= len(self._codes("attached", product=product))
        items = [i for i, x in m.items.items() if x.visible and x.quantity - x.issued >= missing]
        if missing > 0 and items and m.products[product].bonded:
            self.api.attach(self.api.request(product, items[0], missing))

    def _upload(self, data: st.DataObject, order_id: str, products: list[str]) -> Upload:
        """The lines of a shipment or correction; often the warehouse restocks codes first."""
        if data.draw(st.booleans()):
            for pid in products:
                self._restock(order_id, pid)
        lines = [(pid, self._line(data, order_id, pid)) for pid in products]
        return [(pid, codes) for pid, codes in lines if codes is not None]

    def _abnormal_order(self, data: st.DataObject) -> str:
        abnormal = [o for o, x in self.model.orders.items() if x.trace_status == "abnormal"]
        return data.draw(st.sampled_from(abnormal))

    # ------------------------------------------------------------------ rules
    @initialize(
        quantities=st.lists(st.integers(6, 9), min_size=1, max_size=2),
        attached=st.integers(2, 5),
        active=st.sampled_from([True, True, True, False]),
    )
    def first_codes(self, quantities: list[int], attached: int, active: bool) -> None:
        """A declaration and a few codes attached to the first product, mostly active: the
        state most workflows start from, so that shipments matter from the first step."""
        self.serial += 1
        self.api.load(declaration(self.serial, "1210", BOUND_IMPORTER, quantities))
        product, item = next(iter(self.model.products)), next(iter(self.model.items))
        self.api.attach(self.api.request(product, item, attached))
        if active:
            self.api.activate(product, None)

    @rule(
        variant=st.sampled_from(["new", "new", "new", "same", "changed"]),
        trade_mode=st.sampled_from(["1210", "1239", "9610"]),
        bound=st.booleans(),
        quantities=st.lists(st.integers(1, 8), min_size=1, max_size=2),
        data=st.data(),
    )
    def load_declaration(
        self, variant: str, trade_mode: str, bound: bool, quantities: list[int], data: Any
    ) -> None:
        """A new document (R4: bonded only; R5: another importer's is not the store's), the
        same one again (a no-op), or a changed one under a known number (409)."""
        if variant == "new":
            self.serial += 1
            importer = BOUND_IMPORTER if bound else OTHER_IMPORTER
            self.api.load(declaration(self.serial, trade_mode, importer, quantities))
            return
        doc = data.draw(st.sampled_from(list(self.model.documents.values())))
        doc = json.loads(json.dumps(doc))  # a copy, as a client would send it again
        if variant == "changed":
            doc["items"][0]["quantity"] += 1
        self.api.load(doc)

    @rule(
        data=st.data(),
        quantity=st.integers(1, 4),
        attach=st.integers(0, 4),
        fee=st.sampled_from([None, None, 0, 7, 10, 25]),
        retry=st.sampled_from([False, False, True]),
    )
    def request_codes(
        self, data: st.DataObject, quantity: int, attach: int, fee: Any, retry: bool
    ) -> None:
        """Mostly a bonded product and an item with codes left, sometimes right after the
        platform repriced (R16), sometimes sent twice under one Idempotency-Key (R19); the
        warehouse may label some of the new codes at once."""
        if fee is not None:
            self.api.set_fee(fee)
        m = self.model
        bonded = [p for p, x in m.products.items() if x.bonded]
        usable = [i for i, x in m.items.items() if x.visible and x.issued < x.quantity]
        product = data.draw(st.sampled_from(bonded) | st.sampled_from(list(m.products)))
        likely = st.sampled_from(usable) if usable else st.nothing()
        item = data.draw(likely | st.sampled_from(list(m.items)))
        self.api.attach(self.api.request(product, item, quantity, retry)[:attach])
        self.api.check_items()
        if fee is not None:
            self.api.check_bills()  # the earlier charges keep their own price

    @precondition(lambda self: self._codes("issued"))
    @rule(data=st.data())
    def attach_codes(self, data: st.DataObject) -> None:
        """A batch of labels reported stuck on units, some of them wrong (per-code answer)."""
        self.api.attach(self._batch(data, self._codes("issued"), 5))

    @precondition(lambda self: self.model.codes)
    @rule(data=st.data())
    def void_codes(self, data: st.DataObject) -> None:
        """A damaged label: one at a time, mostly one not yet stuck on (so tracing goes on)."""
        likely = self._codes("issued") or self._codes("attached")
        self.api.void(self._batch(data, likely, 1))

    # Switching only where it changes something (mostly): a long run of one rule is a common
    # Hypothesis example, and thirty stops in a row would test little.
    @precondition(lambda self: self._some(*OFF))
    @rule(data=st.data())
    def activate_now(self, data: st.DataObject) -> None:
        self.api.activate(self._product(data, *OFF), None)

    @precondition(lambda self: self._some(*OFF))
    @rule(data=st.data(), offset=st.sampled_from([-3600, 0, 60, 3600, 3 * 86400]))
    def schedule_activation(self, data: st.DataObject, offset: int) -> None:
        """定时生效 at a time relative to now: the past and now itself are refused (R9)."""
        at = self.model.now + timedelta(seconds=offset)
        self.api.activate(self._product(data, *OFF), at)

    @precondition(lambda self: self._some(*ON, "scheduled", "pending"))
    @rule(data=st.data())
    def stop(self, data: st.DataObject) -> None:
        self.api.stop(self._product(data, *ON, "scheduled", "pending"))

    def _order(self, data: st.DataObject) -> str:
        """A paid order of one or two products, the first mostly one that needs codes."""
        first = self._product(data, *ON)
        others = [p for p in self.model.products if p != first]
        products = [first, *data.draw(st.lists(st.sampled_from(others), max_size=1))]
        return self.api.order({p: data.draw(st.integers(1, 2)) for p in products})

    @rule(data=st.data())
    def create_order(self, data: st.DataObject) -> None:
        """An order shipped later, when its products' status may have changed."""
        self._order(data)

    def _ship(self, data: st.DataObject, order_id: str) -> None:
        """Ship with the lines' codes; sometimes sent twice under one Idempotency-Key (R19)."""
        upload = self._upload(data, order_id, list(self.model.orders[order_id].lines))
        self.api.ship(order_id, upload, retry=data.draw(st.sampled_from([False, False, True])))

    @rule(data=st.data())
    def ship_new_order(self, data: st.DataObject) -> None:
        self._ship(data, self._order(data))

    @precondition(lambda self: any(o.status == "paid" for o in self.model.orders.values()))
    @rule(data=st.data())
    def ship_earlier_order(self, data: st.DataObject) -> None:
        """Mostly one still paid (created earlier, or refused before); now and then one
        already shipped (409)."""
        orders = list(self.model.orders)
        paid = st.sampled_from([o for o in orders if self.model.orders[o].status == "paid"])
        self._ship(data, data.draw(st.one_of(paid, paid, paid, st.sampled_from(orders))))

    @precondition(lambda self: any(o.problems for o in self.model.orders.values()))
    @rule(data=st.data())
    def correct_wrong_lines(self, data: st.DataObject) -> None:
        """R13: re-upload only the lines with problems; the others keep theirs."""
        order_id = self._abnormal_order(data)
        order = self.model.orders[order_id]
        wrong = [p for p in order.lines if any(x[0] == p for x in order.problems)]
        self.api.correct(order_id, self._upload(data, order_id, wrong))

    @precondition(lambda self: any(o.problems for o in self.model.orders.values()))
    @rule(data=st.data())
    def correct_all_lines(self, data: st.DataObject) -> None:
        """Re-upload every line that needed codes; now and then a fine order's (409)."""
        order_id = self._abnormal_order(data)
        if data.draw(st.integers(0, 4)) == 0:
            shipped = [o for o, x in self.model.orders.items() if x.status == "shipped"]
            order_id = data.draw(st.sampled_from(shipped))
        order = self.model.orders[order_id]
        needing = [p for p in order.lines if order.required.get(p)] or list(order.lines)
        self.api.correct(order_id, self._upload(data, order_id, needing))

    @rule(
        seconds=st.sampled_from(
            [60, 3600, 86400, 20 * 86400, 200 * 86400, RENEWAL_WINDOW, PAST_EXPIRY]
        )
    )
    def move_clock(self, seconds: int) -> None:
        """Scheduled activations take effect and subscriptions expire, with no job running."""
        left = int((self.model.expires_at - self.model.now).total_seconds())
        if seconds in (RENEWAL_WINDOW, PAST_EXPIRY):
            seconds = max(60, left - 10 * 86400 if seconds == RENEWAL_WINDOW else left + 60)
        self.api.move_clock(seconds)
        self.api.check_subscription()
        self.api.check_bills()  # a new month has a bill of its own

    @precondition(lambda self: self.model.expires_at - self.model.now <= timedelta(days=30))
    @rule()
    def renew(self) -> None:
        """续期 once the renewal notice shows (R7): a year from the later of now and expiry."""
        self.api.renew()

    # ------------------------------------------------------------------ invariants
    @invariant()
    def database_matches_model(self) -> None:
        m, t, p, r = self.model, s.trace_codes, s.order_problems, s.code_requests
        with self.api.ctx.engine.connect() as conn:
            rows = conn.execute(select(s.declaration_items)).all()
            items = {x.id: (x.issued, x.quantity) for x in rows}
            codes = {
                x.code: (x.product_id, x.declaration_item_id, x.status, x.order_id)
                for x in conn.execute(select(t))
            }
            orders = {x.id: (x.status, x.trace_status) for x in conn.execute(select(s.orders))}
            rows = conn.execute(select(s.order_lines)).all()
            lines = {(x.order_id, x.product_id): x.quantity for x in rows}
            rows = conn.execute(select(p.c.order_id, p.c.product_id, p.c.code, p.c.reason)).all()
            problems = sorted(tuple(x) for x in rows)
            rows = conn.execute(select(r.c.quantity, r.c.per_code_fee_fen, r.c.charge_fen)).all()
            charges = sorted(tuple(x) for x in rows)
            per_order = conn.execute(
                select(t.c.order_id, t.c.product_id, func.count())
                .where(t.c.order_id.is_not(None))
                .group_by(t.c.order_id, t.c.product_id)
            ).all()
        # R5: issued ≤ declared, as many codes as issued, and what the model counted.
        for item_id, (issued, quantity) in items.items():
            from_codes = sum(1 for c in codes.values() if c[1] == item_id)
            assert issued == from_codes == m.items[item_id].issued <= quantity, item_id
        # R15: every code's product, item, status and order as the model has them.
        assert codes == {k: (c.product, c.item, c.status, c.order) for k, c in m.codes.items()}
        assert all((status == "shipped") == (o is not None) for *_, status, o in codes.values())
        # One unit, one code: no order line carries more codes than it has units.
        assert all(n <= lines[(order, product)] for order, product, n in per_order), per_order
        assert orders == {k: (x.status, x.trace_status) for k, x in m.orders.items()}
        assert problems == sorted((k, *x) for k, o in m.orders.items() for x in o.problems)
        # R16: every charge is its quantity × the fee at the time of its request.
        assert charges == sorted((c.quantity, c.fee, c.quantity * c.fee) for c in m.charges)

    @invariant()
    def products_match_model(self) -> None:
        listed = self.api.store.ok("GET", "/store/trace/products")["items"]
        assert {x["product_id"] for x in listed} == set(self.model.products)
        with self.api.ctx.engine.connect() as conn:
            open_problems = set(conn.execute(select(s.order_problems.c.product_id)).scalars())
        self.turn += 1
        for i, x in enumerate(listed):
            pid, m = x["product_id"], self.model
            counts = {k: m.count(pid, k) for k in ("issued", "attached", "shipped", "voided")}
            assert (x["trace_status"], x["codes"]) == (m.status(pid), counts), x
            assert x["abnormal_orders"] == m.abnormal_orders(pid), x
            # R10: the badge shows exactly while active, in the console and on the product
            # page. The page is read when the status changed, and in turn otherwise.
            assert x["badge"] is (x["trace_status"] == "active"), x
            if self.seen.get(pid) != x["trace_status"] or self.turn % len(listed) == i:
                public = self.api.client.get(f"/api/v1/public/products/{pid}").json()
                assert public["badge"] is x["badge"], (x, public)
                self.seen[pid] = x["trace_status"]
            # R12, R13: once tracing is in effect, abnormal ⇔ an order has an open problem.
            if x["trace_status"] in ON:
                assert (x["trace_status"] == "abnormal") == (pid in open_problems), x


def test_the_service_behaves_like_its_model(ctx: Context, client: TestClient) -> None:
    # A factory, not the class: each example's machine needs this test's database and app.
    run_state_machine_as_test(lambda: TraceMachine(ctx, client), settings=SETTINGS)  # type: ignore[arg-type]
