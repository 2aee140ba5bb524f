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
# `make run` starts one Celery worker, with beat inside it, beside the web server: the demo's
# emails come from that worker. Without REDIS_URL the two talk through kombu's filesystem
# broker under var/celery (nothing to install); with it, through Redis. One pool process by
# default, because the laptop's SQLite takes one writer at a time.
WORKER_CONCURRENCY ?= 1
CELERY_WORKER := $(PY) -m celery -A config worker --beat \
	--scheduler django_celery_beat.schedulers:DatabaseScheduler \
	--concurrency=$(WORKER_CONCURRENCY) --loglevel=INFO --hostname=claimdesk-run@%h

.PHONY: help run test lint migrate install install-dev clean bench

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

run: $(RUNTIME_STAMP) ## Migrate, load the demo, serve http://127.0.0.1:8000 with a Celery worker.
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_data
	@# The worker is stopped (TERM: it finishes its task and exits) however runserver ends:
	@# Ctrl-C, an error, or its port already taken.
	@worker=; \
	stop_worker() { [[ -z "$$worker" ]] || { kill -TERM "$$worker" 2>/dev/null; wait "$$worker"; }; }; \
	trap stop_worker EXIT; \
	trap 'exit 130' INT; \
	trap 'exit 143' TERM; \
	if [[ -n "$${REDIS_URL:-}" ]]; then broker="Redis (REDIS_URL)"; else broker="files under $${VAR_DIR:-var}/celery"; fi; \
	echo "Starting a Celery worker with beat; broker: $$broker. Its emails land in $${VAR_DIR:-var}/mail."; \
	$(CELERY_WORKER) & worker=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT)

migrate: $(RUNTIME_STAMP) ## Apply database migrations.
	$(PY) manage.py migrate --no-input

test: $(DEV_STAMP) ## Run pytest on local PostgreSQL (override: DATABASE_URL=sqlite:///var/test.sqlite3).
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## ruff, Django's system checks, and no missing migrations.
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: $(DEV_STAMP) ## Benchmarks against their ceilings and Label Studio (~25 min on a busy machine; bench/README.md).
	$(PY) bench/run.py

clean: ## Remove the virtualenv and everything under var/ (database, mailbox).
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
