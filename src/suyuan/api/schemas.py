"""Request bodies: unknown fields and wrong JSON types (no "true" for true, no "5" for 5)
are VALIDATION_ERRORs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Query
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=64)]
Month = Annotated[
    str | None,
    Query(pattern=r"^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$", description="YYYY-MM, China time"),
]


def _sane_instant(value: datetime) -> datetime:
    """Keep the test clock where calendar arithmetic (a year later, China months) works."""
    if not 1970 <= value.year <= 2999:
        raise ValueError("the clock must stay between the years 1970 and 2999")
    return value


class Body(BaseModel):
    """Base of every request body."""

    model_config = ConfigDict(extra="forbid")


class StoreCreate(Body):
    name: Name
    company_name: Name
    pilot: StrictBool = False


class StorePatch(Body):
    pilot: StrictBool


class ProviderCreate(Body):
    name: Name


# Normalized before the pattern applies (constraints first, then the validator wrapping them):
# the other order ran the pattern on null too, a TypeError and a 500 for ``"customs_code": null``.
CustomsCode = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9A-Z]{4,20}$"),
    BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
]


class WarehouseCreate(Body):
    name: Name
    customs_code: CustomsCode | None = None


class ApiKeyCreate(Body):
    org_type: Literal["platform", "store", "warehouse", "provider"]
    org_id: str | None = None


class UserCreate(Body):
    org_type: Literal["platform", "store", "warehouse", "provider"]
    org_id: str | None = None
    username: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@-]{3,64}$")]
    password: Annotated[str, StringConstraints(min_length=8, max_length=256)]


class PricingUpdate(Body):
    per_code_fee_fen: Annotated[StrictInt, Field(ge=0, le=100_000)]


class ClockSet(Body):
    now: Annotated[AwareDatetime, AfterValidator(_sane_instant)]


class ProductCreate(Body):
    title: Name
    goods_type: Literal["bonded", "general"]
    gtin: Annotated[str, StringConstraints(strip_whitespace=True)] | None = None
    brand: Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)] | None = None


class SubscriptionCreate(Body):
    provider_id: str
    plan: str = "standard-1y"


class ImporterBindingCreate(Body):
    importer_name: Name
    importer_code: Annotated[str, StringConstraints(max_length=64)]
    company_name: Name


class WarehouseLinkCreate(Body):
    warehouse_id: str


class CodeRequestCreate(Body):
    store_id: str
    product_id: str
    declaration_item_id: str
    quantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]


CodeList = Annotated[
    list[Annotated[str, StringConstraints(max_length=64)]], Field(min_length=1, max_length=10_000)
]


class AttachmentBatch(Body):
    codes: CodeList


class VoidBatch(Body):
    codes: CodeList
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ActivationCreate(Body):
    at: AwareDatetime | None = None


class OrderItem(Body):
    product_id: str
    quantity: Annotated[StrictInt, Field(ge=1, le=10_000)]


class OrderCreate(Body):
    items: Annotated[list[OrderItem], Field(min_length=1, max_length=100)]


class ShipmentLine(Body):
    product_id: str
    trace_codes: Annotated[
        list[Annotated[str, StringConstraints(max_length=64)]], Field(max_length=10_000)
    ] = []


class ShipmentCreate(Body):
    tracking_no: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
    ]
    lines: Annotated[list[ShipmentLine], Field(max_length=100)] = []


class CorrectionUpload(Body):
    lines: Annotated[list[ShipmentLine], Field(min_length=1, max_length=100)]
