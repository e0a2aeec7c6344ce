"""Redis killed (kill -9) under load and restarted: the cache is bypassed, never a reason to fail.

Each test starts a Redis of its own on a private port. Searches answer 200 throughout and the
service uses Redis again once it is back, without a restart; every click answered 202 is stored
once with its popularity, and no other; what lives only in Redis (the login limits) answers 503.
"""

import asyncio
import os
import secrets
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis

from entrypoints.container import Container, build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.e2e.private_servers import PrivateRedis, serving, stored_clicks
from tests.fixtures.catalog import CATALOG

QUERIES = ("headphones", "wireless", "cable", "mug", "black", "sonora", "usb c", "coffee")
CLIENTS = 8


@pytest.fixture
async def redis_server() -> AsyncIterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.remove()


@pytest.fixture
async def shop(make_database, redis_server) -> AsyncIterator[tuple[httpx.AsyncClient, Container, Settings]]:
    url = await make_database("postgresql")
    # Every client here is 127.0.0.1: the per-client rate limits would measure themselves, not Redis.
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": redis_server.url,
        "BCRYPT_ROUNDS": "4",
        "SEARCH_RATE_LIMIT": "0",
        "EVENT_RATE_LIMIT": "0",
    }
    settings = load_settings(env, dotenv=Path(os.devnull))
    loader = build_container(settings)
    await loader.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await close_container(loader)
    container = build_container(settings)
    async with serving(create_app(settings, container)) as client:
        yield client, container, settings


async def _keys(url: str) -> int:
    client = aioredis.Redis.from_url(url)
    try:
        return len(await client.keys("ecomsearch:*"))
    finally:
        await client.aclose()


async def test_searches_are_served_while_redis_is_dead_and_redis_is_used_again(shop, redis_server) -> None:
    client, container, _ = shop
    answers: dict[str, Counter[int]] = {"up": Counter(), "down": Counter(), "back": Counter()}
    slowest = dict.fromkeys(answers, 0.0)
    phase = "up"
    stop = asyncio.Event()

    async def shopper(n: int) -> None:
        i = n
        while not stop.is_set():
            current, started = phase, time.perf_counter()
            response = await client.get(
                "/api/search", params={"q": QUERIES[i % len(QUERIES)], "page": 1 + i % 3}
            )
            slowest[current] = max(slowest[current], time.perf_counter() - started)
            answers[current][response.status_code] += 1
            i += 1

    load = [asyncio.create_task(shopper(n)) for n in range(CLIENTS)]
    await asyncio.sleep(1.0)
    assert await _keys(redis_server.url) > 0  # the cache was in use
    phase = "down"
    redis_server.kill()
    await asyncio.sleep(2.0)
    bypassed = container.cache().counters().get("bypassed", 0)
    redis_server.start()  # empty: it saves nothing
    phase = "back"
    await asyncio.sleep(2.5)
    stop.set()
    await asyncio.gather(*load)

    print(f"\nsearches per phase: {dict(answers)}; slowest (s): {slowest}")
    for name, counts in answers.items():
        assert set(counts) == {200}, (name, counts)
    assert answers["down"][200] >= 20 and bypassed > 0
    # Back without a restart: new entries are written, and read again.
    assert await _keys(redis_server.url) > 0
    hits = container.cache().counters()["hits"]
    assert (await client.get("/api/search", params={"q": "headphones"})).status_code == 200
    assert container.cache().counters()["hits"] > hits
    assert (await client.get("/ready")).status_code == 200
    # A dead Redis costs no timeout per request (the breaker answers at once).
    assert slowest["down"] < 1.5, slowest


async def test_every_click_answered_202_is_counted_once_across_a_redis_death(shop, redis_server) -> None:
    client, container, settings = shop
    sku = CATALOG[0]["sku"]
    # The product is read (and cached in Redis) before: its cached popularity must not outlive the clicks.
    before = (await client.get(f"/api/products/{sku}")).json()["popularity"]
    assert (await stored_clicks(settings.database_url, sku))[0] == 0
    answers: Counter[int] = Counter()
    sent = 0

    async def clicker(todo: int) -> None:
        nonlocal sent
        for _ in range(todo):
            anonymous = secrets.token_urlsafe(16)
            response = await client.post(
                "/api/events", json={"type": "click", "sku": sku}, headers={"Cookie": f"anon_id={anonymous}"}
            )
            answers[response.status_code] += 1
            sent += 1
            if sent == 100:  # Redis dies mid-burst and comes back (empty) 300 clicks later
                redis_server.kill()
            elif sent == 400:
                redis_server.start()
            if response.status_code == 202:
                assert response.json() == {"accepted": True}
            else:
                assert response.headers.get("Retry-After"), response.text

    await asyncio.gather(*(clicker(500 // CLIENTS + (n < 500 % CLIENTS)) for n in range(CLIENTS)))
    events, popularity = await stored_clicks(settings.database_url, sku)
    accepted = answers[202]
    print(f"\nclicks: {dict(answers)}; stored {events}; popularity {before} -> {popularity}")
    assert sum(answers.values()) == 500
    assert container.cache().counters().get("bypassed", 0) > 0  # Redis was dead for some of the clicks
    assert events == accepted
    # One address's anonymous clicks on one product move popularity once per window, by the
    # anonymous share of a click: a retried or replayed click could only show as more.
    assert popularity - before == settings.popularity.click * settings.popularity.anonymous
    assert accepted == 500  # Redis only holds derived counters: its death refuses no click
    # The product read shows the stored popularity: the cache drops missed while Redis was dead
    # were replayed once it came back.
    assert (await client.get(f"/api/products/{sku}")).json()["popularity"] == popularity


async def test_login_answers_503_while_the_login_limits_cannot_be_read(shop, redis_server) -> None:
    client, _, _ = shop
    body = {"username": "ada", "password": "correct horse battery"}
    assert (await client.post("/api/auth/signup", json=body)).status_code == 201
    client.cookies.clear()
    redis_server.kill()
    refused = await client.post("/api/auth/login", json=body)
    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"] and refused.json()["error"]["code"] == "unavailable"
    assert (await client.get("/ready")).status_code == 503
    assert (await client.get("/api/search", params={"q": "headphones"})).status_code == 200
    redis_server.start()
    deadline = time.monotonic() + 5
    while (await client.post("/api/auth/login", json=body)).status_code != 200:
        assert time.monotonic() < deadline, "login did not come back with Redis"
        await asyncio.sleep(0.2)
