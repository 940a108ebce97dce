"""Every error is an RFC 9457 problem document."""

from __future__ import annotations

from typing import Any

from flask import Flask


def test_unexpected_errors_are_500_without_internals(make_app: Any) -> None:
    app: Flask = make_app()

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret connection string postgres://user:pw@host")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 500 and "secret" not in response.get_data(as_text=True)


def test_unknown_path_is_404_problem(make_app: Any) -> None:
    response = make_app().test_client().get("/nowhere")
    assert response.status_code == 404
    assert response.get_json()["instance"].startswith("/nowhere")
