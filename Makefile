# Two commands on a fresh machine: `make run` (set up + start) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Paths kept in `ruff format` style (imports sorted too); widen as modules are reformatted.
FORMATTED := assistant/web assistant/api.py assistant/privacy.py assistant/storage.py assistant/migrations \
             tests/test_privacy.py tests/test_web_hardening.py tests/test_postgres.py tests/test_server.py \
             assistant/integrity.py tests/test_integrity.py \
             assistant/pipeline assistant/corpus/pools.py assistant/rules/lexicon.py assistant/assistant.py tests/test_pipeline.py \
             tests/test_a11y.py tests/axe.py tests/screenshots.py tests/test_stream.py \
             assistant/ingest/fact_review.py tests/test_staff_pools.py

.PHONY: run setup install index test lint browser postgres eval check clean screenshots gradio

run: setup
	@echo "Tilskudsassistenten kører på http://$(HOST):$(PORT)/  (Ctrl-C stopper)"
	$(BIN)/assistant serve --host $(HOST) --port $(PORT) --open

setup: index

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first and exactly 2.13.0: that version resolves to a local CPU wheel; anything else makes
# sentence-transformers pull several GB of CUDA packages.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

index: install
	$(BIN)/assistant corpus check
	$(BIN)/assistant build-index --if-stale

# Browser tests drive Debian's Chromium (test tools' own browser downloads do not work offline).
browser: install
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installerer Chromium (Debian) til browsertestene …"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installerer npm (Debian) til tilgængelighedstestene (axe-core) …"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	$(BIN)/python -m tests.axe

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff check --select I $(FORMATTED)
	$(BIN)/ruff format --check $(FORMATTED)

# The PostgreSQL tests start a throw-away server from Debian's postgresql binaries (no service is used).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Installerer PostgreSQL (Debian) til databasetestene …"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; }

test: setup browser postgres lint
	$(BIN)/python -m pytest

# Screenshots of the applicant page at phone and laptop size for the README (not part of `make test`).
screenshots: setup browser
	$(BIN)/python -m tests.screenshots docs/screenshots

# A gradio console for trying questions during development, on 127.0.0.1 only (not the public page).
gradio: setup
	$(BIN)/assistant gradio --port 7860

eval: setup
	$(BIN)/assistant eval

check: install
	$(BIN)/assistant corpus check

clean:
	rm -rf $(VENV) indexes/manifest.json indexes/checksums.json indexes/dense indexes/lexical indexes/lexical_pools indexes/*.jsonl indexes/*.npy
