"""Where a search spends its time, by stage: parse, match, score, rank, facets.

One `Stopwatch` per search, found through a context variable so the retrieval code only marks its
stages (`with stage("match")`) and needs no extra argument; tasks the search starts (the counting
read) inherit it. A stage is summed over the search, and stages may overlap in time: the facet
counts are read while the page is matched. Outside a timed search `stage` measures nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from time import perf_counter

from application.ports import Observer

STAGES = ("parse", "match", "score", "rank", "facets")


class Stopwatch:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


_current: ContextVar[Stopwatch | None] = ContextVar("search_stopwatch", default=None)


@contextmanager
def stage(name: str) -> Iterator[None]:
    watch = _current.get()
    start = perf_counter()
    try:
        yield
    finally:
        if watch is not None:
            watch.add(name, perf_counter() - start)


@contextmanager
def timed_search(observer: Observer) -> Iterator[Stopwatch]:
    """Time the stages of the search run inside; each stage that ran is reported once at the end."""
    watch = Stopwatch()
    token = _current.set(watch)
    try:
        yield watch
    finally:
        _current.reset(token)
        for name, seconds in watch.seconds.items():
            observer.search_stage(name, seconds)
