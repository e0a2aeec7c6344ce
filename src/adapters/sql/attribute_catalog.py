"""SqlAttributeCatalog: how each attribute spreads over the catalog, read from `product_attributes`."""

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import product_attributes, products
from domain.search.attribute_facets import MIN_CATEGORY, AttributeProfile, CatalogProfile


class SqlAttributeCatalog:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def profile(self) -> CatalogProfile:
        a = product_attributes
        spread = sa.select(
            a.c.name,
            sa.func.count(),
            sa.func.count(sa.distinct(a.c.value)),
            sa.func.count(a.c.number),  # numbers: every row has one when it equals the count
        ).group_by(a.c.name)
        by_category = (
            sa.select(products.c.category, a.c.name, sa.func.count())
            .select_from(a.join(products, products.c.id == a.c.product_id))
            .group_by(products.c.category, a.c.name)
        )
        sizes = sa.select(products.c.category, sa.func.count()).group_by(products.c.category)
        async with self._engine.connect() as db:
            size = dict((await db.execute(sizes)).tuples().all())
            share: dict[str, float] = {}
            for category, name, count in await db.execute(by_category):
                if size.get(category, 0) >= MIN_CATEGORY:
                    share[name] = max(share.get(name, 0.0), count / size[category])
            attributes = [
                AttributeProfile(
                    name=name,
                    products=int(count),
                    distinct=int(distinct),
                    numeric=int(numbers) == int(count),
                    category_share=share.get(name, 0.0),
                )
                for name, count, distinct, numbers in await db.execute(spread)
            ]
        return CatalogProfile(products=sum(size.values()), attributes=attributes)
