"""The simulated shoppers: seeded tastes with segment structure, queries, the click model, sessions."""

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from domain.search.text import fold
from simulation.catalog.generator import generate_with_truth
from simulation.clicks import browse, cart_probability, examine, relevance
from simulation.queries import VAGUE_WORDS, Intent, make_query, mistype
from simulation.shoppers import (
    CATEGORY_BY_NAME,
    SEGMENTS,
    ProductView,
    make_population,
    make_shopper,
    segment_member,
    taste_fit,
)
from simulation.simulator import (
    Page,
    ShopperAccount,
    SimulatedClock,
    SimulateShoppers,
    plan_sessions,
)

END = datetime(2026, 11, 1, tzinfo=UTC)
VIEWS = [ProductView(t.sku, t.category, t.brand, t.price, t.rating) for _, t in generate_with_truth(3000)]


class ShuffledShelf:
    """A storefront that answers with 12 products of the category the query names, in random order.

    The order carries no information about the shopper, so any trend of clicks over positions is
    the examination curve's doing.
    """

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.clock_at_events: list[datetime] = []
        self.clicks: list[tuple[int, str, str, int]] = []  # user, sku, search id, position
        self.carts: list[tuple[int, str]] = []
        self.searches = 0
        self.clock: SimulatedClock | None = None

    def _category(self, query: str) -> str | None:
        words = set(fold(query).split())
        for name, spec in CATEGORY_BY_NAME.items():
            for noun in (name, *spec.nouns):
                if set(fold(noun).split()) <= words:
                    return name
        return None

    async def search(self, account: ShopperAccount, query: str) -> Page:
        self.searches += 1
        category = self._category(query)
        pool = [v for v in VIEWS if v.category == category] or VIEWS
        return Page(f"s{self.searches}", self.rng.sample(pool, 12))

    async def click(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> None:
        assert self.clock is not None
        self.clock_at_events.append(self.clock.now())
        self.clicks.append((account.user_id, sku, search_id, position))

    async def add_to_cart(
        self, account: ShopperAccount, sku: str, search_id: str, position: int, query: str
    ) -> bool:
        self.carts.append((account.user_id, sku))
        return True


def accounts(count: int, seed: int = 5) -> list[ShopperAccount]:
    return [ShopperAccount(s, s.number, "ab"[s.number % 2]) for s in make_population(count, seed)]


async def simulate(count: int, sessions: int, seed: int = 5) -> tuple[ShuffledShelf, object]:
    shelf = ShuffledShelf(seed)
    clock = SimulatedClock(END)
    shelf.clock = clock
    stats = await SimulateShoppers(shelf, clock, seed)(
        accounts(count, seed), sessions_each=sessions, days=14, end=END
    )
    return shelf, stats


def test_segments_name_real_categories_and_shoppers_are_seeded() -> None:
    for segment in SEGMENTS:
        assert set(segment.categories) <= set(CATEGORY_BY_NAME)
    assert sum(s.share for s in SEGMENTS) == pytest.approx(1.0)
    assert make_population(30, 1) == make_population(30, 1)
    assert make_population(30, 1) != make_population(30, 2)
    # Shopper n does not depend on how many are drawn.
    assert make_population(40, 1)[:30] == make_population(30, 1)
    assert make_shopper(7, 1) == make_population(10, 1)[6]


def test_shoppers_of_a_segment_share_interests_more_than_strangers() -> None:
    population = make_population(400, 3)
    names = sorted(CATEGORY_BY_NAME)
    vectors = np.array([[dict(s.interests).get(n, 0.0) for n in names] for s in population])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = vectors @ vectors.T
    segments = np.array([s.segment for s in population])
    same = segments[:, None] == segments[None, :]
    np.fill_diagonal(same, False)
    different = segments[:, None] != segments[None, :]
    assert similarity[same].mean() > 0.75 > 0.3 > similarity[different].mean()
    assert len(set(segments)) == len(SEGMENTS)


def test_taste_fit_prefers_the_right_price_brand_and_rating() -> None:
    member = segment_member(SEGMENTS[0])  # audiophile: headphones at 1.6x the median price
    target = member.preferred_price("Headphones")
    good = ProductView("a", "Headphones", "Sonora", target, 4.8)
    assert taste_fit(member, good) > taste_fit(member, good._replace(price=target / 4))
    assert taste_fit(member, good) > taste_fit(member, good._replace(rating=2.5))
    assert taste_fit(member, good) > taste_fit(member, good._replace(category="Dog Food"))
    shopper = make_shopper(1, 9)
    category, favourites = (
        next((c, b) for c, b in shopper.favourite_brands.items() if b)
        if any(shopper.favourite_brands.values())
        else ("Headphones", ())
    )
    if favourites:
        spec = CATEGORY_BY_NAME[category]
        other = next(b for b in spec.brands if b not in favourites)
        view = ProductView("x", category, favourites[0], shopper.preferred_price(category), 4.5)
        assert taste_fit(shopper, view) > taste_fit(shopper, view._replace(brand=other))
    assert all(0.0 <= taste_fit(shopper, v) <= 1.0 for v in VIEWS[:500])


def test_queries_come_from_interests_with_typos_prices_and_vague_words() -> None:
    rng = random.Random(2)
    shoppers = make_population(200, 4)
    queries = [make_query(s, rng) for s in shoppers for _ in range(5)]
    for shopper, query in zip([s for s in shoppers for _ in range(5)], queries, strict=True):
        assert query.intent.category in dict(shopper.interests)
    texts = [q.text for q in queries]
    assert any(" under " in t for t in texts) and any(t.startswith("cheap ") for t in texts)
    assert any(t.split()[0] in {"good", "nice", "best", "quality", "great", "top"} for t in texts)
    vocabulary = {w for spec in CATEGORY_BY_NAME.values() for phrase in (spec.name, *spec.nouns, *spec.features,
                  *spec.adjectives, *spec.brands) for w in fold(phrase).split()}  # fmt: skip
    vocabulary |= {*VAGUE_WORDS, "under", "cheap"}
    typo_words = [w for t in texts for w in fold(t).split() if w not in vocabulary and not w.isdigit()]
    assert typo_words, "some words are mistyped"
    assert len(typo_words) < 0.1 * sum(len(t.split()) for t in texts)
    priced = [q for q in queries if q.intent.max_price is not None]
    assert all(q.text.endswith(f"under {int(q.intent.max_price or 0)}") for q in priced)


def test_a_typo_keeps_the_first_letter_and_changes_one_thing() -> None:
    rng = random.Random(0)
    for word in ("headphones", "blender", "laptop", "sofas"):
        for _ in range(50):
            typed = mistype(word, rng)
            assert typed[0] == word[0] and abs(len(typed) - len(word)) <= 1
    assert mistype("tv", rng) == "tv"


def test_examination_curve_and_relevance_are_as_documented() -> None:
    assert [round(examine(r), 3) for r in (1, 2, 3, 4)] == [1.0, 0.5, 0.333, 0.25]
    assert examine(4, patience=0.5) == pytest.approx(0.5)
    product = ProductView("a", "Tents", "Campstead", 100.0, 4.0)
    assert relevance(product, Intent("Tents")) == 1.0
    assert relevance(product, Intent("Sofas")) == pytest.approx(0.1)
    assert relevance(product, Intent("Tents", max_price=50)) == 0.5
    assert cart_probability(1.0) > cart_probability(0.5) > cart_probability(0.0) == 0.02


def test_browse_is_deterministic_for_a_seed() -> None:
    shopper = make_shopper(3, 3)
    page = [v for v in VIEWS if v.category == shopper.interests[0][0]][:12]
    intent = Intent(shopper.interests[0][0])
    first = browse(shopper, page, intent, random.Random(11))
    assert first == browse(shopper, page, intent, random.Random(11))
    assert [d.position for d in first] == list(range(1, len(page) + 1))


async def test_clicks_show_position_bias_and_carts_show_taste() -> None:
    shelf, stats = await simulate(300, 6)
    shown = np.array(stats.impressions_by_position[:12], dtype=float)
    clicked = np.array(stats.clicks_by_position[:12], dtype=float)
    ctr = clicked / shown
    # The page order is random, so the falling click rate is the examination curve.
    assert ctr[0] > 2 * ctr[3] > 0 and ctr[:3].mean() > 2 * ctr[8:].mean()
    # Relative to rank 1, each rank's click rate follows examine(r) within sampling noise.
    relative = ctr / ctr[0]
    assert relative[1] == pytest.approx(0.5, abs=0.15) and relative[3] == pytest.approx(0.25, abs=0.1)
    # Add-to-cart rate per click rises with taste fit.
    rates = [c / k for c, k in zip(stats.carts_by_fit, stats.clicks_by_fit, strict=True) if k >= 30]
    assert len(rates) >= 3 and rates == sorted(rates) and rates[-1] > 2 * rates[0]
    assert stats.clicks == len(shelf.clicks) and stats.carts == len(shelf.carts)
    assert stats.events == stats.impressions + stats.clicks + stats.carts


async def test_simulation_replays_exactly_with_a_seed_and_spreads_over_the_days() -> None:
    first_shelf, first = await simulate(60, 3, seed=8)
    again_shelf, again = await simulate(60, 3, seed=8)
    assert first == again
    assert [c[:2] + c[3:] for c in first_shelf.clicks] == [c[:2] + c[3:] for c in again_shelf.clicks]
    other_shelf, _ = await simulate(60, 3, seed=9)
    assert other_shelf.clicks != first_shelf.clicks
    moments = first_shelf.clock_at_events
    assert min(moments) >= END - timedelta(days=14) and max(moments) <= END + timedelta(hours=1)
    assert max(moments) - min(moments) > timedelta(days=10)
    assert first.sessions == 180 and first.searches >= 180


def test_sessions_are_planned_in_time_order() -> None:
    plans = plan_sessions(accounts(20), 4, 7, END, seed=1)
    assert len(plans) == 80
    assert [p.start for p in plans] == sorted(p.start for p in plans)
    assert all(END - timedelta(days=7) <= p.start <= END for p in plans)


async def test_a_task_keeps_the_simulated_moment_it_was_started_at() -> None:
    import asyncio

    clock = SimulatedClock(END)
    seen: list[datetime] = []

    async def write() -> None:
        await asyncio.sleep(0)
        seen.append(clock.now())

    clock.set(END - timedelta(days=2))
    task = asyncio.ensure_future(write())
    clock.set(END - timedelta(days=1))  # the simulation moves on before the task runs
    await task
    assert seen == [END - timedelta(days=2)] and clock.now() == END - timedelta(days=1)
