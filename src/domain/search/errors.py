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


class SynonymNotFound(DomainError):
    code = "synonym_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, synonym_id: int) -> None:
        super().__init__(f"no synonym with id {synonym_id}")


class SuggestionNotFound(DomainError):
    code = "suggestion_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, suggestion_id: int) -> None:
        super().__init__(f"no pending synonym suggestion with id {suggestion_id}")


class RuleNotFound(DomainError):
    code = "rule_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, rule_id: int) -> None:
        super().__init__(f"no rule with id {rule_id}")
