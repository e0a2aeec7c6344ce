"""Planted reformulations: a few shoppers first type a word the catalog does not use, find nothing
worth a click, and then type the catalog's word ('settee', then 'sofa').

These are the ground truth for learning synonyms from the log: `PLANTED` lists the pairs, so a
test can measure how many of the suggestions are right and how many planted pairs are found.
"""

import random
from typing import Final, NamedTuple

from simulation.queries import Intent, Query
from simulation.shoppers import Shopper


class Planted(NamedTuple):
    said: str  # what the shopper types first: a word no product has
    meant: str  # what they type next: the catalog's word
    category: str


PLANTED: Final = (
    Planted("settee", "sofa", "Sofas"),
    Planted("telly", "tv", "Televisions"),
    Planted("sneakers", "running shoes", "Running Shoes"),
    Planted("rucksack", "backpack", "Backpacks"),
    Planted("cellphone", "smartphone", "Smartphones"),
    Planted("earphones", "earbuds", "Headphones"),
    Planted("anorak", "jacket", "Jackets"),
    Planted("frypan", "frying pan", "Cookware"),
)
# Of the sessions of a shopper interested in one of the categories above.
P_REFORMULATION: Final = 0.12


def planted_pair(shopper: Shopper, rng: random.Random) -> tuple[Query, Query] | None:
    """The two queries of a planted reformulation in this session, or None (most sessions)."""
    interests = dict(shopper.interests)
    mine = [p for p in PLANTED if p.category in interests]
    if not mine or rng.random() >= P_REFORMULATION:
        return None
    pair = rng.choices(mine, weights=[interests[p.category] for p in mine])[0]
    intent = Intent(pair.category)
    return Query(pair.said, intent), Query(pair.meant, intent)
