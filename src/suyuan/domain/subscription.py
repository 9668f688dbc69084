"""Subscription term arithmetic and the renewal notices (R7). Pure functions of "now"."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

PLAN = "standard-1y"
PLAN_PRICE_FEN = 0
RENEWAL_NOTICE_DAYS = 30

Status = Literal["active", "expired"]


def one_year_after(start: datetime) -> datetime:
    """The same instant a calendar year later (29 February falls back to 28 February)."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


def renewed_expiry(old_expiry: datetime, now: datetime) -> datetime:
    """R7: one more year from the later of now and the old expiry."""
    return one_year_after(max(old_expiry, now))


def status(expires_at: datetime, now: datetime) -> Status:
    """``active`` while ``expires_at`` is in the future."""
    return "active" if expires_at > now else "expired"


def days_left(expires_at: datetime, now: datetime) -> int:
    """Whole days until expiry, rounded up; 0 once expired."""
    seconds = (expires_at - now).total_seconds()
    return max(0, math.ceil(seconds / 86400))


@dataclass(frozen=True)
class Notice:
    """A message the store overview carries; ``code`` is stable, the text comes from i18n."""

    code: Literal["RENEWAL_DUE", "SUBSCRIPTION_EXPIRED"]
    expires_at: datetime
    days_left: int


def notices(expires_at: datetime, now: datetime) -> list[Notice]:
    """The renewal notice from 30 days before expiry; the expiry notice after it."""
    left = days_left(expires_at, now)
    if status(expires_at, now) == "expired":
        return [Notice("SUBSCRIPTION_EXPIRED", expires_at, 0)]
    if expires_at - now <= timedelta(days=RENEWAL_NOTICE_DAYS):
        return [Notice("RENEWAL_DUE", expires_at, left)]
    return []
