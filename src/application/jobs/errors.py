"""What can go wrong when a job is asked for by name."""

from domain.errors import DomainError, ErrorKind


class UnknownJob(DomainError):
    code = "job_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, name: str, known: frozenset[str]) -> None:
        super().__init__(f"unknown job {name!r}; known: {', '.join(sorted(known))}")
        self.name = name
        self.known = known
