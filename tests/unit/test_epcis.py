"""EPCIS 2.0 export of a code's life (issue 5), checked field by field against the standard.

The small sets and patterns below are copied from the GS1 EPCIS 2.0 JSON schema
(github.com/gs1/EPCIS, JSON-Schema/: EPCIS-Document, event-definitions, ObjectEvent, bizStep,
disposition and bizTransaction-type schemas).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from suyuan.domain.epcis import (
    EPCIS_CONTEXT,
    CodeLife,
    code_epc,
    epcis_document,
    event_hash_id,
    pre_hash_string,
)

CN = timezone(timedelta(hours=8))
URL = "https://trace.example.cn"
CODE = "7K3M9Q2XB4TR8WZD5"

# EPCIS-Document-JSON-Schema.json: epcisDocument.required / propertyNames.
DOCUMENT_REQUIRED = {"@context", "type", "schemaVersion", "creationDate", "epcisBody"}
DOCUMENT_KEYS = DOCUMENT_REQUIRED | {
    "id",
    "instanceIdentifier",
    "sender",
    "receiver",
    "epcisHeader",
}
# event-definitions-JSON-Schema.json: Event.eventTimeZoneOffset.pattern and action.enum.
OFFSET = re.compile(r"^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$")
ACTIONS = {"ADD", "OBSERVE", "DELETE"}
# bizStep / disposition / bizTransaction-type schemas: the CBV 2.0 short names.
BIZ_STEPS = {
    "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning",
    "creating_class_instance", "cycle_counting", "decommissioning", "departing", "destroying",
    "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting",
    "installing", "killing", "loading", "other", "packing", "picking", "receiving", "removing",
    "repackaging", "repairing", "replacing", "reserving", "retail_selling", "shipping",
    "staging_outbound", "stock_taking", "stocking", "storing", "transporting", "unloading",
    "unpacking", "void_shipping", "sensor_reporting", "sampling",
}  # fmt: skip
DISPOSITIONS = {
    "active", "container_closed", "damaged", "destroyed", "dispensed", "disposed", "encoded",
    "expired", "in_progress", "in_transit", "inactive", "no_pedigree_match", "non_sellable_other",
    "partially_dispensed", "recalled", "reserved", "retail_sold", "returned",
    "sellable_accessible", "sellable_not_accessible", "stolen", "unknown",
}  # fmt: skip
BTT = {
    "bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma",
    "testprd", "testres",
}  # fmt: skip
STANDARD_EVENT_KEYS = {
    "type", "eventID", "eventTime", "eventTimeZoneOffset", "recordTime", "epcList", "action",
    "bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList", "ilmd",
}  # fmt: skip
EVENT_ID = re.compile(r"^ni:///sha-256;[0-9a-f]{64}\?ver=CBV2\.0$")
CREATED = datetime(2026, 12, 1, 12, 0, tzinfo=CN)


def life(**changes: Any) -> CodeLife:
    base = CodeLife(
        code=CODE,
        epc=code_epc(URL, CODE, "04912345678904"),
        issued_at=datetime(2026, 11, 3, 9, 0, tzinfo=CN),
        attached_at=datetime(2026, 11, 4, 10, 0, tzinfo=CN),
        shipped_at=datetime(2026, 11, 10, 15, 30, 12, 345678, tzinfo=CN),
        order_id="ord-42",
        voided_at=None,
        void_reason=None,
        warehouse_id="wh-7",
        warehouse_name="上海外高桥保税仓",
        store_id="st-1",
        declaration_no="223320261000012345",
        item_no=2,
        public_url=URL,
    )
    return replace(base, **changes)


SHIPPED = life()
VOIDED = life(
    epc=code_epc(URL, CODE),
    attached_at=None,
    shipped_at=None,
    order_id=None,
    voided_at=datetime(2026, 11, 5, 8, 0, tzinfo=CN),
    void_reason="标签破损",
)


def events(code_life: CodeLife) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = epcis_document(code_life, CREATED)["epcisBody"]["eventList"]
    return result


def steps(code_life: CodeLife) -> list[tuple[str, str, str]]:
    return [(e["action"], e["bizStep"], e["disposition"]) for e in events(code_life)]


@pytest.mark.parametrize("code_life", [SHIPPED, VOIDED], ids=["shipped", "voided"])
def test_document_envelope(code_life: CodeLife) -> None:
    doc = epcis_document(code_life, CREATED)
    assert DOCUMENT_REQUIRED <= doc.keys() <= DOCUMENT_KEYS
    assert doc["type"] == "EPCISDocument"
    assert isinstance(doc["@context"], list) and doc["@context"][0] == EPCIS_CONTEXT
    assert doc["schemaVersion"] == "2.0"
    created = datetime.fromisoformat(doc["creationDate"])
    assert created.utcoffset() is not None and created == CREATED
    assert list(doc["epcisBody"]) == ["eventList"]


@pytest.mark.parametrize("code_life", [SHIPPED, VOIDED], ids=["shipped", "voided"])
def test_every_event_is_a_valid_object_event(code_life: CodeLife) -> None:
    for event in events(code_life):
        assert event["type"] == "ObjectEvent"
        assert event["eventTime"].endswith("Z")
        assert datetime.fromisoformat(event["eventTime"]).utcoffset() == timedelta(0)
        assert (
            OFFSET.match(event["eventTimeZoneOffset"]) and event["eventTimeZoneOffset"] == "+08:00"
        )
        assert event["epcList"] == [code_life.epc]
        assert event["action"] in ACTIONS
        assert event["bizStep"] in BIZ_STEPS and event["disposition"] in DISPOSITIONS
        assert event["readPoint"] == {"id": f"{URL}/warehouses/wh-7"}
        assert "ilmd" not in event or event["action"] == "ADD"  # ObjectEvent schema: ILMD on ADD


def test_shipped_life_is_commissioned_labelled_and_shipped() -> None:
    assert steps(SHIPPED) == [
        ("ADD", "commissioning", "active"),
        ("OBSERVE", "commissioning", "active"),
        ("OBSERVE", "shipping", "in_transit"),
    ]
    times = [e["eventTime"] for e in events(SHIPPED)]
    assert times == [
        "2026-11-03T01:00:00.000Z",
        "2026-11-04T02:00:00.000Z",
        "2026-11-10T07:30:12.345Z",
    ]


def test_shipping_names_the_order_as_business_transaction() -> None:
    shipping = events(SHIPPED)[-1]
    assert shipping["bizTransactionList"] == [
        {"type": "po", "bizTransaction": f"{URL}/orders/ord-42"}
    ]
    assert all(bt["type"] in BTT for bt in shipping["bizTransactionList"])
    assert "bizLocation" not in shipping  # in transit: no business location
    assert all("bizTransactionList" not in e for e in events(SHIPPED)[:-1])


def test_commissioning_carries_the_customs_declaration_as_ilmd() -> None:
    first = events(SHIPPED)[0]
    assert first["ilmd"] == {"suyuan:declarationNo": "223320261000012345", "suyuan:itemNo": 2}
    assert first["bizLocation"] == {"id": f"{URL}/warehouses/wh-7"}
    assert first["suyuan:warehouseName"] == "上海外高桥保税仓"
    assert first["suyuan:storeID"] == "st-1"


def test_voided_life_is_commissioned_then_decommissioned() -> None:
    assert steps(VOIDED) == [
        ("ADD", "commissioning", "active"),
        ("DELETE", "decommissioning", "inactive"),
    ]
    assert events(VOIDED)[-1]["suyuan:voidReason"] == "标签破损"
    assert events(VOIDED)[0]["epcList"] == [f"{URL}/T/{CODE}"]
    assert "suyuan:voidReason" not in events(replace(VOIDED, void_reason=None))[-1]


def test_issued_only_code_has_one_event() -> None:
    only = life(attached_at=None, shipped_at=None, order_id=None)
    assert steps(only) == [("ADD", "commissioning", "active")]


@pytest.mark.parametrize(
    "code_life", [SHIPPED, VOIDED, life(voided_at=datetime(2026, 11, 3, 9, 0, tzinfo=CN))]
)
def test_events_are_in_time_order(code_life: CodeLife) -> None:
    times = [datetime.fromisoformat(e["eventTime"]) for e in events(code_life)]
    assert times == sorted(times)
    assert events(code_life)[0]["action"] == "ADD"  # ties keep the lifecycle order


def test_event_ids_are_unique_event_hash_ids() -> None:
    for code_life in (SHIPPED, VOIDED):
        ids = [e["eventID"] for e in events(code_life)]
        assert len(set(ids)) == len(ids)
        assert all(EVENT_ID.match(i) for i in ids)
        assert all(event_hash_id(e) == e["eventID"] for e in events(code_life))


def test_event_hash_matches_the_reference_pre_hash() -> None:
    """EPCIS 2.0 example 9.6.1 (Digital Link form), pre-hash as the openepcis generator gives it."""
    event = {
        "type": "ObjectEvent",
        "eventTime": "2005-04-03T20:33:31.116-06:00",
        "eventTimeZoneOffset": "-06:00",
        "epcList": [
            "https://id.gs1.org/01/10614141073464/21/2018",
            "https://id.gs1.org/01/10614141073464/21/2017",
        ],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": "https://id.gs1.org/414/0614141073467/254/1234"},
        "bizTransactionList": [
            {"type": "po", "bizTransaction": "http://transaction.acme.com/po/12345678"}
        ],
    }
    assert pre_hash_string(event) == (
        "eventType=ObjectEventeventTime=2005-04-04T02:33:31.116ZeventTimeZoneOffset=-06:00"
        "epcListepc=https://id.gs1.org/01/10614141073464/21/2017"
        "epc=https://id.gs1.org/01/10614141073464/21/2018action=OBSERVE"
        "bizStep=https://ref.gs1.org/cbv/BizStep-shipping"
        "disposition=https://ref.gs1.org/cbv/Disp-in_transit"
        "readPointid=https://id.gs1.org/414/0614141073467/254/1234"
        "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-po"
        "bizTransaction=http://transaction.acme.com/po/12345678"
    )


def test_pre_hash_constrains_digital_link_and_expands_extensions() -> None:
    first, *_, last = events(replace(VOIDED, epc=SHIPPED.epc))
    text = pre_hash_string(first)
    assert f"epc=https://id.gs1.org/01/04912345678904/21/{CODE}" in text
    assert "ilmd{https://suyuan.dev/epcis/}declarationNo=223320261000012345" in text
    assert pre_hash_string(last).endswith("{https://suyuan.dev/epcis/}voidReason=标签破损")
    assert event_hash_id({**last, "suyuan:voidReason": "other"}) != last["eventID"]
    with pytest.raises(ValueError, match="prefix"):
        pre_hash_string({**last, "acme:x": 1})


def test_same_input_same_document() -> None:
    assert epcis_document(SHIPPED, CREATED) == epcis_document(life(), CREATED)
    again = json.dumps(epcis_document(life(), CREATED), sort_keys=True)
    assert json.dumps(epcis_document(SHIPPED, CREATED), sort_keys=True) == again
    later = epcis_document(SHIPPED, CREATED + timedelta(days=1))
    assert later["epcisBody"] == epcis_document(SHIPPED, CREATED)["epcisBody"]


@pytest.mark.parametrize("code_life", [SHIPPED, VOIDED], ids=["shipped", "voided"])
def test_json_serializable(code_life: CodeLife) -> None:
    doc = epcis_document(code_life, CREATED)
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc


@pytest.mark.parametrize("code_life", [SHIPPED, VOIDED], ids=["shipped", "voided"])
def test_extension_keys_use_a_prefix_declared_in_context(code_life: CodeLife) -> None:
    doc = epcis_document(code_life, CREATED)
    declared = {k for part in doc["@context"] if isinstance(part, dict) for k in part}
    assert declared == {"suyuan"}
    for event in doc["epcisBody"]["eventList"]:
        ours = [k for k in event if k not in STANDARD_EVENT_KEYS] + list(event.get("ilmd", {}))
        assert all(k.partition(":")[0] in declared and ":" in k for k in ours), ours


def test_code_epc_forms() -> None:
    assert code_epc(URL + "/", CODE, "04912345678904") == f"{URL}/01/04912345678904/21/{CODE}"
    assert code_epc(URL, CODE) == f"{URL}/T/{CODE}"
    with pytest.raises(ValueError, match="14 digits"):
        code_epc(URL, CODE, "4912345678904")


def test_identifiers_are_percent_encoded_uris() -> None:
    odd = events(life(warehouse_id="wh 7/a", order_id="o/1"))
    assert odd[0]["readPoint"]["id"] == f"{URL}/warehouses/wh%207%2Fa"
    assert odd[-1]["bizTransactionList"][0]["bizTransaction"] == f"{URL}/orders/o%2F1"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        epcis_document(life(attached_at=datetime(2026, 11, 4, 10, 0)), CREATED)
    with pytest.raises(ValueError, match="timezone-aware"):
        epcis_document(SHIPPED, datetime(2026, 12, 1))
