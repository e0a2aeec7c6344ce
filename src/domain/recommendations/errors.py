"""What can go wrong with a recommendations request."""

from domain.errors import InvalidValue


class InvalidLimit(InvalidValue):
    def __init__(self, maximum: int) -> None:
        super().__init__(f"limit must be between 1 and {maximum}", field="limit")
