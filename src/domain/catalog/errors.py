"""What can go wrong with a product, as the domain names it."""

from domain.errors import DomainError, ErrorKind


class InvalidProduct(DomainError):
    """A product row that breaks the catalog's rules; `errors` maps field name to reason."""

    code = "invalid_product"
    kind = ErrorKind.INVALID

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()), field=next(iter(errors), None))
        self.errors = errors

    def details(self) -> dict[str, object]:
        return {"field": self.field, "fields": self.errors}


class ProductNotFound(DomainError):
    code = "product_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, sku: str) -> None:
        super().__init__(f"no product with sku {sku!r}")
        self.sku = sku

    def details(self) -> dict[str, object]:
        return {"sku": self.sku}


class ProductExists(DomainError):
    code = "product_exists"
    kind = ErrorKind.CONFLICT

    def __init__(self, sku: str) -> None:
        super().__init__(f"a product with sku {sku!r} already exists", field="sku")
        self.sku = sku
