"""The Litestar application: routes, error shapes, OpenAPI, and the container on app.state."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig

from entrypoints.container import Container, build_container, close_container
from entrypoints.http.controllers.account import AccountController
from entrypoints.http.controllers.account_links import AccountLinksController
from entrypoints.http.controllers.admin_api_keys import AdminApiKeysController
from entrypoints.http.controllers.admin_audit import AdminAuditController
from entrypoints.http.controllers.admin_catalog_sync import AdminCatalogSyncController
from entrypoints.http.controllers.admin_facets import AdminFacetsController
from entrypoints.http.controllers.admin_jobs import AdminJobsController
from entrypoints.http.controllers.admin_products import AdminProductsController
from entrypoints.http.controllers.admin_rules import AdminRulesController
from entrypoints.http.controllers.admin_search_preview import AdminSearchPreviewController
from entrypoints.http.controllers.admin_synonyms import AdminSynonymsController
from entrypoints.http.controllers.admin_webhooks import AdminWebhooksController
from entrypoints.http.controllers.analytics import AnalyticsController
from entrypoints.http.controllers.auth import AuthController
from entrypoints.http.controllers.cart import CartController
from entrypoints.http.controllers.catalog import CatalogController
from entrypoints.http.controllers.events import EventsController
from entrypoints.http.controllers.health import HealthController
from entrypoints.http.controllers.metrics import MetricsController
from entrypoints.http.controllers.recommendations import RecommendationsController
from entrypoints.http.controllers.reviews import ReviewsController
from entrypoints.http.errors import EXCEPTION_HANDLERS
from entrypoints.http.key_access import OPEN, api_key_guard, scope
from entrypoints.http.malformed import MalformedInputMiddleware
from entrypoints.http.openapi_errors import document_surrounding_errors
from entrypoints.http.openapi_keys import document_keys, route_scopes, security_components
from entrypoints.http.openapi_links import document_links
from entrypoints.http.rate_limit import STORE_NAME, rate_limit_store, search_rate_limit
from entrypoints.http.request_id import observed
from entrypoints.http.security_headers import security_headers
from entrypoints.http.spa import spa_handlers, web_dist_dir
from entrypoints.http.unsafe_requests import UnsafeRequestMiddleware
from entrypoints.http.visitor import provide_visitor, send_visitor_cookies
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings, load_settings

MAX_BODY_BYTES = 1_000_000


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    settings = settings or load_settings()
    app_container = container or build_container(settings)
    configure_logging(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        # Made before the first request, so the first unknown-user login costs no more than others.
        await app_container.login().decoy_hash()
        await app_container.ranker().refresh()
        app_container.ranker().watch()  # each process switches to a promotion within MODEL_REFRESH_SECONDS
        app_container.job_schedule().start()  # no Redis: this process runs the jobs' cron too
        try:
            yield
        finally:
            await close_container(app_container)

    limit = search_rate_limit(settings)
    cors = CORSConfig(allow_origins=list(settings.allowed_origins)) if settings.allowed_origins else None
    app = Litestar(
        route_handlers=[
            AccountController,
            AdminApiKeysController,
            AdminAuditController,
            AdminJobsController,
            AdminProductsController,
            AdminCatalogSyncController,
            AdminSynonymsController,
            AdminRulesController,
            AdminSearchPreviewController,
            AdminFacetsController,
            AdminWebhooksController,
            AnalyticsController,
            AuthController,
            AccountLinksController,
            CartController,
            CatalogController,
            EventsController,
            HealthController,
            MetricsController,
            RecommendationsController,
            ReviewsController,
            *spa_handlers(web_dist_dir()),
        ],
        dependencies={"visitor": Provide(provide_visitor)},
        # Every route, the SPA's and the document's too: a bad API key is refused wherever it is sent.
        guards=[api_key_guard],
        before_send=[send_visitor_cookies, security_headers(hsts=settings.session_cookie_secure)],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        state=State({"container": app_container}),
        cors_config=cors,
        openapi_config=OpenAPIConfig(
            title="Ecomsearch",
            version="0.1.0",
            components=security_components(),
            openapi_router=Router(
                path="/schema", route_handlers=[], opt=scope(OPEN), include_in_schema=False
            ),
        ),
        request_max_body_size=MAX_BODY_BYTES,
        # Outermost first: a cross-site or non-JSON write is refused before its body is read.
        middleware=[
            DefineMiddleware(UnsafeRequestMiddleware, allowed_origins=settings.allowed_origins),
            MalformedInputMiddleware,
            *([limit.middleware] if limit else []),
        ],
        stores={STORE_NAME: rate_limit_store(settings)},
        debug=False,
        logging_config=None,  # configure_logging above: one format for the app, uvicorn and libraries
    )
    document = document_keys(app.openapi_schema, dict(route_scopes(app)))
    document_links(document_surrounding_errors(document))
    # Around the router too (not a route middleware): its own 404s and 405s get an id and are counted.
    app.asgi_handler = observed(app.asgi_handler, app_container.metrics())
    return app


def app_factory() -> Litestar:
    """For `uvicorn --factory entrypoints.http.app:app_factory`."""
    return create_app()
