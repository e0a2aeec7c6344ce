"""The click model: which results a simulated shopper examines, clicks and puts in the cart.

Position-based model (PBM): a result at rank r (1-based, on the page shown) is examined with
probability

    examine(r) = 1 / r ** patience

(patience about 1: 1.0, 0.50, 0.33, 0.25 ... down the page; a patient shopper's curve falls
slower), independently of the other results. An examined result is clicked with its
attractiveness, and a clicked one goes into the cart with a probability that rises with taste fit:

    attract = relevance * (0.04 + 0.56 * fit ** 2)
    cart    = 0.02 + 0.3 * fit ** 2

where relevance is 1 for a product of the category the shopper searched for, 0.1 for any other,
halved over the shopper's price ceiling, and 1.3 times (at most 1) for the brand they named; and
fit is `taste_fit`. Because examination depends only on rank, the click rate by position shows
position bias, and the cart rate by fit shows taste.
"""

import math
import random
from collections.abc import Sequence
from typing import NamedTuple

from simulation.queries import Intent
from simulation.shoppers import ProductView, Shopper, taste_fit


class Decision(NamedTuple):
    position: int  # 1-based rank on the page
    sku: str
    fit: float
    clicked: bool
    carted: bool


def examine(rank: int, patience: float = 1.0) -> float:
    return 1.0 / math.pow(rank, patience)


def relevance(product: ProductView, intent: Intent) -> float:
    score = 1.0 if product.category == intent.category else 0.1
    if intent.max_price is not None and product.price > intent.max_price:
        score *= 0.5
    if intent.brand is not None and product.brand == intent.brand:
        score = min(1.0, score * 1.3)
    return score


def cart_probability(fit: float) -> float:
    return 0.02 + 0.3 * fit**2


def browse(
    shopper: Shopper, results: Sequence[ProductView], intent: Intent, rng: random.Random
) -> list[Decision]:
    """The shopper's decision on every result of one page, in rank order."""
    decisions = []
    for rank, product in enumerate(results, start=1):
        fit = taste_fit(shopper, product)
        clicked = rng.random() < examine(rank, shopper.patience) and rng.random() < relevance(
            product, intent
        ) * (0.04 + 0.56 * fit**2)
        carted = clicked and rng.random() < cart_probability(fit)
        decisions.append(Decision(rank, product.sku, fit, clicked, carted))
    return decisions
