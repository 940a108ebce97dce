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

.PHONY: install run test lint typecheck test-sqlite test-postgres openapi bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the service on the embedded SQLite default, loading the reference corpus when it is there.
run: $(STAMP)
	$(BIN)/provenance serve --host $(HOST) --port $(PORT) $(if $(wildcard $(SEEDS)),--load $(SEEDS))

## Lint, type-check, then the whole suite on SQLite and on PostgreSQL.
test: lint typecheck test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check service tests bench

typecheck: $(STAMP)
	$(BIN)/mypy service

test-sqlite: $(STAMP)
	env -u PROVENANCE_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(STAMP)
	scripts/ensure-postgres.sh
	PROVENANCE_DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS)

## Regenerate openapi.yaml from the code.
openapi: $(STAMP)
	$(BIN)/provenance openapi > openapi.yaml

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
