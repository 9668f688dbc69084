"""Integration tests reuse the HTTP fixtures to build their worlds."""

from tests.api.conftest import admin, client, shop, tenants, world

__all__ = ["admin", "client", "shop", "tenants", "world"]
