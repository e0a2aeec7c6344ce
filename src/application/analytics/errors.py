"""What can go wrong with an analytics request."""

from domain.errors import DomainError, ErrorKind


class InvalidWindow(DomainError):
    code = "invalid_parameter"
    kind = ErrorKind.INVALID

    def __init__(self, message: str) -> None:
        super().__init__(message, field="days")
