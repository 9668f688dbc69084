"""Pure rules of the consumer scan (R17): warnings, client networks, user-agent families."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Literal

Warning = Literal["SCANNED_MANY_TIMES", "NOT_SHIPPED", "VOIDED"]
AlertReason = Literal[
    "SCANNED_BEFORE_SHIPPING", "SCANNED_AFTER_VOIDING", "SCANNED_MANY_TIMES", "MANY_NETWORKS"
]
CLONE_NETWORKS = 3
CLONE_WINDOW = timedelta(hours=24)


def warnings(status: str, scan_count: int, warn_after: int) -> list[Warning]:
    """What a buyer should be told about this code: often scanned, never shipped, voided."""
    out: list[Warning] = []
    if scan_count > warn_after:
        out.append("SCANNED_MANY_TIMES")
    if status in ("issued", "attached"):
        out.append("NOT_SHIPPED")
    if status == "voided":
        out.append("VOIDED")
    return out


@lru_cache(maxsize=65_536)
def network_of(client_ip: str | None) -> str:
    """The client's network: /24 for IPv4, /48 for IPv6; "unknown" when there is no address.

    Cached: every public lookup asks twice (rate limit, salted hash), and parsing an address is
    a noticeable share of a scan's CPU; the same clients come back again and again."""
    if not client_ip:
        return "unknown"
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return "unknown"
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def network_hash(client_ip: str | None, salt: str) -> str:
    """A salted hash of the client's network; the address itself is never kept."""
    return hashlib.sha256(f"{salt}|{network_of(client_ip)}".encode()).hexdigest()[:32]


_FAMILIES = (
    ("MicroMessenger", "wechat"),
    ("AlipayClient", "alipay"),
    ("DingTalk", "dingtalk"),
    ("QQ/", "qq"),
    ("EdgA", "edge"),
    ("Edg/", "edge"),
    ("HuaweiBrowser", "huawei"),
    ("MiuiBrowser", "xiaomi"),
    ("UCBrowser", "uc"),
    ("CriOS", "chrome"),
    ("Chrome/", "chrome"),
    ("Firefox/", "firefox"),
    ("Safari/", "safari"),
    ("curl/", "curl"),
)


def ua_family(user_agent: str | None) -> str:
    """A coarse browser family (WeChat, Alipay, Chrome, Safari, …): enough for analytics."""
    agent = user_agent or ""
    return next((family for marker, family in _FAMILIES if marker in agent), "other")


@dataclass(frozen=True)
class ScanFact:
    """One scan as the alert rules see it."""

    at: datetime
    network: str


def many_networks(scans: list[ScanFact]) -> bool:
    """Clone suspicion: 3 or more distinct networks within any 24 hours."""
    ordered = sorted(scans, key=lambda s: s.at)
    start = 0
    for end, scan in enumerate(ordered):
        while scan.at - ordered[start].at > CLONE_WINDOW:
            start += 1
        if len({s.network for s in ordered[start : end + 1]}) >= CLONE_NETWORKS:
            return True
    return False


def alert_reasons(
    status: str,
    scan_count: int,
    warn_after: int,
    scans: list[ScanFact],
    shipped_at: datetime | None,
    voided_at: datetime | None,
) -> list[AlertReason]:
    """Why a store should look at a code (issue 5's scan alerts)."""
    reasons: list[AlertReason] = []
    if any(shipped_at is None or s.at < shipped_at for s in scans) and status != "voided":
        reasons.append("SCANNED_BEFORE_SHIPPING")
    if voided_at is not None and any(s.at >= voided_at for s in scans):
        reasons.append("SCANNED_AFTER_VOIDING")
    if scan_count > warn_after:
        reasons.append("SCANNED_MANY_TIMES")
    if many_networks(scans):
        reasons.append("MANY_NETWORKS")
    return reasons
