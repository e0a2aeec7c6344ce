from typing import Any

from litestar import Controller, Response, get
from litestar.datastructures import State

from entrypoints.http.dependencies import container_of
from entrypoints.http.errors import error_response, error_responses


class HealthController(Controller):
    tags = ["operations"]  # noqa: RUF012
    include_in_schema = True

    @get("/health", summary="The process is alive")
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get(
        "/ready",
        summary="Database and cache are reachable",
        responses=error_responses(malformed=False, unavailable=False, also={503: "not_ready"}),
    )
    async def ready(self, state: State) -> Response[Any]:
        container = container_of(state)
        database = await container.database_health().ping()
        cache = await container.cache().ping()
        checks = {"database": "ok" if database else "down", "cache": "ok" if cache else "down"}
        if database and cache:
            return Response({"status": "ready", "checks": checks, "cache": container.cache().counters()})
        return error_response(
            503, "not_ready", "a backing service is unavailable", checks, {"Retry-After": "5"}
        )
