"""What the platform console's pages share: the operator, form checks, notices, formatting.

Form input is checked here with the same limits the API's request bodies have (names 1–200
characters, usernames, passwords, the fee), so a console form never reaches the database with
something it cannot hold; a bad field is a ``VALIDATION_ERROR`` naming it, shown at the field.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from suyuan.domain.errors import DomainError, FieldError, validation_error
from suyuan.i18n import CATALOG, Lang, translate
from suyuan.services.sessions import ConsoleUser
from suyuan.web.console.common import (
    cn_time,
    field_errors,
    lang_of,
    redirect,
    render,
    user_of,
)

User = Annotated[ConsoleUser, Depends(user_of("platform"))]
BASE = "/console/platform"
PAGE_SIZE = 20
TENANT_TYPES = ("store", "warehouse", "provider")
USER_TYPES = ("platform", *TENANT_TYPES)
MAX_FEE_FEN = 100_000  # the API's PricingUpdate bound: ¥1,000.00 per code
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
_CUSTOMS_CODE = re.compile(r"^[0-9A-Z]{4,20}$")
_MONTH = re.compile(r"^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$")
_ID = re.compile(r"^[A-Za-z0-9_]{1,40}$")
# Service messages worded for API callers, said the console's way.
_OVERRIDES = {
    "error.org_id.unknown": "platform.error.org_unknown",
    "error.org_id.platform_has_none": "platform.error.org_platform",
    "error.field.required": "platform.error.required",
}


def yuan(fen: int) -> str:
    """Integer fen as yuan: ``10`` → ``¥0.10``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


def page(
    request: Request,
    user: ConsoleUser,
    template: str,
    section: str,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    """A platform page: the side menu's ``section``, the notice of a finished POST, helpers."""
    values.setdefault("errors", {})
    values.setdefault("form", {})
    return render(
        request,
        f"console/platform/{template}",
        status,
        user=user,
        section=section,
        notice=notice_of(request),
        cn_time=cn_time,
        yuan=yuan,
        **values,
    )


def notice_of(request: Request) -> str | None:
    """``?notice=store_created`` → that catalog message; anything else shows nothing."""
    name = request.query_params.get("notice", "")
    key = f"platform.notice.{name}"
    return translate(key, lang_of(request)) if name and key in CATALOG else None


def done(path: str, notice: str, **query: str | None) -> RedirectResponse:
    """Post/Redirect/Get: back to ``path`` with a notice (and e.g. the list's cursor)."""
    params = {k: v for k, v in query.items() if v}
    return redirect(f"{BASE}{path}?{urlencode({'notice': notice, **params})}")


def reopened(request: Request, path: str) -> RedirectResponse:
    """A form's address opened with GET (a reload, the language switch): its page instead."""
    lang = request.query_params.get("lang")
    return redirect(f"{BASE}{path}" + (f"?lang={lang}" if lang in ("zh", "en") else ""))


def errors_of(error: DomainError, lang: Lang) -> dict[str, str]:
    """``field_errors`` with the API's wording of some messages replaced by the console's."""
    if error.code == "VALIDATION_ERROR":
        errors = [FieldError(e.field, _OVERRIDES.get(e.key, e.key), e.params) for e in error.errors]
        error = DomainError(error.code, error.status, "platform.error.form", error.params, errors)
    return field_errors(error, lang)


def is_id(value: str | None) -> bool:
    """Could this be an object ID (letters, digits, ``_``)? Other text is never looked up."""
    return bool(value and _ID.match(value))


class FormCheck:
    """Collects the bad fields of one form; ``raise_if_any`` reports them all at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, field: str, key: str, **params: Any) -> None:
        self.errors.append(FieldError(field, key, params))

    def text(self, field: str, value: str, *, required: bool = True, max_length: int = 200) -> str:
        """Trimmed text, 1..max_length characters when required."""
        value = value.strip()
        if "\x00" in value:
            self.fail(field, "error.text.nul")
        elif required and not value:
            self.fail(field, "platform.error.required")
        elif len(value) > max_length:
            self.fail(field, "platform.error.too_long", max_length=max_length)
        return value

    def choice(self, field: str, value: str, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            self.fail(field, "platform.error.choose")
        return value

    def org(self, kind: str, value: str) -> str | None:
        """The organization of a user or key: none for the platform (whatever a select held),
        else a chosen ID."""
        value = value.strip()
        if kind == "platform":
            return None
        if not value:
            self.fail("org_id", "platform.error.choose")
        elif not _ID.match(value):
            self.fail("org_id", "platform.error.org_unknown")
        return value or None

    def username(self, value: str) -> str:
        value = value.strip()
        if not _USERNAME.match(value):
            self.fail("username", "platform.error.username")
        return value

    def password(self, value: str) -> str:
        if "\x00" in value:
            self.fail("password", "error.text.nul")
        elif not 8 <= len(value) <= 256:
            self.fail("password", "platform.error.password")
        return value

    def customs_code(self, value: str) -> str | None:
        value = value.strip().upper()
        if value and not _CUSTOMS_CODE.match(value):
            self.fail("customs_code", "platform.error.customs_code")
        return value or None

    def fee_yuan(self, value: str) -> int:
        """Yuan with at most two decimals (``0.10``) → integer fen (``10``)."""
        text = value.strip().removeprefix("¥").removeprefix("￥").strip()
        try:
            fen = Decimal(text) * 100 if len(text) <= 20 else Decimal("NaN")
        except ArithmeticError:  # not a number, or too large to compute with
            fen = Decimal("NaN")
        if not fen.is_finite() or fen != fen.to_integral_value():
            self.fail("fee_yuan", "platform.error.fee_format")
            return 0
        if not 0 <= fen <= MAX_FEE_FEN:
            self.fail("fee_yuan", "platform.error.fee_range", max=yuan(MAX_FEE_FEN))
            return 0
        return int(fen)

    def month(self, value: str | None) -> str | None:
        """``YYYY-MM`` or nothing (this China month)."""
        value = (value or "").strip()
        if value and not _MONTH.match(value):
            self.fail("month", "error.month.format")
            return None
        return value or None

    def raise_if_any(self) -> None:
        if self.errors:
            raise validation_error(self.errors)
