"""What a simulated shopper types: words from their interests, with the noise people add.

A query has an intent (the category they want, maybe a brand and a price ceiling) and the words
that express it: the category or one of its product nouns, sometimes a feature or adjective, a
favourite brand, a price phrase ('under 80', 'cheap'), a vague word ('good', 'nice') and typos
(a dropped, doubled, swapped or wrong letter in a longer word).
"""

import random
import string
from typing import Final, NamedTuple

from simulation.shoppers import CATEGORY_BY_NAME, Shopper

VAGUE_WORDS: Final = ("good", "nice", "best", "quality", "great", "top")
ROUND_PRICES: Final = (10, 15, 20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300, 400,
                       500, 600, 750, 800, 1000, 1200, 1500, 2000, 2500)  # fmt: skip
# How likely each kind of addition is in a query.
P_NOUN: Final = 0.45  # a product noun ('espresso machine') instead of the category name
P_FEATURE: Final = 0.3
P_PRICE: Final = 0.2
P_VAGUE: Final = 0.12


class Intent(NamedTuple):
    category: str
    brand: str | None = None
    max_price: float | None = None


class Query(NamedTuple):
    text: str
    intent: Intent


def mistype(word: str, rng: random.Random) -> str:
    """One slip of the finger, never on the first letter (people see that one)."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    slip = rng.randrange(4)
    if slip == 0:
        return word[:i] + word[i + 1 :]  # dropped
    if slip == 1:
        return word[:i] + word[i] + word[i:]  # doubled
    if slip == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]  # wrong letter


def _round_price(value: float) -> int:
    return min(ROUND_PRICES, key=lambda p: abs(p - value))


def pick_category(shopper: Shopper, rng: random.Random) -> str:
    names = [c for c, _ in shopper.interests]
    return rng.choices(names, weights=[w for _, w in shopper.interests])[0]


def make_query(shopper: Shopper, rng: random.Random) -> Query:
    category = pick_category(shopper, rng)
    spec = CATEGORY_BY_NAME[category]
    head = rng.choice(spec.nouns) if rng.random() < P_NOUN else category
    words = head.lower().split()
    if rng.random() < P_FEATURE:
        words.insert(0, rng.choice(spec.features + spec.adjectives).lower())
    brand = None
    favourites = shopper.favourite_brands.get(category, ())
    if favourites and rng.random() < shopper.brand_loyalty:
        brand = rng.choice(favourites)
        words.insert(0, brand.lower())
    if rng.random() < P_VAGUE:
        words.insert(0, rng.choice(VAGUE_WORDS))
    # Typos land in the words of the thing sought, not in the price phrase added after.
    words = [mistype(w, rng) if rng.random() < shopper.typo_rate else w for w in words]
    max_price = None
    if rng.random() < P_PRICE:
        ceiling = _round_price(shopper.preferred_price(category) * rng.uniform(1.0, 1.5))
        if shopper.price_factor < 0.7 and rng.random() < 0.5:
            words.insert(0, "cheap")
        else:
            words += ["under", str(ceiling)]
            max_price = float(ceiling)
    return Query(" ".join(words), Intent(category, brand, max_price))
