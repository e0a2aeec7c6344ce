"""What can go wrong with a review."""

from domain.errors import DomainError, ErrorKind, InvalidValue


class InvalidReview(InvalidValue):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
        self.message = message


class ReviewNotFound(DomainError):
    code = "review_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, sku: str) -> None:
        super().__init__(f"you have not reviewed {sku!r}")
        self.sku = sku

    def details(self) -> dict[str, object]:
        return {"sku": self.sku}
