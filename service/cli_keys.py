"""``provenance keys``: create, list and revoke API keys.

The secret is printed once, at creation; only its hash is stored, so a lost secret means a new
key (and revoking the old one).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from service import auth, create_app
from service.db import session_scope
from service.models.keys import SCOPES


@contextmanager
def _session() -> Iterator[Session]:
    """A committed-on-success session on the configured database; the engine is closed after."""
    app = create_app()
    try:
        with session_scope(app) as session:
            yield session
    finally:
        app.extensions["engine"].dispose()


@click.group()
def keys() -> None:
    """API keys for the X-API-Key header."""


@keys.command("create")
@click.option("--name", required=True, help="Who or what uses the key, e.g. 'newsroom-extension'.")
@click.option("--scope", type=click.Choice(SCOPES), default="read", show_default=True,
              help="read: query only; write: also ingest and delete documents.")
def create(name: str, scope: str) -> None:
    """Create a key and print its secret (shown only this once)."""
    with _session() as session:
        key, secret = auth.create_key(session, name, scope)
        key_id = key.id
    click.echo(f"created key {key_id} ({name}, {scope}); store this secret now, it is not shown again:",
               err=True)
    click.echo(secret)


@keys.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def list_(as_json: bool) -> None:
    """List keys (never their secrets)."""
    with _session() as session:
        rows = [
            {
                "id": key.id,
                "name": key.name,
                "scope": key.scope,
                "prefix": key.prefix,
                "created_at": key.created_at.isoformat(),
                "last_used_at": key.last_used_at.isoformat() if key.last_used_at else None,
                "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
            }
            for key in auth.list_keys(session)
        ]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row))
        return
    click.echo(f"{'id':>4}  {'scope':<5}  {'status':<7}  {'prefix':<11}  {'last used':<25}  name")
    for row in rows:
        status = "revoked" if row["revoked_at"] else "active"
        click.echo(f"{row['id']:>4}  {row['scope']:<5}  {status:<7}  {row['prefix']:<11}  "
                   f"{row['last_used_at'] or '-':<25}  {row['name']}")


@keys.command("revoke")
@click.argument("key_id", type=int)
def revoke(key_id: int) -> None:
    """Revoke a key: requests with it are refused from now on."""
    with _session() as session:
        key = auth.revoke_key(session, key_id)
    if key is None:
        raise click.ClickException(f"no key with id {key_id}")
    click.echo(f"revoked key {key_id}")
