"""Transport hardening: security headers and request size limits (issue 9). Filled in below."""

from __future__ import annotations

from fastapi import FastAPI

from suyuan.config import Settings


def install(app: FastAPI, settings: Settings) -> None:
    """Add the hardening middlewares to ``app``."""
