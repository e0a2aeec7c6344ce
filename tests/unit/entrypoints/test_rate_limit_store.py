"""The rate limit's store fails open: a broken Redis lets requests through instead of failing them."""

from datetime import timedelta

import pytest
from litestar.stores.memory import MemoryStore
from redis.exceptions import ConnectionError as RedisConnectionError

from entrypoints.http.rate_limit import FailOpenStore


class BrokenStore(MemoryStore):
    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        raise RedisConnectionError("down")

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        raise RedisConnectionError("down")


async def test_a_failing_store_reads_as_empty_and_writes_nothing() -> None:
    store = FailOpenStore(BrokenStore())
    await store.set("k", b"v", 60)
    assert await store.get("k") is None


async def test_a_working_store_is_passed_through() -> None:
    store = FailOpenStore(MemoryStore())
    await store.set("k", b"v", 60)
    assert await store.get("k") == b"v"
    assert await store.exists("k")


async def test_other_errors_are_not_hidden() -> None:
    class Wrong(MemoryStore):
        async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
            raise ValueError("bug")

    with pytest.raises(ValueError):
        await FailOpenStore(Wrong()).get("k")
