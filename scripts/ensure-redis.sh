#!/usr/bin/env bash
# Make sure a Redis server answers on 127.0.0.1:6379 (install it with apt-get and start it if needed).
# The job-queue tests use it; when it cannot be had this says why and exits 0, and those tests skip.
set -uo pipefail
ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
if ! command -v redis-server >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; } \
    || echo "ensure-redis: could not install redis-server with apt-get" >&2
fi
if command -v redis-cli >/dev/null 2>&1 && ready; then exit 0; fi
if command -v redis-server >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do ready && exit 0; sleep 0.5; done
fi
echo "ensure-redis: no Redis on 127.0.0.1:6379; the job-queue tests will be skipped" >&2
exit 0
