"""The SQL shared by both full-text adapters; each dialect supplies only its match expression."""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.product_repository import to_product
from adapters.sql.tables import product_attributes, products, search_stats, search_terms
from domain.catalog.model import Product
from domain.search.attribute_facets import AttributeCount
from domain.search.attributes import AttributeFilter, as_number
from domain.search.model import (
    Candidate,
    GroupCount,
    IndexStats,
    MatchCounts,
    MatchSpec,
    SearchFilters,
)
from domain.search.sorting import SortKey

_ORDERS: dict[SortKey, tuple[Any, ...]] = {
    "relevance": (products.c.popularity.desc(), products.c.rating.desc()),
    "popularity": (products.c.popularity.desc(),),
    "price_asc": (products.c.price.asc(),),
    "price_desc": (products.c.price.desc(),),
    "rating": (products.c.rating.desc(), products.c.review_count.desc()),
    "newest": (products.c.created_at.desc(),),
}


# What scoring, ranking and sorting read of a candidate: never the description or attributes,
# which would be most of the bytes read and decoded for the few products a page shows.
CANDIDATE_COLUMNS = (
    products.c.id, products.c.sku, products.c.category, products.c.brand, products.c.price,
    products.c.rating, products.c.review_count, products.c.popularity, products.c.created_at,
    products.c.search_title, products.c.search_meta, products.c.search_body,
)  # fmt: skip


def to_candidate(row: Sequence[Any]) -> Candidate:
    """A row of `CANDIDATE_COLUMNS`; the types are what `to_product` would convert them to."""
    id_, sku, category, brand, price, rating, reviews, popularity, created_at, title, meta, body = row
    product = Product(
        sku=sku,
        title="",
        price=float(price),
        category=category,
        brand=brand,
        rating=float(rating),
        review_count=int(reviews),
        popularity=float(popularity),
        created_at=created_at,
    )
    return Candidate(id=id_, product=product, title_terms=title, meta_terms=meta, body_terms=body)


def filter_conditions(filters: SearchFilters) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.category is not None:
        conditions.append(products.c.category == filters.category)
    if filters.brand is not None:
        conditions.append(products.c.brand == filters.brand)
    if filters.min_price is not None:
        conditions.append(products.c.price >= filters.min_price)
    if filters.max_price is not None:
        conditions.append(products.c.price <= filters.max_price)
    if filters.min_rating is not None:
        conditions.append(products.c.rating >= filters.min_rating)
    conditions.extend(attribute_condition(f) for f in filters.attributes)
    return conditions


def attribute_condition(wanted: AttributeFilter) -> sa.ColumnElement[bool]:
    """The products with one of the asked values of the attribute: a semi-join on its index."""
    a = product_attributes
    either: list[sa.ColumnElement[bool]] = []
    if wanted.values:
        either.append(a.c.value.in_(wanted.values))
    numbers = sorted({n for n in map(as_number, wanted.values) if n is not None})
    if numbers:
        either.append(a.c.number.in_(numbers))
    for r in wanted.ranges:
        bounds = [a.c.number >= r.lo] if r.lo is not None else []
        bounds += [a.c.number < r.hi] if r.hi is not None else [a.c.number.is_not(None)]
        either.append(sa.and_(*bounds))
    having = sa.select(a.c.product_id).where(a.c.name == wanted.name, sa.or_(*either))
    return products.c.id.in_(having)


class SqlSearchIndex(ABC):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @abstractmethod
    def match_condition(self, match: MatchSpec) -> sa.ColumnElement[bool] | None:
        """A condition on `products` that holds for the matching rows (None: every row)."""

    @abstractmethod
    def candidates_statement(
        self, match: MatchSpec, where: list[sa.ColumnElement[bool]], limit: int, broad: bool
    ) -> sa.Select[Any]:
        """`CANDIDATE_COLUMNS` of matching products, best first by the index's cheap rank."""

    async def prepare_broad(self, session: AsyncSession) -> None:  # noqa: B027 - optional hook
        """Adjust the session for a query whose matches are a large share of the catalog."""

    def _where(self, match: MatchSpec, filters: SearchFilters) -> list[sa.ColumnElement[bool]]:
        condition = self.match_condition(match)
        return filter_conditions(filters) + ([condition] if condition is not None else [])

    async def count(self, match: MatchSpec, filters: SearchFilters) -> MatchCounts:
        # One grouped pass over the matches: a few hundred (category, brand) groups at most, so
        # the total, both facets and the price range are exact without reading the rows out.
        price = products.c.price
        stmt = (
            sa.select(
                products.c.category, products.c.brand, sa.func.count(), sa.func.min(price), sa.func.max(price)
            )
            .where(*self._where(match, filters))
            .group_by(products.c.category, products.c.brand)
        )
        async with self._sessions() as session:
            rows = await session.execute(stmt)
            return MatchCounts(
                groups=[GroupCount(r[0], r[1], int(r[2]), float(r[3]), float(r[4])) for r in rows]
            )

    async def count_attributes(
        self, match: MatchSpec, filters: SearchFilters, names: Sequence[str]
    ) -> list[AttributeCount]:
        # Grouped by value over the (name, value) index joined to the matches: as many rows as
        # the attributes have values, never one a product.
        a = product_attributes
        if not names:
            return []
        where = self._where(match, filters)
        # Nothing to narrow by (the whole catalog): the attribute index alone answers.
        source = a.join(products, products.c.id == a.c.product_id) if where else a
        stmt = (
            sa.select(a.c.name, a.c.value, sa.func.min(a.c.number), sa.func.count())
            .select_from(source)
            .where(a.c.name.in_(sorted(set(names))), *where)
            .group_by(a.c.name, a.c.value)
        )
        async with self._sessions() as session:
            rows = await session.execute(stmt)
            return [
                AttributeCount(r[0], r[1], None if r[2] is None else float(r[2]), int(r[3])) for r in rows
            ]

    async def exists(self, match: MatchSpec, filters: SearchFilters) -> bool:
        stmt = sa.select(products.c.id).where(*self._where(match, filters)).limit(1)
        async with self._sessions() as session:
            return (await session.execute(stmt)).first() is not None

    async def estimate_count(self, match: MatchSpec, filters: SearchFilters) -> int:
        stmt = sa.select(sa.func.count()).select_from(products).where(*self._where(match, filters))
        async with self._sessions() as session:
            return int((await session.execute(stmt)).scalar_one())

    async def candidates(
        self, match: MatchSpec, filters: SearchFilters, limit: int, broad: bool = False
    ) -> list[Candidate]:
        stmt = self.candidates_statement(match, filter_conditions(filters), limit, broad)
        async with self._sessions.begin() as session:
            if broad:
                await self.prepare_broad(session)
            return list(map(to_candidate, (await session.execute(stmt)).tuples()))

    async def browse(self, match: MatchSpec, filters: SearchFilters, limit: int) -> list[Candidate]:
        stmt = (
            sa.select(*CANDIDATE_COLUMNS)
            .where(*self._where(match, filters))
            .order_by(*_ORDERS["relevance"], products.c.sku)
            .limit(limit)
        )
        async with self._sessions() as session:
            return list(map(to_candidate, (await session.execute(stmt)).tuples()))

    async def products(self, ids: Sequence[int]) -> list[Product]:
        if not ids:
            return []
        async with self._sessions() as session:
            rows = await session.execute(sa.select(products).where(products.c.id.in_(list(ids))))
            found = {r.id: to_product(r) for r in rows}
        return [found[i] for i in ids if i in found]

    async def page(
        self,
        match: MatchSpec,
        filters: SearchFilters,
        sort: SortKey,
        offset: int,
        limit: int,
        broad: bool = False,
    ) -> list[Product]:
        stmt = (
            sa.select(products)
            .where(*self._where(match, filters))
            .order_by(*_ORDERS[sort], products.c.sku)
            .offset(offset)
            .limit(limit)
        )
        async with self._sessions.begin() as session:
            if broad:
                await self.prepare_broad(session)
            return [to_product(r) for r in await session.execute(stmt)]

    async def popular(self, match: MatchSpec, limit: int, within: int) -> list[Product]:
        top = (
            sa.select(products.c.id)
            .order_by(products.c.popularity.desc(), products.c.id)
            .limit(within)
            .scalar_subquery()
        )
        condition = self.match_condition(match)
        stmt = (
            sa.select(products)
            .where(products.c.id.in_(top), *([condition] if condition is not None else []))
            .order_by(products.c.popularity.desc(), products.c.id)
            .limit(limit)
        )
        async with self._sessions() as session:
            return [to_product(r) for r in await session.execute(stmt)]

    async def stats(self) -> IndexStats:
        async with self._sessions() as session:
            row = (await session.execute(sa.select(search_stats).where(search_stats.c.id == 1))).first()
        if row is None or row.doc_count <= 0:
            return IndexStats(doc_count=0, avg_title=1.0, avg_meta=1.0, avg_body=1.0)
        n = row.doc_count
        return IndexStats(
            doc_count=n,
            avg_title=max(row.title_len / n, 1.0),
            avg_meta=max(row.meta_len / n, 1.0),
            avg_body=max(row.body_len / n, 1.0),
        )

    async def document_frequencies(self, stems: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(stems))
        if not wanted:
            return {}
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(search_terms.c.term, search_terms.c.df).where(search_terms.c.term.in_(wanted))
            )
            return {r.term: int(r.df) for r in rows}
