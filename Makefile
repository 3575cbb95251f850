# The two commands a newcomer needs: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
TRAIN_VENV := .venv-train
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# CI also runs the suite on PostgreSQL; set TEST_POSTGRES_URL to do the same locally.
TEST_POSTGRES_URL ?= $(if $(CI),postgres://postgres@127.0.0.1:5432/test,)

.PHONY: run serve test test-sqlite test-postgres test-production bench browser caddy wrk pdf-pictures migrate demo clean lint mi-model

# The project itself is installed editable (pyproject.toml), so `pathways` imports from anywhere without src/ on
# the path: `python -m pathways.mi analyze FILE` works from any folder.
$(VENV)/.runtime: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The notification worker runs beside the web server. When the server stops (Ctrl-C, or it exits), the trap
# sends the worker SIGTERM and waits while it finishes the email it is sending.
run: demo
	@echo
	@echo "Pathways is starting on http://$(HOST):$(PORT)/ — log in at http://$(HOST):$(PORT)/account/login/"
	@echo
	@export PATHWAYS_DEBUG=1 PATHWAYS_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
		PATHWAYS_SITE_URL=http://$(HOST):$(PORT); \
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 0' INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production stack on this machine (deploy/stack.py): PostgreSQL at 127.0.0.1:5432 (database pathways_serve,
# created when missing), gunicorn, the worker and Caddy with its own local certificate authority, in production
# mode; https://localhost:8443/ (HTTP on 8080 redirects). Keys and Caddy's data are kept in var/serve/.
# Ctrl-C stops all three cleanly.
serve: $(VENV)/.runtime caddy
	$(PY) deploy/stack.py

# Programs from Debian that some targets need, installed when missing: $(call debian,COMMAND,WHAT FOR[,PACKAGE]);
# the package is named after the command unless a third argument names it.
debian = @command -v $(1) >/dev/null 2>&1 || { \
	echo "Installing Debian's $(1) $(2)"; \
	SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(or $(3),$(1)) >/dev/null; }

browser:  # the browser tests drive Debian's Chromium
	$(call debian,chromium,for the browser tests)
caddy:  # the TLS proxy of `make serve`, the production smoke tests and the load benchmark
	$(call debian,caddy,for make serve and the production tests)
wrk:  # the load generator of benchmarks/load.py
	$(call debian,wrk,for the load benchmark)
pdf-pictures:  # pdftoppm: the outcomes report's test looks at its PDF as a picture, to see the charts are drawn
	$(call debian,pdftoppm,for the PDF tests,poppler-utils)

test: $(VENV)/.dev browser pdf-pictures
	$(VENV)/bin/ruff check --quiet src tests training benchmarks deploy conftest.py
	$(VENV)/bin/lint-imports --config .importlinter
	@# Static security analysis, medium and high findings only. Tests are left out: they tamper with the
	@# database on purpose (SQL built from a table name) to prove the access log notices.
	$(VENV)/bin/bandit -q -r src -ll -x '*/tests/*'
	@# Known vulnerabilities in the pinned dependencies, in CI only (it resolves them in a temporary venv).
	@if [ -n "$(CI)" ]; then VENV=$(VENV) bash .ci/audit-dependencies; fi
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$(TEST_POSTGRES_URL)" ]; then $(MAKE) --no-print-directory test-postgres; fi
	@if [ -n "$(TEST_POSTGRES_URL)" ]; then $(MAKE) --no-print-directory test-production; fi

test-sqlite:
	@echo "== test suite on SQLite =="
	@# In parallel, one pytest-xdist worker per core, each with its own in-memory database. A later -n in
	@# PYTEST_ARGS wins: `make test-sqlite PYTEST_ARGS="-n 0 -x --pdb"` runs in this one process.
	env -u DATABASE_URL DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n auto $(PYTEST_ARGS)

test-postgres:
	@echo "== test suite on PostgreSQL =="
	@# In parallel as on SQLite; pytest-django gives each worker its own database (test_NAME_gw0, _gw1, ...).
	DATABASE_URL=$(TEST_POSTGRES_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n auto $(PYTEST_ARGS)

# The smoke suite on the production stack as deployed (tests/production): gunicorn, Caddy and the worker in front
# of a database of its own on the PostgreSQL server TEST_POSTGRES_URL names, over HTTPS. One stack for the run,
# so in this one process.
test-production: $(VENV)/.dev caddy
	@echo "== smoke suite on the production stack =="
	TEST_POSTGRES_URL=$(or $(TEST_POSTGRES_URL),postgres://postgres@127.0.0.1:5432/test) \
		$(PY) -m pytest -m production -n 0 tests/production $(PYTEST_ARGS)

# The MI analyzer's benchmark fine-tunes the encoder once per cross-validation fold (about 35 minutes on a
# 2-core machine), so it runs in the training environment; its speed figures use the app's own runtime code.
# Training code lives in training/ (outside the app), run as a module from the repository root.
bench: $(VENV)/.dev $(TRAIN_VENV)/.ready caddy wrk
	@for script in benchmarks/[!_]*.py; do $(PY) $$script || exit 1; done
	HF_HUB_OFFLINE=1 $(TRAIN_VENV)/bin/python -m training.mi.bench

# Rebuild the MI analyzer's model from the AnnoMI training files (../shared/data/annomi). PyTorch lives only
# in this separate environment; the app and its tests never load it.
$(TRAIN_VENV)/.ready: requirements.txt requirements-train.txt pyproject.toml
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TRAIN_VENV)/bin/python -m pip install --quiet torch==2.13.0
	$(TRAIN_VENV)/bin/python -m pip install --quiet -r requirements-train.txt
	$(TRAIN_VENV)/bin/python -m pip install --quiet --no-deps -e .
	touch $@

mi-model: $(TRAIN_VENV)/.ready
	HF_HUB_OFFLINE=1 $(TRAIN_VENV)/bin/python -m training.mi.train

clean:
	rm -rf $(VENV) var src/pathways.egg-info
