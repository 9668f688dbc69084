"""The consumer scan (R17): count the lookup atomically, answer where the unit came from.

Two statements on the hot path: one conditional ``UPDATE … RETURNING`` that counts the scan,
one indexed join for the facts; then the scan row for analytics (no raw IP kept).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError

import suyuan.domain.codes as code_rules
from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.countries import country_name
from suyuan.domain.customs import mask_declaration_no
from suyuan.domain.errors import DomainError, FieldError
from suyuan.domain.scanning import network_hash, ua_family, warnings

_salts: dict[str, str] = {}


def parse_code(raw: str) -> str:
    """The normalized code, or 422 MALFORMED_TRACE_CODE (a typo is not a fake)."""
    code = code_rules.parse(raw)
    if code is None:
        raise DomainError(
            "MALFORMED_TRACE_CODE",
            422,
            params={"code": raw},
            errors=[FieldError("code", "error.MALFORMED_TRACE_CODE", {"code": raw})],
        )
    return code


def salt(uow: UnitOfWork) -> str:
    """This installation's salt for network hashes, made once and kept in the database."""
    key = str(uow.engine.url)
    if key not in _salts:
        t = s.app_secrets
        row = uow.conn.execute(select(t.c.value).where(t.c.name == "scan_salt")).scalar()
        if row is None:
            try:
                with uow.conn.begin_nested():
                    row = secrets.token_hex(32)
                    uow.conn.execute(insert(t).values(name="scan_salt", value=row))
            except IntegrityError:
                row = uow.conn.execute(select(t.c.value).where(t.c.name == "scan_salt")).scalar()
        _salts[key] = str(row)
    return _salts[key]


def facts_query(codes: Any) -> Select[Any]:
    """Everything a scan answer says about the code rows of ``codes`` (the table, or the
    rows a scan just counted), joined in one indexed query."""
    r, w, i, d, p, st = (
        s.code_requests,
        s.warehouses,
        s.declaration_items,
        s.declarations,
        s.products,
        s.stores,
    )
    return (
        select(
            codes.c.code,
            codes.c.status,
            codes.c.scan_count,
            codes.c.first_scanned_at,
            codes.c.shipped_at,
            codes.c.product_id,
            codes.c.store_id,
            p.c.title,
            p.c.brand,
            p.c.gtin,
            i.c.goods_name,
            i.c.origin_country,
            i.c.hs_code,
            i.c.brand.label("item_brand"),
            i.c.spec,
            d.c.declaration_no,
            d.c.customs_port,
            d.c.import_date,
            d.c.trade_mode,
            w.c.name.label("warehouse_name"),
            st.c.name.label("store_name"),
        )
        .join(r, r.c.id == codes.c.code_request_id)
        .join(w, w.c.id == r.c.warehouse_id)
        .join(i, i.c.id == codes.c.declaration_item_id)
        .join(d, d.c.id == i.c.declaration_id)
        .join(p, p.c.id == codes.c.product_id)
        .join(st, st.c.id == codes.c.store_id)
    )


def facts(uow: UnitOfWork, code: str) -> Any:
    """Everything a scan answer says about a code (or None)."""
    t = s.trace_codes
    return uow.conn.execute(facts_query(t).where(t.c.code == code)).first()


def scan(
    uow: UnitOfWork, raw_code: str, client_ip: str | None, user_agent: str | None, warn_after: int
) -> dict[str, Any]:
    """Count one scan of the code and return its trace information with warnings."""
    code = parse_code(raw_code)
    t = s.trace_codes
    counted = uow.conn.execute(
        update(t)
        .where(t.c.code == code)
        .values(
            scan_count=t.c.scan_count + 1,
            first_scanned_at=func.coalesce(t.c.first_scanned_at, uow.now),
        )
        .returning(t.c.scan_count)
    ).first()
    if counted is None:
        raise DomainError("TRACE_CODE_NOT_FOUND", 404, params={"code": code})
    uow.conn.execute(
        insert(s.scans).values(
            code=code,
            scanned_at=uow.now,
            network_hash=network_hash(client_ip, salt(uow)),
            ua_family=ua_family(user_agent),
        )
    )
    return answer(facts(uow, code), warn_after)


def answer(row: Any, warn_after: int) -> dict[str, Any]:
    """The public answer of SPEC §7 — no buyer data, the declaration number masked."""
    return {
        "code": row.code,
        "grouped": code_rules.group(row.code),
        "status": row.status,
        "product": {"id": row.product_id, "title": row.title, "brand": row.brand or row.item_brand},
        "goods_name": row.goods_name,
        "spec": row.spec,
        "origin_country": row.origin_country,
        "origin_country_name": {
            "zh": country_name(row.origin_country, "zh"),
            "en": country_name(row.origin_country, "en"),
        },
        "hs_code": row.hs_code,
        "declaration": {
            "declaration_no_masked": mask_declaration_no(row.declaration_no),
            "customs_port": row.customs_port,
            "import_date": row.import_date,
            "trade_mode": row.trade_mode,
        },
        "warehouse": {"name": row.warehouse_name},
        "store": {"name": row.store_name},
        "scan": {"count": row.scan_count, "first_scanned_at": row.first_scanned_at},
        "warnings": warnings(row.status, row.scan_count, warn_after),
    }


def china_time(instant: Any) -> str:
    """A time as a Chinese buyer reads it: ``2026-12-04 20:33`` in UTC+8."""
    from suyuan.services.billing import CHINA

    return "" if instant is None else instant.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
