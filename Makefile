# newsdesk — the two commands: `make run` (set up + curate the shipped sample) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RAW ?= data/raw
OUT ?= data/curated

# Prefect writes its home and temporary server DB here rather than in ~/.prefect.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120

.PHONY: setup run test test-fast bench server clean

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/newsdesk run --raw $(RAW) --out $(OUT)

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: setup
	$(BIN)/python -m pytest -m "not prefect and not slow"

server: setup
	$(BIN)/prefect server start --host 127.0.0.1 --port 4200

clean:
	rm -rf $(OUT)/* .prefect
	touch $(OUT)/.gitkeep
