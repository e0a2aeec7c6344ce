"""What can go wrong with a review."""


class InvalidReview(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ReviewNotFound(LookupError):
    def __init__(self, sku: str) -> None:
        super().__init__(f"you have not reviewed {sku!r}")
        self.sku = sku
