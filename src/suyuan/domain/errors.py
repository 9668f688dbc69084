"""The spec's error codes as one exception type; services raise only this.

A ``DomainError`` carries the stable ``code`` (SPEC §7), the HTTP status the API maps it to,
a message key of the i18n catalog with its parameters, and the offending fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One bad field: ``field`` is a path such as ``items[2].hs_code`` (array indexes from 0)."""

    field: str
    key: str
    params: dict[str, Any] = dc_field(default_factory=dict)


class DomainError(Exception):
    """A rule said no. Nothing has been changed when this propagates out of a unit of work."""

    def __init__(
        self,
        code: str,
        status: int,
        key: str | None = None,
        params: dict[str, Any] | None = None,
        errors: list[FieldError] | None = None,
    ) -> None:
        self.code = code
        self.status = status
        self.key = key or f"error.{code}"
        self.params = params or {}
        self.errors = errors or []
        super().__init__(f"{code}: {self.key} {self.params}")


def validation_error(errors: list[FieldError]) -> DomainError:
    """422 VALIDATION_ERROR listing every bad field."""
    return DomainError("VALIDATION_ERROR", 422, "error.VALIDATION_ERROR", errors=errors)


def not_found(kind: str) -> DomainError:
    """404 NOT_FOUND; also what another tenant's object answers (R18)."""
    return DomainError("NOT_FOUND", 404, "error.NOT_FOUND", {"kind": kind})
