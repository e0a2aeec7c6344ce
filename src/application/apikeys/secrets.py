"""Making a key and checking a presented one.

The secret is 32 bytes from `secrets` (256 bits): it cannot be guessed or brute-forced from its
hash, so one SHA-256 is the right hash. A slow password hash (bcrypt) defends low-entropy
passwords against offline guessing; here it would only cost every API request its time.
"""

import hashlib
import hmac
import secrets

from domain.apikeys.model import KEY_MARK, PREFIX_LENGTH

SECRET_BYTES = 32


def new_key() -> tuple[str, str, str]:
    """(the whole key to hand out once, its public prefix, the secret's hash to store)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return f"{KEY_MARK}_{prefix}_{secret}", prefix, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    # Constant time: how far a guess matches the stored hash must not show in the answer's timing.
    return hmac.compare_digest(hash_secret(secret), stored_hash)
