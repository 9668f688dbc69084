"""Read-only compositions of service calls that the store console's pages show together.

Every function takes the store's id and reads only through store-scoped services (R18).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from suyuan.db.uow import UnitOfWork
from suyuan.domain.errors import DomainError
from suyuan.domain.onboarding import Step
from suyuan.domain.tracing import badge, trace_status
from suyuan.services import accounts, onboarding, orders, products
from suyuan.services.trace_state import abnormal_order_counts, code_counts, product_traces

# The wizard's five steps as the seed numbers them; ⑤ is "linked, not yet completed".
STEP_NUMBER: dict[Step, int] = {
    "not_opened": 1,
    "authorize_provider": 2,
    "bind_importer": 3,
    "guide_warehouse": 4,
    "done": 6,
}


def product_row(uow: UnitOfWork, store_id: str, product_id: str) -> dict[str, Any]:
    """One of the store's products with the trace facts the products list shows."""
    product = products.get_product(uow, store_id, product_id)
    status = trace_status(product_traces(uow, [product])[product_id], uow.now)
    return {
        **product,
        "product_id": product_id,
        "trace_status": status,
        "badge": badge(status),
        "codes": code_counts(uow, [product_id])[product_id],
        "abnormal_orders": abnormal_order_counts(uow, [product_id])[product_id],
    }


def titles(uow: UnitOfWork, store_id: str, product_ids: Iterable[str]) -> dict[str, str]:
    """``{product_id: title}`` of the store's products among ``product_ids``."""
    out: dict[str, str] = {}
    for pid in set(product_ids):
        try:
            out[pid] = str(products.get_product(uow, store_id, pid)["title"])
        except DomainError:
            out[pid] = pid
    return out


def all_products(uow: UnitOfWork, store_id: str) -> list[dict[str, Any]]:
    """The store's products for a select list (the first 200)."""
    return products.list_products(uow, store_id, 200, None)["items"]


def wizard(uow: UnitOfWork, store_id: str) -> dict[str, Any]:
    """What the 正品溯源 home shows: overview, step, providers, warehouses, bindings, links."""
    overview = onboarding.overview(uow, store_id)
    links = onboarding.links(uow, store_id, 200, None)["items"]
    step: Step = overview["onboarding_step"]
    number = STEP_NUMBER[step]
    if step == "guide_warehouse" and links:
        number = 5
    providers = accounts.list_orgs(uow, "provider", 200, None)["items"]
    sub = overview["subscription"]
    return {
        "overview": overview,
        "step_number": number,
        "providers": providers,
        "provider": next((p for p in providers if sub and p["id"] == sub["provider_id"]), None),
        "warehouses": accounts.list_orgs(uow, "warehouse", 200, None)["items"],
        "bindings": onboarding.bindings(uow, store_id, 200, None)["items"],
        "links": links,
    }


def order_page(uow: UnitOfWork, store_id: str, order_id: str) -> dict[str, Any]:
    """An order with each line's product (title, trace status) and the titles of problems."""
    order = orders.order_view(uow, store_id, order_id)
    info = {i["product_id"]: product_row(uow, store_id, i["product_id"]) for i in order["items"]}
    return {"order": order, "info": info, "titles": {k: v["title"] for k, v in info.items()}}


def abnormal_page(uow: UnitOfWork, store_id: str, cursor: str | None) -> dict[str, Any]:
    """The abnormal orders with their lines (for the correction forms) and product titles."""
    found = orders.abnormal_orders(uow, store_id, 50, cursor)
    views = [orders.order_view(uow, store_id, o["order_id"]) for o in found["items"]]
    ids = [i["product_id"] for v in views for i in v["items"]]
    return {
        "items": found["items"],
        "views": {v["id"]: v for v in views},
        "titles": titles(uow, store_id, ids),
        "next_cursor": found["next_cursor"],
    }
