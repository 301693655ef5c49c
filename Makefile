# dangshi: `make run` sets everything up and serves; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# The ASGI server of the live contest's WebSockets, beside the WSGI one. One process unless
# REDIS_URL is set: the in-memory channel layer does not reach across processes.
WS_PORT ?= $(shell echo $$(($(PORT) + 1)))
ASGI_WORKERS ?= 1

.PHONY: run test install assets migrate demo static serve lint e2e bench clean messages screenshots

run: install assets migrate demo static serve

$(PY):
	@PYTHON_BIN=$$(scripts/find_python.sh) && echo "using $$PYTHON_BIN" && "$$PYTHON_BIN" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev,redis]"
	@touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	$(PY) scripts/vendor_assets.py

migrate: install
	$(BIN)/dangshi migrate --noinput -v0

demo: migrate
	$(BIN)/dangshi demo --if-empty

static: assets
	$(BIN)/dangshi collectstatic --noinput -v0

serve:
	@echo ""
	@echo "dangshi is serving on http://$(HOST):$(PORT)/ with a task worker and the scheduler (Ctrl-C stops all)"
	@echo "demo logins, password Dangshi@2021: office · branch1 · branch2 · member1 · lecturer1"
	@echo ""
	@echo "live contest WebSockets (ASGI) on ws://$(HOST):$(WS_PORT)/ws/"
	BIN=$(BIN) WS_PORT=$(WS_PORT) ASGI_WORKERS=$(ASGI_WORKERS) scripts/serve.sh $(HOST) $(PORT) $(WORKERS)

test: install assets
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/dangshi collectstatic --noinput -v0
	$(BIN)/pytest -q

e2e: install assets
	$(BIN)/pytest -q -m e2e

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports --no-cache

messages: install
	cd src/dangshi && ../../$(BIN)/dangshi makemessages -l en --no-obsolete && ../../$(BIN)/dangshi compilemessages -l en

clean:
	rm -rf $(VENV) node_modules var src/dangshi/core/static/vendor

screenshots: install assets
	SAVE_SCREENSHOTS=1 $(BIN)/pytest -q tests/e2e
