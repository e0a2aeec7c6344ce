"""Email verification and password reset with fakes: who gets mail, the verified owner wins,
single-use links, and what a reset ends."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from application.identity.password_reset import (
    MAX_UNVERIFIED_RECIPIENTS,
    RequestPasswordReset,
    ResetPassword,
)
from application.identity.rate_limit import (
    PasswordResetRateLimiter,
    RateLimits,
    VerificationRateLimiter,
)
from application.identity.verify_email import ProveAddress, ResendVerification, VerifyEmail
from application.mail.ports import MailMessage
from domain.identity.errors import (
    InvalidField,
    InvalidLogin,
    InvalidToken,
    NothingToVerify,
    TooManyAttempts,
    UsernameTaken,
)
from domain.identity.model import TokenPurpose
from tests.unit.identity.test_accounts import PASSWORD, Shop

NEW_PASSWORD = "a brand new secret"


class Links(Shop):
    def __init__(self, limits: RateLimits | None = None) -> None:
        limits = limits or RateLimits()
        super().__init__(limits=limits)
        prove = ProveAddress(self.users, self.tokens, self.sessions)
        self.verify = VerifyEmail(self.tokens, prove)
        self.resend = ResendVerification(
            self.signup._send_verification, VerificationRateLimiter(self.cache, limits)
        )
        self.request_reset = RequestPasswordReset(
            self.users,
            self.tokens,
            self.mail,
            "http://shop.test",
            PasswordResetRateLimiter(self.cache, limits),
        )
        self.reset = ResetPassword(
            self.users, self.hasher, self.tokens, self.sessions, frozenset({"password1"}), self.limiter, prove
        )

    async def ask_reset(self, email: str) -> int:
        address = await self.request_reset(email, "10.0.0.1")
        return await self.request_reset.deliver(address)


def token_of(message: MailMessage, path: str) -> str:
    found = re.search(r"http://shop\.test(/[\w-]+)\?token=(\S+)", message.text)
    assert found is not None and found.group(1) == path, message.text
    link = found.group(0)
    assert link in message.html
    return parse_qs(urlsplit(link).query)["token"][0]


async def test_signup_with_an_email_mails_a_verification_link() -> None:
    shop = Links()
    await shop.signup("nomail", PASSWORD)
    assert shop.mail.messages == []
    ann = (await shop.signup("ann", PASSWORD, "Ann@Example.com")).user
    assert not ann.email_verified
    [message] = shop.mail.messages
    assert message.to == "Ann@Example.com" and "confirm your email" in message.text.lower()
    assert "Hello ann" in message.text and "48 hours" in message.text
    verified = await shop.verify(token_of(message, "/verify-email"))
    assert verified.email_verified and verified.id == ann.id
    with pytest.raises(InvalidToken):  # used
        await shop.verify(token_of(message, "/verify-email"))


async def test_a_session_sees_the_verification_at_once() -> None:
    shop = Links()
    result = await shop.signup("ann", PASSWORD, "ann@example.com")
    assert not (await shop.sessions.resolve(result.token)).email_verified  # now cached
    await shop.verify(token_of(shop.mail.messages[0], "/verify-email"))
    assert (await shop.sessions.resolve(result.token)).email_verified


async def test_the_verified_owner_of_an_address_wins() -> None:
    shop = Links()
    squatter = (await shop.signup("squatter", PASSWORD, "victim@example.com")).user
    victim = (await shop.signup("victim", PASSWORD, "VICTIM@example.com")).user  # allowed
    squatter_link, victim_link = (token_of(m, "/verify-email") for m in shop.mail.messages)
    # Held unverified by two accounts, the address logs neither in (usernames still do).
    with pytest.raises(InvalidLogin):
        await shop.login("victim@example.com", PASSWORD, "10.0.0.9")
    await shop.verify(victim_link)
    assert (await shop.users.get(squatter.id)).email is None
    with pytest.raises(InvalidToken):  # the link mailed for the account that lost the address
        await shop.verify(squatter_link)
    assert (await shop.login("victim@example.com", PASSWORD, "10.0.0.9")).user.id == victim.id
    with pytest.raises(UsernameTaken) as taken:
        await shop.signup("late", PASSWORD, "victim@example.com")
    assert taken.value.code == "email_taken"


async def test_resend_needs_an_unverified_address_and_is_limited() -> None:
    shop = Links(RateLimits(verification_resends=2))
    ann = (await shop.signup("ann", PASSWORD, "ann@example.com")).user
    with pytest.raises(NothingToVerify):
        await shop.resend((await shop.signup("bob", PASSWORD)).user)
    await shop.resend(ann)
    await shop.resend(ann)
    with pytest.raises(TooManyAttempts) as limited:
        await shop.resend(ann)
    assert 0 < limited.value.retry_after_seconds <= 3600
    assert len(shop.mail.messages) == 3  # signup's and two resends; every link works
    await shop.verify(token_of(shop.mail.messages[1], "/verify-email"))
    with pytest.raises(NothingToVerify):
        await shop.resend(await shop.users.get(ann.id))


async def test_reset_mail_goes_to_the_verified_owner_only() -> None:
    shop = Links()
    await shop.signup("squatter", PASSWORD, "owner@example.com")
    owner = (await shop.signup("owner", PASSWORD, "owner@example.com")).user
    await shop.verify(token_of(shop.mail.messages[1], "/verify-email"))
    shop.mail.messages.clear()
    assert await shop.ask_reset("Owner@Example.com") == 1
    [message] = shop.mail.messages
    assert message.to == "owner@example.com" and "Hello owner" in message.text
    assert "30 minutes" in message.text
    assert await shop.ask_reset("nobody@example.com") == 0
    assert len(shop.mail.messages) == 1
    assert (
        owner.id
        == (await shop.tokens.peek(token_of(message, "/reset-password"), TokenPurpose.PASSWORD_RESET)).user_id
    )


async def test_without_a_verified_owner_each_holder_gets_its_own_mail_at_the_address() -> None:
    shop = Links()
    for i in range(MAX_UNVERIFIED_RECIPIENTS + 2):
        await shop.signup(f"holder{i}", PASSWORD, "shared@example.com")
    shop.mail.messages.clear()
    assert await shop.ask_reset("shared@example.com") == MAX_UNVERIFIED_RECIPIENTS
    assert {m.to for m in shop.mail.messages} == {"shared@example.com"}
    assert [m.text.split("\n")[0] for m in shop.mail.messages][:2] == ["Hello holder0,", "Hello holder1,"]


async def test_reset_requests_are_limited_per_address_known_or_not() -> None:
    shop = Links(RateLimits(reset_per_email=2, reset_per_client=100))
    for _ in range(2):
        await shop.request_reset("ghost@example.com", "10.0.0.1")
    with pytest.raises(TooManyAttempts):
        await shop.request_reset("GHOST@example.com", "10.0.0.2")
    await shop.request_reset("other@example.com", "10.0.0.1")
    with pytest.raises(InvalidField) as bad:
        await shop.request_reset("not an address", "10.0.0.1")
    assert bad.value.field == "email"


async def test_a_reset_sets_the_password_ends_sessions_and_proves_the_address() -> None:
    shop = Links(RateLimits(per_account=2, known_address_days=0))
    first = await shop.signup("ann", PASSWORD, "ann@example.com")
    await shop.ask_reset("ann@example.com")
    await shop.ask_reset("ann@example.com")
    older, link = (token_of(m, "/reset-password") for m in shop.mail.messages[1:])
    # Someone guessed at the password from elsewhere: the account is refused from new addresses.
    for address in ("10.9.0.1", "10.9.0.2"):
        with pytest.raises(InvalidLogin):
            await shop.login("ann", "wrong guess!", address)
    with pytest.raises(TooManyAttempts):
        await shop.login("ann", PASSWORD, "10.9.0.3")
    # A refused password does not use up the link.
    for weak, reason in (("short", "at least"), ("password1", "common"), ("ann", "at least")):
        with pytest.raises(InvalidField) as refused:
            await shop.reset(link, weak)
        assert refused.value.field == "new_password" and reason in str(refused.value)
    await shop.reset(link, NEW_PASSWORD)
    assert await shop.sessions.resolve(first.token) is None
    with pytest.raises(InvalidToken):
        await shop.reset(link, NEW_PASSWORD + "!")
    with pytest.raises(InvalidToken):  # the other outstanding link stopped working
        await shop.reset(older, NEW_PASSWORD + "!")
    with pytest.raises(InvalidLogin):
        await shop.login("ann", PASSWORD, "10.9.0.4")
    user = (await shop.login("ann@example.com", NEW_PASSWORD, "10.9.0.5")).user
    assert user.email_verified  # following the mailed link proved the address


async def test_a_verification_link_cannot_reset_and_a_reset_link_cannot_verify() -> None:
    shop = Links()
    await shop.signup("ann", PASSWORD, "ann@example.com")
    await shop.ask_reset("ann@example.com")
    verify_link = token_of(shop.mail.messages[0], "/verify-email")
    reset_link = token_of(shop.mail.messages[1], "/reset-password")
    with pytest.raises(InvalidToken):
        await shop.reset(verify_link, NEW_PASSWORD)
    with pytest.raises(InvalidToken):
        await shop.verify(reset_link)
