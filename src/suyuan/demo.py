"""The demo world (`suyuan demo`, and `make run` on an empty database): the seed's whole story
with believable data, built through the same services the API uses. Running it again changes
nothing (it only reprints the logins)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import SYSTEM, Actor
from suyuan.domain.codes import check_symbol
from suyuan.services import (
    accounts,
    activation,
    attachments,
    declarations,
    issuance,
    onboarding,
    orders,
    products,
    scans,
    shipping,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "suyuan-demo"  # noqa: S105 - the demo's published login, printed by make run
COMPANY = "上海海淘进出口有限公司"
IMPORTER_CODE = "3122960ABC"
PLATFORM = Actor("platform", None, "demo")
FILES = (
    "declaration-face-cream.json",
    "declaration-infant-formula.json",
    "declarations-fish-oil.json",
)


@dataclass
class Demo:
    """What the demo made, for printing."""

    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, url)
    keys: list[tuple[str, str]] = field(default_factory=list)  # (role, key)
    scan_code: str | None = None
    product_id: str | None = None
    ids: dict[str, str] = field(default_factory=dict)


def examples_dir() -> Path:
    """Where the sample declarations are (the repository's examples/)."""
    return EXAMPLES


def exists(ctx: Context) -> bool:
    """Whether the demo (or anything else) already lives in this database."""
    return bool(
        ctx.read(
            lambda uow: uow.conn.execute(
                select(func.count()).select_from(s.users).where(s.users.c.username == "demo-store")
            ).scalar_one()
        )
    )


def build(ctx: Context) -> Demo:
    """Make the demo world once; later calls only report the logins."""
    logins = [
        ("平台 platform", "demo-platform", "/console/platform/"),
        ("商家 store", "demo-store", "/console/store/"),
        ("商家(未试点) not in pilot", "demo-store2", "/console/store/"),
        ("保税仓 warehouse", "demo-warehouse", "/console/warehouse/"),
        ("服务商 provider", "demo-provider", "/console/provider/"),
    ]
    if exists(ctx):
        return Demo(False, logins, scan_code=_a_shipped_code(ctx))
    demo = ctx.write(lambda uow: _world(uow))
    _story(ctx, demo)
    demo.logins = logins
    return demo


def _org(uow: UnitOfWork, kind: accounts.OrgType, values: dict[str, Any]) -> str:
    return str(accounts.create_org(uow, PLATFORM, kind, values)["id"])


def _world(uow: UnitOfWork) -> Demo:
    store = _org(uow, "store", {"name": "海淘优选旗舰店", "company_name": COMPANY, "pilot": True})
    outsider = _org(
        uow,
        "store",
        {"name": "小鹿母婴专营店", "company_name": "杭州小鹿贸易有限公司", "pilot": False},
    )
    provider = _org(uow, "provider", {"name": "中检溯源(上海)信息技术有限公司"})
    ningbo = _org(uow, "warehouse", {"name": "宁波保税区一号仓", "customs_code": "3104W60001"})
    shanghai = _org(uow, "warehouse", {"name": "上海外高桥保税仓", "customs_code": "2233W60002"})
    users = [
        ("platform", None, "demo-platform"),
        ("store", store, "demo-store"),
        ("store", outsider, "demo-store2"),
        ("warehouse", ningbo, "demo-warehouse"),
        ("warehouse", shanghai, "demo-warehouse2"),
        ("provider", provider, "demo-provider"),
    ]
    for kind, org, name in users:
        accounts.create_user(uow, PLATFORM, kind, org, name, PASSWORD)
    keys = [
        (f"{kind} {name}", str(accounts.issue_api_key(uow, SYSTEM, kind, org)["key"]))
        for kind, org, name in users
        if kind != "platform"
    ]
    actor = Actor("store", store)
    onboarding.open_service(uow, actor, store)
    onboarding.subscribe(uow, actor, store, provider, "standard-1y")
    onboarding.bind_importer(uow, actor, store, COMPANY, IMPORTER_CODE, COMPANY)
    for warehouse in (ningbo, shanghai):
        onboarding.link_warehouse(uow, actor, store, warehouse)
    onboarding.complete(uow, actor, store)
    for name in FILES:
        body = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
        declarations.load(uow, Actor("provider", provider), provider, body)
    return Demo(True, keys=keys, ids={"store": store, "warehouse": ningbo})


def _item(ctx: Context, declaration_no: str, item_no: int) -> str:
    """The ID of a declaration's item, by number."""
    d, i = s.declarations, s.declaration_items
    stmt = (
        select(i.c.id)
        .join(d, d.c.id == i.c.declaration_id)
        .where(d.c.declaration_no == declaration_no, i.c.item_no == item_no)
    )
    return str(ctx.read(lambda uow: uow.conn.execute(stmt).scalar_one()))


def _codes(
    ctx: Context, store: str, warehouse: str, product: str, item: str, n: int, attach: int
) -> list[str]:
    """Issue ``n`` codes and report ``attach`` of them stuck on units."""
    wh = Actor("warehouse", warehouse)
    req = ctx.write(
        lambda uow: issuance.request_codes(
            uow, wh, store_id=store, product_id=product, item_id=item, quantity=n
        )
    )
    t = s.trace_codes
    codes = ctx.read(
        lambda uow: list(
            uow.conn.execute(
                select(t.c.code).where(t.c.code_request_id == req["id"]).order_by(t.c.code)
            ).scalars()
        )
    )
    ctx.write(lambda uow: attachments.attach(uow, wh, codes[:attach]))
    return codes


def _product(
    ctx: Context,
    store: str,
    title: str,
    brand: str | None = None,
    gtin: str | None = None,
    goods_type: str = "bonded",
) -> str:
    return str(
        ctx.write(
            lambda uow: products.create_product(
                uow,
                Actor("store", store),
                store,
                title=title,
                goods_type=goods_type,
                gtin=gtin,
                brand=brand,
            )
        )["id"]
    )


def _ship(
    ctx: Context, store: str, product: str, codes: list[str], tracking: str
) -> dict[str, Any]:
    actor = Actor("store", store)
    order = ctx.write(lambda uow: orders.create_order(uow, actor, store, [(product, len(codes))]))
    return ctx.write(
        lambda uow: shipping.ship(uow, actor, store, order["id"], tracking, [(product, codes)])
    )


def _story(ctx: Context, demo: Demo) -> None:
    store, warehouse = demo.ids["store"], demo.ids["warehouse"]
    actor = Actor("store", store)
    cream = _product(ctx, store, "花王珂润 保湿面霜 40g", "Curel", "4901301348159")
    lotion = _product(ctx, store, "花王珂润 保湿乳液 120ml", "Curel")
    formula = _product(ctx, store, "诺优能 婴儿配方奶粉 1段 800g", "Nutrilon")
    fish_oil = _product(ctx, store, "Swisse 深海鱼油软胶囊 400粒", "Swisse")
    _product(ctx, store, "国产纯棉毛巾 3 条装", goods_type="general")
    cream_codes = _codes(
        ctx, store, warehouse, cream, _item(ctx, "223320261000012345", 1), 120, 100
    )
    _codes(ctx, store, warehouse, lotion, _item(ctx, "223320261000012345", 2), 30, 30)
    formula_codes = _codes(
        ctx, store, warehouse, formula, _item(ctx, "310420261000045678", 1), 60, 50
    )
    _codes(ctx, store, warehouse, fish_oil, _item(ctx, "516520261000078901", 1), 40, 40)
    ctx.write(lambda uow: activation.activate(uow, actor, store, cream, None))
    ctx.write(lambda uow: activation.activate(uow, actor, store, formula, None))
    later = ctx.clock.now() + timedelta(days=3)
    ctx.write(lambda uow: activation.activate(uow, actor, store, fish_oil, later))
    _ship(ctx, store, cream, cream_codes[:1], "SF1402938475601")
    _ship(ctx, store, cream, cream_codes[1:3], "SF1402938475602")
    _ship(ctx, store, cream, cream_codes[3:4], "YT7788123400913")
    wrong = "ZZZZZZZZZZZZZZZZ"  # well-formed, never issued: the order turns abnormal
    _ship(ctx, store, formula, [formula_codes[0], wrong + check_symbol(wrong)], "SF1402938475610")
    _scan_history(ctx, cream_codes)
    demo.scan_code = cream_codes[0]
    demo.product_id = cream


def _scan_history(ctx: Context, codes: list[str]) -> None:
    """Buyers scanning their items; one code looked up too often; one before shipping."""
    warn = ctx.settings.scan_warn_after
    phone = "Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0.49"
    plan = (
        [(codes[0], "203.0.113.20")] * 2
        + [(codes[1], "198.51.100.7")]
        + [(codes[2], f"192.0.2.{n}") for n in range(7)]
        + [(codes[50], "203.0.113.99")]
    )
    for code, ip in plan:
        _scan(ctx, code, ip, phone, warn)


def _scan(ctx: Context, code: str, ip: str, agent: str, warn: int) -> None:
    ctx.write(lambda uow: scans.scan(uow, code, ip, agent, warn))


def _a_shipped_code(ctx: Context) -> str | None:
    t = s.trace_codes
    found = ctx.read(
        lambda uow: uow.conn.execute(
            select(t.c.code).where(t.c.status == "shipped").order_by(t.c.code).limit(1)
        ).scalar()
    )
    return str(found) if found else None
