"""Lifetimes: what was opened is closed once, the latest first, even when a close fails."""

import pytest

from entrypoints.lifetimes import Lifetimes


class Opened:
    def __init__(self, name: str, closed: list[str], fails: bool = False) -> None:
        self.name, self.closed, self.fails = name, closed, fails

    async def close(self) -> None:
        self.closed.append(self.name)
        if self.fails:
            raise RuntimeError(self.name)


async def test_the_latest_opened_is_closed_first_and_only_once() -> None:
    closed: list[str] = []
    lifetimes = Lifetimes()
    pool = lifetimes.opened(Opened("pool", closed), Opened.close)
    lifetimes.opened(Opened("buffer", closed), Opened.close)
    assert pool.name == "pool"
    await lifetimes.close()
    await lifetimes.close()
    assert closed == ["buffer", "pool"]


async def test_a_failing_close_does_not_keep_the_others_open() -> None:
    closed: list[str] = []
    lifetimes = Lifetimes()
    lifetimes.opened(Opened("pool", closed), Opened.close)
    lifetimes.opened(Opened("buffer", closed, fails=True), Opened.close)
    with pytest.raises(RuntimeError, match="buffer"):
        await lifetimes.close()
    assert closed == ["buffer", "pool"]
