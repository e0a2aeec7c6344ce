"""SqlProductRepository: products in SQLite or PostgreSQL, with the search statistics kept in step."""

from collections.abc import AsyncIterator, Collection, Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.bulk_maintenance import settle_after_bulk_load
from adapters.sql.engine import insert_for
from adapters.sql.indexing import Analysed, StatsDelta, analyse, analyse_product
from adapters.sql.tables import ProductRecord, products, search_stats, search_terms, search_words
from domain.catalog.model import CategoryCount, Product, UpsertReport
from domain.reviews.rules import blended_rating

PRODUCT_COLUMNS = (
    "sku", "title", "description", "category", "brand", "price", "rating", "review_count",
    "popularity", "image_url", "created_at", "attributes",
)  # fmt: skip


class ProductRecordRepository(SQLAlchemyAsyncRepository[ProductRecord]):
    model_type = ProductRecord


def to_product(row: Any) -> Product:
    return msgspec.convert({c: getattr(row, c) for c in PRODUCT_COLUMNS}, Product)


def product_values(
    product: Product, doc: Analysed, now: datetime, user_sum: int = 0, user_count: int = 0
) -> dict[str, Any]:
    """A row to write; the product's rating and review count are the catalog's own figures."""
    return {
        **{c: getattr(product, c) for c in PRODUCT_COLUMNS},
        "imported_rating": product.rating,
        "imported_review_count": product.review_count,
        "rating": blended_rating(product.rating, product.review_count, user_sum, user_count),
        "review_count": product.review_count + user_count,
        "updated_at": now,
        "search_title": " ".join(doc.title),
        "search_meta": " ".join(doc.meta),
        "search_body": " ".join(doc.body),
    }


def same_catalog_fields(row: Any, product: Product) -> bool:
    """Whether the stored row already holds exactly this product's catalog figures."""
    stored = to_product(row)
    return (
        msgspec.structs.replace(stored, rating=row.imported_rating, review_count=row.imported_review_count)
        == product
    )


Statement = tuple[sa.Executable, list[dict[str, Any]] | None]


def stats_statements(dialect_name: str, delta: StatsDelta) -> list[Statement]:
    """The statements that add a batch's changes to the term, word and corpus counters."""
    insert = insert_for(dialect_name)
    out: list[Statement] = []
    df = sorted((t, n) for t, n in delta.df.items() if n)
    if df:
        stmt = insert(search_terms)
        out.append(
            (
                stmt.on_conflict_do_update(
                    index_elements=["term"], set_={"df": search_terms.c.df + stmt.excluded.df}
                ),
                [{"term": t, "df": n} for t, n in df],
            )
        )
        out.append(
            (
                sa.delete(search_terms).where(
                    search_terms.c.term.in_([t for t, n in df if n < 0]), search_terms.c.df <= 0
                ),
                None,
            )
        )
    keys = sorted(set(delta.doc_words) | set(delta.title_words))
    rows: list[dict[str, Any]] = [
        {"word": w, "doc_count": delta.doc_words[w], "title_count": delta.title_words[w]}
        for w in keys
        if delta.doc_words[w] or delta.title_words[w]
    ]
    if rows:
        stmt = insert(search_words)
        out.append(
            (
                stmt.on_conflict_do_update(
                    index_elements=["word"],
                    set_={
                        "doc_count": search_words.c.doc_count + stmt.excluded.doc_count,
                        "title_count": search_words.c.title_count + stmt.excluded.title_count,
                    },
                ),
                rows,
            )
        )
        shrunk = [r["word"] for r in rows if r["doc_count"] < 0]
        if shrunk:
            out.append(
                (
                    sa.delete(search_words).where(
                        search_words.c.word.in_(shrunk), search_words.c.doc_count <= 0
                    ),
                    None,
                )
            )
    if delta.doc_count or delta.title_len or delta.meta_len or delta.body_len:
        stmt = insert(search_stats).values(
            id=1,
            doc_count=delta.doc_count,
            title_len=delta.title_len,
            meta_len=delta.meta_len,
            body_len=delta.body_len,
        )
        out.append(
            (
                stmt.on_conflict_do_update(
                    index_elements=["id"],
                    set_={
                        name: getattr(search_stats.c, name) + getattr(stmt.excluded, name)
                        for name in ("doc_count", "title_len", "meta_len", "body_len")
                    },
                ),
                None,
            )
        )
    return out


async def apply_stats(session: AsyncSession, delta: StatsDelta) -> None:
    """Add a batch's changes to the term, word and corpus counters, atomically in the database."""
    for statement, params in stats_statements(session.get_bind().dialect.name, delta):
        await session.execute(statement, params)


class SqlProductRepository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, sku: str) -> Product | None:
        async with self._sessions() as session:
            record = await ProductRecordRepository(session=session).get_one_or_none(sku=sku)
            if record is None:
                return None
            return msgspec.structs.replace(
                to_product(record),
                imported_rating=record.imported_rating,
                imported_review_count=record.imported_review_count,
            )

    async def get_many(self, skus: Sequence[str]) -> dict[str, Product]:
        if not skus:
            return {}
        async with self._sessions() as session:
            rows = await session.execute(sa.select(products).where(products.c.sku.in_(list(skus))))
            return {row.sku: to_product(row) for row in rows}

    async def upsert_many(
        self, items: Sequence[Product], keep_created_at: Collection[str] = ()
    ) -> UpsertReport:
        # The last row wins when a batch names a sku twice, as it would across batches.
        latest = {p.sku: p for p in items}
        if not latest:
            return UpsertReport(inserted=0, updated=0)
        now = datetime.now(UTC)
        async with self._sessions.begin() as session:
            old_rows = await session.execute(
                sa.select(
                    *(getattr(products.c, c) for c in PRODUCT_COLUMNS),
                    products.c.imported_rating,
                    products.c.imported_review_count,
                    products.c.user_rating_sum,
                    products.c.user_review_count,
                )
                .where(products.c.sku.in_(sorted(latest)))
                .with_for_update()
            )
            delta = StatsDelta()
            # The rows are locked: users' review sums cannot move while the blend is computed.
            user_reviews: dict[str, tuple[int, int]] = {}
            unchanged: set[str] = set()
            for row in old_rows:
                if row.sku in keep_created_at:
                    latest[row.sku] = msgspec.structs.replace(latest[row.sku], created_at=row.created_at)
                if same_catalog_fields(row, latest[row.sku]):
                    unchanged.add(row.sku)  # not rewritten: its row and the statistics stay
                    continue
                user_reviews[row.sku] = (row.user_rating_sum, row.user_review_count)
                delta.add(analyse(row.title, row.brand, row.category, row.description), -1)
            existing = set(user_reviews)
            values = []
            for sku in sorted(latest.keys() - unchanged):
                doc = analyse_product(latest[sku])
                delta.add(doc, +1)
                values.append(product_values(latest[sku], doc, now, *user_reviews.get(sku, (0, 0))))
            if values:
                insert = insert_for(session.get_bind().dialect.name)
                stmt = insert(products)
                updatable = {c: getattr(stmt.excluded, c) for c in values[0] if c != "sku"}
                await session.execute(
                    stmt.on_conflict_do_update(index_elements=["sku"], set_=updatable), values
                )
                await apply_stats(session, delta)
        return UpsertReport(
            inserted=len(values) - len(existing), updated=len(existing), unchanged=len(unchanged)
        )

    async def skus(self, batch_size: int = 5000) -> AsyncIterator[list[str]]:
        """Every stored sku, in order, a batch at a time (keyset pages: no long-held cursor)."""
        after = ""
        while True:
            async with self._sessions() as session:
                page = list(
                    (
                        await session.execute(
                            sa.select(products.c.sku)
                            .where(products.c.sku > after)
                            .order_by(products.c.sku)
                            .limit(batch_size)
                        )
                    ).scalars()
                )
            if not page:
                return
            yield page
            after = page[-1]

    async def delete(self, sku: str) -> bool:
        async with self._sessions.begin() as session:
            row = (
                await session.execute(
                    sa.select(products.c.title, products.c.brand, products.c.category, products.c.description)
                    .where(products.c.sku == sku)
                    .with_for_update()
                )
            ).first()
            if row is None:
                return False
            await session.execute(sa.delete(products).where(products.c.sku == sku))
            delta = StatsDelta()
            delta.add(analyse(row.title, row.brand, row.category, row.description), -1)
            await apply_stats(session, delta)
            return True

    async def after_bulk_load(self) -> None:
        await settle_after_bulk_load(self._sessions)

    async def count(self) -> int:
        async with self._sessions() as session:
            return int((await session.execute(sa.select(sa.func.count()).select_from(products))).scalar_one())

    async def categories(self) -> list[CategoryCount]:
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(products.c.category, sa.func.count().label("n"))
                .where(products.c.category != "")
                .group_by(products.c.category)
                .order_by(sa.desc("n"), products.c.category)
            )
            return [CategoryCount(name=r.category, count=int(r.n)) for r in rows]
