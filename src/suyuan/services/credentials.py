"""API keys and passwords: random keys shown once and stored as SHA-256, argon2 passwords."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

KEY_PREFIX = "sy_"
_hasher = PasswordHasher()


def new_api_key() -> str:
    """A fresh key: 256 random bits, URL-safe, recognisable by its prefix."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    """What is stored of a key. Keys are random, so a fast hash is enough and lookups stay cheap."""
    return hashlib.sha256(key.encode()).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of two secrets (through their digests, so lengths don't leak)."""
    return hmac.compare_digest(key_hash(given), key_hash(expected))


def hash_password(password: str) -> str:
    """Argon2id hash of a console password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; never raises on a malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
