"""What can go wrong with a cart change, as the domain names it."""


class InvalidQuantity(ValueError):
    def __init__(self, message: str, field: str = "quantity") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class UnknownProduct(LookupError):
    def __init__(self, sku: str) -> None:
        super().__init__(f"no product with sku {sku!r}")
        self.sku = sku
