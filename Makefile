# Ghișeu: `make run` sets everything up and starts the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEB_PACKAGES := python3-venv libmagic1 fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
	tesseract-ocr tesseract-ocr-ron tesseract-ocr-eng ghostscript unpaper pngquant qpdf poppler-utils \
	chromium hunspell-ro wrk
DEMO_ENV := GHISEU_DEMO=1 DJANGO_DEBUG=1 GHISEU_STAFF_MFA_REQUIRED=0 EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
TEST_ENV := DJANGO_SECRET_KEY=test-only-key GHISEU_VAR_DIR=$(CURDIR)/var/test

.PHONY: deps system-deps run demo-data test lint test-sqlite test-postgres bench-registry bench-search bench-archive bench-portal clean

deps: system-deps $(VENV)/.installed

system-deps:
	@bash scripts/system-deps.sh $(DEB_PACKAGES)

$(VENV)/.installed: requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements.lock -r requirements-dev.lock
	touch $@

demo-data: deps
	mkdir -p var
	$(DEMO_ENV) $(MANAGE) migrate --no-input -v0
	$(DEMO_ENV) $(MANAGE) seed_demo

run: demo-data
	$(DEMO_ENV) bash scripts/run.sh

lint: deps
	mkdir -p var/test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy .
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run

test-sqlite: deps
	mkdir -p var/test
	$(TEST_ENV) DATABASE_URL=sqlite:///$(CURDIR)/var/test/ghiseu.sqlite3 $(BIN)/pytest -m "not postgres"

test-postgres: deps
	$(TEST_ENV) bash scripts/test-postgres.sh

test: lint test-sqlite test-postgres

bench-registry: deps
	$(TEST_ENV) $(BIN)/python -m bench.registry

bench-search: deps
	$(TEST_ENV) $(BIN)/python -m bench.search

bench-archive: deps
	$(TEST_ENV) $(BIN)/python -m bench.archive

bench-portal: deps
	$(TEST_ENV) $(BIN)/python -m bench.portal

clean:
	rm -rf $(VENV) var
