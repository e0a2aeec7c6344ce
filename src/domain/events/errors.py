"""What can go wrong with an event before it is stored."""

from domain.errors import InvalidValue


class InvalidEvent(InvalidValue):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"invalid value for '{field}': {message}", field=field)
        self.message = message
