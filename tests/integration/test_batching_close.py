"""Closing the batch writer (the app's shutdown) writes what is queued before it stops."""

import asyncio

from adapters.sql.batching import BatchingWriter, Waiter, answer


async def test_close_writes_every_queued_item_first() -> None:
    written: list[int] = []

    async def write(items: list[int]) -> list[int]:
        await asyncio.sleep(0.05)  # a slow commit: more items queue behind it
        written.extend(items)
        return items

    async def flush(batch: list[Waiter[int, int]]) -> None:
        await answer(batch, write)

    writer: BatchingWriter[int, int] = BatchingWriter(flush, "test", max_batch=3)
    callers = [asyncio.create_task(writer.submit(i)) for i in range(10)]
    await asyncio.sleep(0)  # every item queued, the first batch being written
    await writer.close()
    assert await asyncio.wait_for(asyncio.gather(*callers), 5) == list(range(10))
    assert sorted(written) == list(range(10))


async def test_close_is_bounded_when_the_database_hangs() -> None:
    async def flush(batch: list[Waiter[int, int]]) -> None:
        await asyncio.sleep(3600)

    writer: BatchingWriter[int, int] = BatchingWriter(flush, "test")
    caller = asyncio.create_task(writer.submit(1))
    await asyncio.sleep(0)
    await asyncio.wait_for(writer.close(drain_seconds=0.1), 5)
    result = await asyncio.gather(caller, return_exceptions=True)
    assert isinstance(result[0], RuntimeError)  # told it was not written, never left waiting
