"""Account export and deletion with in-memory fakes: what goes, what is pseudonymised, who may."""

from datetime import timedelta

import pytest

from application.account.delete_account import PSEUDONYM_PREFIX, DeleteAccount
from application.account.export_account import ExportAccount
from application.account.ports import OwnReview, Viewed
from application.identity.dto import Authenticated
from application.identity.rate_limit import PasswordChangeRateLimiter, RateLimits
from domain.cart.model import CartItem
from domain.events.model import Event
from domain.identity.errors import InvalidField, LastAdmin, TooManyAttempts
from tests.unit.account_fakes import (
    InMemoryOwnReviews,
    InMemoryUserRows,
    InMemoryVisitorEvents,
    InMemoryVisitorRows,
)
from tests.unit.identity.test_accounts import PASSWORD, Shop
from tests.unit.shopper_fakes import RecordingInvalidator


class ForgottenAddresses:
    def __init__(self) -> None:
        self.addresses: list[str] = []

    async def forget_address(self, address: str) -> None:
        self.addresses.append(address)


class Account(Shop):
    def __init__(self) -> None:
        super().__init__(limits=RateLimits(password_change_failures=3))
        self.reviews = InMemoryOwnReviews()
        self.rows = InMemoryUserRows()
        self.profiles = InMemoryVisitorRows("user:1", "user:2")
        self.marks = InMemoryVisitorRows("user:1", "user:2")
        self.events = InMemoryVisitorEvents()
        self.invalidator = RecordingInvalidator()
        self.mail = ForgottenAddresses()
        self.delete = DeleteAccount(
            self.users,
            self.hasher,
            self.sessions,
            PasswordChangeRateLimiter(self.cache, RateLimits(password_change_failures=3)),
            self.reviews,
            self.invalidator,
            [self.rows],
            [self.profiles, self.marks],
            self.events,
            [self.mail],
        )
        self.export = ExportAccount(self.rows, self.reviews, self.rows, self.events, self.sessions)

    def event(self, user_id: int, sku: str, minutes: int = 0) -> Event:
        return Event(
            type="click",
            sku=sku,
            visitor_id=f"user:{user_id}",
            user_id=user_id,
            arm="control",
            occurred_at=self.clock.now() + timedelta(minutes=minutes),
            query="red shoes",
            position=2,
        )


async def filled() -> tuple[Account, Authenticated, Authenticated]:
    shop = Account()
    ann = await shop.signup("ann", PASSWORD, "ann@example.com")
    bob = await shop.signup("bob", PASSWORD)
    now = shop.clock.now()
    shop.reviews.reviews = {
        1: [OwnReview(sku="A", rating=5, comment="", created_at=now)],
        2: [OwnReview(sku="B", rating=1, comment="", created_at=now)],
    }
    shop.rows.cart = {1: [CartItem("A", 2)], 2: [CartItem("B", 1)]}
    shop.rows.views = {1: [Viewed(sku="A", viewed_at=now)]}
    shop.events.events = [shop.event(1, "A"), shop.event(2, "B"), shop.event(1, "C", 1)]
    return shop, ann, bob


async def test_export_gathers_the_users_own_data_only() -> None:
    shop, ann, _ = await filled()
    data = await shop.export(ann.user, ann.token)
    assert data.user == ann.user
    assert data.cart == [CartItem("A", 2)]
    assert [r.sku for r in data.reviews] == ["A"]
    assert [e.sku for e in data.events] == ["A", "C"]
    assert [v.sku for v in data.recently_viewed] == ["A"]
    assert [s.current for s in data.sessions] == [True]


async def test_deletion_removes_the_account_and_pseudonymises_its_events() -> None:
    shop, ann, bob = await filled()
    await shop.delete(ann.user, PASSWORD)
    assert await shop.users.get(ann.user.id) is None
    assert await shop.sessions.resolve(ann.token) is None
    assert shop.reviews.reviews == {
        2: [OwnReview(sku="B", rating=1, comment="", created_at=shop.clock.now())]
    }
    assert shop.invalidator.invalidated == ["A"]  # its rating was recounted: drop the cached product
    assert shop.rows.forgotten == [1]
    assert shop.mail.addresses == ["ann@example.com"]  # the mail sent to her address goes too
    assert shop.profiles.visitors == shop.marks.visitors == {"user:2"}
    mine = [e for e in shop.events.events if e.sku in ("A", "C")]
    assert len(shop.events.events) == 3  # nothing removed from the analytics' raw data
    assert {e.user_id for e in mine} == {None}
    pseudonyms = {e.visitor_id for e in mine}
    assert len(pseudonyms) == 1 and next(iter(pseudonyms)).startswith(PSEUDONYM_PREFIX)
    # Bob is untouched.
    assert await shop.sessions.resolve(bob.token) == bob.user
    assert [e.visitor_id for e in shop.events.events if e.sku == "B"] == ["user:2"]


async def test_each_deletion_gets_a_new_pseudonym() -> None:
    shop, ann, bob = await filled()
    await shop.delete(ann.user, PASSWORD)
    await shop.delete(bob.user, PASSWORD)
    assert len({e.visitor_id for e in shop.events.events}) == 2


@pytest.mark.parametrize("password", ["", "wrong password"])
async def test_a_missing_or_wrong_password_changes_nothing(password: str) -> None:
    shop, ann, _ = await filled()
    with pytest.raises(InvalidField) as raised:
        await shop.delete(ann.user, password)
    assert raised.value.field == "password"
    assert await shop.users.get(ann.user.id) == ann.user
    assert await shop.sessions.resolve(ann.token) == ann.user
    assert shop.rows.forgotten == [] and len(shop.reviews.reviews) == 2
    assert {e.visitor_id for e in shop.events.events} == {"user:1", "user:2"}


async def test_wrong_passwords_are_limited_per_user() -> None:
    shop, ann, bob = await filled()
    for _ in range(3):
        with pytest.raises(InvalidField):
            await shop.delete(ann.user, "wrong password")
    with pytest.raises(TooManyAttempts):
        await shop.delete(ann.user, PASSWORD)  # even the right one, until the window ends
    await shop.delete(bob.user, PASSWORD)  # another user is not limited
    assert await shop.users.get(ann.user.id) == ann.user


async def test_the_last_administrator_stays() -> None:
    shop, _, _ = await filled()
    admin = await shop.users.set_admin("ann", True)
    assert admin is not None
    with pytest.raises(LastAdmin):
        await shop.delete(admin, PASSWORD)
    assert await shop.users.get(admin.id) == admin
    await shop.users.set_admin("bob", True)
    await shop.delete(admin, PASSWORD)
    assert await shop.users.get(admin.id) is None
