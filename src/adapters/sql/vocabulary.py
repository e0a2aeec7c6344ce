"""The catalog's vocabulary for spelling correction and completion: SQLite (FTS5 trigram) and PostgreSQL (pg_trgm)."""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.tables import search_words
from domain.search.model import WordCount


def _next_prefix(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class SqlVocabularyBase:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def known(self, words: Iterable[str]) -> set[str]:
        wanted = sorted(set(words))
        if not wanted:
            return set()
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(search_words.c.word).where(
                    search_words.c.word.in_(wanted), search_words.c.doc_count > 0
                )
            )
            return {r.word for r in rows}

    async def complete(self, prefix: str, limit: int) -> list[WordCount]:
        if not prefix:
            return []
        # A range on the primary key instead of LIKE: index-backed on both databases.
        stmt = (
            sa.select(search_words.c.word, search_words.c.title_count)
            .where(
                search_words.c.word >= prefix,
                search_words.c.word < _next_prefix(prefix),
                search_words.c.title_count > 0,
            )
            .order_by(search_words.c.title_count.desc(), search_words.c.word)
            .limit(limit)
        )
        async with self._sessions() as session:
            return [WordCount(word=r.word, count=int(r.title_count)) for r in await session.execute(stmt)]


class SqliteVocabulary(SqlVocabularyBase):
    async def similar(self, word: str, limit: int) -> list[WordCount]:
        grams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        if not grams:
            return []
        expression = " OR ".join(f'"{g}"' for g in grams)
        stmt = sa.text(
            "SELECT w.word, w.doc_count FROM search_words_fts f JOIN search_words w ON w.rowid = f.rowid "
            "WHERE search_words_fts MATCH :m AND length(w.word) BETWEEN :lo AND :hi AND w.doc_count > 0 "
            "ORDER BY f.rank LIMIT :n"
        )
        async with self._sessions() as session:
            rows = await session.execute(
                stmt, {"m": expression, "lo": len(word) - 2, "hi": len(word) + 2, "n": limit}
            )
            return [WordCount(word=r[0], count=int(r[1])) for r in rows]


class PostgresVocabulary(SqlVocabularyBase):
    async def similar(self, word: str, limit: int) -> list[WordCount]:
        stmt = sa.text(
            "SELECT word, doc_count FROM search_words "
            "WHERE word % :w AND length(word) BETWEEN :lo AND :hi AND doc_count > 0 "
            "ORDER BY similarity(word, :w) DESC, doc_count DESC LIMIT :n"
        )
        async with self._sessions.begin() as session:
            # Lower than pg_trgm's default 0.3, so one typo in a short word still finds it.
            await session.execute(sa.text("SET LOCAL pg_trgm.similarity_threshold = 0.2"))
            rows = await session.execute(
                stmt, {"w": word, "lo": len(word) - 2, "hi": len(word) + 2, "n": limit}
            )
            return [WordCount(word=r[0], count=int(r[1])) for r in rows]
