"""Alembic environment: the URL comes from the application's settings (or `-x url=...`)."""

import asyncio
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from adapters.sql import tables  # noqa: F401  (registers every table on the metadata)
from adapters.sql.engine import make_engine
from adapters.sql.tables import metadata
from entrypoints.settings import load_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# Objects that only one database has, created by guarded migration code, not by the metadata.
DIALECT_ONLY_TABLES = ("products_fts", "search_words_fts")
DIALECT_ONLY_COLUMNS = {"search_vector"}
DIALECT_ONLY_INDEXES = {"ix_products_search_vector", "ix_search_words_word_trgm"}


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and name and name.startswith(DIALECT_ONLY_TABLES):
        return False
    if type_ == "column" and name in DIALECT_ONLY_COLUMNS:
        return False
    return not (type_ == "index" and name in DIALECT_ONLY_INDEXES)


def database_url() -> str:
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    return str(url or load_settings().database_url)


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = make_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
        await connection.commit()
    await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(), target_metadata=metadata, literal_binds=True, include_object=include_object
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())
