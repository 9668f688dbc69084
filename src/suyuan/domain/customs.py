"""Customs identifiers: company names, USCC, customs registration codes, GTINs (SPEC R3).

Pure functions, no I/O. Validators that face user input return ``(normalized, None)`` or
``(None, FieldError)`` so callers can collect every bad field before answering; the message keys
live in :mod:`suyuan.i18n.catalog_customs`. The declaration parser (SPEC §6) is in
:mod:`suyuan.domain.declaration`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Final

from suyuan.domain.errors import FieldError

# ---------------------------------------------------------------------------------------------
# Company names (R3)
# ---------------------------------------------------------------------------------------------

# After NFKC, （）［］ are already () []; these are the brackets NFKC leaves alone. Every
# bracket pair folds to () so 【国际】, 〔国际〕, [国际] and （国际） all compare equal.
_BRACKETS: Final = str.maketrans(
    {
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "〖": "(",
        "〗": ")",
        "〘": "(",
        "〙": ")",
        "〈": "(",
        "〉": ")",
        "《": "(",
        "》": ")",
        "⟨": "(",
        "⟩": ")",
        # Middle dots of transliterated foreign names (雅诗兰黛·…) have several look-alikes.
        "・": "·",
        "•": "·",
        "‧": "·",
        "∙": "·",
        "⋅": "·",
    }
)
# Invisible characters that copy-and-paste brings along; not whitespace to str.isspace().
_INVISIBLE: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKC", text.casefold())
    text = text.translate(_BRACKETS)
    return "".join(ch for ch in text if not ch.isspace() and ch not in _INVISIBLE)


def fold_company_name(name: str) -> str:
    """The comparison form of a company name.

    NFKC (full-width letters, digits, punctuation and （） become half-width), case-folded,
    every bracket variant as ``()``, every whitespace (also U+3000) and invisible character
    removed. ``fold_company_name(fold_company_name(x)) == fold_company_name(x)``.
    """
    folded = name
    for _ in range(8):  # removing a space can let NFKC compose again; stop at the fixed point
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded


def company_names_match(a: str, b: str) -> bool:
    """Whether two company names are the same after folding (R3). Blank names never match."""
    folded = fold_company_name(a)
    return folded != "" and folded == fold_company_name(b)


# ---------------------------------------------------------------------------------------------
# Unified social credit code, GB 32100-2015 (统一社会信用代码)
# ---------------------------------------------------------------------------------------------

USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 symbols of GB 32100-2015 (no I, O, Z, S, V); a symbol's value is its index."""
USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE: Final = {ch: i for i, ch in enumerate(USCC_ALPHABET)}


def uscc_check_char(first17: str) -> str:
    """The check character (18th) for the first 17 characters of a USCC.

    Raises ``ValueError`` unless ``first17`` is 17 symbols of :data:`USCC_ALPHABET`.
    """
    if len(first17) != 17 or any(ch not in _USCC_VALUE for ch in first17):
        raise ValueError(f"expected 17 characters of {USCC_ALPHABET}, got {first17!r}")
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """Whether ``code`` is an 18-character USCC with a correct check character (upper case)."""
    if len(code) != 18 or any(ch not in _USCC_VALUE for ch in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


# ---------------------------------------------------------------------------------------------
# Customs registration code (海关编码 / 海关注册编码)
# ---------------------------------------------------------------------------------------------

_CUSTOMS_CODE: Final = re.compile(r"[0-9]{5}[0-9A-Z]{5}")


def is_valid_customs_code(code: str) -> bool:
    """Whether ``code`` is a 10-character customs registration code.

    4 digits of customs area, 1 digit of zone type, then 5 upper-case letters or digits.
    """
    return _CUSTOMS_CODE.fullmatch(code) is not None


def _clip(value: str, limit: int = 64) -> str:
    """A user's value short enough to echo back in a message."""
    return value if len(value) <= limit else value[:limit] + "…"


def json_type(value: object) -> tuple[str, str]:
    """The JSON type name of ``value`` as (English, Chinese), for messages."""
    if value is None:
        return "null", "空值 null"
    if isinstance(value, bool):
        return "boolean", "布尔值"
    if isinstance(value, int | float):
        return "number", "数字"
    if isinstance(value, str):
        return "string", "字符串"
    if isinstance(value, list | tuple):
        return "array", "数组"
    if isinstance(value, dict):
        return "object", "对象"
    return type(value).__name__, type(value).__name__


def type_params(field: str, value: object) -> dict[str, Any]:
    """Parameters of a wrong-type message: the field and the JSON type that was given."""
    en, zh = json_type(value)
    return {"field": field, "type": en, "type_zh": zh}


def validate_importer_code(code: object, field: str) -> tuple[str | None, FieldError | None]:
    """An importer code (R3): a customs registration code or a USCC with a valid check character.

    The value is NFKC-normalized (full-width digits and letters become half-width), stripped and
    upper-cased; the normalized code is returned.
    """
    if code is None:
        return None, FieldError(field, "customs.field.required", {"field": field})
    if not isinstance(code, str):
        return None, FieldError(field, "customs.field.not_string", type_params(field, code))
    value = unicodedata.normalize("NFKC", code).strip().upper()
    if not value:
        return None, FieldError(field, "customs.field.required", {"field": field})
    if len(value) == 10 and is_valid_customs_code(value):
        return value, None
    if len(value) == 18:
        bad = "".join(dict.fromkeys(ch for ch in value if ch not in _USCC_VALUE))
        if bad:
            params = {"value": _clip(value), "chars": bad}
            return None, FieldError(field, "customs.importer_code.uscc_chars", params)
        expected = uscc_check_char(value[:17])
        if expected != value[17]:
            params = {"value": value, "actual": value[17], "expected": expected}
            return None, FieldError(field, "customs.importer_code.uscc_check", params)
        return value, None
    key = (
        "customs.importer_code.customs_format"
        if len(value) == 10
        else "customs.importer_code.format"
    )
    return None, FieldError(field, key, {"value": _clip(value), "length": len(value)})


# ---------------------------------------------------------------------------------------------
# GTIN (GS1 General Specifications §7.9: mod-10 check digit)
# ---------------------------------------------------------------------------------------------

_GTIN: Final = re.compile(r"[0-9]{8}|[0-9]{12,14}")


def gtin_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for the digits before it (weights 3,1,3,… from the right)."""
    if not body.isascii() or not body.isdigit():
        raise ValueError(f"expected digits, got {body!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gtin14(value: object, field: str) -> tuple[str | None, FieldError | None]:
    """A GTIN-8, -12, -13 or -14 given as a string of digits, as its 14-digit form.

    Spaces are ignored; the check digit must be right. Numbers are refused (a JSON number
    loses the leading zeros of a GTIN).
    """
    if not isinstance(value, str):
        return None, FieldError(field, "customs.field.not_string", type_params(field, value))
    digits = "".join(value.split())
    if _GTIN.fullmatch(digits) is None:
        return None, FieldError(field, "customs.gtin.format", {"value": _clip(value)})
    expected = gtin_check_digit(digits[:-1])
    if digits[-1] != expected:
        params = {"value": digits, "actual": digits[-1], "expected": expected}
        return None, FieldError(field, "customs.gtin.check_digit", params)
    return digits.zfill(14), None


# ---------------------------------------------------------------------------------------------
# Display
# ---------------------------------------------------------------------------------------------


def mask_declaration_no(no: str) -> str:
    """The declaration number with all but the first 4 and last 4 characters as ``*`` (R17).

    A value of 8 characters or fewer is masked entirely (showing 4 + 4 would reveal it all).
    """
    if len(no) <= 8:
        return "*" * len(no)
    return no[:4] + "*" * (len(no) - 8) + no[-4:]
