"""GET /metrics: Prometheus's text format, for this process (docs/operations.md).

Left out of the OpenAPI document: it is for the operator's scraper, not the shop's clients, and
its body is not JSON. Open by default (serve listens on loopback unless told otherwise); with
METRICS_TOKEN set, only a scraper sending `Authorization: Bearer <token>` is answered.
"""

import secrets
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from adapters.metrics.prometheus import CONTENT_TYPE, PrometheusMetrics
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_response
from entrypoints.http.key_access import OPEN, scope
from entrypoints.settings import Settings


class MetricsController(Controller):
    include_in_schema = False
    opt = scope(OPEN)
    dependencies = from_container("watched_metrics", "settings")

    @get("/metrics", sync_to_thread=False)
    def metrics(
        self,
        request: Request[Any, Any, Any],
        watched_metrics: NamedDependency[PrometheusMetrics],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        token = settings.metrics_token
        if token:
            sent = request.headers.get("authorization", "")
            if not secrets.compare_digest(sent.encode(), f"Bearer {token}".encode()):
                return error_response(
                    401, "not_authenticated", "send the metrics token: Authorization: Bearer <token>"
                )
        return Response(
            watched_metrics.render(), media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"}
        )
