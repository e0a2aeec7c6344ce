"""What can go wrong when a job is asked for by name, or its run by id."""

from domain.errors import DomainError, ErrorKind


class UnknownJob(DomainError):
    code = "job_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, name: str, known: frozenset[str]) -> None:
        super().__init__(f"unknown job {name!r}; known: {', '.join(sorted(known))}")
        self.name = name
        self.known = known


class JobNotFound(DomainError):
    code = "not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, job_id: str) -> None:
        super().__init__(f"there is no job {job_id!r}")
        self.job_id = job_id
