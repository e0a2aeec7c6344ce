"""BatchingWriter: many concurrent callers, one writer task, one write per batch.

Each `submit` queues its item and waits; one task takes everything queued (up to `max_batch`) and
hands it to `flush`, which must answer every waiter (`answer` does so from one write). Under no
load a batch is one item and nothing waits longer than before; under load the commit cost is
shared, and a caller still returns only once its item is written. The task is started on first
use in the running event loop, and again if the loop changed or the task died. Closing writes what
is queued first (bounded), so a shutdown loses no item whose caller is still waiting.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeAlias, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# An item queued and the future its caller awaits.
Waiter: TypeAlias = tuple[T, asyncio.Future[R]]


class BatchingWriter(Generic[T, R]):
    def __init__(
        self,
        flush: Callable[[list[Waiter[T, R]]], Awaitable[None]],
        name: str,
        max_batch: int = 500,
    ) -> None:
        self._flush = flush
        self._name = name
        self._max_batch = max_batch
        self._queue: asyncio.Queue[Waiter[T, R]] | None = None
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._ensure_task().put_nowait((item, future))
        return await future

    def _ensure_task(self) -> asyncio.Queue[Waiter[T, R]]:
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop is not loop or self._task is None or self._task.done():
            self._loop = loop
            self._queue = asyncio.Queue()
            self._task = loop.create_task(self._run(self._queue), name=f"{self._name} writer")
        return self._queue

    async def _run(self, queue: asyncio.Queue[Waiter[T, R]]) -> None:
        batch: list[Waiter[T, R]] = []
        try:
            while True:
                batch = [await queue.get()]
                while len(batch) < self._max_batch and not queue.empty():
                    batch.append(queue.get_nowait())
                await self._flush(batch)
                for _ in batch:
                    queue.task_done()
                batch = []
        finally:
            # Stopped (shutdown): nobody may wait forever for an answer that will not come.
            while not queue.empty():
                batch.append(queue.get_nowait())
            for _, future in batch:
                if not future.done():
                    future.set_exception(RuntimeError(f"the {self._name} writer stopped"))

    async def close(self, drain_seconds: float = 10.0) -> None:
        """Write what is queued (for at most `drain_seconds`: a shutdown must end), then stop."""
        if self._task is not None:
            queue, same_loop = self._queue, self._loop is asyncio.get_running_loop()
            if queue is not None and same_loop and not self._task.done():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(queue.join(), drain_seconds)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await self._task
            self._task = None


async def answer(
    batch: Sequence[Waiter[T, R]],
    write: Callable[[list[T]], Awaitable[Sequence[R]]],
    *,
    one_by_one_on_error: bool = False,
) -> None:
    """Write the batch's items at once and give each waiter its answer (the answers are in the
    items' order). If the write fails, every waiter hears it; with `one_by_one_on_error` the items
    are written again one at a time instead, so that one bad item fails only its own caller (the
    write must then be atomic: a failed write has stored nothing)."""
    if not batch:
        return
    try:
        answers = await write([item for item, _ in batch])
    except Exception as exc:  # every waiter must hear about it
        if one_by_one_on_error and len(batch) > 1:
            for waiter in batch:
                await answer([waiter], write)
            return
        for _, future in batch:
            if not future.done():
                future.set_exception(exc)
        return
    for (_, future), result in zip(batch, answers, strict=True):
        if not future.done():
            future.set_result(result)
