"""Words of the provider console: key -> (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {}
