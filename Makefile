# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= data/store
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint install dev ingest serve bench lock clean

run: $(VENV)/.installed ingest serve

ingest: $(VENV)/.installed
	$(BIN)/kg ingest samples --store $(STORE)

serve: $(VENV)/.installed
	$(BIN)/kg serve --store $(STORE) --host $(HOST) --port $(PORT)

# The suite runs on every core (at most 4: each test process holds the model and its own servers).
test: $(VENV)/.dev-installed lint
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile --no-loadscope-reorder

# The style gates on kg/ (config in pyproject.toml): formatted, lint-clean, type-checked.
lint: $(VENV)/.dev-installed
	$(BIN)/ruff format --check kg
	$(BIN)/ruff check kg
	$(BIN)/mypy

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

# Pinned with hashes; the project itself goes in editable, without touching the pins.
$(VENV)/.installed: requirements.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/extract.py

# Re-pin after changing dependencies in pyproject.toml (hashes for pip --require-hashes).
lock: $(VENV)/.dev-installed
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.lock pyproject.toml requirements-build.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra dev -o requirements-dev.lock pyproject.toml requirements-build.in

clean:
	rm -rf $(VENV) data
