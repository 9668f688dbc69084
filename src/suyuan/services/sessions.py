"""Console logins (issue 6): username + argon2 password → a server-side session.

The browser holds only a random token in an HttpOnly cookie; the database keeps its SHA-256, the
user and the session's CSRF token, so logging out (or deleting the row) ends it at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy import delete, insert, select

from suyuan.db import schema as s
from suyuan.db.uow import UnitOfWork
from suyuan.domain.actor import Actor
from suyuan.domain.errors import DomainError
from suyuan.services.credentials import hash_password, key_hash, verify_password

LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class ConsoleUser:
    """Who is logged in to a console, and the CSRF token their forms must carry."""

    user_id: str
    username: str
    org_type: str
    org_id: str | None
    csrf_token: str

    @property
    def actor(self) -> Actor:
        """The same actor an API key of this organization would be."""
        return Actor(self.org_type, self.org_id, self.user_id)  # type: ignore[arg-type]


@cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown users, so timing doesn't tell names apart."""
    return hash_password(secrets.token_hex(16))


def login(uow: UnitOfWork, username: str, password: str) -> tuple[str, ConsoleUser]:
    """A new session for valid credentials; the same answer for a wrong name or password."""
    row = uow.conn.execute(select(s.users).where(s.users.c.username == username)).first()
    ok = verify_password(row.password_hash if row else _dummy_hash(), password)
    if row is None or not ok:
        raise DomainError("UNAUTHENTICATED", 401, "error.login.failed")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    uow.conn.execute(
        insert(s.console_sessions).values(
            token_hash=key_hash(token),
            user_id=row.id,
            csrf_token=csrf,
            created_at=uow.now,
            expires_at=uow.now + LIFETIME,
        )
    )
    return token, ConsoleUser(row.id, row.username, row.org_type, row.org_id, csrf)


def session_user(uow: UnitOfWork, token: str) -> ConsoleUser | None:
    """The user of a live session token, or None (unknown or expired)."""
    cs, u = s.console_sessions, s.users
    row = uow.conn.execute(
        select(u.c.id, u.c.username, u.c.org_type, u.c.org_id, cs.c.csrf_token, cs.c.expires_at)
        .join(u, u.c.id == cs.c.user_id)
        .where(cs.c.token_hash == key_hash(token))
    ).first()
    if row is None or row.expires_at <= uow.now:
        return None
    return ConsoleUser(row.id, row.username, row.org_type, row.org_id, row.csrf_token)


def logout(uow: UnitOfWork, token: str) -> None:
    """End the session."""
    uow.conn.execute(
        delete(s.console_sessions).where(s.console_sessions.c.token_hash == key_hash(token))
    )
