"""Citation-provenance service for newsrooms.

``create_app`` is the only way to build the application: it reads configuration, binds the
database, applies embedded migrations, registers the API blueprints and the error handlers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from service import db
from service.config import load_config
from service.core.text import wordnet
from service.errors import register_error_handlers
from service.ops import register_ops
from service.schemas.problem import ProblemApi

API_TITLE = "Provenance API"
API_VERSION = "1.0.0"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application.

    ``config`` overrides ``PROVENANCE_*`` environment variables; ``DATABASE_URL`` and ``TESTING``
    are the keys the tests and evaluation scripts pass.
    """
    app = Flask(__name__, instance_relative_config=True)
    settings = load_config(config)
    if not settings.get("DATABASE_URL"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        settings["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'provenance.db'}"
    app.config.update(settings)
    wordnet.configure(settings.get("WORDNET_DIR") or None)
    _register_openapi_settings(app)

    db.init_app(app)
    _migrate_embedded(app)
    register_ops(app)
    _register_api(app)
    register_error_handlers(app)
    return app


def _register_openapi_settings(app: Flask) -> None:
    app.config.update(
        API_TITLE=API_TITLE,
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        API_SPEC_OPTIONS={
            "info": {
                "description": (
                    "Find the passages across a news corpus that support or contradict a statement, "
                    "and trace every article back to the original report."
                )
            },
        },
    )


def _migrate_embedded(app: Flask) -> None:
    """SQLite is the embedded default: bring it to the latest schema at start-up.

    PostgreSQL deployments run ``provenance db upgrade`` as a release step instead.
    """
    url: str = app.config["DATABASE_URL"]
    if url.startswith("sqlite") and app.config.get("AUTO_MIGRATE", True):
        from service import migrate

        engine = app.extensions["engine"]
        if not migrate.is_current(engine):
            migrate.upgrade(url)


def _register_api(app: Flask) -> None:
    from service.api import BLUEPRINTS

    api = ProblemApi(app)
    app.extensions["api"] = api
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
