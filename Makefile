# Two commands: `make run` (set up everything, serve the dashboard) and `make test`.

# The first Python 3.12+ found: python3.13, python3.12, pyenv's versions, then python3.
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	if "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v "$$p"; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install migrate lint format bench clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed: install it (e.g. pyenv install 3.12) and retry."; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,redis,sentry]'
	@touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(PY) manage.py createcachetable

# Local development server with demo data. DEBUG is on here only, with the product's own
# error pages (PRODUCT_ERROR_PAGES: a wrong address shows Page not found, not Django's
# debug page).
# Links in emails (invitations, resets, spend-limit alerts) point at this server too,
# unless SITE_URL is set (in the environment, or in .env, which the settings read).
ifeq ($(shell grep -s '^SITE_URL=' .env),)
run: export SITE_URL ?= http://$(HOST):$(PORT)
endif
# A worker (emails and other background work, from the task queue) runs beside the
# server; Ctrl-C stops both (the trap also stops the worker if the server exits).
run: migrate
	DEBUG=1 $(PY) manage.py demo --url http://$(HOST):$(PORT)
	@echo "Serving on http://$(HOST):$(PORT)/ with a worker  (Ctrl-C to stop both)"
	@DEBUG=1 $(PY) manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 PRODUCT_ERROR_PAGES=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite. Browser tests run when Chromium is installed (CI installs it).
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The migration linter reads each migration's PostgreSQL SQL (sqlmigrate), so it needs a
# PostgreSQL server; any database on it will do (nothing is written).
LINT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=1 DATABASE_URL=$(LINT_DATABASE_URL) $(PY) manage.py lintmigrations --quiet ok ignore

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
