"""What can go wrong with a search request."""

from domain.errors import DomainError, ErrorKind


class InvalidQuery(DomainError):
    """A search request that cannot be served; `field` names the parameter at fault."""

    code = "invalid_parameter"
    kind = ErrorKind.INVALID
    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
        self.message = message
