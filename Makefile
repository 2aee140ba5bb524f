# The desk's everyday commands. `make help` lists them.
#
# Everything runs inside .venv, which is created on first use. Installs are remembered by stamp
# files under .venv, so a requirements file that changes triggers a reinstall and nothing else does.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

# `make test` runs against PostgreSQL on this machine, as CI does; override it on the command line
# (`make test DATABASE_URL=sqlite:///var/test.sqlite3`). Only the test recipe passes it on, so
# `make run` keeps the zero-setup SQLite default unless DATABASE_URL is in the environment.
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/claimdesk
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint migrate install install-dev clean

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' \
		|| { echo "$(PYTHON) is older than Python 3.11; run: make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

install: $(RUNTIME_STAMP) ## Create .venv and install the runtime requirements.

install-dev: $(DEV_STAMP) ## Create .venv and install the test and lint requirements too.

run: $(RUNTIME_STAMP) ## Migrate, load the demo desk and serve it on http://127.0.0.1:8000.
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_data
	$(PY) manage.py runserver $(HOST):$(PORT)

migrate: $(RUNTIME_STAMP) ## Apply database migrations.
	$(PY) manage.py migrate --no-input

test: $(DEV_STAMP) ## Run pytest on local PostgreSQL (override: DATABASE_URL=sqlite:///var/test.sqlite3).
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## ruff, Django's system checks, and no missing migrations.
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean: ## Remove the virtualenv and everything under var/ (database, mailbox).
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
