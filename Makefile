# Paradiplo build tooling (GNU make).
#
#   make run     create .venv from the locked requirements, migrate, load the real
#                data and serve on http://$(HOST):$(PORT)/ (development server)
#   make serve   the same with production settings, gunicorn and a task worker (docs/deployment.md)
#   make worker  a background-job worker alone, for a separate machine
#   make help    list every target
#
# Dependencies are declared (as ranges) in pyproject.toml and locked with hashes in
# requirements/base.txt (runtime) and requirements/dev.txt (runtime + tests/lint).
# Regenerate the locks with `make lock` after changing pyproject.toml.

PYTHON ?= $(if $(shell command -v python3.11 2>/dev/null),python3.11,python3)
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=
SCALE_ARGS ?=

VENV_PY := $(VENV)/bin/python
MANAGE := $(VENV_PY) manage.py

# Throwaway venv holding pip-tools, used only by `make lock`.
TOOLS_VENV ?= .venv-tools

# Settings used by `make check` for Django's deploy checks. The secret key is a
# fresh random value generated each time the recipe runs; it is never a real key.
DEPLOY_SETTINGS ?= paradiplo.settings.production
DEPLOY_ALLOWED_HOSTS ?= paradiplo.example.org
DEPLOY_SECRET_KEY_CMD = $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(64))'

.DEFAULT_GOAL := help

.PHONY: help run serve worker setup test lint check lock clean venv dev-venv messages bench scale-data

help: ## Show this help
	@echo "Usage: make <target> [VAR=value ...]"
	@echo
	@echo "Targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(firstword $(MAKEFILE_LIST)) \
		| awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: PYTHON=$(PYTHON) VENV=$(VENV) HOST=$(HOST) PORT=$(PORT) PYTEST_ARGS=$(PYTEST_ARGS)"

# --- virtual environment ------------------------------------------------------

$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --upgrade pip

$(VENV)/.base-installed: requirements/base.txt $(VENV)/pyvenv.cfg
	$(VENV_PY) -m pip install --require-hashes -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/pyvenv.cfg
	$(VENV_PY) -m pip install --require-hashes -r requirements/dev.txt
	@touch $@

venv: $(VENV)/.base-installed ## Create the venv with the runtime requirements

dev-venv: $(VENV)/.dev-installed ## Create the venv with runtime + test/lint requirements

# --- running --------------------------------------------------------------------

# The dataset's release of the day is written too (1–2 s on the real data), so that
# /data/latest/ serves one after `make run`; it replaces an earlier release of the same day.
setup: $(VENV)/.base-installed ## Install, migrate, load the real data and write the dataset's release (no server)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_real_data
	$(MANAGE) export_dataset

run: setup ## setup, then runserver on HOST:PORT (default 127.0.0.1:8000)
	$(MANAGE) runserver $(HOST):$(PORT)

# Production settings and gunicorn (paradiplo/gunicorn.conf.py); DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS must be set. The real data is loaded only into an empty database, so a
# restart never puts the fixtures' values back over staff edits. Plain HTTP unless
# DJANGO_SECURE_SSL_REDIRECT=1 (set it when the site is reached over HTTPS). Every variable:
# docs/deployment.md.
serve: export DJANGO_SETTINGS_MODULE = paradiplo.settings.production
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: $(VENV)/.base-installed ## Production: migrate, load data if empty, collectstatic, gunicorn on HOST:PORT + task worker(s)
	@for name in DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS; do \
		if [ -z "$$(printenv $$name)" ]; then \
			echo "make serve: set $$name (see docs/deployment.md), e.g." >&2; \
			echo "  DJANGO_SECRET_KEY=... DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1 make serve" >&2; \
			exit 1; \
		fi; \
	done
	$(MANAGE) migrate --noinput
	$(MANAGE) load_real_data --if-empty
	$(MANAGE) collectstatic --noinput -v 0
	HOST=$(HOST) PORT=$(PORT) VENV=$(VENV) exec scripts/serve.sh

# A task worker alone (for a machine that runs background jobs but serves no pages): the same
# settings and database as the servers. `make serve` starts TASK_WORKERS (1) beside gunicorn.
worker: export DJANGO_SETTINGS_MODULE ?= paradiplo.settings.production
worker: $(VENV)/.base-installed ## Run one background-job worker (manage.py db_worker) with production settings
	$(MANAGE) db_worker

# --- quality ----------------------------------------------------------------------

# pytest-xdist runs the suite on every core (PYTEST_WORKERS=auto); PYTEST_ARGS comes last, so
# PYTEST_ARGS="-n 0" runs it in one process. --dist load hands the tests out in their collection
# order, which tests/conftest.py arranges (the long tests first in each of pytest-django's groups).
test: $(VENV)/.dev-installed ## Run the test suite on all cores (extra args: PYTEST_ARGS="-k foo")
	$(VENV_PY) -m pytest -n $(or $(PYTEST_WORKERS),auto) --dist load $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed ## ruff (lint and format check) and the import layers (lint-imports)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: $(VENV)/.dev-installed ## Benchmarks side by side with their floors (benchmarks/, extra args: BENCH_ARGS=...)
	$(VENV_PY) benchmarks/run.py $(BENCH_ARGS)

# The two benchmark databases: 200,000 places + 100,000 synthetic memberships, and 10,000 + 5,000.
BENCH_SMALL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/paradiplo_scale_10k

scale-data: $(VENV)/.base-installed ## Synthetic data at scale for the benchmarks, 200k and 10k places (extra args: SCALE_ARGS=...)
	$(MANAGE) generate_scale_data $(SCALE_ARGS)
	$(MANAGE) generate_scale_data --database-url $(BENCH_SMALL_DATABASE_URL) --places 10000 --memberships 5000

check: $(VENV)/.dev-installed ## Missing-migration check and production deploy check
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=$(DEPLOY_SETTINGS) \
	DJANGO_SECRET_KEY="$$($(DEPLOY_SECRET_KEY_CMD))" \
	DJANGO_ALLOWED_HOSTS=$(DEPLOY_ALLOWED_HOSTS) \
		$(MANAGE) check --deploy --fail-level WARNING

# --- maintenance ------------------------------------------------------------------

# The locks are compiled against the public package index with no local pip
# configuration (no extra indexes, find-links or constraints), for Python 3.11.
PIP_COMPILE_ENV = env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL \
	-u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null
PIP_COMPILE = $(PIP_COMPILE_ENV) $(TOOLS_VENV)/bin/pip-compile --quiet --upgrade \
	--generate-hashes --strip-extras --allow-unsafe

$(TOOLS_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(PIP_COMPILE_ENV) $(TOOLS_VENV)/bin/python -m pip install --upgrade pip pip-tools

lock: $(TOOLS_VENV)/bin/pip-compile ## Re-resolve requirements/base.txt and dev.txt from pyproject.toml
	$(PIP_COMPILE) -o requirements/base.txt pyproject.toml
	$(PIP_COMPILE) --extra test -o requirements/dev.txt pyproject.toml

messages: $(VENV)/.dev-installed ## Update locale/*.po from the code (needs GNU gettext), then compile the .mo files
	$(MANAGE) makemessages --all --no-obsolete --ignore=.venv --ignore=.venv-tools --ignore=tests --ignore=scripts --ignore=static
	$(MANAGE) compilemessages --ignore=.venv --ignore=.venv-tools

clean: ## Remove the venv, the SQLite database and collected static files
	rm -rf $(VENV) $(TOOLS_VENV) db.sqlite3 staticfiles
