"""What can go wrong with an event before it is stored."""

from domain.errors import DomainError, ErrorKind, InvalidValue


class InvalidEvent(InvalidValue):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"invalid value for '{field}': {message}", field=field)
        self.message = message


class TooManyEvents(DomainError):
    """One client sent more events than its budget for the current window; none of them is stored."""

    code = "rate_limited"
    kind = ErrorKind.RATE_LIMITED

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("too many events; try again later")
        self.retry_after_seconds = retry_after_seconds

    def details(self) -> dict[str, object]:
        return {"retry_after": self.retry_after_seconds}
