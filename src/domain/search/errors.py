class InvalidQuery(ValueError):
    """A search request that cannot be served; `field` names the parameter at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
