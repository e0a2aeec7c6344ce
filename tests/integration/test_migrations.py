"""One Alembic history for both databases: upgrade, downgrade, upgrade again, and no drift."""

import asyncio

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from adapters.sql.engine import make_engine
from entrypoints.cli.db import alembic_config


async def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda c: set(sa.inspect(c).get_table_names()))
    await engine.dispose()
    return names


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_upgrade_downgrade_upgrade_every_revision(kind: str, make_database) -> None:
    url = await make_database(kind)  # already at head
    config = alembic_config(url)
    revisions = [r.revision for r in ScriptDirectory.from_config(config).walk_revisions()]
    assert revisions
    await asyncio.to_thread(command.downgrade, config, "base")
    assert await table_names(url) <= {"alembic_version"}
    for revision in reversed(revisions):  # one step at a time, oldest first
        await asyncio.to_thread(command.upgrade, config, revision)
    for _ in revisions:
        await asyncio.to_thread(command.downgrade, config, "-1")
    await asyncio.to_thread(command.upgrade, config, "head")
    names = await table_names(url)
    assert {"products", "search_terms", "search_words", "search_stats"} <= names
    assert {"cart_items", "cart_events", "reviews", "product_views"} <= names
    if kind == "sqlite":
        assert {"products_fts", "search_words_fts"} <= names


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_models_and_migrations_do_not_drift(kind: str, make_database) -> None:
    url = await make_database(kind)
    try:
        await asyncio.to_thread(command.check, alembic_config(url))
    except CommandError as exc:  # pragma: no cover - the failure message is the diff
        pytest.fail(f"alembic check found drift: {exc}")


async def test_postgres_has_weighted_tsvector_gin_and_extensions(make_database) -> None:
    url = await make_database("postgresql")
    engine = make_engine(url)
    async with engine.connect() as connection:
        extensions = set((await connection.execute(sa.text("SELECT extname FROM pg_extension"))).scalars())
        indexes = {
            row.indexname: row.indexdef
            for row in await connection.execute(sa.text("SELECT indexname, indexdef FROM pg_indexes"))
        }
        vector = (
            await connection.execute(
                sa.text(
                    "SELECT setweight(to_tsvector('simple', 'x'), 'A')::text, "
                    "(SELECT generation_expression FROM information_schema.columns "
                    " WHERE table_name = 'products' AND column_name = 'search_vector')"
                )
            )
        ).one()
    await engine.dispose()
    assert {"pg_trgm", "unaccent"} <= extensions
    assert "gin" in indexes["ix_products_search_vector"].lower()
    assert "gin_trgm_ops" in indexes["ix_search_words_word_trgm"]
    assert all(f"'{w}'" in vector[1] for w in "ABC")
