"""Words of the store console: key -> (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {}
