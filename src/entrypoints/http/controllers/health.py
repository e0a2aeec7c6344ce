from typing import Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency

from adapters.sql.health import SqlHealthCheck
from application.ports import Cache
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_response, error_responses
from entrypoints.http.key_access import OPEN, scope


class HealthController(Controller):
    opt = scope(OPEN)
    tags = ["operations"]  # noqa: RUF012
    include_in_schema = True
    dependencies = from_container("database_health", "cache")

    @get("/health", summary="The process is alive")
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get(
        "/ready",
        summary="Database and cache are reachable",
        responses=error_responses(malformed=False, unavailable=False, also={503: "not_ready"}),
    )
    async def ready(
        self, database_health: NamedDependency[SqlHealthCheck], cache: NamedDependency[Cache]
    ) -> Response[Any]:
        database = await database_health.ping()
        up = await cache.ping()
        checks = {"database": "ok" if database else "down", "cache": "ok" if up else "down"}
        if database and up:
            return Response({"status": "ready", "checks": checks, "cache": cache.counters()})
        return error_response(
            503, "not_ready", "a backing service is unavailable", checks, {"Retry-After": "5"}
        )
