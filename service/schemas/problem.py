"""The RFC 9457 problem document, and an ``Api`` that documents every error with it."""

from __future__ import annotations

import http
from typing import Any

import marshmallow as ma
from flask_smorest import Api
from flask_smorest.utils import prepare_response

PROBLEM_JSON = "application/problem+json"


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, plus ``errors`` with per-field messages on validation failures."""

    type = ma.fields.String(metadata={"description": "A URI identifying the kind of problem."})
    title = ma.fields.String(metadata={"description": "Short summary of the kind of problem."})
    status = ma.fields.Integer(metadata={"description": "The HTTP status code."})
    detail = ma.fields.String(metadata={"description": "What went wrong with this request."})
    instance = ma.fields.String(metadata={"description": "This occurrence: the path and request id."})
    errors = ma.fields.Dict(metadata={"description": "Field name -> list of messages (validation errors)."})


class ProblemApi(Api):
    """flask-smorest ``Api`` whose documented error responses are ``application/problem+json``."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
