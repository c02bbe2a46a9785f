# openrig — two commands on a fresh machine: `make run` and `make test`.
# Both create .venv from pyproject.toml on first use.

VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PYTHON  ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
             command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
             && echo $$p && break; done)
PYTEST_ARGS ?=

.PHONY: run test check lint format-fix typecheck clean demo bench

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Serve the API (and console) on http://127.0.0.1:8000 with SQLite under ./var/
run: $(STAMP)
	$(BIN)/openrig serve

## A demo account and farm with 12 simulated rigs (faults included), on SQLite under ./var/demo
demo: $(STAMP)
	$(BIN)/openrig demo

## The whole suite: lint, types, tests (SQLite; PostgreSQL too with OPENRIG_TEST_DATABASE_URL)
test: check
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

check: $(STAMP) lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

format-fix: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

## oros USB image ------------------------------------------------------------------------
.PHONY: image image-test
IMAGE_DIR ?= build/image

## The oros USB image: $(IMAGE_DIR)/oros.img (as root; tools: see oros/image/README.md)
image:
	oros/image/build.sh $(IMAGE_DIR)

## Build the image and boot it under qemu (no KVM): enroll, bundle, reports, key untouched
image-test: $(STAMP) image
	OROS_IMAGE=$(CURDIR)/$(IMAGE_DIR)/oros.img $(BIN)/python -m pytest -n 2 tests/image $(PYTEST_ARGS)
