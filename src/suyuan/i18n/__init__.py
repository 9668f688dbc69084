"""One message catalog for every human-readable string, zh-CN by default, English on request.

Messages are looked up by key; each catalog module contributes a ``MESSAGES`` dict of
``key -> (zh, en)`` templates formatted with ``str.format(**params)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from suyuan.i18n import (
    catalog_console,
    catalog_console_platform,
    catalog_console_provider,
    catalog_console_store,
    catalog_console_warehouse,
    catalog_core,
    catalog_customs,
    catalog_web,
)

Lang = Literal["zh", "en"]
DEFAULT_LANG: Lang = "zh"

CATALOG: dict[str, tuple[str, str]] = {
    **catalog_core.MESSAGES,
    **catalog_customs.MESSAGES,
    **catalog_web.MESSAGES,
    **catalog_console.MESSAGES,
    **catalog_console_store.MESSAGES,
    **catalog_console_warehouse.MESSAGES,
    **catalog_console_provider.MESSAGES,
    **catalog_console_platform.MESSAGES,
}


def translate(key: str, lang: Lang = DEFAULT_LANG, params: Mapping[str, Any] | None = None) -> str:
    """The message ``key`` in ``lang``; an unknown key is returned as is so nothing is lost."""
    templates = CATALOG.get(key)
    if templates is None:
        return key
    template = templates[0] if lang == "zh" else templates[1]
    return template.format_map(_Params(params or {}))


class _Params(dict[str, Any]):
    """Formatting parameters where a missing one shows as ``{name}`` instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def negotiate(accept_language: str | None, override: str | None = None) -> Lang:
    """Pick zh or en from ``?lang=`` or an ``Accept-Language`` header (q-values honoured)."""
    if override in ("zh", "en"):
        return override  # type: ignore[return-value]
    if not accept_language:
        return DEFAULT_LANG
    best: tuple[float, Lang] | None = None
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        primary = tag.strip().lower().split("-")[0]
        if primary in ("zh", "en") and (best is None or weight > best[0]):
            best = (weight, primary)  # type: ignore[assignment]
    return best[1] if best else DEFAULT_LANG
