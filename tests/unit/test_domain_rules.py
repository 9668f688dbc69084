"""Pure rules: subscription terms and notices (R7), onboarding steps (R2), language choice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suyuan.api.problems import field_path
from suyuan.domain import onboarding as steps
from suyuan.domain import subscription as term
from suyuan.i18n import CATALOG, negotiate, translate

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
aware = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)


def test_a_year_after_29_february_is_28_february() -> None:
    assert term.one_year_after(datetime(2028, 2, 29, tzinfo=UTC)) == datetime(
        2029, 2, 28, tzinfo=UTC
    )


@given(old=aware, now=aware)
def test_renewal_always_ends_a_year_after_the_later_of_now_and_old_expiry(
    old: datetime, now: datetime
) -> None:
    new = term.renewed_expiry(old, now)
    assert new > max(old, now)
    assert timedelta(days=365) <= new - max(old, now) <= timedelta(days=366)


def test_status_flips_exactly_at_expiry() -> None:
    assert term.status(T0, T0 - timedelta(microseconds=1)) == "active"
    assert term.status(T0, T0) == "expired"


@pytest.mark.parametrize(
    ("before", "codes", "days"),
    [
        (timedelta(days=31), [], None),
        (timedelta(days=30), ["RENEWAL_DUE"], 30),
        (timedelta(hours=1), ["RENEWAL_DUE"], 1),
        (-timedelta(seconds=1), ["SUBSCRIPTION_EXPIRED"], 0),
    ],
)
def test_notices_from_30_days_before_expiry(
    before: timedelta, codes: list[str], days: int | None
) -> None:
    notices = term.notices(T0, T0 - before)
    assert [n.code for n in notices] == codes
    if days is not None:
        assert notices[0].days_left == days


def _progress(done: int, completed: bool = False) -> steps.Progress:
    return steps.Progress(
        opened=done >= 1,
        subscribed=done >= 2,
        importers_bound=int(done >= 3),
        warehouses_linked=int(done >= 4),
        completed=completed,
    )


@pytest.mark.parametrize(
    ("done", "completed", "step"),
    [
        (0, False, "not_opened"),
        (1, False, "authorize_provider"),
        (2, False, "bind_importer"),
        (3, False, "guide_warehouse"),
        (4, False, "guide_warehouse"),
        (4, True, "done"),
    ],
)
def test_current_step(done: int, completed: bool, step: str) -> None:
    assert steps.current_step(_progress(done, completed)) == step


@pytest.mark.parametrize("needed", steps.STEPS)
@pytest.mark.parametrize("done", range(5))
def test_the_missing_step_is_the_first_undone_before_the_needed_one(
    done: int, needed: steps.Step
) -> None:
    missing = steps.missing_for(_progress(done), needed)
    index = steps.STEPS.index(needed)
    assert missing == (steps.STEPS[done] if done < index else None)


@pytest.mark.parametrize(
    ("header", "override", "lang"),
    [
        (None, None, "zh"),
        ("en-US,en;q=0.9", None, "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", None, "zh"),
        ("fr-FR, en;q=0.5, zh;q=0.7", None, "zh"),
        ("de", None, "zh"),
        ("zh", "en", "en"),
        ("en;q=abc", None, "zh"),
    ],
)
def test_language_negotiation(header: str | None, override: str | None, lang: str) -> None:
    assert negotiate(header, override) == lang


def test_every_message_has_both_languages_and_formats_without_params() -> None:
    for key, (zh, en) in CATALOG.items():
        assert zh and en, key
        assert translate(key, "zh") and translate(key, "en")


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        (("body", "items", 2, "hs_code"), "items[2].hs_code"),
        (("body", 0, "declaration_no"), "[0].declaration_no"),
        (("query", "limit"), "limit"),
        (("body",), ""),
    ],
)
def test_field_paths(loc: tuple[int | str, ...], path: str) -> None:
    assert field_path(loc) == path


def test_english_messages_are_english() -> None:
    """Every string comes from one catalog and the two languages are never mixed (the language
    switch itself names the other language)."""
    import re

    cjk = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
    mixed = [key for key, (_, en) in CATALOG.items() if cjk.search(en) and key != "web.lang.switch"]
    assert mixed == []
