"""Pure scan rules: warnings, networks without raw IPs, user-agent families, clone suspicion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from suyuan.domain.scanning import (
    ScanFact,
    alert_reasons,
    many_networks,
    network_hash,
    network_of,
    ua_family,
    warnings,
)

T0 = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "count", "expected"),
    [
        ("shipped", 5, []),
        ("shipped", 6, ["SCANNED_MANY_TIMES"]),
        ("attached", 1, ["NOT_SHIPPED"]),
        ("issued", 1, ["NOT_SHIPPED"]),
        ("voided", 9, ["SCANNED_MANY_TIMES", "VOIDED"]),
    ],
)
def test_warnings(status: str, count: int, expected: list[str]) -> None:
    assert warnings(status, count, 5) == expected


@pytest.mark.parametrize(
    ("ip", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12::1", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        (None, "unknown"),
        ("testclient", "unknown"),
    ],
)
def test_networks(ip: str | None, network: str) -> None:
    assert network_of(ip) == network


def test_the_hash_hides_the_address_but_groups_a_network() -> None:
    a, b = network_hash("203.0.113.7", "salt"), network_hash("203.0.113.200", "salt")
    assert a == b and "203" not in a
    assert network_hash("203.0.113.7", "other salt") != a
    assert network_hash("203.0.114.7", "salt") != a


@pytest.mark.parametrize(
    ("agent", "family"),
    [
        ("Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0.49", "wechat"),
        ("Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile Safari/537.36", "chrome"),
        ("Mozilla/5.0 (iPhone) Version/17.0 Mobile/15E148 Safari/604.1", "safari"),
        ("AlipayClient/10.5", "alipay"),
        (None, "other"),
    ],
)
def test_user_agent_families(agent: str | None, family: str) -> None:
    assert ua_family(agent) == family


def _scans(*points: tuple[float, str]) -> list[ScanFact]:
    return [ScanFact(T0 + timedelta(hours=h), n) for h, n in points]


def test_three_networks_within_a_day_is_clone_suspicion() -> None:
    assert many_networks(_scans((0, "a"), (5, "b"), (23.9, "c")))
    assert not many_networks(_scans((0, "a"), (5, "b"), (24.1, "c")))
    assert not many_networks(_scans((0, "a"), (1, "a"), (2, "b"), (3, "b")))
    assert many_networks(_scans((30, "c"), (0, "a"), (29, "b"), (10, "x")))


def test_alert_reasons() -> None:
    shipped = T0 + timedelta(hours=10)
    before = _scans((1, "a"))
    assert alert_reasons("shipped", 1, 5, before, shipped, None) == ["SCANNED_BEFORE_SHIPPING"]
    assert alert_reasons("shipped", 1, 5, _scans((11, "a")), shipped, None) == []
    assert alert_reasons("attached", 1, 5, before, None, None) == ["SCANNED_BEFORE_SHIPPING"]
    voided = T0 + timedelta(hours=2)
    assert alert_reasons("voided", 1, 5, _scans((3, "a")), None, voided) == [
        "SCANNED_AFTER_VOIDING"
    ]
    many = _scans(*((11 + i, "a") for i in range(6)))
    assert alert_reasons("shipped", 6, 5, many, shipped, None) == ["SCANNED_MANY_TIMES"]
    clones = _scans((11, "a"), (12, "b"), (13, "c"))
    assert alert_reasons("shipped", 3, 5, clones, shipped, None) == ["MANY_NETWORKS"]
