"""How a client proves who it is: an API key or a session token, both as a bearer token."""


def auth_headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}
