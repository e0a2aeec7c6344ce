"""SqlFacetDeclarationStore: the attributes the administrator declared as facets, or excluded."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import facet_declarations
from domain.search.attribute_facets import FacetDeclaration


class SqlFacetDeclarationStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self) -> FacetDeclaration:
        async with self._engine.connect() as db:
            rows = (await db.execute(sa.select(facet_declarations).order_by(facet_declarations.c.name))).all()
        return FacetDeclaration(
            declared=tuple(r.name for r in rows if r.mode == "declared"),
            excluded=tuple(r.name for r in rows if r.mode == "excluded"),
        )

    async def put(self, declaration: FacetDeclaration) -> None:
        now = datetime.now(UTC)
        rows = [{"name": n, "mode": "declared", "updated_at": now} for n in declaration.declared]
        rows += [{"name": n, "mode": "excluded", "updated_at": now} for n in declaration.excluded]
        async with self._engine.begin() as db:
            await db.execute(sa.delete(facet_declarations))
            if rows:
                await db.execute(sa.insert(facet_declarations), rows)
