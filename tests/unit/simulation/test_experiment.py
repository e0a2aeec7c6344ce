"""The experiment's pieces with fakes: the A/B readout, the replayed job schedule, taste grades."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.events.model import Event, Impression, Shown
from simulation.experiment import ab_readout
from simulation.judgments import taste_grade
from simulation.queries import Intent
from simulation.scheduled_jobs import ScheduledJobsStorefront
from simulation.shoppers import ProductView, category_of, make_shopper
from simulation.simulator import Page, ShopperAccount
from tests.unit.fakes import FakeClock

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def page(search_id: str, arm: str, skus: list[str], at: datetime = T0, visitor: str = "v") -> Impression:
    return Impression(
        search_id=search_id, visitor_id=visitor, arm=arm, query="q", page=1, total=len(skus), occurred_at=at,
        items=tuple(Shown(sku, i + 1) for i, sku in enumerate(skus)),
    )  # fmt: skip


def event(kind: str, search_id: str, sku: str = "A") -> Event:
    return Event(type=kind, sku=sku, visitor_id="v", arm="x", occurred_at=T0, search_id=search_id)  # type: ignore[arg-type]


def test_the_readout_counts_searches_with_a_click_or_a_cart_per_arm() -> None:
    impressions = [
        page("p1", "popularity", ["A", "B"]),
        page("p2", "popularity", ["A"]),
        page("p3", "popularity", []),  # no results: not a trial
        page("t1", "personalized", ["A"]),
        page("t2", "personalized", ["A"]),
        page("late", "personalized", ["A"], at=T0 + timedelta(days=9)),  # outside the window
    ]
    events = [
        event("click", "p1", "A"), event("click", "p1", "B"), event("add_to_cart", "p1", "B"),
        event("click", "t1"), event("click", "t2"), event("add_to_cart", "t2"), event("click", "late"),
    ]  # fmt: skip
    readout = ab_readout(impressions, events, T0, T0 + timedelta(days=1))
    assert (readout.control.searches, readout.control.clicked, readout.control.carted) == (2, 1, 1)
    assert readout.control.clicks == 2
    assert (readout.treatment.searches, readout.treatment.clicked, readout.treatment.carted) == (2, 2, 1)
    assert readout.ctr_lift_searches.control_rate == pytest.approx(0.5)
    assert readout.ctr_lift_searches.treatment_rate == pytest.approx(1.0)
    assert readout.cart_lift_searches.lift == pytest.approx(0.0)
    # One visitor per arm: the visitor-level lift has the rates but no interval.
    assert readout.ctr_lift.control_rate == pytest.approx(0.5)
    assert readout.ctr_lift.lift is None


def test_the_headline_lift_takes_visitors_as_the_unit() -> None:
    impressions, events = [], []
    for n in range(40):
        arm = "personalized" if n % 2 else "popularity"
        for k in range(3):
            search = f"s{n}-{k}"
            impressions.append(page(search, arm, ["A"], visitor=f"v{n}"))
            if arm == "personalized" or k == 0:  # treatment clicks every search, control one in three
                events.append(event("click", search))
    readout = ab_readout(impressions, events, T0, T0 + timedelta(days=1))
    assert (readout.control.visitors, readout.treatment.visitors) == (20, 20)
    lift = readout.ctr_lift
    assert lift.lift == pytest.approx(2.0)
    assert lift.ci_low is not None and lift.ci_low > 0
    assert lift.p_value is not None and lift.p_value < 0.01
    assert "visitors" in lift.method


class RecordingStorefront:
    def __init__(self) -> None:
        self.calls: list[str] = []

    async def settle(self) -> None:
        self.calls.append("settle")

    async def search(self, account: ShopperAccount, query: str) -> Page:
        self.calls.append("search")
        return Page("s", [])

    async def click(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> None:
        self.calls.append("click")

    async def add_to_cart(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> bool:
        self.calls.append("cart")
        return True


async def test_jobs_run_when_due_on_the_simulated_clock_for_the_active_shoppers_only() -> None:
    clock = FakeClock(T0)
    refreshed: list[list[str]] = []
    reclusters: list[datetime] = []

    async def refresh(ids: object) -> int:
        refreshed.append(list(ids))  # type: ignore[call-overload]
        return len(refreshed[-1])

    async def recluster() -> None:
        reclusters.append(clock.now())

    inner = RecordingStorefront()
    shop = ScheduledJobsStorefront(inner, clock, refresh, recluster)
    alice = ShopperAccount(make_shopper(1, 0), 7, "personalized")
    await shop.search(alice, "q")  # nobody active yet: no profiles; the first recluster runs
    assert refreshed == [] and reclusters == [T0]
    await shop.click(alice, "A", "s", 1, "q")
    await shop.search(alice, "q")  # due (never run) and someone was active
    assert refreshed == [["user:7"]]
    assert inner.calls.index("settle") < inner.calls.index("search")
    await shop.click(alice, "A", "s", 1, "q")
    clock.advance(60)
    await shop.search(alice, "q")  # a minute later: not due yet
    assert len(refreshed) == 1
    clock.advance(5 * 60)
    await shop.search(alice, "q")
    assert refreshed == [["user:7"], ["user:7"]]
    clock.advance(6 * 3600)
    await shop.search(alice, "q")
    assert len(reclusters) == 2


async def test_a_scheduled_retrain_runs_after_enough_events_or_a_day_and_only_once_scheduled() -> None:
    clock = FakeClock(T0)
    retrains: list[datetime] = []
    inner = RecordingStorefront()

    async def nothing(*_: object) -> int:
        return 0

    async def retrain() -> None:
        inner.calls.append("retrain")
        retrains.append(clock.now())

    shop = ScheduledJobsStorefront(inner, clock, nothing, nothing)
    alice = ShopperAccount(make_shopper(1, 0), 7, "personalized")
    for _ in range(5):
        await shop.click(alice, "A", "s", 1, "q")
    await shop.search(alice, "q")
    assert retrains == []  # not scheduled yet: earlier events do not count
    shop.schedule_retrain(retrain, every_events=3, every=timedelta(hours=24))
    await shop.click(alice, "A", "s", 1, "q")
    await shop.add_to_cart(alice, "A", "s", 1, "q")
    await shop.search(alice, "q")
    assert retrains == []  # two events
    await shop.click(alice, "A", "s", 1, "q")
    calls = len(inner.calls)
    await shop.search(alice, "q")
    assert retrains == [T0]  # the third event: retrained before the search, once the log was stored
    assert inner.calls[calls:] == ["settle", "retrain", "search"]
    clock.advance(23 * 3600)
    await shop.search(alice, "q")
    assert len(retrains) == 1
    clock.advance(3600)
    await shop.search(alice, "q")  # a day since the last retrain, without events
    assert retrains == [T0, T0 + timedelta(hours=24)] and shop.retrain_runs == 2


def test_a_taste_grade_needs_the_category_sought_and_a_good_fit() -> None:
    shopper = make_shopper(3, 0)
    category = shopper.interests[0][0]
    price = shopper.preferred_price(category)
    brands = shopper.favourite_brands.get(category) or category_of(category).brands
    good = ProductView("G", category, brands[0], price, 5.0)
    assert taste_grade(shopper, good, Intent(category)) >= 1
    other = next(c for c in ("Tents", "Laptops") if c != category)
    assert taste_grade(shopper, good, Intent(other)) == 0  # not what they searched for
    assert taste_grade(shopper, ProductView("B", category, brands[0], price * 20, 1.0), Intent(category)) == 0
