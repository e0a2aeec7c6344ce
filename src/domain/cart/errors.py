"""What can go wrong with a cart change, as the domain names it (an unknown sku is the catalog's)."""

from domain.errors import InvalidValue


class InvalidQuantity(InvalidValue):
    def __init__(self, message: str, field: str = "quantity") -> None:
        super().__init__(message, field=field)
        self.message = message
