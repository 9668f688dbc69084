"""Who is acting: the platform, or one store, warehouse or provider (an API key or a user)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorType = Literal["platform", "store", "warehouse", "provider", "system"]


@dataclass(frozen=True)
class Actor:
    """The caller of a use case. ``org_id`` is None for the platform and the system."""

    type: ActorType
    org_id: str | None = None
    credential_id: str | None = None

    @property
    def audit_id(self) -> str | None:
        """What the audit log records as "who": the organization, else the credential."""
        return self.org_id or self.credential_id


SYSTEM = Actor("system")
