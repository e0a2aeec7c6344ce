"""SqlTrainingData: impressions logged with features, labelled by the clicks and carts that followed."""

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.tables import events, impressions
from application.ranking.ports import TrainingImpression

_LABELS = ("click", "add_to_cart")


class SqlTrainingData:
    """A click or cart counts for a shown item when it names the same search and sku within `session`."""

    def __init__(
        self, engine: AsyncEngine, feature_version: str, session: timedelta = timedelta(minutes=30)
    ) -> None:
        self._engine = engine
        self._version = feature_version
        self._session = session

    async def impressions(self, since: datetime, until: datetime) -> list[TrainingImpression]:
        shown = (
            sa.select(
                impressions.c.search_id,
                impressions.c.visitor_id,
                impressions.c["items"],
                impressions.c.features,
                impressions.c.occurred_at,
            )
            .where(
                impressions.c.occurred_at >= since,
                impressions.c.occurred_at < until,
                impressions.c.feature_version == self._version,
            )
            .order_by(impressions.c.occurred_at, impressions.c.id)
        )
        acted = sa.select(events.c.type, events.c.search_id, events.c.sku, events.c.occurred_at).where(
            events.c.type.in_(_LABELS),
            events.c.search_id.is_not(None),
            events.c.occurred_at >= since,
            events.c.occurred_at < until + self._session,
        )
        async with self._engine.connect() as connection:
            pages = (await connection.execute(shown)).all()
            actions = (await connection.execute(acted)).all()
        labels: dict[tuple[str, str], list[tuple[str, datetime]]] = {}
        for kind, search_id, sku, at in actions:
            labels.setdefault((search_id, sku), []).append((kind, at))
        return [row for page in pages for row in self._rows(page, labels)]

    def _rows(
        self, page: Any, labels: dict[tuple[str, str], list[tuple[str, datetime]]]
    ) -> list[TrainingImpression]:
        items, features = page._mapping["items"], page.features
        if not features or len(features) != len(items):
            return []
        out = []
        for (sku, position), vector in zip(items, features, strict=True):
            kinds = {
                kind
                for kind, at in labels.get((page.search_id, sku), [])
                if page.occurred_at <= at < page.occurred_at + self._session
            }
            out.append(
                TrainingImpression(
                    time=page.occurred_at,
                    visitor_id=page.visitor_id,
                    search_id=page.search_id,
                    sku=sku,
                    position=position,
                    clicked="click" in kinds or "add_to_cart" in kinds,
                    carted="add_to_cart" in kinds,
                    features=[float(v) for v in vector],
                )
            )
        return out
