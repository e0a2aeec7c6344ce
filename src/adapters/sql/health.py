import asyncio
import logging

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("ecomsearch.health")

PING_TIMEOUT_SECONDS = 3.0


class SqlHealthCheck:
    def __init__(self, engine: AsyncEngine, timeout_seconds: float = PING_TIMEOUT_SECONDS) -> None:
        self._engine = engine
        self._timeout = timeout_seconds

    async def ping(self) -> bool:
        """False for any failure (a starting server raises asyncpg errors SQLAlchemy does not wrap):
        /ready answers 503 then, never 500, and hangs no longer than the timeout."""
        try:
            async with asyncio.timeout(self._timeout), self._engine.connect() as connection:
                await connection.execute(sa.text("SELECT 1"))
            return True
        except Exception as exc:
            log.warning("database not ready: %s", exc.__class__.__name__)
            return False
