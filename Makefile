# PBC Plans: `make run` serves the embedded default with demo data, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 || command -v python3.13 || command -v python3.14 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
NHSUK_FRONTEND_VERSION := 10.6.1

.PHONY: install run test lint bench bench-smoke vendor-nhsuk

$(BIN)/uv:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Compiled to bytecode once here: where PYTHONDONTWRITEBYTECODE is set (as in the Dockerfile),
# every Python process would otherwise compile each library it imports (decision 0470).
$(VENV)/.installed: $(BIN)/uv pyproject.toml uv.lock Makefile
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --compile-bytecode --python $(BIN)/python
	@touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py make_seal_certificate --if-missing
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Parallel on every core by default (pytest-xdist); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

# The run keeps the bytecode of the project's own modules and tests (in __pycache__, ignored
# by git) even where PYTHONDONTWRITEBYTECODE is set: every xdist worker and real Celery worker
# would otherwise compile them again (decision 0470).
test: install
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

# The production setup on this machine against a bare page (benchmarks/run.py; needs
# PostgreSQL and Redis as the tests do). bench-smoke runs every part for a moment (CI).
bench: install
	$(BIN)/python benchmarks/run.py

bench-smoke: install
	$(BIN)/python benchmarks/run.py --smoke

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

vendor-nhsuk:
	rm -rf /tmp/nhsuk-vendor && mkdir -p /tmp/nhsuk-vendor
	cd /tmp/nhsuk-vendor && npm pack --silent nhsuk-frontend@$(NHSUK_FRONTEND_VERSION) && tar xzf nhsuk-frontend-$(NHSUK_FRONTEND_VERSION).tgz
	rm -rf static/nhsuk/assets static/nhsuk/nhsuk-frontend.min.*
	cp -r /tmp/nhsuk-vendor/package/dist/nhsuk/assets static/nhsuk/assets
	cp /tmp/nhsuk-vendor/package/dist/nhsuk/nhsuk-frontend-$(NHSUK_FRONTEND_VERSION).min.js static/nhsuk/nhsuk-frontend.min.js
	sed -E -e 's#url\(/assets/#url(assets/#g' -e 's#@font-face\{[^}]*assets\.nhs\.uk[^}]*\}##g' -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
		/tmp/nhsuk-vendor/package/dist/nhsuk/nhsuk-frontend-$(NHSUK_FRONTEND_VERSION).min.css > static/nhsuk/nhsuk-frontend.min.css
	sed -i -e 's#//\# sourceMappingURL=.*##' static/nhsuk/nhsuk-frontend.min.js
