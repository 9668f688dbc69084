"""Product trace status, activation and the shipping rule (SPEC R8–R15, §4 States)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suyuan.domain.errors import DomainError, FieldError
from suyuan.domain.tracing import (
    Activation,
    KnownCode,
    LineCheck,
    ProductTrace,
    TraceStatus,
    badge,
    check_activation,
    check_line_counts,
    code_problem,
    codes_required,
    trace_status,
)

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
PAST = NOW - timedelta(hours=1)
FUTURE = NOW + timedelta(hours=1)
ALL_STATUSES: tuple[TraceStatus, ...] = get_args(TraceStatus)

# Independent table: (attached>0, activation, activate_at kind, abnormal>0) -> status.
# "on" without a time is an invalid record (ValueError); written out by hand, no shared logic.
_TABLE: dict[tuple[bool, str, str, bool], TraceStatus | None] = {}
for _att, _act, _when, _abn in itertools.product(
    (False, True), ("none", "on", "stopped"), ("past", "future", "none"), (False, True)
):
    if _act == "on" and _when == "none":
        _TABLE[(_att, _act, _when, _abn)] = None
    elif not _att:
        _TABLE[(_att, _act, _when, _abn)] = "not_enrolled"
    elif _act == "none":
        _TABLE[(_att, _act, _when, _abn)] = "pending"
    elif _act == "stopped":
        _TABLE[(_att, _act, _when, _abn)] = "stopped"
    elif _when == "future":
        _TABLE[(_att, _act, _when, _abn)] = "scheduled"
    else:
        _TABLE[(_att, _act, _when, _abn)] = "abnormal" if _abn else "active"

_WHEN = {"past": PAST, "future": FUTURE, "none": None}


@pytest.mark.parametrize(("key", "expected"), sorted(_TABLE.items()))
def test_trace_status_table(key: tuple[bool, str, str, bool], expected: str | None) -> None:
    att, act, when, abn = key
    assert act in ("none", "on", "stopped")
    attached, at, abnormal = (3 if att else 0), _WHEN[when], (2 if abn else 0)
    if expected is None:
        with pytest.raises(ValueError, match="needs activate_at"):
            ProductTrace(attached, act, at, abnormal)  # type: ignore[arg-type]
        return
    p = ProductTrace(attached, act, at, abnormal)  # type: ignore[arg-type]
    assert trace_status(p, NOW) == expected


def test_activation_at_exactly_now_has_taken_effect() -> None:
    p = ProductTrace(1, "on", NOW, 0)
    assert trace_status(p, NOW) == "active"
    assert trace_status(p, NOW - timedelta(microseconds=1)) == "scheduled"


def test_scheduled_takes_effect_from_clock_in_any_timezone() -> None:
    cst = timezone(timedelta(hours=8))
    p = ProductTrace(1, "on", FUTURE.astimezone(cst), 0)
    assert trace_status(p, NOW) == "scheduled"
    assert trace_status(p, FUTURE) == "active"


def test_naive_datetimes_and_negative_counts_rejected() -> None:
    with pytest.raises(ValueError, match="activate_at must be timezone-aware"):
        ProductTrace(1, "on", datetime(2026, 1, 1), 0)
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        trace_status(ProductTrace(1, "none", None, 0), datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="negative"):
        ProductTrace(-1, "none", None, 0)
    with pytest.raises(ValueError, match="negative"):
        ProductTrace(1, "none", None, -1)


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_badge_and_codes_required(status: TraceStatus) -> None:
    assert badge(status) is (status == "active")
    assert codes_required(status) is (status in {"active", "abnormal"})


def test_status_literal_is_complete() -> None:
    assert set(ALL_STATUSES) == {
        "not_enrolled",
        "pending",
        "scheduled",
        "active",
        "abnormal",
        "stopped",
    }


# --- check_activation (R9) ---------------------------------------------------------------


@pytest.mark.parametrize("activation", get_args(Activation))
def test_check_activation_immediate_returns_now(activation: Activation) -> None:
    p = ProductTrace(1, activation, PAST if activation == "on" else None, 0)
    assert check_activation(p, NOW, None) == NOW


def test_check_activation_future_returns_at() -> None:
    assert check_activation(ProductTrace(1, "none", None, 0), NOW, FUTURE) == FUTURE


@pytest.mark.parametrize("at", [None, PAST, NOW, FUTURE])
def test_check_activation_without_codes_is_409_first(at: datetime | None) -> None:
    with pytest.raises(DomainError) as exc:
        check_activation(ProductTrace(0, "none", None, 0), NOW, at)
    assert (exc.value.code, exc.value.status) == ("NO_ATTACHED_CODES", 409)
    assert exc.value.key == "error.NO_ATTACHED_CODES"


@pytest.mark.parametrize("at", [PAST, NOW])
def test_check_activation_past_or_now_is_422(at: datetime) -> None:
    with pytest.raises(DomainError) as exc:
        check_activation(ProductTrace(1, "none", None, 0), NOW, at)
    assert (exc.value.code, exc.value.status) == ("ACTIVATION_TIME_IN_PAST", 422)
    assert exc.value.errors == [FieldError("at", "error.ACTIVATION_TIME_IN_PAST")]


def test_check_activation_naive_is_value_error() -> None:
    p = ProductTrace(1, "none", None, 0)
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        check_activation(p, datetime(2026, 1, 1), None)
    with pytest.raises(ValueError, match="at must be timezone-aware"):
        check_activation(p, NOW, datetime(2027, 1, 1))


# --- check_line_counts (R11) -------------------------------------------------------------

A, B, C, D = "A" * 17, "B" * 17, "C" * 17, "D" * 17


def _raises(lines: list[LineCheck]) -> DomainError:
    with pytest.raises(DomainError) as exc:
        check_line_counts(lines)
    return exc.value


def test_exact_counts_pass() -> None:
    check_line_counts([LineCheck("p1", 2, True, (A, B)), LineCheck("p2", 1, True, (C,))])
    check_line_counts([])


def test_not_required_lines_are_ignored() -> None:
    check_line_counts(
        [
            LineCheck("p1", 3, False, ()),
            LineCheck("p2", 1, False, (A, A, B)),
            LineCheck("p3", 1, True, (A,)),
        ]
    )


def test_too_few_names_every_short_line() -> None:
    err = _raises(
        [
            LineCheck("p0", 2, True, (A,)),
            LineCheck("p1", 1, True, (B,)),
            LineCheck("p2", 3, True, ()),
            LineCheck("p3", 5, False, ()),
        ]
    )
    assert (err.code, err.status) == ("TRACE_CODES_REQUIRED", 409)
    assert err.errors == [
        FieldError(
            "lines[0].trace_codes",
            "error.TRACE_CODES_REQUIRED",
            {"missing": 1, "quantity": 2, "product_id": "p0"},
        ),
        FieldError(
            "lines[2].trace_codes",
            "error.TRACE_CODES_REQUIRED",
            {"missing": 3, "quantity": 3, "product_id": "p2"},
        ),
    ]
    assert err.params == {
        "missing": [
            {"line": 0, "product_id": "p0", "missing": 1, "quantity": 2},
            {"line": 2, "product_id": "p2", "missing": 3, "quantity": 3},
        ],
        "lines": 2,
    }


def test_too_many_is_422_and_beats_too_few() -> None:
    err = _raises([LineCheck("p0", 1, True, ()), LineCheck("p1", 1, True, (A, B))])
    assert (err.code, err.status) == ("TRACE_CODE_COUNT_MISMATCH", 422)
    assert err.errors == [
        FieldError(
            "lines[1].trace_codes",
            "error.TRACE_CODE_COUNT_MISMATCH",
            {"given": 2, "quantity": 1, "product_id": "p1"},
        )
    ]


def test_duplicate_within_line() -> None:
    err = _raises([LineCheck("p0", 3, True, (A, B, A))])
    assert (err.code, err.status) == ("DUPLICATE_TRACE_CODE", 422)
    assert err.errors == [
        FieldError("lines[0].trace_codes[2]", "error.DUPLICATE_TRACE_CODE", {"code": A})
    ]


def test_duplicate_across_lines_beats_counts() -> None:
    err = _raises(
        [
            LineCheck("p0", 2, True, (A, B)),
            LineCheck("p1", 1, True, (C, D, B)),  # also too many
            LineCheck("p2", 2, True, (A,)),  # also too few
        ]
    )
    assert err.code == "DUPLICATE_TRACE_CODE"
    assert [e.field for e in err.errors] == ["lines[1].trace_codes[2]", "lines[2].trace_codes[0]"]


def test_duplicate_with_ignored_line_is_not_a_duplicate() -> None:
    check_line_counts([LineCheck("p0", 1, False, (A,)), LineCheck("p1", 1, True, (A,))])


def test_negative_quantity_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        LineCheck("p", -1, True, ())


# --- code_problem (R12, R13, R18) --------------------------------------------------------


def _known(
    status: str, *, store: str = "s1", product: str = "p1", order: str | None = None
) -> KnownCode:
    return KnownCode(store, product, status, order)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (None, "CODE_UNKNOWN"),
        (_known("attached", store="s2"), "CODE_UNKNOWN"),
        (_known("shipped", store="s2", product="p9", order="o9"), "CODE_UNKNOWN"),
        (_known("attached", product="p2"), "CODE_PRODUCT_MISMATCH"),
        (_known("voided", product="p2"), "CODE_PRODUCT_MISMATCH"),
        (_known("issued"), "CODE_NOT_ATTACHED"),
        (_known("voided"), "CODE_VOIDED"),
        (_known("shipped", order="o2"), "CODE_ALREADY_SHIPPED"),
        (_known("shipped", order="o1"), None),
        (_known("attached"), None),
    ],
)
def test_code_problem(code: KnownCode | None, expected: str | None) -> None:
    assert code_problem(code, store_id="s1", product_id="p1", order_id="o1") == expected


def test_code_problem_unknown_status_is_a_bug() -> None:
    with pytest.raises(ValueError, match="unknown code status"):
        code_problem(_known("lost"), store_id="s1", product_id="p1", order_id="o1")


# --- properties ----------------------------------------------------------------------------

_instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)


@st.composite
def _products(draw: st.DrawFn) -> ProductTrace:
    activation = draw(st.sampled_from(get_args(Activation)))
    at = draw(_instants) if activation == "on" else draw(st.none() | _instants)
    return ProductTrace(draw(st.integers(0, 5)), activation, at, draw(st.integers(0, 3)))


@given(_products(), _instants)
def test_trace_status_is_pure(p: ProductTrace, now: datetime) -> None:
    twin = ProductTrace(p.attached_codes, p.activation, p.activate_at, p.open_abnormal_orders)
    first = trace_status(p, now)
    assert first == trace_status(twin, now) == trace_status(p, now)
    assert first in ALL_STATUSES
    assert badge(first) is (first == "active")


@given(
    _products(), _instants, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3650))
)
def test_time_only_moves_scheduled_forward(p: ProductTrace, now: datetime, step: timedelta) -> None:
    before, after = trace_status(p, now), trace_status(p, now + step)
    if before == "scheduled":
        assert after in ("scheduled", "active", "abnormal")
        assert p.activate_at is not None
        if now + step >= p.activate_at:
            assert after == ("abnormal" if p.open_abnormal_orders else "active")
    else:
        assert after == before  # only a scheduled activation depends on the clock


def test_a_line_may_name_its_own_error_field() -> None:
    err = _raises([LineCheck("p9", 2, True, (), field="lines")])
    assert [e.field for e in err.errors] == ["lines"]
    assert err.errors[0].params["product_id"] == "p9"
