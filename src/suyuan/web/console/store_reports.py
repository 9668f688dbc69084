"""账单 (monthly bill with CSV), 扫码分析 (scans per day per product as SVG bar charts) and
扫码预警 (codes whose scans look wrong)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from suyuan.api.outputs import csv_response
from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import DomainError
from suyuan.services import accounts, billing, product_trace, scan_analytics
from suyuan.services.billing import CHINA
from suyuan.web.console.common import lang_of
from suyuan.web.console.store_chart import bar_chart
from suyuan.web.console.store_common import User, ctx_of, errors_of, page, router, sid
from suyuan.web.console.store_views import product_row, titles

DAY_CHOICES = (7, 30, 90)
MAX_CHARTS = 20


def months(now: datetime, count: int = 12) -> list[str]:
    """This China month and the ``count - 1`` before it, newest first (``YYYY-MM``)."""
    here = now.astimezone(CHINA)
    year, month = here.year, here.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


def _bill(uow: UnitOfWork, store_id: str, month: str | None) -> dict[str, Any]:
    bill = billing.store_bill(uow, store_id, month)
    warehouses = {x["warehouse_id"] for x in bill["lines"]}
    return {
        "bill": bill,
        "titles": titles(uow, store_id, [x["product_id"] for x in bill["lines"]]),
        "warehouses": {w: accounts.get_org(uow, "warehouse", w)["name"] for w in warehouses},
    }


@router.get("/bills", response_class=HTMLResponse)
def bills(request: Request, user: User, month: str | None = None) -> HTMLResponse:
    """账单 of a China month (this one by default), each code request's charge and the total."""
    ctx = ctx_of(request)
    errors: dict[str, str] = {}
    try:
        data = ctx.read(lambda uow: _bill(uow, sid(user), month or None))
    except DomainError as e:
        if e.status == 404:
            raise
        errors = errors_of(e, lang_of(request))
        data = ctx.read(lambda uow: _bill(uow, sid(user), None))
    return page(
        request,
        user,
        "console/store/bills.html",
        nav="bills",
        status=422 if errors else 200,
        errors=errors,
        months=months(ctx.clock.now()),
        **data,
    )


@router.get("/bills.csv")
def bills_csv(request: Request, user: User, month: str | None = None) -> Response:
    """The month's bill as CSV: the same file as the API's ``/store/trace/bills.csv``."""
    bill = ctx_of(request).read(lambda uow: billing.store_bill(uow, sid(user), month or None))
    return csv_response(billing.csv_rows([bill]), f"bill-{bill['month']}.csv")


def _charts(
    uow: UnitOfWork, store_id: str, product_id: str | None, days: int
) -> list[dict[str, Any]]:
    if product_id:
        chosen = [product_row(uow, store_id, product_id)]
    else:
        found = product_trace.list_products(uow, store_id, 200, None)["items"]
        chosen = [p for p in found if sum(p["codes"].values()) > 0][:MAX_CHARTS]
    out = []
    for p in chosen:
        per_day = scan_analytics.scans_per_day(uow, store_id, p["product_id"], days)
        out.append({"product": p, "chart": bar_chart(per_day["days"])})
    return out


@router.get("/scans", response_class=HTMLResponse)
def scans(
    request: Request, user: User, days: str = "30", product: str | None = None
) -> HTMLResponse:
    """扫码分析: one bar chart of scans per China day for each product with codes."""
    span = int(days) if days in {str(d) for d in DAY_CHOICES} else 30
    charts = ctx_of(request).read(lambda uow: _charts(uow, sid(user), product or None, span))
    return page(
        request,
        user,
        "console/store/scans.html",
        nav="scans",
        charts=charts,
        days=span,
        day_choices=DAY_CHOICES,
        product=product or "",
    )


@router.get("/scan-alerts", response_class=HTMLResponse)
def scan_alerts(request: Request, user: User, cursor: str | None = None) -> HTMLResponse:
    """扫码预警: scanned before shipping, after voiding, too often, or from many networks."""
    ctx = ctx_of(request)
    after = (cursor or "")[:64] or None
    warn_after = ctx.settings.scan_warn_after

    def read(uow: UnitOfWork) -> tuple[Any, dict[str, str]]:
        found = scan_analytics.alerts(uow, sid(user), warn_after, 50, after)
        return found, titles(uow, sid(user), [a["product_id"] for a in found["items"]])

    found, names = ctx.read(read)
    return page(
        request,
        user,
        "console/store/alerts.html",
        nav="alerts",
        items=found["items"],
        next_cursor=found["next_cursor"],
        cursor=after,
        titles=names,
        warn_after=warn_after,
    )
