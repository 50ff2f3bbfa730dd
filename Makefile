# Khuyến công — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := PYTHONPATH=src $(PY) -m django
export DJANGO_SETTINGS_MODULE ?= khuyencong.settings
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint fmt migrate demo messages bench system-deps clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Debian packages the project needs at run/test time: gettext (compile the vi/en catalogs),
# Chromium (browser tests), Pango (WeasyPrint PDF reports), LibreOffice Writer without GUI
# (tests convert the DOCX report to PDF) with Liberation 2 fonts (Times New Roman metrics and
# Vietnamese glyphs). Installed only when missing; needs root or sudo.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	test -d /usr/share/fonts/truetype/liberation2 || missing="$$missing fonts-liberation2"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: $(VENV)/.installed
	$(MANAGE) compilemessages --ignore='.venv' --ignore='$(VENV)' --ignore=node_modules -v 0

migrate: $(VENV)/.installed messages
	$(MANAGE) migrate --noinput -v 0

demo: migrate
	$(MANAGE) load_admin_units
	$(MANAGE) load_demo

run: system-deps demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: system-deps $(VENV)/.installed messages
	PYTHONPATH=src $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(MANAGE) makemigrations --check --dry-run
	PYTHONPATH=src $(PY) scripts/check_messages.py

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

bench: $(VENV)/.installed
	PYTHONPATH=src $(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
