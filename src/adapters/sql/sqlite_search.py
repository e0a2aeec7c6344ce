"""SqliteFtsSearch: matching through the FTS5 table `products_fts` over the analysed columns."""

from typing import Any

import sqlalchemy as sa

from adapters.sql.search_base import CANDIDATE_COLUMNS, SqlSearchIndex
from adapters.sql.tables import products
from domain.search.model import MatchSpec, Phrase

fts = sa.table("products_fts", sa.column("rowid"), sa.column("products_fts"))


def _phrase(phrase: Phrase) -> str:
    # Stems are [a-z0-9]+ only, so quoting them is enough to keep FTS5 syntax out.
    return '"' + " ".join(phrase) + '"'


def fts_positive(match: MatchSpec) -> str | None:
    parts = ["(" + " OR ".join(_phrase(p) for p in clause) + ")" for clause in match.clauses if clause]
    if match.mode == "all_but_one":
        parts = [
            "(" + " AND ".join(parts[:i] + parts[i + 1 :]) + ")" for i in range(len(parts)) if len(parts) > 1
        ]
    joiner = " AND " if match.mode == "all" else " OR "
    expression = joiner.join(parts)
    if match.prefixes:
        prefixes = "(" + " OR ".join(f'"{p}"*' for p in match.prefixes) + ")"
        expression = f"({expression}) AND {prefixes}" if expression else prefixes
    return expression or None


def fts_excluded(match: MatchSpec) -> str | None:
    return " OR ".join(_phrase(p) for p in match.excluded) if match.excluded else None


def _rowids(expression: str) -> sa.Select[Any]:
    return sa.select(fts.c.rowid).where(_match(expression))


def _match(expression: str) -> sa.TextClause:
    # unique: a statement may hold several MATCH expressions (wanted and excluded words).
    return sa.text("products_fts MATCH :m").bindparams(sa.bindparam("m", expression, unique=True))


class SqliteFtsSearch(SqlSearchIndex):
    def match_condition(self, match: MatchSpec) -> sa.ColumnElement[bool] | None:
        positive, excluded = fts_positive(match), fts_excluded(match)
        conditions = []
        if positive:
            conditions.append(products.c.id.in_(_rowids(positive).scalar_subquery()))
        if excluded:
            conditions.append(products.c.id.not_in(_rowids(excluded).scalar_subquery()))
        return sa.and_(*conditions) if conditions else None

    def candidates_statement(
        self, match: MatchSpec, where: list[sa.ColumnElement[bool]], limit: int, broad: bool
    ) -> sa.Select[Any]:
        positive, excluded = fts_positive(match) or "", fts_excluded(match)
        expression = positive if not excluded else f"({positive}) NOT ({excluded})"
        if broad:
            # Ranking every match of a word that most products have costs more than it tells.
            return (
                sa.select(*CANDIDATE_COLUMNS)
                .where(products.c.id.in_(_rowids(expression).scalar_subquery()), *where)
                .order_by(products.c.popularity.desc())
                .limit(limit)
            )
        # bm25() weights the three columns: title, brand and category, description.
        return (
            sa.select(*CANDIDATE_COLUMNS)
            .select_from(fts.join(products, products.c.id == fts.c.rowid))
            .where(_match(expression), *where)
            .order_by(
                sa.text("bm25(products_fts, 3.0, 1.5, 1.0)"), products.c.popularity.desc(), products.c.id
            )
            .limit(limit)
        )
