"""What the database needs after a bulk load before it searches at full speed.

Straight after an import PostgreSQL has no statistics on the new rows (its planner then picked
the vocabulary's trigram index for exact word lookups, 20 ms instead of 0.05 ms) and both GIN
indexes hold the new entries in an unsorted pending list that every search scans. Autovacuum
fixes both in its own time; a search in the meantime paid twice (about 55 ms instead of 32 ms
for a one-word query at 100,000 products). SQLite gets fresh planner statistics the same way.
"""

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

_GIN_INDEXES = ("ix_products_search_vector", "ix_search_words_word_trgm")
_TABLES = ("products", "search_terms", "search_words", "product_attributes")


async def settle_after_bulk_load(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            for index in _GIN_INDEXES:
                await session.execute(sa.text(f"SELECT gin_clean_pending_list('{index}'::regclass)"))
            await session.execute(sa.text("ANALYZE " + ", ".join(_TABLES)))
        else:
            for table in _TABLES:
                await session.execute(sa.text(f"ANALYZE {table}"))
