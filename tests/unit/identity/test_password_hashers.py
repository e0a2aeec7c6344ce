"""BcryptPasswordHasher (real bcrypt, low cost) and the common-password list."""

import asyncio
import time
from pathlib import Path

from adapters.passwords.bcrypt_hasher import BcryptPasswordHasher
from adapters.passwords.common_passwords import load_common_passwords


async def test_hash_and_verify() -> None:
    hasher = BcryptPasswordHasher(rounds=4)
    stored = await hasher.hash("correct horse battery")
    assert stored.startswith("$2b$04$")
    assert await hasher.verify("correct horse battery", stored)
    assert not await hasher.verify("correct horse batterY", stored)
    assert not await hasher.verify("anything", "not a bcrypt hash")
    assert not await hasher.verify("anything", "ünïcode")


async def test_passwords_longer_than_72_bytes_are_not_truncated() -> None:
    hasher = BcryptPasswordHasher(rounds=4)
    base = "a" * 72
    stored = await hasher.hash(base + "first ending")
    assert await hasher.verify(base + "first ending", stored)
    assert not await hasher.verify(base + "other ending", stored)
    assert not await hasher.verify(base, stored)
    # bcrypt alone reads 72 bytes at most (older releases drop the rest, 5.x refuses the input).
    huge = "\U0001f600" * 5_000
    assert await hasher.verify(huge, await hasher.hash(huge))
    assert not await hasher.verify(huge[:-1] + "!", await hasher.hash(huge))


async def test_the_cost_is_the_configured_one() -> None:
    assert (await BcryptPasswordHasher(rounds=5).hash("some password")).startswith("$2b$05$")


async def test_hashing_does_not_block_the_event_loop() -> None:
    hasher = BcryptPasswordHasher(rounds=11)  # about 0.1 s of work
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    await hasher.hash("some password")
    elapsed = time.perf_counter() - started
    task.cancel()
    # Had bcrypt run on the loop, the ticker could not have run while it hashed.
    assert ticks >= max(2, int(elapsed / 0.005 * 0.3))


def test_the_common_list_is_the_top_10000_from_zxcvbn() -> None:
    common = load_common_passwords()
    assert len(common) >= 9_900  # lower-casing may merge a few
    assert {"123456", "password", "qwerty", "iloveyou", "dragon"} <= common
    assert "correct horse battery" not in common


def test_the_common_list_can_come_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("Hunter2\n\nletmein\nthird\n", encoding="utf-8")
    assert load_common_passwords(str(path), size=2) == frozenset({"hunter2", "letmein"})
