"""Words of the platform console: key -> (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {}
