"""RFC 9457 problem details for every error the API returns.

One handler renders every ``HTTPException`` (keeping werkzeug's headers such as ``Allow`` and
``Retry-After``), database integrity errors become 409 and anything unexpected becomes a 500
without internals. Validation errors from marshmallow/webargs carry per-field messages in
``errors``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, json, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

from service.core.stance.claim import NotAClaim

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://httpstatuses.io"
log = logging.getLogger(__name__)


def problem_type(status: int, kind: str | None = None) -> str:
    """The ``type`` URI of a problem: the status's page, narrowed by a slug for a kind of problem
    that has its own meaning (``https://httpstatuses.io/422/not-a-claim``); 500 is ``about:blank``."""
    if status == 500 and kind is None:
        return "about:blank"
    return f"{PROBLEM_TYPE_BASE}/{status}" + (f"/{kind}" if kind else "")


def problem_body(
    status: int, detail: str | None = None, *, title: str | None = None, errors: Any = None,
    instance: str | None = None, kind: str | None = None, **extra: Any,
) -> dict[str, Any]:
    """A problem document as a dict (``instance`` defaults to the current request's path and id;
    ``kind``: a slug narrowing the type, see ``problem_type``)."""
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    body: dict[str, Any] = {
        "type": problem_type(status, kind),
        "title": title or phrase,
        "status": status,
        "detail": detail or phrase,
        "instance": _instance() if instance is None else instance,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def problem(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: Any = None,
    headers: Any = None,
    kind: str | None = None,
    **extra: Any,
) -> Response:
    """Build a problem+json response (``kind``: a slug narrowing the type, see ``problem_type``)."""
    body = problem_body(status, detail, title=title, errors=errors, kind=kind, **extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    if headers:
        for key, value in dict(headers).items():
            if key.lower() not in {"content-type", "content-length"}:
                response.headers[key] = value
    return response


def _instance() -> str:
    request_id = g.get("request_id") if g else None
    path = request.path if request else ""
    return f"{path}#request-{request_id}" if request_id else path


def _field_errors(exc: HTTPException) -> tuple[Any, str | None]:
    """Pull webargs/marshmallow messages out of an abort() or 422 exception."""
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if isinstance(messages, dict) and len(messages) == 1:
        ((location, fields),) = messages.items()
        if location in {"json", "query", "form", "files", "headers", "path", "view_args"}:
            messages = fields
    detail = data.get("message") if isinstance(data, dict) else None
    return messages, detail


def handle_http_exception(exc: HTTPException) -> Response:
    """Render any HTTP error as problem+json."""
    status = exc.code or 500
    errors, detail = _field_errors(exc)
    if errors and not detail:
        detail = "The request failed validation; see 'errors' for the fields."
    if detail is None:
        detail = exc.description if status < 500 else "The server could not complete the request."
    headers = exc.get_response().headers if status != 500 else None
    return problem(status, detail, errors=errors, headers=headers)


def handle_integrity_error(exc: IntegrityError) -> Response:
    """A uniqueness or foreign-key conflict: report it without the SQL."""
    log.info("integrity error: %s", exc.orig)
    return problem(409, "The request conflicts with data already stored.")


def handle_not_a_claim(exc: NotAClaim) -> Response:
    """A statement that asserts nothing (a name, keywords, a search query): 422 with the reason."""
    return problem(422, exc.detail, title="Not a claim", kind="not-a-claim", reason=exc.reason)


def handle_unexpected(exc: Exception) -> Response:
    """Anything else: log it with its traceback, answer 500 without internals."""
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    log.exception("unhandled error", exc_info=exc)
    return handle_http_exception(InternalServerError())


def require_json_body() -> Response | None:
    """Refuse request bodies that are not JSON (415) before any view parses them."""
    if request.method in {"POST", "PUT", "PATCH"} and request.content_length != 0:
        has_body = request.content_length is not None or request.headers.get("Transfer-Encoding")
        if has_body and not request.is_json:
            return problem(415, "Send the request body as application/json.")
    return None


def register_error_handlers(app: Flask) -> None:
    """Route every error through the problem+json renderers."""
    app.before_request(require_json_body)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(NotAClaim, handle_not_a_claim)
    app.register_error_handler(Exception, handle_unexpected)
