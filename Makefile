# Ecomsearch: `make run` serves the demo shop, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck pytest eval-demo migrate seed bench bench-events clean

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

test: lint typecheck pytest eval-demo

# The demo catalog's relevance figures, on a throwaway SQLite database. Fails only when the
# evaluator cannot run, never on the score.
EVAL_DIR := $(shell mktemp -u /tmp/ecomsearch-eval.XXXXXX)
eval-demo: install
	@mkdir -p $(EVAL_DIR)
	@cd $(EVAL_DIR) && export DATABASE_URL=sqlite+aiosqlite:///$(EVAL_DIR)/shop.db REDIS_URL= && \
	  $(CURDIR)/$(BIN)/ecomsearch db upgrade >/dev/null && \
	  $(CURDIR)/$(BIN)/ecomsearch demo seed --shoppers 0 >/dev/null 2>&1 && \
	  $(CURDIR)/$(BIN)/ecomsearch eval relevance $(CURDIR)/tests/fixtures/demo_judgments.tsv --compare text; \
	  status=$$?; rm -rf $(EVAL_DIR); exit $$status

bench: install
	$(BIN)/python bench/search.py

bench-events: install
	$(BIN)/python bench/events.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
