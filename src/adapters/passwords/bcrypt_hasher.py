"""BcryptPasswordHasher: bcrypt over a SHA-256 pre-hash, run off the event loop.

bcrypt reads at most 72 bytes of its input and ignores the rest, so two long passwords sharing
their first 72 bytes would match each other. The password is therefore first reduced to
base64(SHA-256(password)) (44 ASCII bytes, no NUL), so every byte of it counts.
"""

import asyncio
import base64
import hashlib

import bcrypt


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


class BcryptPasswordHasher:
    def __init__(self, rounds: int = 12) -> None:
        if not 4 <= rounds <= 31:
            raise ValueError("BCRYPT_ROUNDS must be between 4 and 31")
        self.rounds = rounds

    def hash_sync(self, password: str) -> str:
        return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(self.rounds)).decode("ascii")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.hash_sync, password)

    async def verify(self, password: str, password_hash: str) -> bool:
        try:
            stored = password_hash.encode("ascii")
        except UnicodeEncodeError:
            return False
        try:
            return await asyncio.to_thread(bcrypt.checkpw, _prehash(password), stored)
        except ValueError:  # not a bcrypt hash
            return False
