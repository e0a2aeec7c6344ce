"""The one composition root: adapters chosen from settings, use cases wired to them.

The HTTP app and the CLI (and later the worker) build this same container.
"""

from collections.abc import Callable
from datetime import UTC, date
from functools import partial
from pathlib import Path

from dependency_injector import containers, providers
from redis.asyncio import Redis
from saq import Queue
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.cache.breaker import Breaker
from adapters.cache.bypassing_cache import BypassingCache
from adapters.cache.memory_cache import MemoryCache
from adapters.cache.product_invalidator import CacheProductInvalidator
from adapters.cache.redis_cache import RedisCache, connect_redis
from adapters.cache.write_positions import FencedCache, MemoryWritePositions, RedisWritePositions
from adapters.clock import SystemClock
from adapters.jobs.inline_queue import InlineJobQueue
from adapters.jobs.saq_queue import SaqJobQueue
from adapters.learning.kmeans import SklearnClusterer
from adapters.learning.sklearn_fitter import SklearnFitter
from adapters.mail.folder_transport import FolderMailTransport
from adapters.mail.smtp_transport import SmtpMailTransport, smtp_server
from adapters.metrics.prometheus import PrometheusMetrics, Sources
from adapters.models.joblib_store import JoblibModelStore
from adapters.notifications.http_sender import HttpWebhookSender
from adapters.passwords.bcrypt_hasher import BcryptPasswordHasher
from adapters.passwords.common_passwords import load_common_passwords
from adapters.sql.account_token_store import SqlAccountTokenStore
from adapters.sql.analytics_rollup import SqlAnalyticsRollup
from adapters.sql.analytics_summaries import SqlAnalyticsSummaries
from adapters.sql.api_key_store import SqlApiKeyStore
from adapters.sql.attribute_catalog import SqlAttributeCatalog
from adapters.sql.audit_log import SqlAuditLog
from adapters.sql.cart_repository import SqlCartCatalog, SqlCartRepository
from adapters.sql.catalog_uploads import SqlCatalogUploads
from adapters.sql.engine import database_kind, make_engine, make_sessions
from adapters.sql.event_archive import SqlEventArchive
from adapters.sql.event_log import SqlEventLog
from adapters.sql.facet_declaration_store import SqlFacetDeclarationStore
from adapters.sql.group_commit import GroupCommitEventLog
from adapters.sql.health import SqlHealthCheck
from adapters.sql.job_records import SqlJobRecords
from adapters.sql.mail_outbox import SqlMailOutbox
from adapters.sql.model_store import SqlModelStore
from adapters.sql.personal_events import SqlVisitorEvents
from adapters.sql.popularity_marks import SqlPopularityMarks
from adapters.sql.postgres_search import PostgresTsvectorSearch
from adapters.sql.product_repository import SqlProductRepository
from adapters.sql.recent_popularity import SqlRecentPopularity
from adapters.sql.replica import ReplicaRouter, RoutedEngine, RoutedSessions, primary_position
from adapters.sql.review_repository import SqlReviewRepository
from adapters.sql.rule_store import SqlRuleStore
from adapters.sql.search_history import SqlSearchHistory
from adapters.sql.session_store import SqlSessionStore
from adapters.sql.shopper_events import SqlShopperEventSource
from adapters.sql.shopper_history import SqlPopularProducts, SqlShopperHistory, SqlViewHistory
from adapters.sql.shopper_store import SqlClusterStore, SqlProfileStore
from adapters.sql.sqlite_search import SqliteFtsSearch
from adapters.sql.synonym_store import SqlSuggestionStore, SqlSynonymStore
from adapters.sql.training_data import SqlTrainingData
from adapters.sql.user_repository import SqlUserRepository
from adapters.sql.vocabulary import PostgresVocabulary, SqliteVocabulary
from adapters.sql.webhook_store import SqlDeliveryOutbox, SqlWebhookStore
from application.account.delete_account import DeleteAccount
from application.account.export_account import ExportAccount
from application.analytics.read_analytics import ReadAnalytics
from application.analytics.rollup_analytics import RollupAnalytics
from application.apikeys.authenticate import ApiKeys
from application.apikeys.manage_keys import CreateApiKey, ListApiKeys, RevokeApiKey
from application.audit.audit_trail import AuditTrail, ReadAuditLog
from application.cart.manage_cart import AddToCart, ClearCart, GetCart, RemoveFromCart, SetCartQuantity
from application.catalog.bulk_import import ReadImport, ReceiveImport, ResumeImports, RunImports
from application.catalog.import_catalog import ImportCatalog
from application.catalog.manage_products import (
    CreateProduct,
    DeleteProduct,
    GetProduct,
    ListCategories,
    UpdateProduct,
)
from application.catalog.patch_products import PatchProducts
from application.catalog.product_cache import ProductCache
from application.events.archive_events import ArchiveEvents
from application.events.rate_limit import EventRateLimiter
from application.events.reactions import event_reactions
from application.events.record_events import RecordEvent, RecordImpression
from application.identity.account_tokens import AccountTokens
from application.identity.manage_accounts import (
    ChangePassword,
    GrantAdmin,
    ListUsers,
    Login,
    Logout,
    RevokeAdmin,
    Signup,
)
from application.identity.manage_sessions import EndSession, ListSessions, LogoutEverywhere
from application.identity.password_reset import RequestPasswordReset, ResetPassword
from application.identity.rate_limit import (
    LoginRateLimiter,
    PasswordChangeRateLimiter,
    PasswordResetRateLimiter,
    SignupRateLimiter,
    VerificationRateLimiter,
)
from application.identity.sessions import Sessions
from application.identity.verify_email import (
    ProveAddress,
    ResendVerification,
    SendVerification,
    VerifyEmail,
)
from application.jobs.records import JobJournal, ReadJobs
from application.jobs.runner import JobRunner
from application.jobs.start_job import StartJob
from application.jobs.triggers import JobTriggers, Trigger
from application.mail.send_mail import DeliverMail, QueueMail
from application.notifications.deliver_webhooks import DeliverWebhooks
from application.notifications.manage_webhooks import (
    AddWebhook,
    DeleteWebhook,
    ListDeliveries,
    ListWebhooks,
)
from application.notifications.publish_notices import WebhookNotices
from application.notifications.publish_readout import PUBLISH_READOUT, PublishReadout
from application.ports import Cache, Clock
from application.ranking.learned_ranker import LearnedRanker
from application.ranking.ports import TrainingDataSource
from application.ranking.retrain_ranker import RetrainRanker
from application.recommendations.recommend_products import Recommend, ViewProduct
from application.reviews.manage_reviews import DeleteReview, ListReviews, PutReview
from application.search.curating import Curator
from application.search.current_rules import CurrentRules
from application.search.current_synonyms import CurrentSynonyms
from application.search.facet_attributes import FacetAttributes
from application.search.learn_synonyms import LearnSynonyms, ReviewSuggestions
from application.search.manage_facets import GetFacetDeclaration, SetFacetDeclaration
from application.search.manage_rules import AddRule, DeleteRule, ListRules, UpdateRule
from application.search.manage_synonyms import AddSynonyms, DeleteSynonym, ListSynonyms, UpdateSynonym
from application.search.preview_search import PreviewSearch
from application.search.search_products import SearchProducts
from application.search.shopper_context import ShopperContext
from application.search.suggest_completions import SuggestCompletions
from application.shoppers.cluster_shoppers import DescribeClusters, ReclusterShoppers
from application.shoppers.profile_versions import ProfileVersions
from application.shoppers.refresh_profile_on_event import RefreshProfileOnEvent
from application.shoppers.refresh_profiles import RefreshProfiles
from domain.experiments.assignment import Experiment
from domain.ranking.features import FEATURE_VERSION
from domain.ranking.formula import FormulaRanker
from entrypoints.jobs import job_bodies, job_specs
from entrypoints.lifetimes import Lifetimes, opened
from entrypoints.schedule import InProcessSchedule, WorkerSchedule
from entrypoints.settings import Settings


def cache_kind(redis_url: str | None) -> str:
    return "redis" if redis_url else "memory"


def read_kind(read_url: str | None) -> str:
    return "replica" if read_url else "primary"


def mail_kind(smtp_url: str | None) -> str:
    return "smtp" if smtp_url else "folder"


def group_commit_kind(enabled: bool) -> str:
    return "group" if enabled else "direct"


def experiment_split(experiment: Experiment) -> dict[str, float]:
    return dict(zip(experiment.arms, experiment.split, strict=True))


def watched(
    metrics: PrometheusMetrics,
    cache: Cache,
    engine: AsyncEngine,
    ranker: LearnedRanker,
    clock: Clock,
    routed: Callable[[], dict[str, int]] = dict,
) -> PrometheusMetrics:
    """The metrics, reading the cache's counts, the pool, the model in use and the reads routed
    to the replica at each scrape."""
    metrics.watch(
        Sources(
            cache_counters=cache.counters,
            pool=lambda: engine.pool,
            model=lambda: (ranker.version, ranker.created_at),
            clock=clock,
            routed=routed,
        )
    )
    return metrics


def routed_reads(router: ReplicaRouter) -> Callable[[], dict[str, int]]:
    return lambda: dict(router.routed)


def utc_today(clock: Clock) -> Callable[[], date]:
    """Analytics days are UTC days, as the rollups cut them."""
    return lambda: clock.now().astimezone(UTC).date()


def ensure_sqlite_dir(url: str) -> str:
    """The default SQLite file lives under ./data/, which a fresh checkout does not have."""
    if database_kind(url) == "sqlite" and ":memory:" not in url:
        path = url.split("///", 1)[-1]
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    return url


ARCHIVE_EVERY_SECONDS = 24 * 3600.0


class Container(containers.DeclarativeContainer):
    __self__ = providers.Self()
    settings = providers.Dependency(instance_of=Settings)
    # What opens a pool, a connection or tasks registers its close here (`close_container`).
    lifetimes = providers.Singleton(Lifetimes)

    database_url = providers.Callable(ensure_sqlite_dir, settings.provided.database_url)
    db_kind = providers.Callable(database_kind, settings.provided.database_url)
    engine = providers.Singleton(
        opened,
        lifetimes,
        providers.Factory(
            make_engine,
            database_url,
            statement_timeout_ms=settings.provided.database_statement_timeout_ms,
        ),
        AsyncEngine.dispose,
    )
    sessions = providers.Singleton(make_sessions, engine)
    clock = providers.Singleton(SystemClock)
    # This process's metrics; the use cases report to them through the application's Observer port.
    metrics = providers.Singleton(PrometheusMetrics)

    redis_client = providers.Singleton(
        opened, lifetimes, providers.Factory(connect_redis, settings.provided.redis_url), Redis.aclose
    )
    # What lives only in Redis (login limits, job locks): a Redis failure is a 503.
    redis_store = providers.Singleton(RedisCache, redis_client, providers.Singleton(Breaker))
    memory_cache = providers.Singleton(MemoryCache)
    state_store = providers.Selector(
        providers.Callable(cache_kind, settings.provided.redis_url), redis=redis_store, memory=memory_cache
    )
    # The cache proper: with Redis down it is bypassed (a miss), and reads go to the database.
    cache = providers.Selector(
        providers.Callable(cache_kind, settings.provided.redis_url),
        redis=providers.Singleton(BypassingCache, redis_store),
        memory=memory_cache,
    )
    database_health = providers.Singleton(SqlHealthCheck, engine)

    # The read replica (DATABASE_READ_URL): reads that need not see the request's own writes
    # (search, suggest, product pages, recommendations, the analytics readout) go to it while it
    # has replayed past the last write that invalidated cached reads (docs/cluster.md).
    replica = providers.Callable(read_kind, settings.provided.database_read_url)
    replica_engine = providers.Singleton(
        opened,
        lifetimes,
        providers.Factory(
            make_engine,
            settings.provided.database_read_url,
            statement_timeout_ms=settings.provided.database_statement_timeout_ms,
        ),
        AsyncEngine.dispose,
    )
    write_positions = providers.Selector(
        providers.Callable(cache_kind, settings.provided.redis_url),
        redis=providers.Singleton(RedisWritePositions, redis_client),
        memory=providers.Singleton(MemoryWritePositions),
    )
    replica_router = providers.Singleton(
        ReplicaRouter, engine, replica_engine, write_positions.provided.required
    )
    read_sessions = providers.Selector(
        replica, replica=providers.Singleton(RoutedSessions, replica_router, sessions), primary=sessions
    )
    read_engine = providers.Selector(
        replica, replica=providers.Singleton(RoutedEngine, replica_router), primary=engine
    )
    # The cache of the use cases that write what replica reads fill: it records the primary's
    # WAL position before a catalog version moves or an entry is dropped.
    fenced_cache = providers.Selector(
        replica,
        replica=providers.Singleton(
            FencedCache, cache, write_positions, providers.Callable(partial, primary_position, engine)
        ),
        primary=cache,
    )

    products = providers.Singleton(SqlProductRepository, sessions)
    read_products = providers.Singleton(SqlProductRepository, read_sessions)
    search_index = providers.Selector(
        db_kind,
        postgresql=providers.Singleton(PostgresTsvectorSearch, read_sessions),
        sqlite=providers.Singleton(SqliteFtsSearch, sessions),
    )
    vocabulary = providers.Selector(
        db_kind,
        postgresql=providers.Singleton(PostgresVocabulary, read_sessions),
        sqlite=providers.Singleton(SqliteVocabulary, sessions),
    )
    # The ranking port: the promoted model, with the foundation's formula as its fallback.
    formula_ranker = providers.Singleton(FormulaRanker, settings.provided.formula)
    model_store = providers.Selector(
        providers.Callable(lambda s: s.model_store_kind, settings),
        files=providers.Singleton(JoblibModelStore, settings.provided.models_dir),
        database=providers.Singleton(SqlModelStore, sessions),
    )
    model_fitter = providers.Singleton(SklearnFitter)
    ranker = providers.Singleton(
        opened,
        lifetimes,
        providers.Factory(
            LearnedRanker,
            store=model_store,
            fitter=model_fitter,
            fallback=formula_ranker,
            clock=clock,
            refresh_seconds=settings.provided.model_refresh_seconds,
        ),
        LearnedRanker.close,
    )

    # Administrators' actions, recorded by the use cases that take them (append-only).
    audit_log = providers.Singleton(SqlAuditLog, engine)
    audit_trail = providers.Singleton(AuditTrail, audit_log, clock)
    # What the shop's systems are told of changes: a delivery stored per subscribed webhook, sent
    # by the `send_webhooks` job. The queue is looked up when first used, as it is built below
    # from the jobs that publish.
    webhook_store = providers.Singleton(SqlWebhookStore, engine)
    webhook_outbox = providers.Singleton(SqlDeliveryOutbox, engine, settings.provided.webhook_claim_seconds)
    change_notices = providers.Singleton(
        WebhookNotices, webhook_outbox, providers.Callable(lambda c: c.job_queue, __self__), clock
    )
    list_webhooks = providers.Singleton(ListWebhooks, webhook_store)
    add_webhook = providers.Singleton(
        AddWebhook, webhook_store, clock, audit_trail, settings.provided.webhooks
    )
    delete_webhook = providers.Singleton(DeleteWebhook, webhook_store, audit_trail)
    list_deliveries = providers.Singleton(ListDeliveries, webhook_store, webhook_outbox)
    deliver_webhooks = providers.Singleton(
        DeliverWebhooks,
        webhook_outbox,
        providers.Singleton(HttpWebhookSender, settings.provided.webhooks.timeout_seconds),
        clock,
        settings.provided.webhooks,
    )
    read_audit_log = providers.Singleton(ReadAuditLog, audit_log)

    # API keys: records cached only in the cache every process shares (see application/apikeys).
    api_key_store = providers.Singleton(SqlApiKeyStore, engine)
    api_key_records = providers.Selector(
        providers.Callable(cache_kind, settings.provided.redis_url),
        redis=cache,
        memory=providers.Object(None),
    )
    api_keys = providers.Singleton(
        ApiKeys, api_key_store, api_key_records, cache, clock, settings.provided.api_key_rate_limit
    )
    create_api_key = providers.Singleton(CreateApiKey, api_key_store, clock, audit_trail)
    list_api_keys = providers.Singleton(ListApiKeys, api_key_store, audit_trail)
    revoke_api_key = providers.Singleton(RevokeApiKey, api_key_store, api_key_records, clock, audit_trail)

    product_cache = providers.Singleton(ProductCache, cache)
    fenced_product_cache = providers.Singleton(ProductCache, fenced_cache)
    list_categories = providers.Singleton(ListCategories, read_products, cache)
    get_product = providers.Singleton(GetProduct, read_products, product_cache)
    create_product = providers.Singleton(CreateProduct, products, fenced_cache, clock, audit_trail)
    update_product = providers.Singleton(
        UpdateProduct, products, fenced_cache, clock, fenced_product_cache, audit_trail
    )
    delete_product = providers.Singleton(
        DeleteProduct, products, fenced_cache, fenced_product_cache, audit_trail
    )
    import_catalog = providers.Singleton(
        ImportCatalog, products, fenced_cache, clock, settings.provided.import_batch_size
    )
    patch_products = providers.Singleton(
        PatchProducts, products, fenced_cache, clock, fenced_product_cache, audit_trail
    )
    # Catalog sync over HTTP: uploads stored in the database, loaded by the `catalog_import` job.
    catalog_uploads = providers.Singleton(SqlCatalogUploads, engine)
    read_import = providers.Singleton(ReadImport, catalog_uploads)
    run_imports = providers.Singleton(
        RunImports,
        catalog_uploads,
        import_catalog,
        products,
        fenced_cache,
        fenced_product_cache,
        change_notices,
        clock,
    )
    # Profiles feed the personalized arm's ranking; recent popularity every arm's features.
    profiles = providers.Singleton(SqlProfileStore, sessions)
    profile_versions = providers.Singleton(ProfileVersions, cache)
    shopper_context = providers.Singleton(
        ShopperContext,
        profiles,
        providers.Singleton(SqlRecentPopularity, read_engine),
        cache,
        clock,
        settings.provided.personal,
        versions=profile_versions,
    )
    # Synonyms: the shop's own, and those learned from shoppers' reformulations.
    synonym_store = providers.Singleton(SqlSynonymStore, engine)
    current_synonyms = providers.Singleton(
        CurrentSynonyms, synonym_store, cache, settings.provided.search.synonyms_ttl_seconds
    )
    list_synonyms = providers.Singleton(ListSynonyms, synonym_store)
    add_synonyms = providers.Singleton(AddSynonyms, synonym_store, fenced_cache, audit_trail)
    update_synonym = providers.Singleton(UpdateSynonym, synonym_store, fenced_cache, audit_trail)
    delete_synonym = providers.Singleton(DeleteSynonym, synonym_store, fenced_cache, audit_trail)
    suggestion_store = providers.Singleton(SqlSuggestionStore, engine)
    learn_synonyms = providers.Singleton(
        LearnSynonyms,
        providers.Singleton(SqlSearchHistory, engine),
        suggestion_store,
        synonym_store,
        clock,
        settings.provided.synonym_learning,
    )
    review_suggestions = providers.Singleton(
        ReviewSuggestions, suggestion_store, synonym_store, fenced_cache, audit_trail
    )
    # Curation rules: pins, hides and boosts applied after ranking, in every arm.
    rule_store = providers.Singleton(SqlRuleStore, engine)
    current_rules = providers.Singleton(
        CurrentRules, rule_store, cache, settings.provided.search.rules_ttl_seconds
    )
    curator = providers.Singleton(Curator, current_rules, read_products, clock)
    list_rules = providers.Singleton(ListRules, rule_store)
    add_rule = providers.Singleton(AddRule, rule_store, fenced_cache, audit_trail)
    update_rule = providers.Singleton(UpdateRule, rule_store, fenced_cache, audit_trail)
    delete_rule = providers.Singleton(DeleteRule, rule_store, fenced_cache, audit_trail)
    # Attribute facets: declared by the administrator or found from the catalog.
    facet_declarations = providers.Singleton(SqlFacetDeclarationStore, engine)
    attribute_catalog = providers.Singleton(SqlAttributeCatalog, engine)
    facet_attributes = providers.Singleton(
        FacetAttributes,
        attribute_catalog,
        facet_declarations,
        cache,
        settings.provided.search.attribute_profile_ttl_seconds,
    )
    get_facet_declaration = providers.Singleton(GetFacetDeclaration, facet_declarations, attribute_catalog)
    set_facet_declaration = providers.Singleton(
        SetFacetDeclaration, facet_declarations, fenced_cache, audit_trail
    )
    search_products = providers.Singleton(
        SearchProducts,
        index=search_index,
        vocabulary=vocabulary,
        categories=list_categories,
        ranker=ranker,
        cache=cache,
        config=settings.provided.search,
        field_weights=settings.provided.fields,
        shopper_context=shopper_context,
        synonyms=current_synonyms,
        observer=metrics,
        curator=curator,
        facet_plan=facet_attributes,
    )
    # An administrator's preview of a query with and without the rules or synonyms.
    preview_search = providers.Singleton(PreviewSearch, search_products)
    suggest = providers.Singleton(SuggestCompletions, search_index, vocabulary, list_categories)

    # Events and impressions: one transaction per batch of concurrent writes unless turned off.
    sql_event_log = providers.Singleton(SqlEventLog, engine)
    event_log = providers.Selector(
        providers.Callable(group_commit_kind, settings.provided.event_group_commit),
        group=providers.Singleton(
            opened,
            lifetimes,
            providers.Factory(GroupCommitEventLog, sql_event_log),
            GroupCommitEventLog.close,
        ),
        direct=sql_event_log,
    )
    record_impression = providers.Singleton(RecordImpression, event_log, clock)

    # Cart, reviews, recently viewed and recommendations.
    carts = providers.Singleton(SqlCartRepository, sessions)
    cart_catalog = providers.Singleton(SqlCartCatalog, sessions)
    get_cart = providers.Singleton(GetCart, carts, cart_catalog, clock)
    add_to_cart = providers.Singleton(AddToCart, carts, cart_catalog, clock)
    set_cart_quantity = providers.Singleton(SetCartQuantity, carts, cart_catalog, clock)
    remove_from_cart = providers.Singleton(RemoveFromCart, carts, cart_catalog, clock)
    clear_cart = providers.Singleton(ClearCart, carts, cart_catalog, clock)
    reviews = providers.Singleton(SqlReviewRepository, sessions)
    product_invalidator = providers.Singleton(CacheProductInvalidator, fenced_cache)
    list_reviews = providers.Singleton(ListReviews, reviews)
    put_review = providers.Singleton(
        PutReview, reviews, product_invalidator, clock, settings.provided.unverified_may_review
    )
    delete_review = providers.Singleton(DeleteReview, reviews, product_invalidator)
    view_history = providers.Singleton(SqlViewHistory, sessions)
    shopper_history = providers.Singleton(SqlShopperHistory, sessions)
    popular_products = providers.Singleton(SqlPopularProducts, read_sessions)
    view_product = providers.Singleton(ViewProduct, get_product, view_history, clock)
    recommend = providers.Singleton(
        Recommend, view_history, shopper_history, popular_products, ranker, shopper_context
    )

    # Accounts and sessions.
    users = providers.Singleton(SqlUserRepository, sessions)
    session_store = providers.Singleton(SqlSessionStore, sessions)
    password_hasher = providers.Singleton(BcryptPasswordHasher, settings.provided.bcrypt_rounds)
    common_passwords = providers.Singleton(load_common_passwords, settings.provided.common_passwords_file)
    login_sessions = providers.Singleton(
        Sessions, session_store, users, cache, clock, settings.provided.sessions
    )
    login_limiter = providers.Singleton(LoginRateLimiter, state_store, settings.provided.login_limits)
    signup_limiter = providers.Singleton(SignupRateLimiter, state_store, settings.provided.login_limits)
    password_limiter = providers.Singleton(
        PasswordChangeRateLimiter, state_store, settings.provided.login_limits
    )
    login = providers.Singleton(Login, users, password_hasher, login_sessions, login_limiter)
    logout = providers.Singleton(Logout, login_sessions)
    change_password = providers.Singleton(
        ChangePassword, users, password_hasher, login_sessions, common_passwords, password_limiter
    )
    grant_admin = providers.Singleton(GrantAdmin, users, login_sessions, audit_trail)
    revoke_admin = providers.Singleton(RevokeAdmin, users, login_sessions, audit_trail)
    list_users = providers.Singleton(ListUsers, users)

    # Learning to rank, shopper profiles and clusters.
    # Impressions logged with their features, labelled by the clicks and carts that followed.
    training_data: providers.Provider[TrainingDataSource | None] = providers.Singleton(
        SqlTrainingData, engine, FEATURE_VERSION
    )
    retrain_ranker = providers.Singleton(
        RetrainRanker,
        source=training_data,
        store=model_store,
        fitter=model_fitter,
        clock=clock,
        config=settings.provided.training,
        formula=settings.provided.formula,
        notices=change_notices,
    )
    clusters = providers.Singleton(SqlClusterStore, sessions)
    clusterer = providers.Singleton(SklearnClusterer)
    describe_clusters = providers.Singleton(DescribeClusters, clusters)
    shopper_events = providers.Singleton(SqlShopperEventSource, sessions)
    refresh_profiles = providers.Singleton(
        RefreshProfiles, shopper_events, profiles, clusters, clock, versions=profile_versions
    )
    # A logged-in shopper's profile is rebuilt after each of their events (an after-answer reaction).
    refresh_profile_on_event = providers.Singleton(RefreshProfileOnEvent, refresh_profiles)
    recluster_shoppers = providers.Singleton(
        ReclusterShoppers, profiles, clusters, clusterer, clock, settings.provided.clustering
    )

    # Analytics: the readout reads the rollup tables only; the rollup job writes them.
    analytics_summaries = providers.Singleton(SqlAnalyticsSummaries, read_engine)
    read_analytics = providers.Singleton(
        ReadAnalytics,
        summaries=analytics_summaries,
        clusters=describe_clusters,
        split=providers.Callable(experiment_split, settings.provided.experiment),
        today=providers.Callable(utc_today, clock),
        cache=cache,
    )

    publish_readout = providers.Singleton(PublishReadout, read_analytics, webhook_store, change_notices)

    rollup_analytics = providers.Singleton(
        RollupAnalytics, providers.Singleton(SqlAnalyticsRollup, engine), fenced_cache, clock
    )

    # Events and impressions past EVENT_RETENTION_DAYS move to archive tables (the daily `archive` job).
    archive_events = providers.Singleton(
        ArchiveEvents, providers.Singleton(SqlEventArchive, engine), clock, settings.provided.archive
    )

    # Mail: stored in the outbox, sent by the `send_mail` job through SMTP or into a folder.
    mail_transport = providers.Selector(
        providers.Callable(mail_kind, settings.provided.smtp_url),
        smtp=providers.Singleton(
            SmtpMailTransport,
            providers.Callable(smtp_server, settings.provided.smtp_url),
            settings.provided.smtp_timeout_seconds,
        ),
        folder=providers.Singleton(FolderMailTransport, settings.provided.mail_outbox_dir),
    )
    mail_outbox = providers.Singleton(SqlMailOutbox, engine)
    deliver_mail = providers.Singleton(
        DeliverMail, mail_outbox, mail_transport, clock, settings.provided.mail
    )

    # Background jobs: SAQ on Redis when REDIS_URL is set, asyncio tasks in this process otherwise.
    job_runner = providers.Singleton(
        JobRunner,
        bodies=providers.Callable(
            job_bodies,
            training_data=training_data,
            retrain=retrain_ranker.provider,
            recluster=recluster_shoppers.provider,
            refresh_profiles=refresh_profiles.provider,
            rollup=rollup_analytics.provider,
            archive=archive_events.provider,
            send_mail=deliver_mail.provider,
            send_webhooks=deliver_webhooks.provider,
            publish_readout=publish_readout.provider,
            catalog_import=run_imports.provider,
        ),
        specs=providers.Callable(job_specs),
        cache=state_store,
        observer=metrics,
    )
    saq_queue = providers.Singleton(
        opened,
        lifetimes,
        providers.Factory(Queue.from_url, settings.provided.redis_url, name="ecomsearch"),
        Queue.disconnect,
    )
    # What became of each job run (GET /api/admin/jobs), written by either queue.
    job_records = providers.Singleton(SqlJobRecords, engine)
    job_journal = providers.Singleton(JobJournal, job_records, clock)
    read_jobs = providers.Singleton(ReadJobs, job_records)
    job_queue = providers.Selector(
        providers.Callable(cache_kind, settings.provided.redis_url),
        redis=providers.Singleton(
            SaqJobQueue,
            saq_queue,
            providers.Callable(lambda r: r.specs, job_runner),
            job_journal,
            settings.provided.job_heartbeat_seconds,
        ),
        memory=providers.Singleton(
            opened,
            lifetimes,
            providers.Factory(InlineJobQueue, job_runner, job_journal),
            InlineJobQueue.close,
        ),
    )
    # The request side of mail: store, then ask for the job (never failing the request).
    queue_mail = providers.Singleton(QueueMail, mail_outbox, job_queue, clock)
    receive_import = providers.Singleton(
        ReceiveImport, catalog_uploads, job_queue, audit_trail, clock, settings.provided.import_max_bytes
    )
    resume_imports = providers.Singleton(ResumeImports, catalog_uploads, job_queue)
    start_job = providers.Singleton(StartJob, job_queue, audit_trail)

    # Signup and the mailed single-use links: email verification and password reset.
    account_token_store = providers.Singleton(SqlAccountTokenStore, sessions)
    account_tokens = providers.Singleton(
        AccountTokens, account_token_store, clock, settings.provided.account_tokens
    )
    send_verification = providers.Singleton(
        SendVerification, account_tokens, queue_mail, settings.provided.public_base_url
    )
    signup = providers.Singleton(
        Signup,
        users,
        password_hasher,
        login_sessions,
        common_passwords,
        clock,
        signup_limiter,
        send_verification,
    )
    prove_address = providers.Singleton(ProveAddress, users, account_tokens, login_sessions)
    verify_email = providers.Singleton(VerifyEmail, account_tokens, prove_address)
    verification_limiter = providers.Singleton(
        VerificationRateLimiter, state_store, settings.provided.login_limits
    )
    resend_verification = providers.Singleton(ResendVerification, send_verification, verification_limiter)
    reset_limiter = providers.Singleton(PasswordResetRateLimiter, state_store, settings.provided.login_limits)
    request_password_reset = providers.Singleton(
        RequestPasswordReset,
        users,
        account_tokens,
        queue_mail,
        settings.provided.public_base_url,
        reset_limiter,
    )
    reset_password = providers.Singleton(
        ResetPassword,
        users,
        password_hasher,
        account_tokens,
        login_sessions,
        common_passwords,
        login_limiter,
        prove_address,
    )
    job_triggers = providers.Singleton(
        JobTriggers,
        cache,
        job_queue,
        clock,
        providers.Dict(retrain=settings.provided.retrain_trigger, cluster=settings.provided.cluster_trigger),
    )
    # The in-process runner's daily jobs, the archive and the readout notice: due when the last
    # run is a day old (SAQ has crons).
    archive_schedule = providers.Singleton(
        JobTriggers,
        cache,
        job_queue,
        clock,
        providers.Dict(
            {
                "archive": providers.Object(Trigger(every_events=0, every_seconds=ARCHIVE_EVERY_SECONDS)),
                PUBLISH_READOUT: providers.Object(
                    Trigger(every_events=0, every_seconds=ARCHIVE_EVERY_SECONDS)
                ),
            }
        ),
    )
    # Without Redis this process runs the jobs' schedule too; with it, the SAQ worker's cron does.
    job_schedule = providers.Selector(
        providers.Callable(cache_kind, settings.provided.redis_url),
        redis=providers.Singleton(WorkerSchedule),
        memory=providers.Singleton(
            InProcessSchedule,
            job_queue,
            job_triggers,
            archive_schedule,
            queue_mail,
            change_notices,
            resume_imports,
        ),
    )
    # What follows a stored event (cache drop, recently viewed, job-trigger count, profile rebuild).
    reactions = providers.Singleton(
        event_reactions,
        settings.provided.popularity,
        product_cache,
        job_triggers,
        refresh_profile_on_event,
        view_history,
    )
    # Once per window per visitor, product and type (database), events per client (cache).
    popularity_marks = providers.Singleton(
        opened, lifetimes, providers.Factory(SqlPopularityMarks, engine), SqlPopularityMarks.close
    )
    event_rate_limiter = providers.Singleton(EventRateLimiter, cache, settings.provided.event_limits)
    record_event = providers.Singleton(
        RecordEvent,
        event_log,
        clock,
        settings.provided.popularity,
        reactions,
        marks=popularity_marks,
        limiter=event_rate_limiter,
        observer=metrics,
    )
    # What GET /metrics renders: the metrics plus the scrape-time readings.
    watched_metrics = providers.Singleton(
        watched,
        metrics,
        cache,
        engine,
        ranker,
        clock,
        providers.Selector(
            replica,
            replica=providers.Callable(routed_reads, replica_router),
            primary=providers.Object(dict),
        ),
    )

    # A user's own sessions, and their account's export and deletion.
    list_sessions = providers.Singleton(ListSessions, login_sessions)
    end_session = providers.Singleton(EndSession, login_sessions)
    logout_everywhere = providers.Singleton(LogoutEverywhere, login_sessions)
    visitor_events = providers.Singleton(SqlVisitorEvents, engine)
    export_account = providers.Singleton(
        ExportAccount, carts, reviews, view_history, visitor_events, login_sessions
    )
    delete_account = providers.Singleton(
        DeleteAccount,
        users,
        password_hasher,
        login_sessions,
        password_limiter,
        reviews,
        product_invalidator,
        providers.List(carts, view_history, account_token_store),
        providers.List(profiles, popularity_marks),
        visitor_events,
        providers.List(mail_outbox),
    )


def build_container(settings: Settings) -> Container:
    return Container(settings=settings)


async def close_container(container: Container) -> None:
    """Close what the providers opened, latest first: jobs in flight, the event buffer, the model
    refresh, the database pool, the Redis connections."""
    await container.lifetimes().close()
