"""Mailed tokens: entropy, hashing, single use, expiry and purpose, with fakes and a fake clock."""

import math
import string
from collections import Counter
from datetime import timedelta

import pytest

from application.identity.account_tokens import AccountTokens
from application.identity.tokens import hash_token
from domain.identity.errors import InvalidToken
from domain.identity.model import AccountToken, TokenPolicy, TokenPurpose
from domain.identity.rules import token_usable
from tests.unit.fakes import FakeClock
from tests.unit.identity_fakes import InMemoryAccountTokenStore

VERIFY, RESET = TokenPurpose.VERIFY_EMAIL, TokenPurpose.PASSWORD_RESET
URL_SAFE = set(string.ascii_letters + string.digits + "-_")


def make() -> tuple[AccountTokens, InMemoryAccountTokenStore, FakeClock]:
    store, clock = InMemoryAccountTokenStore(), FakeClock()
    return AccountTokens(store, clock, TokenPolicy()), store, clock


async def test_tokens_carry_at_least_128_random_bits_and_are_stored_hashed() -> None:
    tokens, store, _ = make()
    issued = [await tokens.issue(1, "a@example.com", VERIFY) for _ in range(200)]
    assert len(set(issued)) == 200
    for token in issued:
        assert set(token) <= URL_SAFE and len(token) * 6 >= 128 + 64  # 32 bytes, base64
        assert token not in repr(store.tokens)
    assert set(store.tokens) == {hash_token(t) for t in issued}
    assert all(len(h) == 64 for h in store.tokens)
    # Characters spread as random ones do: no position or symbol is favoured.
    counts = Counter("".join(issued))
    expected = sum(counts.values()) / 64
    assert max(counts.values()) < expected * 1.6
    bits = -sum(c / sum(counts.values()) * math.log2(c / sum(counts.values())) for c in counts.values())
    assert bits > 5.9  # close to log2(64) = 6 bits a character


async def test_a_token_works_once_for_its_purpose() -> None:
    tokens, _, _ = make()
    token = await tokens.issue(7, "a@example.com", VERIFY)
    with pytest.raises(InvalidToken):
        await tokens.peek(token, RESET)
    with pytest.raises(InvalidToken):
        await tokens.redeem(token, RESET)
    assert (await tokens.peek(token, VERIFY)).user_id == 7  # peeking does not use it
    used = await tokens.redeem(token, VERIFY)
    assert (used.user_id, used.email, used.purpose) == (7, "a@example.com", VERIFY)
    for attempt in (tokens.redeem, tokens.peek):
        with pytest.raises(InvalidToken) as caught:
            await attempt(token, VERIFY)
        assert caught.value.code == "invalid_token" and caught.value.field == "token"


@pytest.mark.parametrize(
    ("purpose", "lifetime"), [(VERIFY, timedelta(hours=48)), (RESET, timedelta(minutes=30))]
)
async def test_a_token_expires_after_its_lifetime(purpose: TokenPurpose, lifetime: timedelta) -> None:
    tokens, _, clock = make()
    early, late = (
        await tokens.issue(1, "a@example.com", purpose),
        await tokens.issue(1, "a@example.com", purpose),
    )
    clock.advance(lifetime.total_seconds() - 1)
    await tokens.redeem(early, purpose)
    clock.advance(1)
    with pytest.raises(InvalidToken):
        await tokens.redeem(late, purpose)


@pytest.mark.parametrize("text", ["", "x", "y" * 201, "not-a-token-we-made"])
async def test_text_we_never_issued_is_an_invalid_token(text: str) -> None:
    tokens, _, _ = make()
    await tokens.issue(1, "a@example.com", VERIFY)
    with pytest.raises(InvalidToken):
        await tokens.redeem(text, VERIFY)


async def test_discarding_stops_a_users_unused_tokens_of_one_purpose() -> None:
    tokens, _, _ = make()
    mine = await tokens.issue(1, "a@example.com", RESET)
    other_purpose = await tokens.issue(1, "a@example.com", VERIFY)
    theirs = await tokens.issue(2, "b@example.com", RESET)
    await tokens.discard(1, RESET)
    with pytest.raises(InvalidToken):
        await tokens.redeem(mine, RESET)
    await tokens.redeem(other_purpose, VERIFY)
    await tokens.redeem(theirs, RESET)


def test_the_usable_rule() -> None:
    now = FakeClock().now()
    token = AccountToken(
        token_hash="h",
        purpose=RESET,
        user_id=1,
        email="a@b.co",
        created_at=now,
        expires_at=now + timedelta(1),
    )
    assert token_usable(token, RESET, now)
    assert not token_usable(token, VERIFY, now)
    assert not token_usable(token, RESET, token.expires_at)
    used = AccountToken(**{**{f: getattr(token, f) for f in token.__struct_fields__}, "used_at": now})
    assert not token_usable(used, RESET, now)
    assert TokenPolicy().lifetime(RESET) == timedelta(minutes=30)
