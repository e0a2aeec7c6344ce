"""Engines and sessions for SQLite (the zero-setup default) and PostgreSQL."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def database_kind(url: str) -> str:
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    if scheme in ("postgresql", "postgres"):
        return "postgresql"
    if scheme == "sqlite":
        return "sqlite"
    raise ValueError(f"unsupported DATABASE_URL scheme {scheme!r}: use postgresql:// or sqlite:///")


def async_url(url: str) -> str:
    """Accept plain `postgresql://` and `sqlite:///` URLs and name the async drivers."""
    scheme, rest = url.split(":", 1)
    kind = database_kind(url)
    if kind == "postgresql" and "+" not in scheme:
        return "postgresql+asyncpg:" + rest
    if kind == "sqlite" and "+" not in scheme:
        return "sqlite+aiosqlite:" + rest
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, *, pool_size: int = 10, statement_timeout_ms: int = 0) -> AsyncEngine:
    """`statement_timeout_ms` (PostgreSQL; 0: none) cancels a statement that runs longer."""
    full = async_url(url)
    if database_kind(full) == "sqlite":
        engine = create_async_engine(full, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # asyncpg prepares every statement; after five runs PostgreSQL may switch to a generic plan
    # that cannot see how selective a tsquery is, and picks a plan ten times slower. Always
    # plan with the actual values.
    # No pre-ping: it costs a round trip on every checkout (several per search). A connection
    # found dead fails its request with a 503 and invalidates the pool, so after a database
    # restart one request per process is refused and the next ones reconnect.
    server_settings = {"plan_cache_mode": "force_custom_plan"}
    if statement_timeout_ms > 0:
        server_settings["statement_timeout"] = str(statement_timeout_ms)
    return create_async_engine(
        full,
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={"server_settings": server_settings},
    )


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def insert_for(dialect_name: str) -> Any:
    """The dialect's INSERT construct, which knows ON CONFLICT."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert
