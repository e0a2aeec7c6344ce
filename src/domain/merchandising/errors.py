"""What can go wrong managing curation rules."""

from domain.errors import DomainError, ErrorKind


class RuleNotFound(DomainError):
    code = "rule_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, rule_id: int) -> None:
        super().__init__(f"no rule with id {rule_id}")
