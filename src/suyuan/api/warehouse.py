"""Warehouse endpoints (warehouse key): linked stores, their bonded products and declaration
items, code requests and their outputs, attachments and voids (R4–R6, R16)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from suyuan.api import outputs
from suyuan.api.auth import Ctx, WarehouseActor, org_id
from suyuan.api.schemas import AttachmentBatch, CodeRequestCreate, Cursor, Limit, VoidBatch
from suyuan.context import Context
from suyuan.domain.actor import Actor
from suyuan.services import attachments, issuance, sharing, warehouse_view
from suyuan.services.issuance import MAX_CODES_PER_REQUEST
from suyuan.services.paging import Page

router = APIRouter(prefix="/warehouse", tags=["warehouse"])
MAX_LABELS_PER_PDF = 1000


@router.get("/stores")
def linked_stores(
    actor: WarehouseActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    """The stores that linked this warehouse, with their subscription status (R6)."""
    return ctx.read(lambda uow: sharing.warehouse_stores(uow, org_id(actor), limit, cursor))


@router.get("/stores/{store_id}/products")
def store_products(
    store_id: str, actor: WarehouseActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    """The store's bonded products (link and current subscription required)."""
    return ctx.read(
        lambda uow: warehouse_view.bonded_products(uow, org_id(actor), store_id, limit, cursor)
    )


@router.get("/stores/{store_id}/declaration-items")
def store_declaration_items(
    store_id: str, actor: WarehouseActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    """Declaration items the store may draw codes from, with ``issued`` and ``remaining``."""
    return ctx.read(
        lambda uow: warehouse_view.declaration_items(uow, org_id(actor), store_id, limit, cursor)
    )


@router.post("/code-requests", status_code=201)
def request_codes(body: CodeRequestCreate, actor: WarehouseActor, ctx: Ctx) -> dict[str, Any]:
    """Apply for codes; the request is charged at today's per-code fee (R16)."""
    return ctx.write(
        lambda uow: issuance.request_codes(
            uow,
            actor,
            store_id=body.store_id,
            product_id=body.product_id,
            item_id=body.declaration_item_id,
            quantity=body.quantity,
        )
    )


@router.get("/code-requests/{request_id}")
def get_request(request_id: str, actor: WarehouseActor, ctx: Ctx) -> dict[str, Any]:
    """One of this warehouse's code requests."""
    return ctx.read(lambda uow: warehouse_view.own_request(uow, org_id(actor), request_id))


@router.get("/code-requests/{request_id}/codes")
def request_codes_page(
    request_id: str, actor: WarehouseActor, ctx: Ctx, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    """The request's codes, paged."""
    return ctx.read(
        lambda uow: warehouse_view.request_codes_page(uow, org_id(actor), request_id, limit, cursor)
    )


@router.get(
    "/code-requests/{request_id}/codes.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def request_codes_csv(request_id: str, actor: WarehouseActor, ctx: Ctx) -> StreamingResponse:
    """Every code of the request as CSV (streamed)."""
    return _stream(ctx, actor, request_id, outputs.stream_csv, "text/csv", "csv")


@router.get(
    "/code-requests/{request_id}/labels.zpl",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/plain": {}}}},
)
def request_labels_zpl(request_id: str, actor: WarehouseActor, ctx: Ctx) -> StreamingResponse:
    """One ZPL label per code for thermal printers (streamed)."""
    return _stream(ctx, actor, request_id, outputs.stream_zpl, "text/plain", "zpl")


def _stream(
    ctx: Context,
    actor: Actor,
    request_id: str,
    produce: Callable[[Context, str, str], Iterator[bytes]],
    media_type: str,
    extension: str,
) -> StreamingResponse:
    """Check access before the first byte (errors can't be sent once streaming began)."""
    ctx.read(lambda uow: warehouse_view.own_request(uow, org_id(actor), request_id))
    return StreamingResponse(
        produce(ctx, org_id(actor), request_id),
        media_type=f"{media_type}; charset=utf-8",
        headers=_attachment(f"{request_id}.{extension}"),
    )


@router.get(
    "/code-requests/{request_id}/labels.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def request_labels_pdf(
    request_id: str,
    actor: WarehouseActor,
    ctx: Ctx,
    offset: Annotated[int, Query(ge=0, le=MAX_CODES_PER_REQUEST)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LABELS_PER_PDF)] = MAX_LABELS_PER_PDF,
) -> Response:
    """A4 label sheets; large requests are printed in parts of up to 1,000 labels. When codes
    remain, ``X-Next-Offset`` (and a ``Link: rel=next``) says where the next part starts."""
    pdf, following = ctx.read(
        lambda uow: outputs.labels_pdf(uow, ctx, org_id(actor), request_id, offset, limit)
    )
    headers = _attachment(f"{request_id}-{offset}.pdf")
    if following is not None:
        headers["X-Next-Offset"] = str(following)
        headers["Link"] = f"<?offset={following}&limit={limit}>; rel=next"
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post("/attachments")
def attach(body: AttachmentBatch, actor: WarehouseActor, ctx: Ctx) -> dict[str, Any]:
    """Report codes as stuck on their units; per-code answer, safe to retry."""
    return ctx.write(lambda uow: attachments.attach(uow, actor, body.codes))


@router.post("/voids")
def void(body: VoidBatch, actor: WarehouseActor, ctx: Ctx) -> dict[str, Any]:
    """Void damaged or lost labels (never shipped ones)."""
    return ctx.write(lambda uow: attachments.void(uow, actor, body.codes, body.reason))


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
