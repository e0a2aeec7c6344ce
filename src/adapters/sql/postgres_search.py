"""PostgresTsvectorSearch: matching through the weighted `search_vector` tsvector and its GIN index."""

from typing import Any

import sqlalchemy as sa

from adapters.sql.search_base import SqlSearchIndex
from adapters.sql.tables import products
from domain.search.model import MatchSpec, Phrase

search_vector: sa.ColumnClause[Any] = sa.literal_column("products.search_vector")
# ts_rank's weights for D, C, B, A: description (C) counts least, title (A) most.
_RANK_WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"


def _phrase(phrase: Phrase) -> str:
    return "(" + " <-> ".join(phrase) + ")"


def tsquery_text(match: MatchSpec) -> str | None:
    parts = ["(" + " | ".join(_phrase(p) for p in clause) + ")" for clause in match.clauses if clause]
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

    def candidates_statement(
        self, match: MatchSpec, where: list[sa.ColumnElement[bool]], limit: int
    ) -> sa.Select[Any]:
        expression = tsquery_text(match) or ""
        rank = sa.func.ts_rank(
            sa.literal_column(f"'{_RANK_WEIGHTS}'::float4[]"), search_vector, _query(expression)
        )
        return (
            sa.select(products)
            .where(search_vector.op("@@")(_query(expression)), *where)
            .order_by(rank.desc(), products.c.popularity.desc())
            .limit(limit)
        )
