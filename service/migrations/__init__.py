"""Alembic migrations of the service's schema (the package makes them ship with the wheel)."""
