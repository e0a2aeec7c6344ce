"""SqlPopularityMarks on SQLite and PostgreSQL: one claim per (key, sku, type) per window, also
for a concurrent burst and across engines (processes), with release and pruning."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from adapters.sql import popularity_marks as module
from adapters.sql.engine import make_engine
from adapters.sql.popularity_marks import SqlPopularityMarks
from adapters.sql.tables import popularity_marks

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture(params=["sqlite", "postgresql"])
async def url(request: pytest.FixtureRequest, make_database) -> str:
    return await make_database(request.param)


async def rows(engine) -> int:
    async with engine.connect() as connection:
        return (
            await connection.execute(sa.select(sa.func.count()).select_from(popularity_marks))
        ).scalar_one()


async def test_once_per_window_per_key_product_and_type(url: str) -> None:
    engine = make_engine(url)
    marks = SqlPopularityMarks(engine)
    try:
        assert await marks.claim("user:7", "MUG-1", "click", T0, HOUR)
        assert not await marks.claim("user:7", "MUG-1", "click", T0 + timedelta(minutes=59), HOUR)
        assert await marks.claim("user:7", "MUG-1", "add_to_cart", T0, HOUR)
        assert await marks.claim("user:7", "CUP-2", "click", T0, HOUR)
        assert await marks.claim("addr:198.51.100.7", "MUG-1", "click", T0, HOUR)
        # The window runs from the last count: an hour on, the triple counts again, then waits again.
        assert await marks.claim("user:7", "MUG-1", "click", T0 + HOUR, HOUR)
        assert not await marks.claim("user:7", "MUG-1", "click", T0 + HOUR + timedelta(minutes=30), HOUR)
    finally:
        await marks.close()
        await engine.dispose()


async def test_a_concurrent_burst_from_two_processes_claims_once(url: str) -> None:
    # Two engines stand for two API processes, each with its own connection pool.
    engines = [make_engine(url), make_engine(url)]
    claimers = [SqlPopularityMarks(engine) for engine in engines]
    try:
        answers = await asyncio.gather(
            *(
                claimers[i % 2].claim(
                    "addr:198.51.100.7", "MUG-1", "add_to_cart", T0 + timedelta(milliseconds=ms), HOUR
                )
                for i, ms in enumerate(range(0, 100 * 2, 2))
            )
        )
        assert sum(answers) == 1
        assert await rows(engines[0]) == 1
    finally:
        for claimer in claimers:
            await claimer.close()
        for engine in engines:
            await engine.dispose()


async def test_release_undoes_only_its_own_claim(url: str) -> None:
    engine = make_engine(url)
    marks = SqlPopularityMarks(engine)
    try:
        assert await marks.claim("user:7", "MUG-1", "click", T0, HOUR)
        await marks.release("user:7", "MUG-1", "click", T0 + timedelta(seconds=1))  # not this claim's
        assert not await marks.claim("user:7", "MUG-1", "click", T0 + timedelta(seconds=2), HOUR)
        await marks.release("user:7", "MUG-1", "click", T0)
        assert await marks.claim("user:7", "MUG-1", "click", T0 + timedelta(seconds=3), HOUR)
    finally:
        await marks.close()
        await engine.dispose()


async def test_expired_marks_are_pruned(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "PRUNE_EVERY", 5)
    engine = make_engine(url)
    marks = SqlPopularityMarks(engine)
    try:
        for n in range(4):  # one batch each: nothing else is queued
            assert await marks.claim(f"user:{n}", "MUG-1", "click", T0, HOUR)
        assert await rows(engine) == 4
        # The fifth batch, two hours on, prunes the four expired marks and keeps its own.
        assert await marks.claim("user:9", "MUG-1", "click", T0 + 2 * HOUR, HOUR)
        assert await rows(engine) == 1
    finally:
        await marks.close()
        await engine.dispose()


async def test_a_batch_answers_each_claim_and_repeats_within_it(url: str) -> None:
    engine = make_engine(url)
    marks = SqlPopularityMarks(engine)
    try:
        assert await marks.claim("user:1", "MUG-1", "click", T0, HOUR)
        # Queued together, so written as one batch: the same triple twice, an old one, a new one.
        answers = await asyncio.gather(
            marks.claim("user:2", "MUG-1", "click", T0, HOUR),
            marks.claim("user:2", "MUG-1", "click", T0, HOUR),
            marks.claim("user:1", "MUG-1", "click", T0 + timedelta(minutes=5), HOUR),
            marks.claim("user:1", "MUG-1", "add_to_cart", T0, HOUR),
        )
        assert answers == [True, False, False, True]
        assert await rows(engine) == 3
    finally:
        await marks.close()
        await engine.dispose()
