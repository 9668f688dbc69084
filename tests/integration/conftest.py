"""Integration tests reuse the HTTP fixtures to build their worlds."""

from tests.api.conftest import admin, client, tenants, world

__all__ = ["admin", "client", "tenants", "world"]
