# motcua — two commands: `make demo` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export PATH := $(CURDIR)/.venv/bin:$(PATH)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MOTCUA := $(VENV)/bin/motcua
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := chromium fonts-liberation2

.PHONY: demo test setup system lint format requirements messages clean serve bench faults soak

## demo: set everything up, load the demo province, serve on http://$(HOST):$(PORT) with the task worker
demo: setup
	$(MOTCUA) migrate --no-input
	$(MOTCUA) load_demo
	# the task worker beside the server (notices to applicants, the leaders' digest), stopped with it
	export PUBLIC_URL=http://$(HOST):$(PORT); $(MOTCUA) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; $(MOTCUA) runserver $(HOST):$(PORT)

## test: set everything up and run the whole suite (SQLite unless DATABASE_URL says otherwise)
test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n 2 -q

## bench: the benchmarks on PostgreSQL (BENCH_DATABASE_URL; DOSSIERS=1500000 or a list for the scaling curve)
bench: setup
	$(PY) bench/run.py

## faults: kill the server, restart the database and kill the worker under load; check nothing is lost
faults: setup
	$(PY) bench/faults.py all --output var/bench/faults.json

## soak: intake and lookup under sustained load for five minutes; errors, latency and memory
soak: setup
	$(PY) bench/soak.py --minutes 5 --output var/bench/soak.json

setup: $(VENV)/.synced system

$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(UV): $(VENV)/bin/python
	$(VENV)/bin/pip install -q uv==0.13.9

$(VENV)/.synced: requirements-dev.txt pyproject.toml | $(UV)
	$(UV) pip sync --python $(PY) -q requirements-dev.txt
	$(UV) pip install --python $(PY) -q --no-deps -e .
	touch $@

# Chromium for the browser suite and Vietnamese-capable Times-compatible fonts for PDFs.
# Installed through apt when missing and we are allowed to (root); skipped otherwise.
system:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Liberation Serif" || missing="$$missing fonts-liberation2"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "Not installing$$missing (needs root and apt); browser tests will be skipped."; fi; \
	fi

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

## requirements: recompile the pinned requirement files after editing pyproject.toml
requirements: | $(UV)
	$(UV) pip compile pyproject.toml --python $(PY) --generate-hashes --no-emit-index-url -q -o requirements.txt
	$(UV) pip compile pyproject.toml --python $(PY) --group dev --generate-hashes --no-emit-index-url -q -o requirements-dev.txt

## messages: refresh translation catalogues (needs gettext)
messages: setup
	cd src/motcua && ../../$(MOTCUA) makemessages -l en -l vi --no-location && ../../$(MOTCUA) compilemessages

clean:
	rm -rf $(VENV) var/*.sqlite3*
