# pressarchive — run `make help` for the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= archive.db
PORT ?= 8001

.DEFAULT_GOAL := help
.PHONY: help install install-dev install-pywb system-deps demo test lint format bench serve record corpus

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## create the virtual environment and install pressarchive

install-dev: $(VENV)/.installed-dev system-deps install-pywb ## install with the test and lint tools

# pywb (a local Wayback for the tests) lives in its own venv: in the main one its brotlipy
# breaks Scrapy and it pins old libraries.
PYWB_VENV ?= .pywb-venv
install-pywb: $(PYWB_VENV)/.installed ## the local Wayback (pywb) used by the tests, in its own venv

$(PYWB_VENV)/.installed:
	$(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/pip install --quiet "pywb==2.10.0"
	touch $@

# Browser tests drive Debian's chromium with Playwright (never `playwright install`).
system-deps: ## apt packages the tests need (chromium), when missing
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium missing: run 'sudo apt-get install chromium'"; exit 1; fi; \
	fi

demo: install ## build the archive from the bundled offline corpus and serve it on 127.0.0.1:$(PORT)
	$(BIN)/pressarchive demo --db $(DB) --port $(PORT)

serve: install ## serve an existing archive (DB=path)
	$(BIN)/pressarchive serve --db $(DB) --port $(PORT)

lint: install-dev ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## apply ruff formatting and fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev lint ## the whole offline test suite, then ruff
	$(BIN)/python -m pytest -q

bench: install-dev ## run the benchmarks and write bench/README.md
	$(BIN)/python bench/run.py

corpus: install ## rebuild the demo WARC from archive/demo/pages (reproducible)
	$(BIN)/python archive/demo/build_corpus.py
