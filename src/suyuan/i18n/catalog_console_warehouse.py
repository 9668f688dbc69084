"""Words of the warehouse console: key -> (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {}
