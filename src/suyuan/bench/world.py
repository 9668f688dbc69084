"""A fresh database with the demo world and one big declaration item, for a benchmark."""

from __future__ import annotations

import copy
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from suyuan.config import Settings
from suyuan.context import Context
from suyuan.db.migrate import upgrade
from suyuan.db.scratch import scratch_database
from suyuan.demo import EXAMPLES, build
from suyuan.domain.actor import Actor
from suyuan.services import declarations, products

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def fresh_database(kind: str, workdir: Path, postgres_url: str) -> Iterator[str]:
    """The URL of an empty database of ``kind`` (sqlite or postgresql), dropped afterwards."""
    if kind == "sqlite":
        path = workdir / f"bench-{secrets.token_hex(4)}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    with scratch_database(postgres_url, f"suyuan_bench_{secrets.token_hex(4)}") as url:
        yield url


@dataclass(frozen=True)
class World:
    """The IDs a benchmark acts on: the demo's store and warehouse, a product, a big item."""

    store_id: str
    warehouse_id: str
    provider_id: str
    product_id: str
    item_id: str

    @property
    def warehouse(self) -> Actor:
        """The warehouse as an actor."""
        return Actor("warehouse", self.warehouse_id)

    @property
    def store(self) -> Actor:
        """The store as an actor."""
        return Actor("store", self.store_id)


def context_for(url: str) -> Context:
    """A migrated context on ``url`` with the scan rate limit out of the way."""
    ctx = Context.from_settings(Settings(database_url=url, scan_rate_limit=1_000_000_000))
    upgrade(ctx.engine)
    return ctx


def build_world(ctx: Context, declared: int) -> World:
    """The demo world plus one declaration item of ``declared`` units and a product for it."""
    demo = build(ctx)
    store, warehouse = demo.ids["store"], demo.ids["warehouse"]
    provider = ctx.read(
        lambda uow: uow.conn.execute(text("SELECT id FROM providers LIMIT 1")).scalar_one()
    )
    doc = json.loads((EXAMPLES / "declaration-face-cream.json").read_text(encoding="utf-8"))
    big = copy.deepcopy(doc)
    big["declaration_no"] = "223320261999900001"
    big["items"] = [dict(doc["items"][0], quantity=declared)]
    loaded = ctx.write(
        lambda uow: declarations.load(uow, Actor("provider", provider), provider, big)
    )
    product = ctx.write(
        lambda uow: products.create_product(
            uow,
            Actor("store", store),
            store,
            title="基准 benchmark 面霜",
            goods_type="bonded",
            gtin=None,
            brand=None,
        )
    )
    return World(store, warehouse, provider, str(product["id"]), _item_id(loaded))


def _item_id(loaded: dict[str, Any]) -> str:
    """The item's ID in what ``declarations.load`` answers (one document, one item)."""
    return str(loaded["items"][0]["items"][0]["id"])
