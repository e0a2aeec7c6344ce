"""What the container opened (pools, connections, background tasks), closed in reverse order.

Each provider that opens something registers how to close it as it is built, so closing needs no
knowledge of which adapter was chosen, closes only what was built, and closes what came later
(and may use what came before) first. dependency-injector's async `Resource` is not used: it makes
every provider depending on it return an awaitable, even after `init_resources()`, while the HTTP
handlers, the worker, the CLI and the tests call the container synchronously.
"""

from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import TypeVar

T = TypeVar("T")


class Lifetimes:
    def __init__(self) -> None:
        self._stack = AsyncExitStack()

    def opened(self, thing: T, close: Callable[[T], Awaitable[object]]) -> T:
        self._stack.push_async_callback(close, thing)
        return thing

    async def close(self) -> None:
        await self._stack.aclose()


def opened(lifetimes: Lifetimes, thing: T, close: Callable[[T], Awaitable[object]]) -> T:
    """For providers: `Singleton(opened, lifetimes, Factory(make, ...), Type.close)`."""
    return lifetimes.opened(thing, close)
