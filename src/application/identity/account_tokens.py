"""Mailed single-use tokens: 256 random bits for the mail, only their SHA-256 in the database."""

from application.identity.tokens import hash_token, new_token
from application.ports import Clock
from domain.identity.errors import InvalidToken
from domain.identity.model import AccountToken, TokenPolicy, TokenPurpose
from domain.identity.ports import AccountTokenStore
from domain.identity.rules import token_usable

# Longer text is not even hashed: no token we mail is anywhere near this long.
MAX_TOKEN_LENGTH = 200


class AccountTokens:
    def __init__(self, store: AccountTokenStore, clock: Clock, policy: TokenPolicy) -> None:
        self._store = store
        self._clock = clock
        self.policy = policy

    async def issue(self, user_id: int, email: str, purpose: TokenPurpose) -> str:
        """A new token for `user_id`, mailed to `email`; the caller mails it and forgets it."""
        now = self._clock.now()
        await self._store.delete_expired(now)
        token = new_token()
        await self._store.add(
            AccountToken(
                token_hash=hash_token(token),
                purpose=purpose,
                user_id=user_id,
                email=email,
                created_at=now,
                expires_at=now + self.policy.lifetime(purpose),
            )
        )
        return token

    async def peek(self, token: str, purpose: TokenPurpose) -> AccountToken:
        """The usable token, without using it; InvalidToken otherwise."""
        stored = await self._store.find(hash_token(token)) if _plausible(token) else None
        if stored is None or not token_usable(stored, purpose, self._clock.now()):
            raise InvalidToken()
        return stored

    async def redeem(self, token: str, purpose: TokenPurpose) -> AccountToken:
        """Use the token (once only); InvalidToken when it is unknown, used, expired or not for
        `purpose`, all alike."""
        used = (
            await self._store.use(hash_token(token), purpose, self._clock.now())
            if _plausible(token)
            else None
        )
        if used is None:
            raise InvalidToken()
        return used

    async def discard(self, user_id: int, purpose: TokenPurpose) -> None:
        await self._store.discard(user_id, purpose)


def _plausible(token: str) -> bool:
    return 0 < len(token) <= MAX_TOKEN_LENGTH
