# Khuyến công — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := PYTHONPATH=src $(PY) -m django
export DJANGO_SETTINGS_MODULE ?= khuyencong.settings
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
TEST_WORKERS ?= 2
LINT_PATHS := $(wildcard src tests bench scripts)

.PHONY: run test lint fmt migrate demo messages bench system-deps test-deps clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Debian packages, installed only when missing (needs root or sudo).
# - run time: gettext (compile the vi/en catalogs), the venv module, Pango (WeasyPrint PDF);
# - tests only: Chromium (browser tests), LibreOffice Writer without GUI (the DOCX report must
#   convert to PDF) with Liberation 2 fonts (Times New Roman metrics, Vietnamese glyphs).
APT_INSTALL = SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq

system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x $(PY) || $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; $(APT_INSTALL) $$missing >/dev/null; fi

test-deps: system-deps
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	test -d /usr/share/fonts/truetype/liberation2 || missing="$$missing fonts-liberation2"; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; $(APT_INSTALL) $$missing >/dev/null; fi

messages: $(VENV)/.installed
	$(MANAGE) compilemessages --ignore='.venv' --ignore='$(VENV)' --ignore=node_modules -v 0

migrate: $(VENV)/.installed messages
	$(MANAGE) migrate --noinput -v 0

# Reference data (administrative units, catalogs) and the Bắc Kạn 2018 demo; prints the logins.
demo: migrate
	$(MANAGE) load_admin_units
	$(MANAGE) load_demo

# The demo is seen as of a 2018 day (deadlines: to-do panel, calendar feed, reminders).
run: export KHUYENCONG_AS_OF ?= 2018-06-20
run: system-deps demo
	$(MANAGE) send_reminders
	@echo "Khuyến công: http://$(HOST):$(PORT)/ — log in with one of the demo logins above."
	$(MANAGE) runserver $(HOST):$(PORT)

# Unit/integration tests (in parallel), then browser tests (their own run: the live server
# flushes the database). Any failure fails make, "no tests collected" (exit 5) included.
test: test-deps $(VENV)/.installed messages
	PY=$(PY) TEST_WORKERS=$(TEST_WORKERS) scripts/run_tests.sh $(PYTEST_ARGS)

# mypy type-checks the modules listed once, in pyproject.toml's [tool.mypy] files.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(MANAGE) makemigrations --check --dry-run
	PYTHONPATH=src $(PY) scripts/check_messages.py
	PYTHONPATH=src $(VENV)/bin/lint-imports
	PYTHONPATH=src $(VENV)/bin/mypy

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff format $(LINT_PATHS)
	$(VENV)/bin/ruff check --fix $(LINT_PATHS)

bench: $(VENV)/.installed
	PYTHONPATH=src $(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
