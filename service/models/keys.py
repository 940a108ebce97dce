"""API keys: who may call the API, and whether they may change the corpus."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from service.models.base import Base, UTCDateTime, intpk, timestamp

SCOPES = ("read", "write")


class ApiKey(Base):
    """A client credential. Only the SHA-256 of the secret is stored; the secret is shown once.

    ``prefix`` (the secret's first characters) lets an operator recognise a key in listings and
    logs without the stored row being usable as a credential.
    """

    __tablename__ = "api_keys"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write')", name="scope"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(255))
    scope: Mapped[str] = mapped_column(String(16))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[timestamp]
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def active(self) -> bool:
        """False once revoked."""
        return self.revoked_at is None
