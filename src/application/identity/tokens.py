"""Session tokens: 256 random bits for the client, only their SHA-256 for the server."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_session_id() -> str:
    """A session's public handle: random, unrelated to its token (128 bits)."""
    return secrets.token_urlsafe(16)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
