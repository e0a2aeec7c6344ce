"""What can go wrong with an account, as the domain names it."""

from domain.errors import DomainError, ErrorKind, InvalidValue


class InvalidField(InvalidValue):
    """A signup or login field that breaks the rules."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} {message}", field=field)
        self.message = message


class UsernameTaken(DomainError):
    code = "username_taken"
    kind = ErrorKind.CONFLICT

    def __init__(self, field: str = "username") -> None:
        super().__init__(f"that {field} is already taken", field=field)
        self.code = f"{field}_taken"  # username_taken or email_taken

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        return ("username_taken", "email_taken")


class InvalidLogin(DomainError):
    """The one answer for an unknown user and for a wrong password."""

    code = "invalid_credentials"
    kind = ErrorKind.NOT_AUTHENTICATED

    def __init__(self) -> None:
        super().__init__("the username or password is incorrect")


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    kind = ErrorKind.NOT_AUTHENTICATED

    def __init__(self) -> None:
        super().__init__("you need to log in")


class NotAdmin(DomainError):
    code = "forbidden"
    kind = ErrorKind.FORBIDDEN

    def __init__(self) -> None:
        super().__init__("this needs an administrator")


class UnknownUser(DomainError):
    code = "user_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, username: str) -> None:
        super().__init__(f"no user named {username!r}")
        self.username = username


class TooManyAttempts(DomainError):
    code = "rate_limited"
    kind = ErrorKind.RATE_LIMITED

    def __init__(self, retry_after_seconds: int, what: str = "login attempts") -> None:
        super().__init__(f"too many {what}; try again later")
        self.retry_after_seconds = retry_after_seconds

    def details(self) -> dict[str, object]:
        return {"retry_after": self.retry_after_seconds}


class SessionNotFound(DomainError):
    """An unknown session id, or another user's: the same answer, so ids reveal nothing."""

    code = "session_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self) -> None:
        super().__init__("you have no session with that id")


class LastAdmin(DomainError):
    code = "last_admin"
    kind = ErrorKind.CONFLICT

    def __init__(self) -> None:
        super().__init__(
            "the last administrator cannot delete their account; make another administrator first"
        )


class InvalidToken(DomainError):
    """One answer for a token that is unknown, used, expired or meant for something else."""

    code = "invalid_token"
    kind = ErrorKind.INVALID

    def __init__(self) -> None:
        super().__init__("this link is invalid or has expired", field="token")


class EmailUnverified(DomainError):
    code = "email_unverified"
    kind = ErrorKind.FORBIDDEN

    def __init__(self, action: str = "write reviews") -> None:
        super().__init__(f"verify your email address to {action}")


class NothingToVerify(DomainError):
    """A resend for an account whose address is verified already, or that has none."""

    code = "nothing_to_verify"
    kind = ErrorKind.CONFLICT

    def __init__(self) -> None:
        super().__init__("this account has no unverified email address")
