"""What the merchant learns from scans: suspicious codes and scans per day (issue 5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.scanning import ScanFact, alert_reasons
from suyuan.services.billing import CHINA
from suyuan.services.paging import Page
from suyuan.services.stores import load_product


def _scans_by_code(uow: UnitOfWork, codes: list[str]) -> dict[str, list[ScanFact]]:
    sc = s.scans
    out: dict[str, list[ScanFact]] = {c: [] for c in codes}
    for start in range(0, len(codes), 1000):
        rows = uow.conn.execute(
            select(sc.c.code, sc.c.scanned_at, sc.c.network_hash).where(
                sc.c.code.in_(codes[start : start + 1000])
            )
        )
        for code, at, network in rows:
            out[code].append(ScanFact(at, network))
    return out


def alerts(uow: UnitOfWork, store_id: str, warn_after: int, limit: int, cursor: str | None) -> Page:
    """The store's codes whose scans look wrong, each with its reasons, in code order."""
    t, sc = s.trace_codes, s.scans
    rows = uow.conn.execute(
        select(t.c.code, t.c.product_id, t.c.status, t.c.scan_count, t.c.shipped_at, t.c.voided_at)
        .where(
            t.c.store_id == store_id,
            t.c.code.in_(select(sc.c.code).distinct()),
            t.c.code > (cursor or ""),
        )
        .order_by(t.c.code)
    ).all()
    found: list[dict[str, Any]] = []
    scans = _scans_by_code(uow, [r.code for r in rows])
    for r in rows:
        reasons = alert_reasons(
            r.status, r.scan_count, warn_after, scans[r.code], r.shipped_at, r.voided_at
        )
        if reasons:
            found.append(
                {
                    "code": r.code,
                    "product_id": r.product_id,
                    "status": r.status,
                    "scan_count": r.scan_count,
                    "reasons": reasons,
                }
            )
            if len(found) > limit:
                break
    more = len(found) > limit
    found = found[:limit]
    return {"items": found, "next_cursor": found[-1]["code"] if more else None}


def scans_per_day(uow: UnitOfWork, store_id: str, product_id: str, days: int) -> dict[str, Any]:
    """Scans of the product's codes per China day, the last ``days`` days, oldest first."""
    load_product(uow, store_id, product_id)
    today = uow.now.astimezone(CHINA).date()
    first = today - timedelta(days=days - 1)
    start = uow.now.astimezone(CHINA).replace(
        year=first.year, month=first.month, day=first.day, hour=0, minute=0, second=0, microsecond=0
    )
    t, sc = s.trace_codes, s.scans
    counts = {first + timedelta(days=n): 0 for n in range(days)}
    rows = uow.conn.execute(
        select(sc.c.scanned_at)
        .join(t, t.c.code == sc.c.code)
        .where(t.c.product_id == product_id, sc.c.scanned_at >= start)
    ).scalars()
    for at in rows:
        day = at.astimezone(CHINA).date()
        if day in counts:
            counts[day] += 1
    return {
        "product_id": product_id,
        "days": [{"date": d.isoformat(), "scans": n} for d, n in counts.items()],
    }
