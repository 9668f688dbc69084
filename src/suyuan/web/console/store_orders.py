"""订单 and 异常订单: create an order (standing in for the order system), open one by id, ship
it with each unit's code typed one per line, and correct the codes of an abnormal order."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import DomainError, FieldError, validation_error
from suyuan.services import orders, shipping
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console.common import check_csrf, redirect
from suyuan.web.console.store_common import (
    HOME,
    Form,
    User,
    attempt,
    ctx_of,
    indexed_lines,
    line_errors,
    page,
    router,
    sid,
    text,
)
from suyuan.web.console.store_views import abnormal_page, all_products, order_page

ORDER_ROWS = 3
MAX_QUANTITY = 10_000


def _orders(
    request: Request,
    user: ConsoleUser,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    choices = ctx_of(request).read(lambda uow: all_products(uow, sid(user)))
    recent = ctx_of(request).read(lambda uow: orders.recent_orders(uow, sid(user)))
    return page(
        request,
        user,
        "console/store/orders.html",
        nav="orders",
        status=status,
        errors=errors,
        form=form or {"quantity_0": "1"},
        products=choices,
        recent=recent,
        rows=ORDER_ROWS,
    )


@router.get("/orders", response_class=HTMLResponse)
def order_home(request: Request, user: User, id: str | None = None) -> Response:
    """Open an order by its id (``?id=``), or create one."""
    wanted = (id or "").strip()
    if wanted:
        return redirect(f"{HOME}orders/{quote(wanted[:64], safe='')}")
    return _orders(request, user)


def _items(form: Form) -> tuple[list[tuple[str, int]], list[int]]:
    """The filled rows as ``(product_id, quantity)`` and the form row of each."""
    items: list[tuple[str, int]] = []
    rows: list[int] = []
    errors: list[FieldError] = []
    for row in range(ORDER_ROWS):
        pid, raw = text(form, f"product_{row}"), text(form, f"quantity_{row}", 12)
        if not pid:
            continue
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_QUANTITY):
            errors.append(FieldError(f"quantity_{row}", "error.quantity.range", {"max": 10_000}))
            continue
        items.append((pid, int(raw)))
        rows.append(row)
    if errors:
        raise validation_error(errors)
    if not items:
        raise validation_error([FieldError("product_0", "error.field.required")])
    return items, rows


def _create(uow: UnitOfWork, user: ConsoleUser, form: Form) -> dict[str, Any]:
    items, rows = _items(form)
    try:
        return orders.create_order(uow, user.actor, sid(user), items)
    except DomainError as e:  # name the form's row, not the index among the filled rows
        rename = {f"items[{k}].product_id": f"product_{row}" for k, row in enumerate(rows)}
        e.errors = [FieldError(rename.get(x.field, x.field), x.key, x.params) for x in e.errors]
        raise


@router.post("/orders")
def create_order(request: Request, user: User, form: Form) -> Response:
    """A paid order of the store's products (one line per product)."""
    check_csrf(user, form)
    order, errors = attempt(request, lambda uow: _create(uow, user, form))
    if order is None:
        typed = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        return _orders(request, user, status=422, errors=errors, form=typed)
    return redirect(f"{HOME}orders/{order['id']}?done=order_created")


def _order(
    request: Request,
    user: ConsoleUser,
    order_id: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    data = ctx_of(request).read(lambda uow: order_page(uow, sid(user), order_id))
    errors = errors or {}
    return page(
        request,
        user,
        "console/store/order.html",
        nav="orders",
        status=status,
        errors=errors,
        by_line=line_errors(errors),
        form=form or {},
        **data,
    )


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_detail(request: Request, user: User, order_id: str) -> HTMLResponse:
    """The order: lines, bound codes, problems; the ship form while it is paid."""
    return _order(request, user, order_id)


def _typed(form: Form) -> dict[str, str]:
    return {k: str(v) for k, v in form.items() if k != "csrf_token"}


@router.post("/orders/{order_id}/shipment")
def ship(request: Request, user: User, order_id: str, form: Form) -> Response:
    """发货: the tracking number and, per line, each unit's code (R11, R12)."""
    check_csrf(user, form)

    def use_case(uow: UnitOfWork) -> dict[str, Any]:
        tracking_no = text(form, "tracking_no", 64)
        if not tracking_no:
            raise validation_error([FieldError("tracking_no", "error.field.required")])
        lines = indexed_lines(form)
        return shipping.ship(uow, user.actor, sid(user), order_id, tracking_no, lines)

    result, errors = attempt(request, use_case)
    if result is None:
        return _order(request, user, order_id, status=422, errors=errors, form=_typed(form))
    done = "shipped_abnormal" if result["trace_status"] == "abnormal" else "shipped"
    return redirect(f"{HOME}orders/{order_id}?done={done}")


@router.post("/orders/{order_id}/correction")
def correct(request: Request, user: User, order_id: str, form: Form) -> Response:
    """Re-upload the codes of an abnormal order's lines (R13); back to where it was sent from."""
    check_csrf(user, form)
    result, errors = attempt(
        request,
        lambda uow: shipping.correct(uow, user.actor, sid(user), order_id, indexed_lines(form)),
    )
    if result is None:
        return _order(request, user, order_id, status=422, errors=errors, form=_typed(form))
    done = "corrected" if result["trace_status"] == "corrected" else "still_abnormal"
    if text(form, "back") == "abnormal":
        return redirect(f"{HOME}abnormal-orders?done={done}")
    return redirect(f"{HOME}orders/{order_id}?done={done}")


def _order_page(user: User, order_id: str) -> Response:
    """A form's address opened with GET (after logging in again): the order's page."""
    return redirect(f"{HOME}orders/{quote(order_id, safe='')}")


for _path in ("/orders/{order_id}/shipment", "/orders/{order_id}/correction"):
    router.add_api_route(_path, _order_page, methods=["GET"], include_in_schema=False)


@router.get("/abnormal-orders", response_class=HTMLResponse)
def abnormal_orders(request: Request, user: User, cursor: str | None = None) -> HTMLResponse:
    """异常订单: each wrong code with its reason, and a correction form per order."""
    after = (cursor or "")[:64] or None
    data = ctx_of(request).read(lambda uow: abnormal_page(uow, sid(user), after))
    return page(
        request,
        user,
        "console/store/abnormal.html",
        nav="abnormal",
        cursor=after,
        by_line={},
        form={},
        **data,
    )
