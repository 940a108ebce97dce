"""The committed ``openapi.yaml`` is what the code generates, the app serves and ``provenance openapi`` prints."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from flask.testing import FlaskClient

from service.cli import main, render_openapi
from tests.conftest import ROOT

SPEC_FILE = ROOT / "openapi.yaml"


def test_committed_spec_matches_the_code() -> None:
    assert SPEC_FILE.read_text() == render_openapi("yaml"), "openapi.yaml drifted: run `make openapi`"


def test_served_spec_matches_the_committed_file(client: FlaskClient) -> None:
    served = client.get("/openapi.json").get_json()
    assert served == yaml.safe_load(SPEC_FILE.read_text())


def test_errors_are_documented_as_problem_json() -> None:
    spec = yaml.safe_load(SPEC_FILE.read_text())
    assert "application/problem+json" in spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert "/v1/documents" in spec["paths"]


def test_every_field_of_every_schema_says_what_it_means() -> None:
    # A client reading the graph, a link or a confidence must not have to guess what a field is.
    spec = render_openapi("json")
    schemas = json.loads(spec)["components"]["schemas"]
    undocumented = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        for field, prop in (schema.get("properties") or {}).items()
        if not prop.get("description")
    ]
    assert not undocumented, f"fields without a description: {undocumented}"


def test_interactive_docs_are_served(client: FlaskClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200 and b"swagger" in response.data.lower()


def test_openapi_command_prints_the_spec() -> None:
    result = CliRunner().invoke(main, ["openapi", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["info"]["title"] == "Provenance API"
