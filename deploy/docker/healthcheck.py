"""The image's HEALTHCHECK: exit 0 when HEALTHCHECK_URL answers 200.

By default that is this container's `serve` (GET /health on ECOMSEARCH_PORT); a worker, which
serves no HTTP API, points it at its metrics server (WORKER_METRICS_PORT). Standard library only:
the runtime image has no curl."""

import os
import sys
import urllib.request

port = os.environ.get("ECOMSEARCH_PORT") or "8000"
url = os.environ.get("HEALTHCHECK_URL") or f"http://127.0.0.1:{port}/health"
try:
    with urllib.request.urlopen(url, timeout=2) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except OSError as exc:
    print(f"unhealthy: {url}: {exc}", file=sys.stderr)
    sys.exit(1)
