# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PO     := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

.PHONY: run serve deploy-content gunicorn test typecheck bench check translations extract browser node nginx clean vendor libical fonts systemd-analyze mutate

run: $(VENV)/.installed translations fonts
	@echo "Serving $${CANAL_EVENTS:-events.toml} at http://$(HOST):$(PORT)/"
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

# Production, locally: nginx (deploy/nginx.conf) on CANAL_LISTEN (127.0.0.1:8080) in front
# of gunicorn on a unix socket in .run/ (CANAL_WORKERS, CANAL_THREADS; see gunicorn.conf.py).
RUN_DIR ?= $(CURDIR)/.run
serve: $(VENV)/.installed translations nginx fonts
	CANAL_RUN_DIR=$(RUN_DIR) $(BIN)/python deploy/serve.py

# Swap the running `make serve` to the edited events.toml: checked first, no failed request.
deploy-content: $(VENV)/.installed
	CANAL_BIND=$${CANAL_BIND:-unix:$(RUN_DIR)/gunicorn.sock} CANAL_PIDFILE=$${CANAL_PIDFILE:-$(RUN_DIR)/gunicorn.pid} \
	  CANAL_RELOAD_STATUS=$${CANAL_RELOAD_STATUS:-$(RUN_DIR)/reload.json} $(BIN)/flask --app app canal reload $(FILE)

# gunicorn alone on 127.0.0.1:8000, for debugging only: never expose it (see README).
gunicorn: $(VENV)/.installed translations fonts
	$(BIN)/gunicorn --config gunicorn.conf.py app:app

test: $(VENV)/.installed-test translations browser node nginx libical fonts systemd-analyze lint typecheck
	$(BIN)/flask --app app canal check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# mypy over canal/ with the settings in pyproject.toml ([tool.mypy]): zero errors.
typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# ruff (pinned in the test extras; rules and line length in pyproject.toml) over every
# Python file: canal/, app.py, tests/, bench/, deploy/, gunicorn.conf.py. No reformatting.
.PHONY: lint
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Speed as ratios in one run (see bench/run.py); installs Debian's wrk when missing.
# The phone section drives Chromium, so it needs what the browser tests need.
bench: $(VENV)/.installed-test translations browser
	@command -v wrk >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

# Mutation testing (issue 11), not part of `make test`: mutmut changes one thing at a time in
# the domain modules ([tool.mutmut] in pyproject.toml) and runs their fast tests against each
# change; tools/mutation_report.py then prints the kill rate per module and fails below 90 %.
# MUTANTS='canal.plan.*' limits a run to one module; MUTATE_CHILDREN sets the parallel workers.
MUTATE_CHILDREN ?= 1
mutate: $(VENV)/.installed-test translations node
	@mkdir -p mutants && ln -sfn ../node_modules mutants/node_modules  # ical.js, for the plan's feed tests
	$(BIN)/mutmut run --max-children $(MUTATE_CHILDREN) $(MUTANTS)
	$(BIN)/python tools/mutation_report.py

check: $(VENV)/.installed
	$(BIN)/flask --app app canal check $(FILE)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Compiled message catalogs are build output, not committed.
translations: $(MO)
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/bin/python
	@test -x $(BIN)/pybabel || $(BIN)/pip install --quiet -e .
	$(BIN)/pybabel compile -d translations -l $* --statistics
	@test -f $@

# Re-extract interface strings after changing templates or views.
extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output --omit-header -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --no-wrap --ignore-obsolete

# Browser tests use Debian's Chromium (Playwright is pointed at it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium and CJK fonts for browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# nginx for `make serve` and the production-topology tests. Debian's package; its service
# is not started or enabled by us: the site runs its own instance (deploy/serve.py).
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx for the production topology (make serve, tests)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; }

# systemd-analyze checks deploy/systemd's units (tests/test_systemd_units.py); Debian's
# systemd package carries it. Nothing is started or enabled.
systemd-analyze:
	@command -v systemd-analyze >/dev/null 2>&1 || { \
	  echo "Installing Debian's systemd for systemd-analyze (the unit-file tests)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq systemd >/dev/null; }

# Share images draw Chinese with Noto Sans CJK (SIL Open Font Licence): Debian's
# fonts-noto-cjk, installed when missing (or point CANAL_FONT_DIR at a folder holding
# NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc). The app refuses to start without it.
fonts:
	@test -n "$$CANAL_FONT_DIR" || test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc || { \
	  echo "Installing Debian's fonts-noto-cjk for the share images"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null; }

# npm packages for tests (ical.js, node-ical) and front-end libraries; `npm ci` only
# when node_modules is missing or older than package.json / package-lock.json.
node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's nodejs and npm for the feed parsers the tests use (ical.js, node-ical)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund
	touch $@

# libical reads every feed in the tests (tests/test_ical_libical.py): a small C program,
# tools/ical-check/ical_check.c, built against Debian's libical-dev (installed when missing).
libical: build/ical_check
build/ical_check: tools/ical-check/ical_check.c
	@pkg-config --exists libical 2>/dev/null || { \
	  echo "Installing Debian's libical-dev and pkg-config to check feeds with libical"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gcc libical-dev pkg-config >/dev/null; }
	@mkdir -p build
	$(CC) -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2 -o $@ $< $$(pkg-config --cflags --libs libical)

clean:
	rm -rf $(VENV) node_modules $(MO) build mutants

# Front-end libraries: pinned in package.json, copied from npm into static/vendor/<lib>/
# with their licences and committed, so the site never loads code from a CDN.
VENDOR := static/vendor
vendor:
	npm ci --no-audit --no-fund
	rm -rf $(VENDOR)/leaflet $(VENDOR)/leaflet.markercluster $(VENDOR)/leaflet.fullscreen
	mkdir -p $(VENDOR)/leaflet $(VENDOR)/leaflet.markercluster $(VENDOR)/leaflet.fullscreen
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images node_modules/leaflet/LICENSE node_modules/leaflet/package.json $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css node_modules/leaflet.markercluster/package.json $(VENDOR)/leaflet.markercluster/
	cp node_modules/leaflet.markercluster/MIT-LICENCE.txt $(VENDOR)/leaflet.markercluster/LICENSE
	cp node_modules/leaflet.fullscreen/Control.FullScreen.js node_modules/leaflet.fullscreen/Control.FullScreen.css node_modules/leaflet.fullscreen/icon-fullscreen.svg node_modules/leaflet.fullscreen/LICENSE node_modules/leaflet.fullscreen/package.json $(VENDOR)/leaflet.fullscreen/
