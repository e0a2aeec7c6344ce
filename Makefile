# Ecomsearch: `make run` serves the demo shop, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck pytest eval-demo migrate seed bench bench-load bench-events bench-analytics bench-sizing bench-merchandising wrk clean web web-deps web-test chromium nginx cluster cluster-stop test-cluster docker-base test-docker

$(STAMP): pyproject.toml clients/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# The Python client package (clients/python), tested against a running server.
	$(BIN)/pip install --quiet -e clients/python
	touch $(STAMP)

install: $(STAMP)

# The shop's web app (web/): npm ci from the committed lock file, then a production build to web/dist.
WEB_STAMP := web/node_modules/.installed
$(WEB_STAMP): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $(WEB_STAMP)

web-deps: $(WEB_STAMP)

web: web-deps
	cd web && npm run build

# Type check and Vitest unit tests of the web app.
web-test: web-deps
	cd web && npm run typecheck && npm test

# The browser tests drive Debian's Chromium; nothing else may download a browser.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "chromium is missing: run 'sudo apt-get install chromium'"; fi; }

# The cluster's load balancer: Debian's nginx, run with its own config and prefix (never the service).
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
		else echo "nginx is missing: run 'sudo apt-get install nginx'"; fi; }

# Several processes on this machine (docs/cluster.md): PostgreSQL primary and streaming replica,
# Redis, two SAQ workers, two API processes behind nginx, a small demo shop. CLUSTER_DIR holds
# its data, logs and state; `make cluster-stop` ends what it started.
CLUSTER_DIR ?= /tmp/ecomsearch-cluster
cluster: install nginx
	$(BIN)/python deploy/cluster.py start --dir $(CLUSTER_DIR) $(ARGS)

cluster-stop:
	$(BIN)/python deploy/cluster.py stop --dir $(CLUSTER_DIR) --remove

# The cluster's integration test (a few minutes): in `make test` through `pytest` too.
test-cluster: install nginx
	$(BIN)/pytest tests/cluster -s

migrate: install
	$(BIN)/ecomsearch db upgrade

seed: migrate
	$(BIN)/ecomsearch demo seed

run: seed web
	$(BIN)/ecomsearch serve

lint: install
	$(BIN)/ruff check src tests bench migrations clients deploy
	$(BIN)/ruff format --check src tests bench migrations clients deploy

typecheck: install
	$(BIN)/mypy
	$(BIN)/mypy --strict clients/python/src

pytest: install web chromium nginx
	$(BIN)/pytest

test: lint typecheck web-test pytest eval-demo

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

# Ecomsearch against Typesense over HTTP with wrk (bench/search_load.py; not part of `make test`).
bench-load: install wrk
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -u bench/search_load.py $(ARGS)

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
		else echo "wrk is missing: run 'sudo apt-get install wrk'"; exit 1; fi; }

# The figures of docs/deployment.md (bench/sizing.py): a scratch 100,000-product catalog; it
# flushes Redis database REDIS_DB.
REDIS_DB ?= 15
bench-sizing: install wrk
	$(BIN)/python -u bench/sizing.py --products 100000 --redis-db $(REDIS_DB) $(ARGS)

# 1,000 synonyms and 100 curation rules against none, through HTTP (bench/merchandising.py).
bench-merchandising: install
	$(BIN)/python -u bench/merchandising.py $(ARGS)

bench-events: install
	$(BIN)/python bench/events.py

bench-analytics: install
	$(BIN)/python -u bench/analytics.py

# The Docker image built and run (tests/docker/test_image.py; needs a running Docker daemon).
# LOCAL_BASE=1 builds on base images made from Debian's repository (docker-base) instead of the
# registry's python and node images. docs/deployment-docker.md.
LOCAL_BASE ?= 0
docker-base:
	bash deploy/docker/local-base-images.sh

test-docker: install $(if $(filter 1,$(LOCAL_BASE)),docker-base)
	$(if $(filter 1,$(LOCAL_BASE)),PYTHON_IMAGE=ecomsearch-local/python:trixie NODE_IMAGE=ecomsearch-local/node:trixie) \
	  DOCKER_TEST=1 $(BIN)/pytest -m docker tests/docker -s -q -p no:cacheprovider

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache web/node_modules web/dist artifacts
