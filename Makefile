# Ecomsearch: `make run` serves the demo shop, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck pytest migrate seed bench bench-events clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/ecomsearch db upgrade

seed: migrate
	$(BIN)/ecomsearch demo seed

run: seed
	$(BIN)/ecomsearch serve

lint: install
	$(BIN)/ruff check src tests bench migrations
	$(BIN)/ruff format --check src tests bench migrations

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

bench: install
	$(BIN)/python bench/search.py

bench-events: install
	$(BIN)/python bench/events.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
