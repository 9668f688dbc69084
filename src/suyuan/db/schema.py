"""The tables (SQLAlchemy Core). Invariants that must survive concurrency live here as
constraints; every change to this file comes with an Alembic migration (``make lint`` checks)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from suyuan.db.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _id() -> Column[str]:
    return Column("id", String(40), primary_key=True)


def _created_at() -> Column[datetime]:
    return Column("created_at", UTCDateTime(), nullable=False)


stores = Table(
    "stores",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("company_name", String(200), nullable=False),
    Column("pilot", Boolean, nullable=False, default=False),
    Column("opened_at", UTCDateTime()),
    Column("onboarding_completed_at", UTCDateTime()),
    _created_at(),
)

providers = Table(
    "providers",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    _created_at(),
)

warehouses = Table(
    "warehouses",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("customs_code", String(20)),
    _created_at(),
)

ORG_TYPES = ("platform", "store", "warehouse", "provider")
_ORG_CHECK = (
    "org_type IN ('platform', 'store', 'warehouse', 'provider') AND "
    "((org_type = 'platform') = (org_id IS NULL))"
)

api_keys = Table(
    "api_keys",
    metadata,
    _id(),
    Column("org_type", String(16), nullable=False),
    Column("org_id", String(40)),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(12), nullable=False),
    _created_at(),
    Column("revoked_at", UTCDateTime()),
    CheckConstraint(_ORG_CHECK, name="org"),
)

users = Table(
    "users",
    metadata,
    _id(),
    Column("org_type", String(16), nullable=False),
    Column("org_id", String(40)),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    _created_at(),
    CheckConstraint(_ORG_CHECK, name="org"),
)

pricing_changes = Table(
    "pricing_changes",
    metadata,
    _id(),
    Column("per_code_fee_fen", Integer, nullable=False),
    Column("effective_at", UTCDateTime(), nullable=False),
    CheckConstraint("per_code_fee_fen >= 0", name="fee_not_negative"),
)

products = Table(
    "products",
    metadata,
    _id(),
    Column("store_id", ForeignKey("stores.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("goods_type", String(16), nullable=False),
    Column("gtin", String(14)),
    Column("brand", String(128)),
    _created_at(),
    # The merchant's switch (R9, R14); trace_status itself is derived, never stored.
    Column("activation", String(8), nullable=False, server_default="none"),
    Column("activate_at", UTCDateTime()),
    CheckConstraint("goods_type IN ('bonded', 'general')", name="goods_type"),
    CheckConstraint("activation IN ('none', 'on', 'stopped')", name="activation"),
    CheckConstraint("(activation = 'on') = (activate_at IS NOT NULL)", name="activate_at"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    _id(),
    Column("store_id", ForeignKey("stores.id"), nullable=False, unique=True),
    Column("provider_id", ForeignKey("providers.id"), nullable=False, index=True),
    Column("plan", String(32), nullable=False),
    Column("price_fen", Integer, nullable=False),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    _created_at(),
)

importer_bindings = Table(
    "importer_bindings",
    metadata,
    _id(),
    Column("store_id", ForeignKey("stores.id"), nullable=False),
    Column("provider_id", ForeignKey("providers.id"), nullable=False, index=True),
    Column("importer_name", String(200), nullable=False),
    Column("importer_code", String(18), nullable=False, index=True),
    Column("company_name", String(200), nullable=False),
    _created_at(),
    UniqueConstraint("store_id", "provider_id", "importer_code"),
)

warehouse_links = Table(
    "warehouse_links",
    metadata,
    _id(),
    Column("store_id", ForeignKey("stores.id"), nullable=False),
    Column("warehouse_id", ForeignKey("warehouses.id"), nullable=False, index=True),
    _created_at(),
    UniqueConstraint("store_id", "warehouse_id"),
)

declarations = Table(
    "declarations",
    metadata,
    _id(),
    Column("provider_id", ForeignKey("providers.id"), nullable=False, index=True),
    Column("declaration_no", String(18), nullable=False, unique=True),
    Column("trade_mode", String(4), nullable=False),
    Column("customs_port", String(4), nullable=False),
    Column("declare_date", Date, nullable=False),
    Column("import_date", Date, nullable=False),
    Column("importer_name", String(200), nullable=False),
    Column("importer_code", String(18), nullable=False, index=True),
    Column("overseas_consignor", String(200)),
    Column("trade_country", String(3)),
    Column("departure_country", String(3)),
    Column("fingerprint", String(64), nullable=False),
    _created_at(),
)

declaration_items = Table(
    "declaration_items",
    metadata,
    _id(),
    Column("declaration_id", ForeignKey("declarations.id"), nullable=False),
    Column("item_no", Integer, nullable=False),
    Column("hs_code", String(10), nullable=False),
    Column("goods_name", String(255), nullable=False),
    Column("spec", String(128)),
    Column("brand", String(128)),
    Column("origin_country", String(3), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit", String(16)),
    Column("unit_price", String(32)),
    Column("currency", String(3)),
    Column("issued", BigInteger, nullable=False, default=0),
    UniqueConstraint("declaration_id", "item_no"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    # R5: never more codes than declared units, whatever races the service loses.
    CheckConstraint("issued >= 0 AND issued <= quantity", name="issued_within_quantity"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor_type", String(16), nullable=False),
    Column("actor_id", String(40)),
    Column("action", String(64), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_id", String(40), nullable=False),
    Column("store_id", String(40)),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_log_object", "object_id", "id"),
    Index("ix_audit_log_store", "store_id", "id"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(8), nullable=False),
    Column("status_code", Integer),
    Column("content_type", String(100)),
    Column("body", Text),
    _created_at(),
    CheckConstraint("state IN ('started', 'done')", name="state"),
)

code_requests = Table(
    "code_requests",
    metadata,
    _id(),
    Column("store_id", ForeignKey("stores.id"), nullable=False, index=True),
    Column("warehouse_id", ForeignKey("warehouses.id"), nullable=False, index=True),
    Column("product_id", ForeignKey("products.id"), nullable=False, index=True),
    Column("declaration_item_id", ForeignKey("declaration_items.id"), nullable=False, index=True),
    Column("quantity", BigInteger, nullable=False),
    # R16: the price of the moment of the request, and what it cost; money is integer fen.
    Column("per_code_fee_fen", Integer, nullable=False),
    Column("charge_fen", BigInteger, nullable=False),
    _created_at(),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("charge_fen = quantity * per_code_fee_fen", name="charge"),
)

CODE_STATUSES = ("issued", "attached", "shipped", "voided")

# One row per physical unit. Only code_request_id is a foreign key: store, product and item are
# copies of the request's, written together with it, kept here so hot paths need no join. Foreign
# key checks are the main cost of bulk inserts (see bench/), and these copies cannot disagree.
trace_codes = Table(
    "trace_codes",
    metadata,
    Column("code", String(17), primary_key=True),
    Column("code_request_id", ForeignKey("code_requests.id"), nullable=False, index=True),
    Column("store_id", String(40), nullable=False),
    Column("product_id", String(40), nullable=False),
    Column("declaration_item_id", String(40), nullable=False),
    Column("status", String(8), nullable=False),
    Column("attached_at", UTCDateTime()),
    Column("voided_at", UTCDateTime()),
    Column("void_reason", String(200)),
    Column("order_id", String(40), index=True),
    Column("shipped_at", UTCDateTime()),
    Column("scan_count", Integer, nullable=False, server_default="0"),
    Column("first_scanned_at", UTCDateTime()),
    CheckConstraint("status IN ('issued', 'attached', 'shipped', 'voided')", name="status"),
    Index("ix_trace_codes_product_status", "product_id", "status"),
    sqlite_with_rowid=False,
)

orders = Table(
    "orders",
    metadata,
    _id(),
    Column("store_id", ForeignKey("stores.id"), nullable=False, index=True),
    Column("status", String(8), nullable=False),
    Column("trace_status", String(16)),
    Column("tracking_no", String(64)),
    _created_at(),
    Column("shipped_at", UTCDateTime()),
    CheckConstraint("status IN ('paid', 'shipped')", name="status"),
    CheckConstraint(
        "trace_status IN ('not_required', 'ok', 'abnormal', 'corrected')", name="trace_status"
    ),
    CheckConstraint("(status = 'shipped') = (trace_status IS NOT NULL)", name="shipped_trace"),
)

order_lines = Table(
    "order_lines",
    metadata,
    _id(),
    Column("order_id", ForeignKey("orders.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("product_id", ForeignKey("products.id"), nullable=False, index=True),
    Column("quantity", Integer, nullable=False),
    # Whether the shipping rule applied to this line when the order shipped (R11).
    Column("codes_required", Boolean),
    UniqueConstraint("order_id", "product_id"),
    UniqueConstraint("order_id", "line_no"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

# The open problems of abnormal orders (R12): replaced line by line on correction (R13).
order_problems = Table(
    "order_problems",
    metadata,
    _id(),
    Column("order_id", ForeignKey("orders.id"), nullable=False, index=True),
    Column("product_id", String(40), nullable=False, index=True),
    Column("code", String(64), nullable=False),
    Column("reason", String(32), nullable=False),
    _created_at(),
)

# One row per consumer lookup (R17, scan analytics). No raw IP is kept: only a salted hash of the
# client's network (/24 for IPv4, /48 for IPv6) and the user agent's family.
scans = Table(
    "scans",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("code", String(17), nullable=False),
    Column("scanned_at", UTCDateTime(), nullable=False),
    Column("network_hash", String(32), nullable=False),
    Column("ua_family", String(32), nullable=False),
    Index("ix_scans_code_time", "code", "scanned_at"),
)

# Installation secrets made on first use (the salt of network hashes).
app_secrets = Table(
    "app_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(128), nullable=False),
)

# Console logins: the cookie holds a random token, the database only its hash (revocable).
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    _created_at(),
    Column("expires_at", UTCDateTime(), nullable=False),
)
