"""GET /api/analytics: the experiment readout for administrators, read from the rollup summaries."""

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from application.analytics.errors import InvalidWindow
from application.analytics.read_analytics import DEFAULT_DAYS, AnalyticsReport, ReadAnalytics, parse_days
from domain.apikeys.model import ANALYTICS_READ
from domain.identity.errors import NotAdmin, NotAuthenticated
from entrypoints.http.access import require_admin
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.visitor import Visitor


class AnalyticsController(Controller):
    opt = scope(ANALYTICS_READ)
    path = "/api/analytics"
    tags = ["administration"]  # noqa: RUF012
    dependencies = from_container("read_analytics")

    @get(
        summary="The experiment readout, click-through by position, queries and clusters",
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidWindow),
    )
    async def readout(
        self,
        visitor: NamedDependency[Visitor],
        read_analytics: NamedDependency[ReadAnalytics],
        # Text, so that a bad value reaches the use case's own check and message (400 invalid_parameter).
        days: str = Parameter(
            default=str(DEFAULT_DAYS), description="window length in days, 1..365, ending today (UTC)"
        ),
    ) -> AnalyticsReport:
        require_admin(visitor)
        return await read_analytics(parse_days(days))
