"""Declarative base and reusable column types."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import BigInteger, DateTime, Dialect, Integer, MetaData, String, func
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp on every backend (SQLite drops the offset; this restores UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


intpk = Annotated[int, mapped_column(Integer, primary_key=True, autoincrement=True)]
bigint = Annotated[int, mapped_column(BigInteger)]
str_255 = Annotated[str, mapped_column(String(255))]
timestamp = Annotated[
    datetime,
    mapped_column(UTCDateTime(), nullable=False, server_default=func.now(), default=lambda: utcnow()),
]


def utcnow() -> datetime:
    """Timezone-aware now, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of all models, with a constraint naming convention Alembic can rely on."""

    metadata = MetaData(naming_convention=NAMING)
