"""PostgresTsvectorSearch: matching through the weighted `search_vector` tsvector and its GIN index."""

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.product_repository import to_product
from adapters.sql.search_base import CANDIDATE_COLUMNS, SqlSearchIndex
from adapters.sql.tables import products
from domain.catalog.model import Product
from domain.search.model import MatchSpec, Phrase, SearchFilters

search_vector: sa.ColumnClause[Any] = sa.literal_column("products.search_vector")
# ts_rank's weights for D, C, B, A: description (C) counts least, title (A) most.
_RANK_WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"


def _phrase(phrase: Phrase) -> str:
    return "(" + " <-> ".join(phrase) + ")"


def tsquery_text(match: MatchSpec) -> str | None:
    parts = ["(" + " | ".join(_phrase(p) for p in clause) + ")" for clause in match.clauses if clause]
    if match.mode == "all_but_one":
        # One conjunction per clause left out; GIN reads each word's posting list once all the same.
        parts = [
            "(" + " & ".join(parts[:i] + parts[i + 1 :]) + ")" for i in range(len(parts)) if len(parts) > 1
        ]
    expression = (" & " if match.mode == "all" else " | ").join(parts)
    if match.prefixes:
        prefixes = "(" + " | ".join(f"{p}:*" for p in match.prefixes) + ")"
        expression = f"({expression}) & {prefixes}" if expression else prefixes
    if match.excluded:
        negated = "!(" + " | ".join(_phrase(p) for p in match.excluded) + ")"
        expression = f"({expression}) & {negated}" if expression else negated
    return expression or None


def _query(expression: str) -> sa.ColumnElement[Any]:
    return sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), expression)


class PostgresTsvectorSearch(SqlSearchIndex):
    def match_condition(self, match: MatchSpec) -> sa.ColumnElement[bool] | None:
        expression = tsquery_text(match)
        if expression is None:
            return None
        return search_vector.op("@@")(_query(expression))

    async def prepare_broad(self, session: AsyncSession) -> None:
        # A word most products have: walk the popularity or sort index and test each row, which
        # stops after a page, instead of collecting every match in a bitmap and sorting them.
        await session.execute(sa.text("SET LOCAL enable_bitmapscan = off"))

    async def estimate_count(self, match: MatchSpec, filters: SearchFilters) -> int:
        """The planner's row estimate: counting a large share of a big catalog would take seconds."""
        stmt = sa.select(sa.literal(1)).select_from(products).where(*self._where(match, filters))
        dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
        sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        async with self._sessions() as session:
            plan = (await session.execute(sa.text("EXPLAIN (FORMAT JSON) " + sql))).scalar_one()
        document = json.loads(plan) if isinstance(plan, str) else plan
        return int(document[0]["Plan"]["Plan Rows"])

    async def popular(self, match: MatchSpec, limit: int, within: int) -> list[Product]:
        expression = tsquery_text(match)
        if expression is None:
            return await super().popular(match, limit, within)
        # Test each of the most popular rows rather than collect every match of a short prefix.
        top = (
            sa.select(products.c.id, search_vector.label("vector"), products.c.popularity)
            .order_by(products.c.popularity.desc(), products.c.id)
            .limit(within)
            .subquery()
        )
        ids = sa.select(top.c.id).where(top.c.vector.op("@@")(_query(expression))).limit(limit)
        async with self._sessions() as session:
            wanted = [row.id for row in await session.execute(ids)]
            if not wanted:
                return []
            rows = await session.execute(sa.select(products).where(products.c.id.in_(wanted)))
            found = {r.id: to_product(r) for r in rows}
        return [found[i] for i in wanted if i in found]

    def candidates_statement(
        self, match: MatchSpec, where: list[sa.ColumnElement[bool]], limit: int, broad: bool
    ) -> sa.Select[Any]:
        expression = tsquery_text(match) or ""
        if broad:
            return (
                sa.select(*CANDIDATE_COLUMNS)
                .where(search_vector.op("@@")(_query(expression)), *where)
                .order_by(products.c.popularity.desc())
                .limit(limit)
            )
        rank = sa.func.ts_rank(
            sa.literal_column(f"'{_RANK_WEIGHTS}'::float4[]"), search_vector, _query(expression)
        )
        return (
            sa.select(*CANDIDATE_COLUMNS)
            .where(search_vector.op("@@")(_query(expression)), *where)
            .order_by(rank.desc(), products.c.popularity.desc(), products.c.id)
            .limit(limit)
        )
