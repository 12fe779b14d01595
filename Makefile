# Retning — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench setup messages clean lock

$(BIN)/python:
	"$$(scripts/find-python)" -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when the package description changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed
	$(BIN)/retning setup

## make run: install, set up the database and the bundled strategy, and serve on http://$(HOST):$(PORT)/
run: setup
	$(BIN)/retning serve --host $(HOST) --port $(PORT)

## make test: the whole test suite, one worker per core (browser tests skip, with the reason,
## without Chromium), ending with the line coverage of the files not fully covered;
## PYTEST_ARGS="-n 0" runs it in one process
test: $(VENV)/.installed
	@# the coverage data goes with the run's data directory
	mkdir -p "$${RETNING_DATA_DIR:-var}"
	COVERAGE_FILE="$${RETNING_DATA_DIR:-var}/.coverage" \
	  $(BIN)/pytest -n auto --dist worksteal --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

bench: $(VENV)/.installed
	@set -e; found=0; for script in bench/*.py; do [ -e "$$script" ] || continue; found=1; echo "== $$script"; $(BIN)/python "$$script"; done; \
	if [ $$found = 0 ]; then echo "no benchmarks yet (bench/*.py)"; fi

## make messages: update and compile the translation catalogues
messages: $(VENV)/.installed
	cd src/retning && ../../$(BIN)/retning makemessages -l en --no-obsolete && ../../$(BIN)/retning compilemessages

## make lock: pin every dependency with hashes for deployments (requirements.lock)
lock: $(VENV)/.installed
	$(BIN)/pip install --quiet 'uv>=0.4'
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.12 \
		--python-platform x86_64-manylinux_2_28 --custom-compile-command 'make lock' \
		--quiet -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache
