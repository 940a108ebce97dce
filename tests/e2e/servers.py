"""What the real-server tests share: fresh PostgreSQL databases, gunicorn and ``provenance worker`` processes.

Each server or worker runs with the environment of the test run minus its ``PROVENANCE_*`` and
``PROMETHEUS_*`` variables, plus the settings given, so nothing leaks in from the developer's shell.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import ROOT

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
PROVENANCE = str(Path(sys.executable).parent / "provenance")


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def ensure_postgres() -> None:
    """Start the local cluster if it is installed but down; skip when there is none."""
    if port_open(5432):
        return
    clusters = sorted(Path("/etc/postgresql").glob("*")) if Path("/etc/postgresql").is_dir() else []
    if not clusters:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432 and none installed")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", clusters[-1].name, "main", "start"],
                   check=False, capture_output=True)
    for _ in range(30):
        if port_open(5432):
            return
        time.sleep(1)
    pytest.skip("PostgreSQL did not start")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def service_env(url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROVENANCE_", "PROMETHEUS_"))}
    env.update({"PROVENANCE_DATABASE_URL": url, **extra})
    return env


@contextmanager
def fresh_database(prefix: str = "provenance_rs") -> Iterator[str]:
    """A new PostgreSQL database migrated by ``provenance db upgrade`` (as compose does), dropped after."""
    ensure_postgres()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{POSTGRES}/{name}"
    try:
        upgrade = subprocess.run([PROVENANCE, "db", "upgrade"], env=service_env(url), cwd=ROOT,
                                 capture_output=True, text=True, timeout=120)
        assert upgrade.returncode == 0, upgrade.stderr
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Server:
    """A running gunicorn and the places it writes to."""

    def __init__(self, base_url: str, database_url: str, log: Path, process: subprocess.Popen[bytes]):
        self.base_url = base_url
        self.database_url = database_url
        self.log = log
        self.process = process

    def url(self, path: str) -> str:
        return self.base_url + path

    def metrics(self) -> str:
        response = requests.get(self.url("/metrics"), timeout=10)
        assert response.status_code == 200
        return response.text


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Stop a process we started (``sig``, then SIGKILL after ``timeout``)."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn(database_url: str, workdir: Path, *, workers: int = 2, **settings: str) -> Iterator[Server]:
    """Run gunicorn with the image's config on a free loopback port; stop it (SIGTERM) after."""
    port = free_port()
    log = workdir / "gunicorn.log"
    env = service_env(database_url, WEB_CONCURRENCY=str(workers), GUNICORN_BIND=f"127.0.0.1:{port}",
                      PROMETHEUS_MULTIPROC_DIR=str(workdir / "metrics"), **settings)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "docker/gunicorn.conf.py", "service.wsgi:app"],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        # A loaded machine (CI beside other work) can take long to boot workers that warm a cache:
        # a health probe that times out is retried like a refused connection, within one deadline.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.3)
        else:
            pytest.fail("gunicorn did not answer within 120 s:\n" + log.read_text())
        yield Server(base, database_url, log, process)
    finally:
        stop(process)


class Workers:
    """Running ``provenance worker`` processes, by name."""

    def __init__(self, database_url: str, workdir: Path, queue: str, redis_url: str, **settings: str) -> None:
        self.env = service_env(database_url, PROVENANCE_REDIS_URL=redis_url, PROVENANCE_QUEUE_NAME=queue,
                               PROVENANCE_WORKER_HEARTBEAT="1", PROVENANCE_LOG_LEVEL="WARNING", **settings)
        self.workdir = workdir
        self.queue = queue
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> subprocess.Popen[bytes]:
        """Start a worker named ``<queue>-<name>``."""
        with (self.workdir / f"worker-{name}.log").open("ab") as sink:
            process = subprocess.Popen([PROVENANCE, "worker", "--name", f"{self.queue}-{name}"], cwd=ROOT,
                                       env=self.env, stdout=sink, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.workdir / f"worker-{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process in self.processes.values():
            stop(process)


@contextmanager
def workers(database_url: str, workdir: Path, queue: str, redis_url: str, **settings: str) -> Iterator[Workers]:
    """A set of ``provenance worker`` processes on ``queue`` (heartbeat 1 s), stopped (SIGTERM) after."""
    running = Workers(database_url, workdir, queue, redis_url, **settings)
    try:
        yield running
    finally:
        running.stop_all()


def wait_for_jobs(server: Server, locations: list[str], timeout: float = 300) -> list[dict[str, Any]]:
    """Poll ``GET /v1/jobs/<id>`` until every job has finished or failed; their last answers."""
    deadline = time.monotonic() + timeout
    while True:
        answers = [requests.get(server.url(location), timeout=30).json() for location in locations]
        if all(a.get("state") in {"finished", "failed"} for a in answers):
            return answers
        if time.monotonic() > deadline:
            pytest.fail(f"jobs still running after {timeout} s: {[a.get('state') for a in answers]}")
        time.sleep(0.5)
