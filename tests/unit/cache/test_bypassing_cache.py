"""The breaker and the bypassing cache, over a fake Redis client that can be taken down."""

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from adapters.cache.breaker import Breaker
from adapters.cache.bypassing_cache import BypassingCache
from adapters.cache.redis_cache import RedisCache, RedisUnavailable


class FakeRedis:
    """The few commands the cache sends, on a dict; `down` makes each one fail as a refused connect."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.down = False
        self.calls = 0

    def _check(self) -> None:
        self.calls += 1
        if self.down:
            raise RedisConnectionError("Error 111 connecting")

    async def get(self, key: str) -> bytes | None:
        self._check()
        return self.data.get(key)

    async def set(self, key: str, value: bytes, px: int) -> None:
        self._check()
        self.data[key] = value

    async def delete(self, key: str) -> None:
        self._check()
        self.data.pop(key, None)

    async def incrby(self, key: str, amount: int) -> int:
        self._check()
        value = int(self.data.get(key, b"0")) + amount
        self.data[key] = str(value).encode()
        return value

    async def ping(self) -> bool:
        self._check()
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def caches() -> tuple[FakeRedis, Clock, RedisCache, BypassingCache]:
    fake, clock = FakeRedis(), Clock()
    strict = RedisCache(fake, Breaker(open_seconds=1.0, clock=clock))  # type: ignore[arg-type]
    return fake, clock, strict, BypassingCache(strict)


async def test_a_dead_redis_is_a_miss_and_is_not_called_again_until_the_breaker_probes() -> None:
    fake, clock, _, cache = caches()
    await cache.set("k", b"v", 60)
    fake.down = True
    assert await cache.get("k") is None  # the failure: a miss
    calls = fake.calls
    for _ in range(100):
        assert await cache.get("k") is None
        await cache.set("k", b"w", 60)
    assert fake.calls == calls  # the breaker answered, Redis was not asked
    clock.now = 1.5
    assert await cache.get("k") is None and fake.calls == calls + 1  # one probe
    fake.down = False
    clock.now = 3.0
    assert await cache.get("k") == b"v"  # back, without a new client
    assert cache.counters()["bypassed"] == 202


async def test_what_lives_in_redis_fails_fast_while_the_breaker_is_open() -> None:
    fake, _, strict, _ = caches()
    fake.down = True
    with pytest.raises(RedisConnectionError):
        await strict.incr("limit", 1)
    with pytest.raises(RedisUnavailable):
        await strict.incr("limit", 1)
    assert fake.calls == 1


async def test_invalidations_missed_while_redis_was_dead_are_replayed_before_the_next_read() -> None:
    fake, clock, _, cache = caches()
    await cache.set("product:A", b"old", 60)
    await cache.incr("catalog:version")
    fake.down = True
    await cache.delete("product:A")
    await cache.incr("catalog:version")
    assert await cache.incr("jobs:events:retrain", 3) == 3  # answered as a new key
    assert await cache.incr("jobs:events:retrain", 2) == 2
    assert cache.counters()["missed_invalidations"] == 3
    fake.down, clock.now = False, 2.0  # Redis comes back having kept its data
    assert await cache.get("product:A") is None  # not the stale entry
    assert fake.data["ecomsearch:catalog:version"] == b"2"
    assert fake.data["ecomsearch:jobs:events:retrain"] == b"5"
    assert cache.counters()["missed_invalidations"] == 0


async def test_missed_invalidations_are_bounded() -> None:
    fake, _, strict, _ = caches()
    cache = BypassingCache(strict, max_missed=3)
    fake.down = True
    for key in "abcde":
        await cache.delete(key)
    assert cache.counters()["missed_invalidations"] == 3


async def test_ping_asks_redis_past_an_open_breaker_and_closes_it() -> None:
    fake, _, strict, cache = caches()
    fake.down = True
    assert await cache.ping() is False
    assert strict.breaker.is_open
    fake.down = False
    assert await cache.ping() is True
    assert not strict.breaker.is_open


def test_a_probe_that_never_reports_does_not_block_forever() -> None:
    clock = Clock()
    breaker = Breaker(open_seconds=1.0, clock=clock)
    breaker.failure()
    assert not breaker.allow()
    clock.now = 1.0
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # others wait for it
    clock.now = 2.5
    assert breaker.allow()  # it never came back: another probe
