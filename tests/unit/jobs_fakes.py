"""A job queue that records what it was asked to run."""


class RecordingQueue:
    def __init__(self, names: set[str]) -> None:
        self._names = frozenset(names)
        self.enqueued: list[str] = []

    def names(self) -> frozenset[str]:
        return self._names

    async def enqueue(self, name: str) -> str:
        self.enqueued.append(name)
        return f"{name}:{len(self.enqueued)}"
