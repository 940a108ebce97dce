"""Redis for the job-queue tests: the local server (started if it is installed but down), a queue per test.

Tests use database 14 of the Redis on 127.0.0.1:6379 and a random queue name each, and delete
every key of that queue and of its jobs afterwards. Without a Redis that answers (and none that
can be started) the queue tests skip, saying so.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from redis import Redis

REDIS_URL = "redis://127.0.0.1:6379/14"


def _answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def ensure_redis() -> None:
    """Make sure Redis answers on 127.0.0.1:6379: start ``redis-server`` if it is installed, else skip."""
    if _answers():
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("the job-queue tests need Redis on 127.0.0.1:6379, and redis-server is not installed "
                    "(apt-get install redis-server)")
    subprocess.run([binary, "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
                    "--appendonly", "no"], check=False, capture_output=True, timeout=30)
    for _ in range(50):
        if _answers():
            return
        time.sleep(0.2)
    pytest.skip("the job-queue tests need Redis on 127.0.0.1:6379, and redis-server did not start")


def _str(value: Any) -> str:
    """A Redis reply as text (the client returns bytes unless it was made with ``decode_responses``)."""
    return value.decode() if isinstance(value, bytes) else str(value)


def forget_queue(redis: Redis, name: str) -> None:
    """Delete a queue, its registries, its workers and every job that went through it."""
    job_ids: set[str] = set()
    for key in redis.scan_iter(match=f"rq:*:{name}*"):
        kind = redis.type(key)
        if kind == b"list":
            job_ids.update(_str(v) for v in redis.lrange(key, 0, -1))
        elif kind == b"zset":
            job_ids.update(_str(v).split(":")[0] for v in redis.zrange(key, 0, -1))
    for key in redis.scan_iter(match="rq:job:*"):
        if redis.hget(key, "origin") == name.encode():
            job_ids.add(_str(key).split(":", 2)[2])
    doomed = {key for job_id in job_ids for key in redis.scan_iter(match=f"rq:*{job_id}*")}
    doomed |= set(redis.scan_iter(match=f"rq:*{name}*"))
    for key in doomed:
        redis.delete(key)
    for key in list(redis.smembers("rq:workers")):
        if name in _str(key):
            redis.srem("rq:workers", key)
    redis.srem("rq:queues", f"rq:queue:{name}")


@contextmanager
def random_queue(prefix: str = "test") -> Iterator[str]:
    """A fresh queue name on the test Redis, cleaned up afterwards."""
    ensure_redis()
    name = f"{prefix}-{uuid.uuid4().hex[:10]}"
    redis = Redis.from_url(REDIS_URL)
    try:
        yield name
    finally:
        forget_queue(redis, name)
        redis.close()
