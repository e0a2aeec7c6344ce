"""What can go wrong with a judgments file."""

from domain.errors import DomainError, ErrorKind


class InvalidJudgments(DomainError):
    code = "invalid_judgments"
    kind = ErrorKind.INVALID

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason
