# Hòa Nhập — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Two xdist workers (this is a 2-core machine); each module stays on one worker (conftest.py).
PYTEST_WORKERS ?= 2
XDIST := -n $(PYTEST_WORKERS) --dist loadgroup

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q -r requirements.lock
	@# vietnam-provinces 2026.9.0 declares Python >= 3.12 but works on 3.11 (docs/decisions/0003).
	$(BIN)/pip install -q --no-deps --ignore-requires-python vietnam-provinces==2026.9.0
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed ## Create .venv and install pinned Python and front-end packages

messages: install ## Compile translations (.po → .mo)
	$(BIN)/python scripts/compile_messages.py

var/static/.collected: $(VENV)/.installed node_modules/.installed $(shell find static templates -type f 2>/dev/null)
	$(BIN)/hoanhap collectstatic --noinput -v0
	touch $@

run: install messages var/static/.collected ## Start the system with demo data at http://$(HOST):$(PORT)
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) scripts/run.sh

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install ## Lint, migrations check, compilemessages, tests on SQLite and on a throwaway PostgreSQL
	$(MAKE) --no-print-directory lint
	DJANGO_SETTINGS_MODULE=config.settings.test HOANHAP_DATABASE_URL=sqlite:///:memory: $(BIN)/hoanhap makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/hoanhap compilemessages --ignore=.venv --ignore=node_modules -v0
	@echo "== Tests on SQLite (with browser tests) =="
	HOANHAP_DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)
	@echo "== Tests on PostgreSQL (throwaway cluster) =="
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/pytest $(XDIST) -m "not browser" $(PYTEST_ARGS)

bench: install ## Run the benchmarks in benchmarks/
	$(BIN)/python -m benchmarks

clean: ## Remove the virtual environment, front-end packages and var/
	rm -rf $(VENV) node_modules var

.PHONY: help install messages run lint fmt test bench clean
