"""Reads that need not see the request's own writes go to a streaming replica when it is fresh.

`ReplicaRouter.pick()` answers the engine for one read: the replica when it has replayed past
the last recorded write position (`adapters.cache.write_positions`), the primary otherwise, and
the primary when the replica is down, lagging past the recorded position, or the position is
unknown (Redis down). The replica's replay position only grows, so the last one read is a safe
lower bound: it is asked again only when a newer write must be waited for, or every
`recheck_seconds` to notice a replica that died. `RoutedSessions` and `RoutedEngine` look like
the sessionmaker and engine the SQL adapters take; they are handed only to adapters that read.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

log = logging.getLogger("ecomsearch.replica")

# Byte offsets: `pg_lsn - '0/0'` is a numeric, exact and comparable across servers.
PRIMARY_POSITION = text("SELECT (pg_current_wal_lsn() - '0/0')::bigint")
REPLAYED_POSITION = text("SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint")

RECHECK_SECONDS = 1.0
PROBE_TIMEOUT_SECONDS = 0.5
DOWN_SECONDS = 5.0


async def primary_position(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(PRIMARY_POSITION)).scalar_one())


class ReplicaRouter:
    def __init__(
        self,
        primary: AsyncEngine,
        replica: AsyncEngine,
        required: Callable[[], Awaitable[int | None]],
        recheck_seconds: float = RECHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary = primary
        self.replica = replica
        self._required = required
        self._recheck = recheck_seconds
        self._clock = clock
        self._replayed = -1  # unknown until first asked
        self._checked_at = float("-inf")
        self._down_until = float("-inf")
        self._probing: asyncio.Future[int | None] | None = None
        # Reads routed, by where they went: shown by the cluster test and worth a metric.
        self.routed = {"replica": 0, "primary": 0}

    async def pick(self) -> AsyncEngine:
        engine = await self._choose()
        self.routed["replica" if engine is self.replica else "primary"] += 1
        return engine

    async def _choose(self) -> AsyncEngine:
        now = self._clock()
        if now < self._down_until:
            return self.primary
        required = await self._required()
        if required is None:
            return self.primary
        if required <= self._replayed and now - self._checked_at < self._recheck:
            return self.replica
        replayed = await self._probe_once()
        if replayed is None:
            self._down_until = now + DOWN_SECONDS
            return self.primary
        self._replayed = max(self._replayed, replayed)
        self._checked_at = now
        return self.replica if required <= self._replayed else self.primary

    async def _probe_once(self) -> int | None:
        """Requests arriving together after a write share one probe rather than one each."""
        if self._probing is None or self._probing.done():
            self._probing = asyncio.ensure_future(self._probe())
        return await asyncio.shield(self._probing)

    async def _probe(self) -> int | None:
        """The replica's replayed position, or None when it does not answer in time."""
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
                async with self.replica.connect() as connection:
                    value = (await connection.execute(REPLAYED_POSITION)).scalar_one()
        except (TimeoutError, SQLAlchemyError, OSError) as exc:
            log.warning("read replica unavailable, reading from the primary (%s)", exc.__class__.__name__)
            return None
        if value is None:  # not a standby: never trusted, and asked again only as a down one is
            log.warning("DATABASE_READ_URL is not a standby; reading from the primary")
            return None
        return int(value)

    def failed(self, exc: BaseException) -> None:
        """A read on the replica lost its connection: the next reads go to the primary for a while."""
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            self._down_until = self._clock() + DOWN_SECONDS


class RoutedSessions:
    """A sessionmaker for read adapters: `()` opens a session on the picked engine."""

    def __init__(self, router: ReplicaRouter, primary_sessions: async_sessionmaker[AsyncSession]) -> None:
        self._router = router
        self._primary = primary_sessions

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        engine = await self._router.pick()
        if engine is self._router.primary:
            async with self._primary() as session:
                yield session
            return
        async with AsyncSession(engine, expire_on_commit=False) as session:
            try:
                yield session
            except DBAPIError as exc:
                self._router.failed(exc)
                raise

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:
        """A transaction on the picked engine: the read adapters open one for `SET LOCAL` planner
        settings around a read (a standby allows both); the adapters that write take the primary's
        sessionmaker, never this one."""
        async with self() as session, session.begin():
            yield session


class RoutedEngine:
    """An engine for read adapters: `connect()` on the picked engine (`begin()`, which none of them
    calls, on the primary)."""

    def __init__(self, router: ReplicaRouter) -> None:
        self._router = router
        self.dialect = router.primary.dialect

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        engine = await self._router.pick()
        async with engine.connect() as connection:
            try:
                yield connection
            except DBAPIError as exc:
                if engine is self._router.replica:
                    self._router.failed(exc)
                raise

    def begin(self) -> Any:
        return self._router.primary.begin()
