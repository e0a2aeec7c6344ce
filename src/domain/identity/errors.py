"""What can go wrong with an account, as the domain names it."""


class InvalidField(ValueError):
    """A signup or login field that breaks the rules."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class UsernameTaken(ValueError):
    def __init__(self, field: str = "username") -> None:
        super().__init__(f"that {field} is already taken")
        self.field = field


class InvalidLogin(PermissionError):
    """The one answer for an unknown user and for a wrong password."""

    def __init__(self) -> None:
        super().__init__("the username or password is incorrect")


class NotAuthenticated(PermissionError):
    def __init__(self) -> None:
        super().__init__("you need to log in")


class UnknownUser(LookupError):
    def __init__(self, username: str) -> None:
        super().__init__(f"no user named {username!r}")
        self.username = username


class TooManyAttempts(RuntimeError):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("too many login attempts; try again later")
        self.retry_after_seconds = retry_after_seconds
