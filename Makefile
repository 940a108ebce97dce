# Two commands do all set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEEDS := ../shared/corpus/seeds.jsonl
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: install install-train run test lint typecheck test-sqlite test-postgres test-fast openapi bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## scikit-learn for bench/train_stance.py (refitting the stance model); not needed to run or test the service.
install-train: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,train]'

## Run the service on the embedded SQLite default, loading the reference corpus when it is there.
run: $(STAMP)
	$(BIN)/provenance serve --host $(HOST) --port $(PORT) $(if $(wildcard $(SEEDS)),--load $(SEEDS))

## Lint, type-check, then the whole suite: every test once, and the database tests on both databases.
##
## The tests are in tiers that mirror the code (tests/README.md says what each holds):
##   tests/core         pure functions of service.core: no app, no database
##   tests/provenance   reuse index, lineage and the read side (passage chains, search) through a database
##   tests/ingest       the ingest pipeline: bulk ingest, rebuild/reanalyse, the ingest and rebuild commands
##   tests/semantic     passage vectors through a database: ingest, delete, rebuild, process indexes in step
##   tests/api          HTTP through the Flask test client: resources, auth, errors, ops, OpenAPI, config
##   tests/e2e          gunicorn and `provenance worker` on a real PostgreSQL and Redis (marked slow): concurrency,
##                      the job queue, the deployed service; Dockerfile, compose, lock, gunicorn config
##   tests/test_architecture.py   module length, import cycles, purity of service.core (grimp)
## Which run where:
##   test-sqlite    every tier but tests/e2e, on SQLite;
##   test-postgres  on PostgreSQL only the tests marked `database` (tests/conftest.py marks every test that
##                  reaches the database_url fixture), then tests/e2e -- so database-independent tests (core,
##                  architecture, config, OpenAPI file, CLI tests on their own SQLite file) and the real-server
##                  and deployment-file tests run once, not once per database;
##   test-fast      tests/core and tests/api on SQLite: a quick check while editing (not part of `make test`).
test: lint typecheck test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check service tests bench

typecheck: $(STAMP)
	$(BIN)/mypy service tests

test-sqlite: $(STAMP)
	scripts/ensure-redis.sh
	env -u PROVENANCE_DATABASE_URL $(BIN)/pytest --ignore=tests/e2e $(PYTEST_ARGS)

test-postgres: $(STAMP)
	scripts/ensure-postgres.sh
	scripts/ensure-redis.sh
	PROVENANCE_DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest -m database --ignore=tests/e2e $(PYTEST_ARGS)
	PROVENANCE_DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest tests/e2e $(PYTEST_ARGS)

test-fast: $(STAMP)
	env -u PROVENANCE_DATABASE_URL $(BIN)/pytest tests/core tests/api $(PYTEST_ARGS)

## Regenerate openapi.yaml from the code.
openapi: $(STAMP)
	$(BIN)/provenance openapi > openapi.yaml

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
