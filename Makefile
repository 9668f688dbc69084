# suyuan — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint install clean browser screenshots bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Serve the service on http://127.0.0.1:8000 with an embedded SQLite database (./suyuan.db).
run: $(STAMP)
	$(BIN)/suyuan serve --host 127.0.0.1 --port 8000 --demo

## Debian's chromium for the browser tests (Playwright drives it; nothing is downloaded).
browser:
	@{ command -v chromium >/dev/null && fc-list :lang=zh | grep -q .; } || { \
	  echo "installing Debian's chromium and a CJK font for the browser tests"; \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    chromium fonts-wqy-microhei) >/dev/null || \
	    echo "could not install chromium: browser tests will be skipped"; }
	@command -v wrk >/dev/null || { echo "installing Debian's wrk for the benchmarks"; \
	  export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q wrk >/dev/null 2>&1 || \
	  (apt-get update -q && apt-get install -y -q wrk) >/dev/null; }

## The whole suite; PostgreSQL runs too when SUYUAN_TEST_POSTGRES_URL is set.
test: $(STAMP) browser
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## Refresh the README's pictures in docs/screenshots (the browser tests take them).
screenshots: $(STAMP) browser
	SUYUAN_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/browser -k sqlite

## Benchmarks against floors measured in the same run (PostgreSQL at SUYUAN_BENCH_POSTGRES_URL,
## default postgresql+psycopg://postgres@127.0.0.1:5432/test); writes bench/results.json.
bench: $(STAMP) browser
	$(BIN)/suyuan bench $(BENCH_ARGS)

## ruff, mypy, and models-vs-migrations.
lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/python scripts/check_migrations.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
