"""The statement-check resource: which passages support or contradict a statement."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.checking import check_statement
from service.collector import paused_collector
from service.db import get_read_session
from service.metrics import track_check
from service.schemas.statements import StatementCheckResultSchema, StatementCheckSchema

blp = Blueprint(
    "statements",
    __name__,
    url_prefix="/v1/statements",
    description="Check a statement: the passages that support or contradict it, and the fact that differs.",
)


@blp.route("/check")
class StatementCheck(MethodView):
    """Statement checks."""

    @blp.arguments(StatementCheckSchema)
    @blp.response(200, StatementCheckResultSchema)
    def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Check a statement: verdict, evidence passages with stance and conflicts, and origin."""
        with paused_collector(), track_check():
            return check_statement(
                get_read_session(),
                payload["statement"],
                limit=payload["limit"],
                outlets=payload.get("outlets"),
                min_confidence=payload["min_confidence"],
                collapse=payload["collapse_copies"],
                semantic=bool(current_app.config.get("SEMANTIC_SEARCH", True)),
            )
