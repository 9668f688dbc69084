"""Settings from ``SUYUAN_*`` environment variables (SPEC §8)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable; read once per process."""

    model_config = SettingsConfigDict(env_prefix="SUYUAN_", extra="ignore")

    database_url: str = "sqlite:///./suyuan.db"
    admin_token: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    scan_warn_after: int = 5
    test_clock: bool = False
    scan_rate_limit: int = 120  # public lookups per client network per minute
    # Request body limits in bytes (413 PAYLOAD_TOO_LARGE above them; see api/hardening.py).
    max_body_bytes: int = 1 << 20  # any body: forms and small JSON are a few KiB
    max_codes_body_bytes: int = 4 << 20  # attachments and voids: ≤ 10,000 codes a batch
    max_bulk_body_bytes: int = 32 << 20  # declarations; shipments of up to 1,000,000 codes


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead)."""
    return Settings()
