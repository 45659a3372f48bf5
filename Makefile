# Tawasul. Two commands matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the tests need: the browser, WeasyPrint's libraries, Arabic/Tifinagh fonts.
TEST_DEBS := chromium gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core

.PHONY: run test bench vendor test-fast test-browser lint fmt messages check-messages system-deps clean-db help

help:
	@echo "make run    - start Tawasul on SQLite with demo data at http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite (SQLite, then PostgreSQL if DATABASE_URL is set)"
	@echo "make test-fast | test-browser | lint | fmt | messages | clean-db"

$(VENV)/.base-installed: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt requirements/base.txt $(VENV)/.base-installed
	$(PIP) install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

## run: migrate SQLite, load demo data when empty, start web + worker + scheduler.
run: $(VENV)/.base-installed
	TAWASUL_DEMO=1 DATABASE_URL= $(PY) manage.py migrate --noinput -v 0
	TAWASUL_DEMO=1 DATABASE_URL= $(PY) manage.py createcachetable
	TAWASUL_DEMO=1 DATABASE_URL= $(PY) manage.py seed_demo --if-empty
	TAWASUL_DEMO=1 DATABASE_URL= $(PY) manage.py run_platform --host $(HOST) --port $(PORT)

## system-deps: Debian packages for the tests, installed only when missing.
system-deps:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## test: the whole suite on SQLite, then again on PostgreSQL when DATABASE_URL points at one.
test: $(VENV)/.dev-installed system-deps check-messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL= $(PY) manage.py makemigrations --check --dry-run -v 0
# Tests marked `processes` run once: here when no PostgreSQL pass follows, else in its `-m processes` pass.
	DATABASE_URL= TAWASUL_TESTING=1 $(PY) -m pytest --create-db -n 2 --dist loadfile --durations=15 \
	  -m "$$([[ "$${DATABASE_URL:-}" == postgres* ]] && echo 'not processes')"
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "== again on PostgreSQL: $${DATABASE_URL} =="; \
	  TAWASUL_TESTING=1 $(PY) -m pytest --create-db -n 2 --dist loadfile --durations=15 -m "not processes" && \
	  echo "== tests that fork processes, alone ==" && \
	  TAWASUL_TESTING=1 $(PY) -m pytest --create-db -m processes; \
	fi

## test-fast: the inner loop: no browser, SQLite only.
test-fast: $(VENV)/.dev-installed
	DATABASE_URL= TAWASUL_TESTING=1 $(PY) -m pytest -m "not browser and not slow" -x -q

test-browser: $(VENV)/.dev-installed system-deps
	DATABASE_URL= TAWASUL_TESTING=1 $(PY) -m pytest -m browser

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

fmt: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

## messages: refresh the .po catalogues of every language and compile them.
messages: $(VENV)/.dev-installed
	$(PY) manage.py makemessages -l ar -l fr -l zgh -l en --no-obsolete --no-location -i '.venv/*' -i 'var/*' -i 'static/vendor/*' -i 'bench/*' -i 'node_modules/*' -i 'test-artifacts/*'
	$(PY) manage.py compilemessages -v 0 -i .venv

## check-messages: fail when a catalogue is stale or a message lacks a translation.
check-messages: $(VENV)/.dev-installed
	$(PY) manage.py check_translations

## vendor: refresh static/vendor/ (Bootstrap, Noto fonts) from the npm pins in package.json and
## package-lock.json. Needs Node; the result is committed, so `make run` never needs Node.
.PHONY: vendor
vendor:
	npm ci --no-audit --no-fund
	$(PY) scripts/vendor_assets.py

clean-db:
	rm -f var/tawasul.sqlite3 var/tawasul.sqlite3-*

## bench: the benchmarks of issue 7 (bench/README.md): quick by default, `make bench FULL=1` at scale.
## Data sets are generated when missing (`python -m bench.generate`); results go to bench/results/.
.PHONY: bench bench-data bench-callgrind
bench: $(VENV)/.dev-installed
	FULL=$(FULL) $(PY) -m bench.run

## bench-data: (re)generate a benchmark data set with a progress bar: `make bench-data SCALE=1|10
## DB=sqlite|postgres` (211,644 complaints per unit of SCALE; SCALE=0: the quick 20,000);
## `make bench-data OPEN=1000000 DB=postgres`: N cases all open, for the sweep (scenario 5).
SCALE ?= 1
DB ?= sqlite
OPEN ?=
bench-data: $(VENV)/.dev-installed
	@if [ -n "$(OPEN)" ]; then $(PY) -m bench.generate --open $(OPEN) --db $(DB); \
	elif [ "$(SCALE)" = "0" ]; then $(PY) -m bench.generate --quick --db $(DB); \
	else $(PY) -m bench.generate --scale $(SCALE) --db $(DB); fi

## bench-callgrind: instruction counts per request (submission, tracking) under valgrind; bench only.
bench-callgrind: $(VENV)/.dev-installed
	@command -v valgrind >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get install -y -qq --no-install-recommends valgrind; }
	$(PY) -m bench.callgrind --db $(DB)
