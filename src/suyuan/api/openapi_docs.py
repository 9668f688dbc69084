"""The OpenAPI document: every operation documents the problem responses it can give."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Document problem+json error responses on every operation of ``app``."""
