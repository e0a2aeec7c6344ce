"""The one base of every error the domain and the use cases name.

Each error carries a stable machine `code` (the one API clients see), a `kind` that says what sort
of failure it is without naming a transport, and the `field` at fault. Entry points translate the
kind: the HTTP layer to a status through one table, the CLI to a message and an exit code.
"""

from enum import Enum
from typing import ClassVar


class ErrorKind(Enum):
    INVALID = "invalid"  # the input breaks a rule
    NOT_AUTHENTICATED = "not_authenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"  # the input clashes with what is stored
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"  # the input is bigger than allowed


class DomainError(Exception):
    """Subclasses set `code` and `kind`; `str(error)` is the sentence shown to a person."""

    code: str
    kind: ClassVar[ErrorKind]
    # Set when waiting helps: the caller may try again after this many seconds.
    retry_after_seconds: int | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def details(self) -> dict[str, object] | None:
        """What a client needs besides the message to act on the error; None when nothing."""
        return None if self.field is None else {"field": self.field}

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        """Every code an error of this class can carry (for documentation)."""
        return (cls.code,)


class InvalidValue(DomainError):
    """One field's value breaks a rule; answered as a request validation failure is."""

    code = "validation_error"
    kind = ErrorKind.INVALID
    field: str

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)

    def details(self) -> dict[str, object]:
        return {"field": self.field, "fields": [self.field]}
