"""Parsing and checking the customs declaration data a provider loads (SPEC §6, R4).

:func:`parse_declaration` turns one JSON document into a frozen :class:`ParsedDeclaration` of
typed, normalized values, or raises one ``422 VALIDATION_ERROR`` that lists every bad field at
its path (``items[2].hs_code``). Only then is the trade mode checked: a declaration that is not
bonded (1210/1239) is ``422 NOT_BONDED_DECLARATION``. Pure: no I/O.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

from suyuan.domain.countries import ALPHA2_TO_ALPHA3, COUNTRIES, ZH_NAME_TO_ALPHA3
from suyuan.domain.customs import type_params, validate_importer_code
from suyuan.domain.errors import DomainError, FieldError, validation_error

BONDED_TRADE_MODES: Final = frozenset({"1210", "1239"})
MAX_ITEMS: Final = 10_000
MAX_ITEM_NO: Final = 99_999
MAX_QUANTITY: Final = 1_000_000_000
MAX_IMPORT_DELAY: Final = timedelta(days=30)
PRICE_DECIMALS: Final = 4
MAX_PRICE: Final = Decimal("99999999999999.9999")  # fits NUMERIC(18, 4)

DECLARATION_FIELDS: Final = (
    "declaration_no",
    "trade_mode",
    "customs_port",
    "declare_date",
    "import_date",
    "importer",
    "overseas_consignor",
    "trade_country",
    "departure_country",
    "items",
)
IMPORTER_FIELDS: Final = ("name", "code")
ITEM_FIELDS: Final = (
    "item_no",
    "hs_code",
    "goods_name",
    "spec",
    "brand",
    "origin_country",
    "quantity",
    "unit",
    "unit_price",
    "currency",
)

_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PRICE: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_CURRENCY: Final = re.compile(r"[A-Z]{3}")
_UNLIMITED: Final = 1 << 62  # the format check reports bad values of fixed-format fields
_Q: Final = Decimal(1).scaleb(-PRICE_DECIMALS)


@dataclass(frozen=True)
class ParsedItem:
    """One declaration line (表体商品项), normalized."""

    item_no: int
    hs_code: str
    goods_name: str
    origin_country: str
    quantity: int
    spec: str | None = None
    brand: str | None = None
    unit: str | None = None
    unit_price: str | None = None
    """Decimal string with 2 to 4 decimals (``"88.00"``, ``"0.1250"`` → ``"0.125"``)."""
    currency: str | None = None


@dataclass(frozen=True)
class ParsedDeclaration:
    """One import declaration (报关单), normalized; ``items`` in document order."""

    declaration_no: str
    trade_mode: str
    customs_port: str
    declare_date: date
    import_date: date
    importer_name: str
    importer_code: str
    items: tuple[ParsedItem, ...]
    overseas_consignor: str | None = None
    trade_country: str | None = None
    departure_country: str | None = None


def _clip(value: object, limit: int = 64) -> object:
    """A value short enough to echo back in a message; containers are not echoed."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return "…"  # repr() of a huge int can even fail (sys.set_int_max_str_digits)
    if value is None or isinstance(value, bool | int | float):
        return value
    return type(value).__name__


def normalize_price(value: Decimal) -> str:
    """``Decimal`` as a string with at least 2 and at most 4 decimals: 88 → ``"88.00"``."""
    text = f"{value.quantize(_Q):f}"
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.rstrip('0').ljust(2, '0')}"


class _Reader:
    """Reads fields of one document, collecting a :class:`FieldError` for each bad one."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.errors: list[FieldError] = []

    def add(self, path: str, key: str, **params: Any) -> None:
        self.errors.append(FieldError(self.prefix + path, key, params))

    def check_keys(self, obj: dict[Any, Any], allowed: tuple[str, ...], at: str) -> None:
        for name in obj:
            if name in allowed:
                continue
            shown = name if isinstance(name, str) else repr(name)
            close = difflib.get_close_matches(shown.strip().lower(), allowed, n=1, cutoff=0.6)
            path, listed = at + shown[:100], ", ".join(allowed)
            if close:
                self.add(
                    path, "customs.field.unknown_suggest", name=_clip(shown), suggestion=close[0]
                )
            else:
                self.add(path, "customs.field.unknown", name=_clip(shown), allowed=listed)

    def text(self, obj: dict[Any, Any], name: str, at: str, max_len: int, required: bool) -> str:
        """A string field, stripped; ``""`` when absent (an error if ``required``) or bad."""
        path, value = at + name, obj.get(name)
        if value is None:
            if required:
                self.add(path, "customs.field.required", field=self.prefix + path)
            return ""
        if not isinstance(value, str):
            self.add(path, "customs.field.not_string", **type_params(self.prefix + path, value))
            return ""
        value = value.strip()
        if not value and required:
            self.add(path, "customs.field.required", field=self.prefix + path)
        elif any(unicodedata.category(ch) == "Cc" for ch in value):
            self.add(path, "customs.field.control_chars", field=self.prefix + path)
        elif len(value) > max_len:
            self.add(
                path,
                "customs.field.too_long",
                field=self.prefix + path,
                max=max_len,
                length=len(value),
            )
        else:
            return value
        return ""

    def digits(self, obj: dict[Any, Any], name: str, at: str, count: int, key: str) -> str:
        value = self.text(obj, name, at, _UNLIMITED, required=True)
        if value and not (len(value) == count and value.isascii() and value.isdigit()):
            self.add(at + name, key, value=_clip(value))
            return ""
        return value

    def day(self, obj: dict[Any, Any], name: str, at: str) -> date | None:
        value = self.text(obj, name, at, _UNLIMITED, required=True)
        if not value:
            return None
        if _DATE.fullmatch(value) is None:
            self.add(at + name, "customs.date.format", value=_clip(value))
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.add(at + name, "customs.date.invalid", value=value)
            return None

    def country(self, obj: dict[Any, Any], name: str, at: str, required: bool) -> str | None:
        raw = self.text(obj, name, at, _UNLIMITED, required)
        value = raw.upper()
        if not value or value in COUNTRIES:
            return value or None
        suggestion = ALPHA2_TO_ALPHA3.get(value) or ZH_NAME_TO_ALPHA3.get(raw)
        if suggestion:
            self.add(at + name, "customs.country.did_you_mean", value=raw, suggestion=suggestion)
        else:
            self.add(at + name, "customs.country.unknown", value=_clip(raw))
        return None

    def integer(self, obj: dict[Any, Any], name: str, at: str, maximum: int, key: str) -> int:
        """A positive JSON integer ≤ ``maximum`` (not a bool, float or string); 0 if bad."""
        path, value = at + name, obj.get(name)
        if value is None:
            self.add(path, "customs.field.required", field=self.prefix + path)
        elif isinstance(value, bool) or not isinstance(value, int):
            params = type_params(self.prefix + path, value)
            self.add(path, "customs.field.not_integer", value=_clip(value), **params)
        elif not 1 <= value <= maximum:
            self.add(path, key, value=_clip(value), max=maximum)
        else:
            return value
        return 0

    def price(self, obj: dict[Any, Any], name: str, at: str) -> str | None:
        path, value = at + name, obj.get(name)
        if value is None:
            return None
        amount: Decimal | None = None
        if isinstance(value, str) and _PRICE.fullmatch(value.strip()):
            amount = Decimal(value.strip())
        elif isinstance(value, float):
            amount = Decimal(repr(value))  # the shortest decimal that reads back as this float
        elif isinstance(value, int) and not isinstance(value, bool):
            amount = Decimal(value)
        if amount is not None and amount.is_zero():
            amount = Decimal(0)  # "-0" and -0.0 are zero
        if amount is None or not amount.is_finite():
            self.add(path, "customs.unit_price.format", value=_clip(value))
        elif amount < 0:
            self.add(path, "customs.unit_price.negative", value=_clip(value))
        elif amount > MAX_PRICE:
            self.add(path, "customs.unit_price.too_large", value=_clip(value), max=str(MAX_PRICE))
        elif amount != amount.quantize(_Q):
            self.add(path, "customs.unit_price.decimals", value=_clip(value), max=PRICE_DECIMALS)
        else:
            return normalize_price(amount)
        return None

    def currency(self, obj: dict[Any, Any], name: str, at: str) -> str | None:
        value = self.text(obj, name, at, _UNLIMITED, required=False).upper()
        if value and _CURRENCY.fullmatch(value) is None:
            self.add(at + name, "customs.currency.format", value=_clip(value))
            return None
        return value or None


def _item(r: _Reader, raw: object, at: str) -> ParsedItem | None:
    if not isinstance(raw, dict):
        r.add(at[:-1], "customs.field.not_object", **type_params(r.prefix + at[:-1], raw))
        return None
    r.check_keys(raw, ITEM_FIELDS, at)
    return ParsedItem(
        item_no=r.integer(raw, "item_no", at, MAX_ITEM_NO, "customs.item_no.range"),
        hs_code=r.digits(raw, "hs_code", at, 10, "customs.hs_code.format"),
        goods_name=r.text(raw, "goods_name", at, 255, required=True),
        origin_country=r.country(raw, "origin_country", at, required=True) or "",
        quantity=r.integer(raw, "quantity", at, MAX_QUANTITY, "customs.quantity.range"),
        spec=r.text(raw, "spec", at, 64, required=False) or None,
        brand=r.text(raw, "brand", at, 128, required=False) or None,
        unit=r.text(raw, "unit", at, 16, required=False) or None,
        unit_price=r.price(raw, "unit_price", at),
        currency=r.currency(raw, "currency", at),
    )


def _items(r: _Reader, raw: object) -> tuple[ParsedItem, ...]:
    if raw is None:
        r.add("items", "customs.field.required", field=r.prefix + "items")
        return ()
    if not isinstance(raw, list):
        r.add("items", "customs.items.not_array", **type_params(r.prefix + "items", raw))
        return ()
    if not raw:
        r.add("items", "customs.items.empty")
        return ()
    if len(raw) > MAX_ITEMS:
        r.add("items", "customs.items.too_many", count=len(raw), max=MAX_ITEMS)
        return ()
    items: list[ParsedItem] = []
    first_seen: dict[int, str] = {}
    for index, element in enumerate(raw):
        at = f"items[{index}]."
        item = _item(r, element, at)
        if item is None:
            continue
        items.append(item)
        if item.item_no in first_seen:
            first = r.prefix + first_seen[item.item_no]
            r.add(at + "item_no", "customs.item_no.duplicate", value=item.item_no, first=first)
        elif item.item_no:
            first_seen[item.item_no] = at + "item_no"
    return tuple(items)


def _root(prefix: str) -> str:
    return prefix[:-1] if prefix.endswith(".") else prefix


def _normal_prefix(field_prefix: str) -> str:
    return field_prefix if not field_prefix or field_prefix.endswith(".") else field_prefix + "."


def _parse(doc: object, prefix: str) -> tuple[ParsedDeclaration | None, list[FieldError]]:
    r = _Reader(prefix)
    if not isinstance(doc, dict):
        root = _root(prefix)
        return None, [FieldError(root, "customs.document.not_object", type_params(root, doc))]
    r.check_keys(doc, DECLARATION_FIELDS, "")
    declaration_no = r.digits(doc, "declaration_no", "", 18, "customs.declaration_no.format")
    if declaration_no and declaration_no[8] != "1":
        r.add(
            "declaration_no",
            "customs.declaration_no.not_import",
            value=declaration_no,
            digit=declaration_no[8],
        )
    trade_mode = r.digits(doc, "trade_mode", "", 4, "customs.trade_mode.format")
    customs_port = r.digits(doc, "customs_port", "", 4, "customs.customs_port.format")
    declare_date = r.day(doc, "declare_date", "")
    import_date = r.day(doc, "import_date", "")
    if declare_date and import_date and import_date - declare_date > MAX_IMPORT_DELAY:
        latest = (declare_date + MAX_IMPORT_DELAY).isoformat()
        r.add(
            "import_date",
            "customs.import_date.too_late",
            import_date=import_date.isoformat(),
            declare_date=declare_date.isoformat(),
            latest=latest,
            days=MAX_IMPORT_DELAY.days,
        )
    importer_name, importer_code = "", ""
    importer = doc.get("importer")
    if importer is None:
        r.add("importer", "customs.field.required", field=prefix + "importer")
    elif not isinstance(importer, dict):
        r.add("importer", "customs.field.not_object", **type_params(prefix + "importer", importer))
    else:
        r.check_keys(importer, IMPORTER_FIELDS, "importer.")
        importer_name = r.text(importer, "name", "importer.", 200, required=True)
        code, error = validate_importer_code(importer.get("code"), prefix + "importer.code")
        if error is not None:
            r.errors.append(error)
        importer_code = code or ""
    overseas_consignor = r.text(doc, "overseas_consignor", "", 200, required=False) or None
    trade_country = r.country(doc, "trade_country", "", required=False)
    departure_country = r.country(doc, "departure_country", "", required=False)
    items = _items(r, doc.get("items"))
    if r.errors or declare_date is None or import_date is None:
        return None, r.errors
    parsed = ParsedDeclaration(
        declaration_no=declaration_no,
        trade_mode=trade_mode,
        customs_port=customs_port,
        declare_date=declare_date,
        import_date=import_date,
        importer_name=importer_name,
        importer_code=importer_code,
        items=items,
        overseas_consignor=overseas_consignor,
        trade_country=trade_country,
        departure_country=departure_country,
    )
    return parsed, []


def _not_bonded(parsed: list[tuple[ParsedDeclaration, str]]) -> DomainError | None:
    bad = [(p, prefix) for p, prefix in parsed if p.trade_mode not in BONDED_TRADE_MODES]
    if not bad:
        return None
    key, errors = "customs.trade_mode.not_bonded", []
    for p, prefix in bad:
        errors.append(FieldError(prefix + "trade_mode", key, {"value": p.trade_mode}))
    return DomainError("NOT_BONDED_DECLARATION", 422, key, {"value": bad[0][0].trade_mode}, errors)


def parse_declaration(doc: object, field_prefix: str = "") -> ParsedDeclaration:
    """One declaration document (a decoded JSON object) as a :class:`ParsedDeclaration`.

    Every bad field is reported at once as ``422 VALIDATION_ERROR``; field paths start with
    ``field_prefix`` (``"[3]"`` or ``"[3]."`` give ``[3].items[0].hs_code``). A clean document
    whose ``trade_mode`` is not bonded (1210/1239) is ``422 NOT_BONDED_DECLARATION`` (R4).
    """
    prefix = _normal_prefix(field_prefix)
    parsed, errors = _parse(doc, prefix)
    if parsed is None:
        raise validation_error(errors)
    not_bonded = _not_bonded([(parsed, prefix)])
    if not_bonded is not None:
        raise not_bonded
    return parsed


def parse_declarations(doc: object) -> list[ParsedDeclaration]:
    """A load: one declaration object, or an array of them (paths then start ``[i].``).

    All-or-nothing: the errors of every document are reported together.
    """
    if not isinstance(doc, list):
        return [parse_declaration(doc)]
    if not doc:
        raise validation_error([FieldError("", "customs.document.empty_array")])
    results: list[tuple[ParsedDeclaration, str]] = []
    errors: list[FieldError] = []
    for index, element in enumerate(doc):
        parsed, element_errors = _parse(element, f"[{index}].")
        errors.extend(element_errors)
        if parsed is not None:
            results.append((parsed, f"[{index}]."))
    if errors:
        raise validation_error(errors)
    not_bonded = _not_bonded(results)
    if not_bonded is not None:
        raise not_bonded
    return [p for p, _prefix in results]


def declaration_canonical(parsed: ParsedDeclaration) -> dict[str, Any]:
    """The normalized content as plain JSON values; items ordered by ``item_no``."""
    items = sorted(parsed.items, key=lambda item: item.item_no)
    return {
        "declaration_no": parsed.declaration_no,
        "trade_mode": parsed.trade_mode,
        "customs_port": parsed.customs_port,
        "declare_date": parsed.declare_date.isoformat(),
        "import_date": parsed.import_date.isoformat(),
        "importer": {"name": parsed.importer_name, "code": parsed.importer_code},
        "overseas_consignor": parsed.overseas_consignor,
        "trade_country": parsed.trade_country,
        "departure_country": parsed.departure_country,
        "items": [{name: getattr(item, name) for name in ITEM_FIELDS} for item in items],
    }


def declaration_fingerprint(parsed: ParsedDeclaration) -> str:
    """SHA-256 (hex) of the canonical JSON: equal exactly when the normalized content is equal.

    Loading the same document again (keys or items reordered, ``"88"`` for ``"88.00"``) gives
    the same fingerprint — a no-op; the same number with another fingerprint is a conflict.
    """
    canonical = json.dumps(
        declaration_canonical(parsed), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
