"""What can go wrong with an API key."""

from domain.errors import DomainError, ErrorKind


class InvalidApiKey(DomainError):
    """One answer for a key that is malformed, unknown, revoked or expired: nothing to probe."""

    code = "invalid_api_key"
    kind = ErrorKind.NOT_AUTHENTICATED

    def __init__(self) -> None:
        super().__init__("the API key is invalid, revoked or expired")


class ScopeMissing(DomainError):
    code = "insufficient_scope"
    kind = ErrorKind.FORBIDDEN

    def __init__(self, scope: str) -> None:
        super().__init__(f"this API key lacks the {scope!r} scope")
        self.scope = scope

    def details(self) -> dict[str, object]:
        return {"scope": self.scope}


class KeyNotAccepted(DomainError):
    """A route that acts for a person (cart, reviews, account, login, key management)."""

    code = "api_key_not_accepted"
    kind = ErrorKind.FORBIDDEN

    def __init__(self) -> None:
        super().__init__("this endpoint acts for a logged-in person and takes no API key")


class ApiKeyNotFound(DomainError):
    code = "api_key_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, key_id: int) -> None:
        super().__init__(f"no API key with id {key_id}")


class KeyRateLimited(DomainError):
    code = "rate_limited"
    kind = ErrorKind.RATE_LIMITED

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("this API key has made too many requests; try again later")
        self.retry_after_seconds = retry_after_seconds

    def details(self) -> dict[str, object]:
        return {"retry_after": self.retry_after_seconds}
