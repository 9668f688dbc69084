"""A trace code's life as a GS1 EPCIS 2.0 JSON-LD ``EPCISDocument`` (issue 5). Pure, no I/O.

Choices, with the standard they follow (EPCIS 2.0 + CBV 2.0, JSON-LD binding):

* ``@context`` is the EPCIS 2.0 context URL plus ``{"suyuan": SUYUAN_NS}``; that context maps the
  CBV 2.0 short names (``"commissioning"``, ``"in_transit"``, ``"po"``) to their Web URIs
  (``https://ref.gs1.org/cbv/BizStep-commissioning`` …), so the document uses the short names.
  Our own fields are compact IRIs under the declared ``suyuan:`` prefix (EPCIS 2.0 user extensions).
* EPC: the GS1 Digital Link URI ``{public_url}/01/{gtin14}/21/{code}`` when the product has a GTIN;
  otherwise the HTTP URI ``{public_url}/T/{code}`` — the very URI printed in the label's QR code
  (SPEC §5). EPCIS 2.0 accepts any URI in ``epcList`` and CBV 2.0 allows HTTP URIs under a domain
  the issuer controls for objects without a GS1 key; an ``urn:epc:id:…`` form would need a GS1
  company prefix we do not have. :func:`code_epc` builds either form.
* Events (ObjectEvent, ``eventTime`` in UTC with millisecond precision, ``eventTimeZoneOffset``
  ``+08:00`` because the warehouses are in China), in time order:

  - issued → ``ADD``/``commissioning``/``active``; the customs declaration travels as ILMD
    (``suyuan:declarationNo``, ``suyuan:itemNo``) — ILMD is only allowed on ``ADD`` events.
  - attached → ``OBSERVE``/``commissioning``/``active``. CBV defines *commissioning* as associating
    an identifier with a specific object ("a tag may have been encoded and applied in this step,
    or may have been previously encoded"), which is exactly sticking the label on the unit;
    *packing* means putting objects into a larger container and does not fit. The identifier
    already entered tracking at issue (ADD), so the second step is an ``OBSERVE``, not a 2nd ADD.
  - shipped → ``OBSERVE``/``shipping``/``in_transit`` with ``bizTransactionList`` ``[{type: "po",
    bizTransaction: "{public_url}/orders/{order_id}"}]``. CBV 2.0 business transaction types are
    bol, cert, desadv, inv, pedigree, po, poc, prodorder, recadv, rma, testprd, testres — there is
    no sales-order type; the consumer's order is the buyer's purchase order, hence ``po``. Like the
    standard's shipping example, the event has a ``readPoint`` but no ``bizLocation`` (in transit).
  - voided → ``DELETE``/``decommissioning``/``inactive``, the reason in ``suyuan:voidReason``.

* ``readPoint``/``bizLocation`` are ``{public_url}/warehouses/{warehouse_id}``: bonded warehouses
  have no GLN in our data, so an HTTP URI under our domain (CBV 2.0 user vocabulary) identifies
  the site; its name (``suyuan:warehouseName``) and the store (``suyuan:storeID``) ride along on
  the commissioning event.
* ``eventID`` is the CBV 2.0 *EPCIS Event Hash ID* ``ni:///sha-256;{hex}?ver=CBV2.0``: the pre-hash
  string lists ``eventType``, ``eventTime`` (UTC, ms, ``Z``), ``eventTimeZoneOffset``, ``epcList``,
  ``action``, ``bizStep``, ``disposition``, ``readPoint``, ``bizLocation``, ``bizTransactionList``
  (type, then id), ``ilmd`` and user extensions as ``{namespace}name=value`` sorted, with CBV
  values expanded to ``https://ref.gs1.org/cbv/…`` and Digital Link EPCs constrained to
  ``https://id.gs1.org``. Simplification: only the fields this module emits are handled (no
  quantity lists, sensors, source/destination, nested extensions, URN→Digital Link conversion).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote

__all__ = [
    "CHINA_OFFSET",
    "EPCIS_CONTEXT",
    "SUYUAN_NS",
    "CodeLife",
    "code_epc",
    "epcis_document",
    "event_hash_id",
    "pre_hash_string",
]

EPCIS_CONTEXT: Final = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
SUYUAN_NS: Final = "https://suyuan.dev/epcis/"
CHINA_OFFSET: Final = "+08:00"
_PREFIXES: Final = {"suyuan": SUYUAN_NS}
_CBV: Final = "https://ref.gs1.org/cbv/"
_DIGITAL_LINK: Final = re.compile(r"^https?://[^/?#]+(?:/[^?#]*)?/01/(\d{14})/21/([^/?#]+)$")


@dataclass(frozen=True)
class CodeLife:
    """What the store knows about one trace code, as :func:`epcis_document` needs it."""

    code: str
    epc: str
    issued_at: datetime
    attached_at: datetime | None
    shipped_at: datetime | None
    order_id: str | None
    voided_at: datetime | None
    void_reason: str | None
    warehouse_id: str
    warehouse_name: str
    store_id: str
    declaration_no: str
    item_no: int
    public_url: str


def code_epc(public_url: str, code: str, gtin14: str | None = None) -> str:
    """The code's EPC: GS1 Digital Link with a GTIN, else the label's ``/T/`` URI (SPEC §5)."""
    base = public_url.rstrip("/")
    if gtin14 is None:
        return f"{base}/T/{quote(code, safe='')}"
    if not re.fullmatch(r"\d{14}", gtin14):
        raise ValueError("gtin14 must be 14 digits")
    return f"{base}/01/{gtin14}/21/{quote(code, safe='')}"


def _utc(name: str, value: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and ``Z`` (the form the event hash also uses)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _expand(key: str) -> str:
    prefix, sep, local = key.partition(":")
    if not sep or prefix not in _PREFIXES:
        raise ValueError(f"extension key {key!r} has no declared prefix")
    return "{" + _PREFIXES[prefix] + "}" + local


def _canonical_epc(uri: str) -> str:
    match = _DIGITAL_LINK.match(uri)
    return f"https://id.gs1.org/01/{match[1]}/21/{match[2]}" if match else uri


def _hash_time(value: str) -> str:
    return _utc("eventTime", datetime.fromisoformat(value))


def _value(value: Any) -> str:
    return str(value).strip()


_STANDARD_KEYS: Final = frozenset(
    [
        "type",
        "eventID",
        "eventTime",
        "eventTimeZoneOffset",
        "recordTime",
        "epcList",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "ilmd",
    ]
)


def pre_hash_string(event: Mapping[str, Any]) -> str:
    """The CBV 2.0 event-hash pre-hash string of an ObjectEvent of the shape built here."""
    parts = [
        f"eventType={event['type']}",
        f"eventTime={_hash_time(event['eventTime'])}",
        f"eventTimeZoneOffset={event['eventTimeZoneOffset']}",
    ]
    if event.get("epcList"):
        epcs = sorted(_canonical_epc(_value(e)) for e in event["epcList"])
        parts.append("epcList" + "".join(f"epc={e}" for e in epcs))
    parts.append(f"action={event['action']}")
    if "bizStep" in event:
        parts.append(f"bizStep={_CBV}BizStep-{event['bizStep']}")
    if "disposition" in event:
        parts.append(f"disposition={_CBV}Disp-{event['disposition']}")
    for where in ("readPoint", "bizLocation"):
        if where in event:
            parts.append(f"{where}id={_value(event[where]['id'])}")
    if event.get("bizTransactionList"):
        items = sorted(
            f"type={_CBV}BTT-{bt['type']}bizTransaction={_value(bt['bizTransaction'])}"
            for bt in event["bizTransactionList"]
        )
        parts.append("bizTransactionList" + "".join(items))
    if event.get("ilmd"):
        ilmd = sorted(f"{_expand(k)}={_value(v)}" for k, v in event["ilmd"].items())
        parts.append("ilmd" + "".join(ilmd))
    extensions = [k for k in event if k not in _STANDARD_KEYS]
    parts.extend(sorted(f"{_expand(k)}={_value(event[k])}" for k in extensions))
    return "".join(parts)


def event_hash_id(event: Mapping[str, Any]) -> str:
    """``ni:///sha-256;{hex}?ver=CBV2.0`` over :func:`pre_hash_string` (UTF-8)."""
    digest = hashlib.sha256(pre_hash_string(event).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"


def _event(
    life: CodeLife, at: datetime, action: str, biz_step: str, disposition: str, **extra: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": _utc(f"{biz_step} time", at),
        "eventTimeZoneOffset": CHINA_OFFSET,
        "epcList": [life.epc],
        "action": action,
        "bizStep": biz_step,
        "disposition": disposition,
    }
    event.update(extra)
    return {"eventID": event_hash_id(event), **event}


def epcis_document(life: CodeLife, created_at: datetime) -> dict[str, Any]:
    """The code's life as an EPCIS 2.0 ``EPCISDocument``; same input, same document."""
    base = life.public_url.rstrip("/")
    warehouse = {"id": f"{base}/warehouses/{quote(life.warehouse_id, safe='')}"}
    located = {"readPoint": dict(warehouse), "bizLocation": dict(warehouse)}
    steps: list[tuple[datetime, int, dict[str, Any]]] = []
    ilmd = {"suyuan:declarationNo": life.declaration_no, "suyuan:itemNo": life.item_no}
    ours = {"suyuan:warehouseName": life.warehouse_name, "suyuan:storeID": life.store_id}
    commissioning = _event(
        life, life.issued_at, "ADD", "commissioning", "active", **located, ilmd=ilmd, **ours
    )
    steps.append((life.issued_at, 0, commissioning))
    if life.attached_at is not None:
        labelled = _event(life, life.attached_at, "OBSERVE", "commissioning", "active", **located)
        steps.append((life.attached_at, 1, labelled))
    if life.shipped_at is not None:
        shipping_extra: dict[str, Any] = {"readPoint": dict(warehouse)}
        if life.order_id is not None:
            order = f"{base}/orders/{quote(life.order_id, safe='')}"
            shipping_extra["bizTransactionList"] = [{"type": "po", "bizTransaction": order}]
        shipping = _event(
            life, life.shipped_at, "OBSERVE", "shipping", "in_transit", **shipping_extra
        )
        steps.append((life.shipped_at, 2, shipping))
    if life.voided_at is not None:
        reason = {"suyuan:voidReason": life.void_reason} if life.void_reason else {}
        voided = _event(
            life, life.voided_at, "DELETE", "decommissioning", "inactive", **located, **reason
        )
        steps.append((life.voided_at, 3, voided))
    steps.sort(key=lambda step: (step[0], step[1]))
    return {
        "@context": [EPCIS_CONTEXT, dict(_PREFIXES)],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _utc("created_at", created_at),
        "epcisBody": {"eventList": [event for _, _, event in steps]},
    }
