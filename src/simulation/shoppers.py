"""Simulated shoppers: hidden tastes drawn from a few latent segments (pure, seeded).

A segment is a kind of shopper (the home cook, the outdoor type...): which categories they shop,
where in a category's price range they buy, how much a rating sways them and how loyal they are
to brands. Each shopper is a noisy draw around their segment, so the population has structure for
clustering to find without every member being alike. Nothing here is visible to the engine: the
tastes only decide what the shopper types, clicks and buys.
"""

import math
import random
from typing import Final, NamedTuple

from simulation.catalog.vocabulary import CATEGORIES, Category

CATEGORY_BY_NAME: Final = {c.name: c for c in CATEGORIES}


class Segment(NamedTuple):
    name: str
    categories: dict[str, float]  # category -> relative interest
    price_factor: float  # preferred price as a multiple of the category's median
    rating_sensitivity: float  # 0: ratings do not matter; 2: only well-rated products appeal
    brand_loyalty: float  # chance of having favourite brands in a category (and naming them)
    share: float  # of the population


SEGMENTS: Final = (
    Segment("audiophile", {"Headphones": 5, "Speakers": 4, "Televisions": 1.5, "Gaming Consoles": 1.5},
            1.6, 1.0, 0.6, 0.14),
    Segment("outdoor", {"Jackets": 4, "Tents": 4, "Backpacks": 3, "Running Shoes": 3, "Bicycles": 2,
                        "Watches": 1}, 1.1, 0.8, 0.4, 0.16),
    Segment("home_cook", {"Cookware": 5, "Coffee Makers": 4, "Blenders": 4, "Vacuum Cleaners": 1.5},
            0.9, 1.3, 0.3, 0.14),
    Segment("home_office", {"Laptops": 4, "Monitors": 4, "Office Chairs": 3, "Desk Lamps": 3,
                            "Smartphones": 1}, 1.2, 1.0, 0.5, 0.16),
    Segment("student", {"Smartphones": 3, "Jeans": 3, "Headphones": 2, "Laptops": 2, "Backpacks": 2,
                        "Board Games": 2}, 0.55, 0.4, 0.2, 0.14),
    Segment("family_home", {"Dog Food": 4, "Sofas": 3, "Board Games": 3, "Vacuum Cleaners": 3,
                            "Televisions": 2}, 1.0, 1.0, 0.3, 0.14),
    Segment("wellness", {"Skin Care": 5, "Yoga Mats": 4, "Running Shoes": 2, "Watches": 2, "Blenders": 1},
            1.0, 1.5, 0.5, 0.12),
)  # fmt: skip


class Shopper(NamedTuple):
    number: int
    segment: str
    interests: tuple[tuple[str, float], ...]  # (category, weight), weights summing to 1
    favourite_brands: dict[str, tuple[str, ...]]  # per category; empty when not brand-loyal there
    price_factor: float
    price_tolerance: float  # sd of the log price the shopper accepts around their preferred price
    rating_sensitivity: float
    brand_loyalty: float
    typo_rate: float  # chance that a longer word of a query is mistyped
    patience: float  # the examination curve's exponent: 1 / rank ** patience

    def preferred_price(self, category: str) -> float:
        return CATEGORY_BY_NAME[category].median_price * self.price_factor


class ProductView(NamedTuple):
    """What a shopper sees of a product on the result page."""

    sku: str
    category: str | None
    brand: str | None
    price: float
    rating: float


def taste_fit(shopper: Shopper, product: ProductView) -> float:
    """How well a product suits the shopper, in [0, 1], regardless of what they searched for.

    A weighted mean of price fit (a Gaussian in log price around the preferred price), brand fit
    (a favourite brand 1, another brand 0.4 for a brand-loyal shopper, 0.7 for anyone else) and
    rating fit (((rating - 1) / 4) ** sensitivity), times a category factor: 1 for the shopper's
    own categories, 0.3 for the rest.
    """
    category = product.category or ""
    interest = dict(shopper.interests).get(category, 0.0)
    if category in CATEGORY_BY_NAME:
        z = (math.log(max(product.price, 0.01)) - math.log(shopper.preferred_price(category))) / (
            shopper.price_tolerance
        )
        price_fit = math.exp(-0.5 * z * z)
    else:
        price_fit = 0.5
    favourites = shopper.favourite_brands.get(category, ())
    brand_fit = (1.0 if product.brand in favourites else 0.4) if favourites else 0.7
    rating_fit = math.pow(max(0.0, min(1.0, (product.rating - 1.0) / 4.0)), shopper.rating_sensitivity)
    fit = 0.45 * price_fit + 0.25 * brand_fit + 0.30 * rating_fit
    return fit * (1.0 if interest > 0 else 0.3)


def _pick_segment(rng: random.Random) -> Segment:
    return rng.choices(SEGMENTS, weights=[s.share for s in SEGMENTS])[0]


def make_shopper(number: int, seed: int) -> Shopper:
    """Shopper `number` of the population drawn with `seed`; independent of how many are drawn."""
    rng = random.Random(f"shopper:{seed}:{number}")
    segment = _pick_segment(rng)
    weights = {c: w * rng.lognormvariate(0.0, 0.4) for c, w in segment.categories.items()}
    # A little interest outside the segment: people are not only their type.
    for category in rng.sample([c.name for c in CATEGORIES if c.name not in weights], 2):
        weights[category] = rng.uniform(0.2, 0.6)
    total = sum(weights.values())
    interests = tuple(sorted(((c, w / total) for c, w in weights.items()), key=lambda cw: -cw[1]))
    loyalty = min(1.0, segment.brand_loyalty * rng.uniform(0.5, 1.5))
    favourites: dict[str, tuple[str, ...]] = {}
    for category, _ in interests:
        if rng.random() < loyalty:
            brands = CATEGORY_BY_NAME[category].brands
            favourites[category] = tuple(rng.sample(brands, min(len(brands), rng.choice((1, 2)))))
    return Shopper(
        number=number,
        segment=segment.name,
        interests=interests,
        favourite_brands=favourites,
        price_factor=segment.price_factor * rng.lognormvariate(0.0, 0.25),
        price_tolerance=rng.uniform(0.35, 0.65),
        rating_sensitivity=segment.rating_sensitivity * rng.lognormvariate(0.0, 0.3),
        brand_loyalty=loyalty,
        typo_rate=rng.uniform(0.0, 0.12),
        patience=rng.uniform(0.7, 1.3),
    )


def make_population(count: int, seed: int) -> list[Shopper]:
    return [make_shopper(number, seed) for number in range(1, count + 1)]


def segment_member(segment: Segment) -> Shopper:
    """The segment's typical member (no noise, no favourite brands): whose tastes judgments use."""
    total = sum(segment.categories.values())
    return Shopper(
        number=0,
        segment=segment.name,
        interests=tuple((c, w / total) for c, w in segment.categories.items()),
        favourite_brands={},
        price_factor=segment.price_factor,
        price_tolerance=0.5,
        rating_sensitivity=segment.rating_sensitivity,
        brand_loyalty=0.0,
        typo_rate=0.0,
        patience=1.0,
    )


def category_of(name: str) -> Category:
    return CATEGORY_BY_NAME[name]
