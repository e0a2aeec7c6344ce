"""Settings from the environment, with a `.env` file in the working directory read first.

Every default lives in one place: the field defaults of `Settings` and of the config structs it
holds. `ENV` only says which variable sets which field and how its text is read; a variable left
unset or empty keeps the field's default.
"""

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from adapters.mail.smtp_transport import masked, smtp_server
from application.events.archive_events import ArchiveConfig
from application.events.rate_limit import EventLimits
from application.identity.rate_limit import RateLimits
from application.jobs.triggers import Trigger
from application.mail.send_mail import MailDelivery
from application.notifications.delivery_config import WebhookDelivery
from application.ranking.retrain_ranker import POSITION_BIAS_METHODS, TrainingConfig
from application.search.dto import SearchConfig
from application.search.shopper_context import PersonalConfig
from application.shoppers.cluster_shoppers import ClusteringConfig
from domain.events.model import PopularityWeights
from domain.experiments.assignment import Experiment
from domain.identity.model import SessionPolicy, TokenPolicy
from domain.ranking.formula import FormulaWeights
from domain.search.reformulations import MiningRules
from domain.search.scoring import FieldWeights

# The development SECRET_KEY: `serve` refuses it on a non-loopback address (see cli/exposure.py).
DEV_SECRET_KEY = "dev-only-secret-change-me"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = "sqlite+aiosqlite:///./data/ecomsearch.db"
    # PostgreSQL cancels an API statement running longer (answered 503); 0: no limit. Batch
    # commands and the worker run without it (`unbounded_statements`).
    database_statement_timeout_ms: int = 5000
    # A streaming replica of database_url for reads that need not see their own writes (docs/cluster.md).
    database_read_url: str | None = None
    redis_url: str | None = None
    secret_key: str = DEV_SECRET_KEY
    # Lets `serve` listen beyond loopback with the development SECRET_KEY (a throwaway demo).
    allow_insecure: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_origins: tuple[str, ...] = ()
    search: SearchConfig = SearchConfig()
    synonym_learning: MiningRules = MiningRules()
    personal: PersonalConfig = PersonalConfig()
    formula: FormulaWeights = FormulaWeights()
    fields: FieldWeights = FieldWeights()
    import_batch_size: int = 2000
    # The largest catalog upload over HTTP, as sent and once decompressed (413 beyond).
    import_max_bytes: int = 256 * 1024 * 1024
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one object a line
    metrics_token: str = ""  # empty: GET /metrics is open
    shutdown_grace_seconds: int = 30  # on SIGTERM, what is in flight (requests, jobs) gets this long
    worker_metrics_port: int = 0  # 0: the worker serves no metrics
    bcrypt_rounds: int = 12
    sessions: SessionPolicy = SessionPolicy()
    session_cookie_secure: bool = False
    trust_forwarded_for: bool = False
    search_rate_limit: int = 300  # search and suggest requests a minute per client address; 0: none
    api_key_rate_limit: int = 600  # requests a minute per API key unless the key sets its own; 0: none
    login_limits: RateLimits = RateLimits()
    experiment: Experiment = Experiment()
    common_passwords_file: str | None = None
    # Learning to rank: where models live ("files" under models_dir, or "database"; default files
    # on SQLite, database on PostgreSQL so every API process shares one champion).
    model_store: str = ""
    models_dir: str = "./data/models"  # by default `models/` beside the SQLite file (load_settings)
    model_refresh_seconds: float = 30.0
    training: TrainingConfig = TrainingConfig()
    clustering: ClusteringConfig = ClusteringConfig()
    retrain_trigger: Trigger = Trigger(every_events=500, every_seconds=24 * 3600, min_interval_seconds=3600)
    cluster_trigger: Trigger = Trigger(every_events=200, every_seconds=6 * 3600, min_interval_seconds=1800)

    @property
    def model_store_kind(self) -> str:
        if self.model_store:
            return self.model_store
        return "files" if self.is_sqlite else "database"

    popularity: PopularityWeights = PopularityWeights()
    event_group_commit: bool = True
    event_limits: EventLimits = EventLimits()
    archive: ArchiveConfig = ArchiveConfig()
    # SAQ: a running job beats this often (x3); a worker sweeps stuck jobs (dead workers') this often.
    job_heartbeat_seconds: int = 60
    job_sweep_seconds: int = 60
    # Mail: `.eml` files in mail_outbox_dir unless smtp_url names a server (docs/mail.md).
    mail_outbox_dir: str = "./data/outbox"
    smtp_url: str | None = None
    smtp_timeout_seconds: float = 30.0
    mail: MailDelivery = MailDelivery()
    public_base_url: str = "http://127.0.0.1:8000"  # mailed links point here (the web app)
    # Lifetimes of mailed links (email verification, password reset).
    account_tokens: TokenPolicy = TokenPolicy()
    # Accounts without a verified email may shop either way; this lets them write reviews too.
    unverified_may_review: bool = False
    # Webhooks (docs/webhooks.md): how deliveries are sent and retried, and how long a worker's
    # claim on one lasts before another worker may send it (the first one died).
    webhooks: WebhookDelivery = WebhookDelivery()
    webhook_claim_seconds: float = 300.0

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.removeprefix("export ").split("=", 1)
        values[key.strip()] = value.strip().strip("'\"")
    return values


# A parser reads a variable's text (never empty) into its field's type; it gets the field's default.
Parser = Callable[[str, str, Any], Any]


def text(name: str, raw: str, default: Any) -> str:
    return raw


def number(name: str, raw: str, default: Any) -> float:
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def whole(name: str, raw: str, default: Any) -> int:
    """A count; a fractional value is truncated, as it always was."""
    value = number(name, raw, default)
    try:
        return int(value)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{name} must be a finite number, got {raw!r}") from exc


def integer(name: str, raw: str, default: Any) -> int:
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def words(name: str, raw: str, default: Any) -> tuple[str, ...]:
    return tuple(w.strip() for w in raw.split(",") if w.strip()) or default


def flag(name: str, raw: str, default: Any) -> bool:
    """On or off words; anything else keeps the default."""
    word = raw.strip().lower()
    if word in {"1", "true", "yes", "on"}:
        return True
    if word in {"0", "false", "no", "off"}:
        return False
    return bool(default)


def choice(*allowed: str) -> Parser:
    def parse(name: str, raw: str, default: Any) -> str:
        word = raw.strip().lower()
        if not word:
            return str(default)
        if word not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {word!r}")
        return word

    return parse


def at_least(least: float) -> Parser:
    def parse(name: str, raw: str, default: Any) -> float:
        value = number(name, raw, default)
        if not value >= least:  # also refuses nan
            raise ValueError(f"{name} must be at least {least:g}, got {raw!r}")
        return value

    return parse


def at_least_whole(least: int) -> Parser:
    def parse(name: str, raw: str, default: Any) -> int:
        value = whole(name, raw, default)
        if value < least:
            raise ValueError(f"{name} must be at least {least}, got {raw!r}")
        return value

    return parse


def minutes(name: str, raw: str, default: Any) -> timedelta:
    return timedelta(minutes=number(name, raw, default))


def hours(name: str, raw: str, default: Any) -> timedelta:
    return timedelta(hours=number(name, raw, default))


def days(name: str, raw: str, default: Any) -> timedelta:
    return timedelta(days=number(name, raw, default))


def hours_in_seconds(name: str, raw: str, default: Any) -> float:
    return number(name, raw, default) * 3600


def minutes_in_seconds(name: str, raw: str, default: Any) -> float:
    return number(name, raw, default) * 60


class SecretUrl(str):
    """A URL whose password never shows in a repr (a settings dump, a log of the settings)."""

    def __repr__(self) -> str:
        return repr(masked(str(self)))


def smtp_url(name: str, raw: str, default: Any) -> SecretUrl:
    smtp_server(raw)  # refuses a scheme, host or port it cannot use (the message has no password)
    return SecretUrl(raw.strip())


def replica_url(name: str, raw: str, default: Any) -> str:
    """A PostgreSQL standby: the router asks it how far it has replayed the primary's log."""
    if urlsplit(raw.strip()).scheme.split("+", 1)[0] not in ("postgresql", "postgres"):
        raise ValueError(f"{name} must be a postgresql:// URL (a streaming replica), got {raw!r}")
    return raw.strip()


def web_url(name: str, raw: str, default: Any) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http:// or https:// URL, got {raw!r}")
    return raw.strip().rstrip("/")


# Variable -> (field path in Settings, parser). The defaults are the fields' own.
ENV: dict[str, tuple[str, Parser]] = {
    "DATABASE_URL": ("database_url", text),
    "DATABASE_STATEMENT_TIMEOUT_MS": ("database_statement_timeout_ms", whole),
    "DATABASE_READ_URL": ("database_read_url", replica_url),
    "REDIS_URL": ("redis_url", text),
    "SECRET_KEY": ("secret_key", text),
    "ALLOW_INSECURE": ("allow_insecure", flag),
    "ECOMSEARCH_HOST": ("host", text),
    "ECOMSEARCH_PORT": ("port", integer),
    "ALLOWED_ORIGINS": ("allowed_origins", words),
    "SEARCH_CANDIDATE_LIMIT": ("search.candidate_limit", whole),
    "SEARCH_FACET_SIZE": ("search.facet_size", whole),
    "SEARCH_BROAD_SHARE": ("search.broad_share", number),
    "SEARCH_RESULT_TTL": ("search.result_ttl_seconds", number),
    "SEARCH_COUNTS_TTL": ("search.counts_ttl_seconds", number),
    "SEARCH_FILL_TARGET": ("search.fill_target", whole),
    "SYNONYMS_TTL": ("search.synonyms_ttl_seconds", number),
    "RULES_TTL": ("search.rules_ttl_seconds", number),
    "ATTRIBUTE_PROFILE_TTL": ("search.attribute_profile_ttl_seconds", number),
    "SYNONYM_LEARN_DAYS": ("synonym_learning.days", whole),
    "SYNONYM_LEARN_GAP_SECONDS": ("synonym_learning.gap_seconds", number),
    "SYNONYM_LEARN_MIN_SUPPORT": ("synonym_learning.min_support", whole),
    "SYNONYM_LEARN_MIN_LIFT": ("synonym_learning.min_lift", number),
    "SHOPPER_PROFILE_TTL": ("personal.profile_ttl_seconds", number),
    "RECENT_POPULARITY_TTL": ("personal.popularity_ttl_seconds", number),
    "RANK_WEIGHT_TEXT": ("formula.text", number),
    "RANK_WEIGHT_POPULARITY": ("formula.popularity", number),
    "RANK_WEIGHT_RATING": ("formula.rating", number),
    "RANK_RATING_PRIOR_MEAN": ("formula.prior_mean", number),
    "RANK_RATING_PRIOR_COUNT": ("formula.prior_count", number),
    "BM25_WEIGHT_TITLE": ("fields.title", number),
    "BM25_WEIGHT_META": ("fields.meta", number),
    "BM25_WEIGHT_BODY": ("fields.body", number),
    "BM25_K1": ("fields.k1", number),
    "BM25_B": ("fields.b", number),
    "IMPORT_BATCH_SIZE": ("import_batch_size", whole),
    "IMPORT_MAX_BYTES": ("import_max_bytes", whole),
    "LOG_LEVEL": ("log_level", text),
    "LOG_FORMAT": ("log_format", choice("text", "json")),
    "METRICS_TOKEN": ("metrics_token", text),
    "SHUTDOWN_GRACE_SECONDS": ("shutdown_grace_seconds", at_least_whole(0)),
    "WORKER_METRICS_PORT": ("worker_metrics_port", at_least_whole(0)),
    "BCRYPT_ROUNDS": ("bcrypt_rounds", whole),
    "SESSION_IDLE_MINUTES": ("sessions.idle", minutes),
    "SESSION_ABSOLUTE_DAYS": ("sessions.absolute", days),
    "SESSION_COOKIE_SECURE": ("session_cookie_secure", flag),
    "TRUST_FORWARDED_FOR": ("trust_forwarded_for", flag),
    "SEARCH_RATE_LIMIT": ("search_rate_limit", whole),
    "API_KEY_RATE_LIMIT": ("api_key_rate_limit", whole),
    "LOGIN_RATE_LIMIT": ("login_limits.per_account_address", whole),
    "LOGIN_RATE_LIMIT_PER_ADDRESS": ("login_limits.per_address", whole),
    "LOGIN_RATE_LIMIT_PER_ACCOUNT": ("login_limits.per_account", whole),
    "LOGIN_RATE_WINDOW_SECONDS": ("login_limits.window_seconds", whole),
    "LOGIN_KNOWN_ADDRESS_DAYS": ("login_limits.known_address_days", whole),
    "SIGNUP_RATE_LIMIT": ("login_limits.signup_per_address", whole),
    "SIGNUP_RATE_WINDOW_SECONDS": ("login_limits.signup_window_seconds", whole),
    "PASSWORD_CHANGE_RATE_LIMIT": ("login_limits.password_change_failures", whole),
    "COMMON_PASSWORDS_FILE": ("common_passwords_file", text),
    "MODEL_STORE": ("model_store", choice("files", "database")),
    "MODELS_DIR": ("models_dir", text),
    "MODEL_REFRESH_SECONDS": ("model_refresh_seconds", number),
    "TRAIN_WINDOW_DAYS": ("training.window_days", number),
    "TRAIN_HOLDOUT_DAYS": ("training.holdout_days", number),
    "TRAIN_MIN_IMPRESSIONS": ("training.min_impressions", whole),
    "TRAIN_PROMOTION_TOLERANCE": ("training.tolerance", number),
    "TRAIN_MAX_WEIGHT": ("training.max_weight", at_least(1.0)),
    "TRAIN_POSITION_BIAS": ("training.position_bias", choice(*POSITION_BIAS_METHODS)),
    "JOB_HEARTBEAT_SECONDS": ("job_heartbeat_seconds", whole),
    "JOB_SWEEP_SECONDS": ("job_sweep_seconds", whole),
    "RETRAIN_EVERY_EVENTS": ("retrain_trigger.every_events", whole),
    "RETRAIN_EVERY_HOURS": ("retrain_trigger.every_seconds", hours_in_seconds),
    "CLUSTER_EVERY_EVENTS": ("cluster_trigger.every_events", whole),
    "CLUSTER_EVERY_HOURS": ("cluster_trigger.every_seconds", hours_in_seconds),
    "POPULARITY_WEIGHT_VIEW": ("popularity.view", whole),
    "POPULARITY_WEIGHT_CLICK": ("popularity.click", whole),
    "POPULARITY_WEIGHT_ADD_TO_CART": ("popularity.add_to_cart", whole),
    "POPULARITY_WEIGHT_ANONYMOUS": ("popularity.anonymous", number),
    "POPULARITY_WINDOW_MINUTES": ("popularity.window_seconds", minutes_in_seconds),
    "RETRAIN_MIN_INTERVAL_MINUTES": ("retrain_trigger.min_interval_seconds", minutes_in_seconds),
    "CLUSTER_MIN_INTERVAL_MINUTES": ("cluster_trigger.min_interval_seconds", minutes_in_seconds),
    # Events per client (user, or an anonymous visitor's address); separate from any search limit.
    "EVENT_RATE_LIMIT": ("event_limits.per_client", whole),
    "EVENT_RATE_WINDOW_SECONDS": ("event_limits.window_seconds", whole),
    "EVENT_GROUP_COMMIT": ("event_group_commit", flag),
    "EVENT_RETENTION_DAYS": ("archive.retention_days", number),
    "ARCHIVE_BATCH_SIZE": ("archive.batch_size", whole),
    "MAIL_OUTBOX_DIR": ("mail_outbox_dir", text),
    "SMTP_URL": ("smtp_url", smtp_url),
    "SMTP_TIMEOUT_SECONDS": ("smtp_timeout_seconds", at_least(1.0)),
    "MAIL_FROM": ("mail.sender", text),
    "MAIL_MAX_ATTEMPTS": ("mail.max_attempts", at_least_whole(1)),
    "MAIL_RETRY_MINUTES": ("mail.retry_seconds", minutes_in_seconds),
    "MAIL_RETRY_MAX_MINUTES": ("mail.max_retry_seconds", minutes_in_seconds),
    "PUBLIC_BASE_URL": ("public_base_url", web_url),
    "EMAIL_VERIFICATION_HOURS": ("account_tokens.verify_email", hours),
    "PASSWORD_RESET_MINUTES": ("account_tokens.password_reset", minutes),
    "UNVERIFIED_MAY_REVIEW": ("unverified_may_review", flag),
    "VERIFICATION_RESEND_LIMIT": ("login_limits.verification_resends", whole),
    "PASSWORD_RESET_RATE_LIMIT": ("login_limits.reset_per_email", whole),
    "PASSWORD_RESET_RATE_LIMIT_PER_ADDRESS": ("login_limits.reset_per_client", whole),
    "MAIL_RATE_WINDOW_SECONDS": ("login_limits.mail_window_seconds", whole),
    "WEBHOOK_TIMEOUT_SECONDS": ("webhooks.timeout_seconds", at_least(0.1)),
    "WEBHOOK_MAX_ATTEMPTS": ("webhooks.max_attempts", at_least_whole(1)),
    "WEBHOOK_RETRY_SECONDS": ("webhooks.retry_seconds", at_least(0.0)),
    "WEBHOOK_RETRY_MAX_MINUTES": ("webhooks.max_retry_seconds", minutes_in_seconds),
    "WEBHOOK_ALLOWED_HOSTS": ("webhooks.allowed_hosts", words),
    "WEBHOOK_CLAIM_SECONDS": ("webhook_claim_seconds", at_least(1.0)),
}


def _read(struct: Any, path: list[str]) -> Any:
    for name in path:
        struct = getattr(struct, name)
    return struct


def _with(struct: Any, changes: dict[str, Any]) -> Any:
    """One replace per struct, so a struct that checks itself sees all its new fields at once."""
    fields = {k: _with(getattr(struct, k), v) if isinstance(v, dict) else v for k, v in changes.items()}
    return msgspec.structs.replace(struct, **fields)


def _experiment(env: dict[str, str], default: Experiment) -> Experiment:
    arms = words("EXPERIMENT_ARMS", env.get("EXPERIMENT_ARMS", ""), default.arms)
    raw_split = words("EXPERIMENT_SPLIT", env.get("EXPERIMENT_SPLIT", ""), ())
    try:
        split = tuple(float(s) for s in raw_split) if raw_split else tuple(1.0 for _ in arms)
    except ValueError as exc:
        raise ValueError(f"EXPERIMENT_SPLIT must be comma-separated numbers, got {raw_split!r}") from exc
    return Experiment(salt=env.get("EXPERIMENT_SALT") or default.salt, arms=arms, split=split)


def _models_beside(database_url: str, default: str) -> str:
    """The file store's default: `models/` beside a SQLite file, so each shop keeps its own models."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return default
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return str(Path(url.database).parent / "models")
    return default


def load_settings(env: dict[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Environment variables win over `.env`; a bad value stops the start with the variable's name."""
    merged = {**read_dotenv(dotenv or Path(".env")), **(os.environ if env is None else env)}
    defaults = Settings()
    changes: dict[str, Any] = {}
    for name, (path, parse) in ENV.items():
        raw = merged.get(name, "")
        if raw == "":
            continue
        *parents, field = path.split(".")
        node = changes
        for parent in parents:
            node = node.setdefault(parent, {})
        node[field] = parse(name, raw, _read(defaults, path.split(".")))
    changes["experiment"] = _experiment(merged, defaults.experiment)
    if "models_dir" not in changes:
        database_url = changes.get("database_url", defaults.database_url)
        changes["models_dir"] = _models_beside(database_url, defaults.models_dir)
    settings: Settings = _with(defaults, changes)
    return settings


def unbounded_statements(settings: Settings) -> Settings:
    """For batch work (jobs in the worker, imports): statements may take as long as they need."""
    return msgspec.structs.replace(settings, database_statement_timeout_ms=0)
