"""The synonym, suggestion and search-history adapters on SQLite and PostgreSQL."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.engine import make_engine
from adapters.sql.search_history import SqlSearchHistory
from adapters.sql.synonym_store import SqlSuggestionStore, SqlSynonymStore
from adapters.sql.tables import events, impressions
from domain.search.reformulations import LoggedSearch, Suggestion
from domain.search.synonyms import new_synonym

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, make_database) -> AsyncIterator[AsyncEngine]:
    made = make_engine(await make_database(request.param))
    yield made
    await made.dispose()


async def test_synonyms_are_stored_changed_and_deleted(engine: AsyncEngine) -> None:
    store = SqlSynonymStore(engine)
    sofa, tv = await store.add_many([new_synonym(["sofa", "couch"]), new_synonym(["television"], "tv")])
    assert sofa.id < tv.id and await store.all() == [sofa, tv]
    assert await store.get(tv.id) == tv and await store.get(tv.id + 100) is None
    changed = new_synonym(["sofa", "couch", "settee"], id=sofa.id)
    assert await store.replace(changed) and await store.get(sofa.id) == changed
    assert not await store.replace(new_synonym(["a1", "b1"], id=tv.id + 100))
    assert await store.delete(tv.id) and not await store.delete(tv.id)
    assert await store.all() == [changed]


async def test_a_decided_pair_keeps_its_status_when_found_again(engine: AsyncEngine) -> None:
    store = SqlSuggestionStore(engine)
    await store.merge(
        [Suggestion(source="settee", target="sofa", support=4, lift=9.0),
         Suggestion(source="telly", target="tv", support=9, lift=5.0)]
    )  # fmt: skip
    telly, settee = await store.listed("pending", 10)
    assert (telly.source, settee.source) == ("telly", "settee")
    await store.decide(settee.id, "rejected")
    await store.merge(
        [Suggestion(source="settee", target="sofa", support=40, lift=9.5),
         Suggestion(source="telly", target="tv", support=12, lift=6.0)]
    )  # fmt: skip
    [pending] = await store.listed("pending", 10)
    assert (pending.id, pending.support, pending.lift) == (telly.id, 12, 6.0)
    rejected = await store.get(settee.id)
    assert rejected is not None and (rejected.status, rejected.support) == ("rejected", 4)


async def test_the_history_gives_first_pages_with_their_clicks_visitor_by_visitor(
    engine: AsyncEngine,
) -> None:
    def shown(search_id: str, visitor: str, query: str, minutes: int, page: int = 1) -> dict:
        return {"search_id": search_id, "visitor_id": visitor, "user_id": None, "arm": "a", "query": query,
                "items": [], "page": page, "total": 0, "occurred_at": T0 + timedelta(minutes=minutes)}  # fmt: skip

    async with engine.begin() as db:
        await db.execute(
            sa.insert(impressions),
            [
                shown("s1", "v2", "settee", 0),
                shown("s2", "v2", "sofa", 1),
                shown("s2", "v2", "sofa", 2, page=2),  # another page of one search
                shown("s3", "v1", "lamp", 5),
                shown("s4", "v3", "rug", 3),
                shown("s0", "v1", "old", -60 * 24 * 40),  # before the window
            ],
        )
        await db.execute(
            sa.insert(events),
            [{"type": "click", "sku": "X", "visitor_id": "v2", "user_id": None, "arm": "a", "search_id": "s2",
              "position": 1, "query": "sofa", "occurred_at": T0 + timedelta(minutes=1, seconds=20)}],
        )  # fmt: skip
    since = T0 - timedelta(days=30)
    chunks = [chunk async for chunk in SqlSearchHistory(engine, visitors_per_chunk=2).searches(since)]
    at = lambda m: T0 + timedelta(minutes=m)  # noqa: E731
    assert chunks == [
        [LoggedSearch("v1", "lamp", at(5), False), LoggedSearch("v2", "settee", at(0), False),
         LoggedSearch("v2", "sofa", at(1), True)],
        [LoggedSearch("v3", "rug", at(3), False)],
    ]  # fmt: skip
