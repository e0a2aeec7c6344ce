"""Settings from the environment, with a `.env` file in the working directory read first."""

import os
from datetime import timedelta
from pathlib import Path

import msgspec
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from application.events.archive import ArchiveConfig
from application.identity.rate_limit import RateLimits
from application.jobs.triggers import Trigger
from application.ranking.train import POSITION_BIAS_METHODS, TrainingConfig
from application.search.dto import SearchConfig
from application.shoppers.clusters import ClusteringConfig
from domain.events.model import PopularityWeights
from domain.experiments.assignment import Experiment
from domain.identity.model import SessionPolicy
from domain.ranking.formula import FormulaWeights
from domain.search.scoring import FieldWeights

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/ecomsearch.db"
DEFAULT_SECRET_KEY = "dev-only-secret-change-me"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    secret_key: str = DEFAULT_SECRET_KEY
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_origins: tuple[str, ...] = ()
    search: SearchConfig = SearchConfig()
    formula: FormulaWeights = FormulaWeights()
    fields: FieldWeights = FieldWeights()
    import_batch_size: int = 2000
    log_level: str = "INFO"
    bcrypt_rounds: int = 12
    sessions: SessionPolicy = SessionPolicy()
    session_cookie_secure: bool = False
    trust_forwarded_for: bool = False
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
    retrain_trigger: Trigger = Trigger(every_events=500, every_seconds=24 * 3600)
    cluster_trigger: Trigger = Trigger(every_events=200, every_seconds=6 * 3600)

    @property
    def model_store_kind(self) -> str:
        if self.model_store:
            return self.model_store
        return "files" if self.is_sqlite else "database"

    popularity: PopularityWeights = PopularityWeights()
    event_group_commit: bool = True
    archive: ArchiveConfig = ArchiveConfig()

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


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def _models_beside(database_url: str) -> str:
    """The file store's default: `models/` beside a SQLite file, so each shop keeps its own models."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return "./data/models"
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return str(Path(url.database).parent / "models")
    return "./data/models"


def _at_least(env: dict[str, str], name: str, default: float, least: float) -> float:
    value = _float(env, name, default)
    if not value >= least:  # also refuses nan
        raise ValueError(f"{name} must be at least {least:g}, got {env.get(name)!r}")
    return value


def _words(env: dict[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name, "")
    words = tuple(w.strip() for w in raw.split(",") if w.strip())
    return words or default


def _experiment(env: dict[str, str]) -> Experiment:
    default = Experiment()
    arms = _words(env, "EXPERIMENT_ARMS", default.arms)
    raw_split = _words(env, "EXPERIMENT_SPLIT", ())
    try:
        split = tuple(float(s) for s in raw_split) if raw_split else tuple(1.0 for _ in arms)
    except ValueError as exc:
        raise ValueError(f"EXPERIMENT_SPLIT must be comma-separated numbers, got {raw_split!r}") from exc
    return Experiment(salt=env.get("EXPERIMENT_SALT") or default.salt, arms=arms, split=split)


def _choice(env: dict[str, str], name: str, allowed: tuple[str, ...]) -> str:
    raw = env.get(name, "").strip().lower()
    if raw and raw not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def _flag(env: dict[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def load_settings(env: dict[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Environment variables win over `.env`; every ranking weight can be set (RANK_WEIGHT_*)."""
    merged = {**read_dotenv(dotenv or Path(".env")), **(os.environ if env is None else env)}
    formula = FormulaWeights()
    fields = FieldWeights()
    search = SearchConfig()
    origins = tuple(o.strip() for o in merged.get("ALLOWED_ORIGINS", "").split(",") if o.strip())
    return Settings(
        database_url=merged.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        redis_url=merged.get("REDIS_URL") or None,
        secret_key=merged.get("SECRET_KEY") or DEFAULT_SECRET_KEY,
        host=merged.get("ECOMSEARCH_HOST") or "127.0.0.1",
        port=int(merged.get("ECOMSEARCH_PORT") or 8000),
        allowed_origins=origins,
        search=SearchConfig(
            candidate_limit=int(_float(merged, "SEARCH_CANDIDATE_LIMIT", search.candidate_limit)),
            facet_size=int(_float(merged, "SEARCH_FACET_SIZE", search.facet_size)),
            exact_limit=int(_float(merged, "SEARCH_EXACT_LIMIT", search.exact_limit)),
            broad_share=_float(merged, "SEARCH_BROAD_SHARE", search.broad_share),
            result_ttl_seconds=_float(merged, "SEARCH_RESULT_TTL", search.result_ttl_seconds),
        ),
        formula=FormulaWeights(
            text=_float(merged, "RANK_WEIGHT_TEXT", formula.text),
            popularity=_float(merged, "RANK_WEIGHT_POPULARITY", formula.popularity),
            rating=_float(merged, "RANK_WEIGHT_RATING", formula.rating),
            prior_mean=_float(merged, "RANK_RATING_PRIOR_MEAN", formula.prior_mean),
            prior_count=_float(merged, "RANK_RATING_PRIOR_COUNT", formula.prior_count),
        ),
        fields=FieldWeights(
            title=_float(merged, "BM25_WEIGHT_TITLE", fields.title),
            meta=_float(merged, "BM25_WEIGHT_META", fields.meta),
            body=_float(merged, "BM25_WEIGHT_BODY", fields.body),
            k1=_float(merged, "BM25_K1", fields.k1),
            b=_float(merged, "BM25_B", fields.b),
        ),
        import_batch_size=int(_float(merged, "IMPORT_BATCH_SIZE", 2000)),
        log_level=merged.get("LOG_LEVEL", "INFO"),
        bcrypt_rounds=int(_float(merged, "BCRYPT_ROUNDS", 12)),
        sessions=SessionPolicy(
            idle=timedelta(minutes=_float(merged, "SESSION_IDLE_MINUTES", 60 * 24 * 7)),
            absolute=timedelta(days=_float(merged, "SESSION_ABSOLUTE_DAYS", 30)),
        ),
        session_cookie_secure=_flag(merged, "SESSION_COOKIE_SECURE"),
        trust_forwarded_for=_flag(merged, "TRUST_FORWARDED_FOR"),
        login_limits=RateLimits(
            per_account_address=int(_float(merged, "LOGIN_RATE_LIMIT", 5)),
            per_address=int(_float(merged, "LOGIN_RATE_LIMIT_PER_ADDRESS", 50)),
            window_seconds=int(_float(merged, "LOGIN_RATE_WINDOW_SECONDS", 900)),
        ),
        experiment=_experiment(merged),
        common_passwords_file=merged.get("COMMON_PASSWORDS_FILE") or None,
        model_store=_choice(merged, "MODEL_STORE", ("files", "database")),
        models_dir=merged.get("MODELS_DIR")
        or _models_beside(merged.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        model_refresh_seconds=_float(merged, "MODEL_REFRESH_SECONDS", 30.0),
        training=TrainingConfig(
            window_days=_float(merged, "TRAIN_WINDOW_DAYS", 30.0),
            holdout_days=_float(merged, "TRAIN_HOLDOUT_DAYS", 3.0),
            min_impressions=int(_float(merged, "TRAIN_MIN_IMPRESSIONS", 200)),
            tolerance=_float(merged, "TRAIN_PROMOTION_TOLERANCE", 0.0),
            max_weight=_at_least(merged, "TRAIN_MAX_WEIGHT", 3.0, 1.0),
            position_bias=_choice(merged, "TRAIN_POSITION_BIAS", POSITION_BIAS_METHODS)
            or TrainingConfig().position_bias,
        ),
        retrain_trigger=Trigger(
            every_events=int(_float(merged, "RETRAIN_EVERY_EVENTS", 500)),
            every_seconds=_float(merged, "RETRAIN_EVERY_HOURS", 24) * 3600,
        ),
        cluster_trigger=Trigger(
            every_events=int(_float(merged, "CLUSTER_EVERY_EVENTS", 200)),
            every_seconds=_float(merged, "CLUSTER_EVERY_HOURS", 6) * 3600,
        ),
        popularity=PopularityWeights(
            view=int(_float(merged, "POPULARITY_WEIGHT_VIEW", 0)),
            click=int(_float(merged, "POPULARITY_WEIGHT_CLICK", 1)),
            add_to_cart=int(_float(merged, "POPULARITY_WEIGHT_ADD_TO_CART", 3)),
        ),
        event_group_commit=merged.get("EVENT_GROUP_COMMIT", "true").strip().lower()
        not in {"0", "false", "no", "off"},
        archive=ArchiveConfig(
            retention_days=_float(merged, "EVENT_RETENTION_DAYS", 180.0),
            batch_size=int(_float(merged, "ARCHIVE_BATCH_SIZE", 5000)),
        ),
    )
