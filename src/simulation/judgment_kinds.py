"""The harder query kinds of the demo judgments, each graded from the products' true make-up.

- measurement: a number and unit the text writes ('a 5000 mAh battery', '65W fast charging'),
  asked the other way round ('5000mah smartphones', '65 watt smartphones');
- model: a numbered series the text names ('Max 5'), split or joined ('max 5 laptops', 'max5 laptops');
- typo: a brand or feature query with one word misspelt (a swap, a drop or a doubled letter);
- compound: a hyphenated feature joined or split ('noisecancelling headphones', 'usb c monitors');
- long: five or more words from the adjective, feature, noun, colour and use of one product.

Grades: 2 when every part holds; 1 for a model's other numbers of the same series, and for a long
query's products that miss exactly one of its parts. Each kind draws from its own seeded stream.
"""

import random
import re
from collections.abc import Callable, Sequence
from typing import Final

from domain.evaluation.judgments import Judgments
from simulation.catalog.generator import ProductTruth
from simulation.catalog.vocabulary import CATEGORIES, PRAISE, SERIES

MIN_EXACT: Final = 3
# A number and the unit written after it (or SPF before it), as the vocabulary's phrases write them.
_MEASUREMENT: Final = re.compile(r"\b(\d+)( ?)(mAh|Wh|W|Hz|fps|hour|bar)\b|\b(SPF)( ?)(\d+)\b")
_SPELLED: Final = {"w": "watt"}

Measurement = tuple[str, str]  # (number, unit in lower case)
Grader = Callable[[ProductTruth], int]


def measurements(phrase: str) -> dict[Measurement, bool]:
    """The measurements a phrase writes, each with whether number and unit are written apart."""
    found: dict[Measurement, bool] = {}
    for m in _MEASUREMENT.finditer(phrase):
        number, unit, apart = (m[1], m[3], m[2]) if m[1] else (m[6], m[4], m[5])
        found[(number, unit.lower())] = bool(apart)
    return found


def written_measurements(truth: ProductTruth) -> set[Measurement]:
    return {key for phrase in truth.written for key in measurements(phrase)}


def _vocabulary_words() -> frozenset[str]:
    texts = [*SERIES, *PRAISE]
    for c in CATEGORIES:
        texts += [c.name, *c.nouns, *c.brands, *c.adjectives, *c.features, *c.highlights, *c.uses]
        texts += [*c.materials, *c.colors]
    return frozenset(w for text in texts for w in re.findall(r"[a-z]+", text.lower()))


KNOWN_WORDS: Final = _vocabulary_words()  # a typo must not spell another catalog word


def typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard inside a word of 5+ letters: two neighbours swapped (6+ letters),
    a letter dropped or doubled; never the first or last letter, never another vocabulary word."""
    for _ in range(20):
        ops = ["drop", "double", "swap"] if len(word) >= 6 else ["drop", "double"]
        op = rng.choice(ops)
        i = rng.randrange(1, len(word) - 2) if op == "swap" else rng.randrange(1, len(word) - 1)
        if op == "swap":
            slip = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif op == "drop":
            slip = word[:i] + word[i + 1 :]
        else:
            slip = word[:i] + word[i] + word[i:]
        if slip != word and slip not in KNOWN_WORDS:
            return slip
    raise ValueError(f"no typo found for {word!r}")  # pragma: no cover: 20 draws practically always find one


def _graded(items: Sequence[ProductTruth], grade: Grader) -> dict[str, int]:
    return {t.sku: g for t in items if (g := grade(t))}


def _exact(graded: dict[str, int]) -> int:
    return sum(1 for g in graded.values() if g == 2)


def measurement_queries(by_category: dict[str, list[ProductTruth]], rng: random.Random) -> Judgments:
    """Every measurement a category's text writes of at least MIN_EXACT products (the vocabulary
    holds about a dozen), asked with the spacing the text does not use, units sometimes spelt out."""
    judgments: Judgments = {}
    for category, items in by_category.items():
        said = {t.sku: written_measurements(t) for t in items}
        forms: dict[Measurement, bool] = {}
        for t in items:
            for phrase in t.written:
                forms.update(measurements(phrase))
        for key, apart in sorted(forms.items()):
            number, unit = key
            if unit == "spf":
                asked = f"spf{number}" if apart else f"spf {number}"
            elif apart:
                asked = f"{number}{unit}"
            else:
                asked = f"{number} {_SPELLED[unit] if unit in _SPELLED and rng.random() < 0.5 else unit}"
            graded = {t.sku: 2 for t in items if key in said[t.sku]}
            if _exact(graded) >= MIN_EXACT:
                judgments[f"{asked} {category.lower()}"] = graded
    return judgments


def _one_per_category(
    by_category: dict[str, list[ProductTruth]],
    rng: random.Random,
    count: int,
    make: Callable[[str, list[ProductTruth], random.Random], tuple[str, dict[str, int]] | None],
) -> Judgments:
    """Up to `count` queries from categories taken in a seeded order, one each, a few tries per category."""
    order = sorted(by_category)
    rng.shuffle(order)
    judgments: Judgments = {}
    for category in order:
        if len(judgments) == count:
            break
        for _ in range(6):
            made = make(category, by_category[category], rng)
            if made is not None and made[0] not in judgments:
                judgments[made[0]] = made[1]
                break
    return judgments


def _model(category: str, items: list[ProductTruth], rng: random.Random) -> tuple[str, dict[str, int]] | None:
    numbered = [t for t in items if " " in t.series]
    if not numbered:
        return None
    series = rng.choice(numbered).series
    name, number = series.split(" ")
    asked = f"{name} {number}" if rng.random() < 0.5 else f"{name}{number}"

    def grade(t: ProductTruth) -> int:
        if t.series == series:
            return 2
        return 1 if t.series.split(" ")[0] == name else 0

    graded = _graded(items, grade)
    return (f"{asked.lower()} {category.lower()}", graded) if len(graded) >= MIN_EXACT else None


def _typo(category: str, items: list[ProductTruth], rng: random.Random) -> tuple[str, dict[str, int]] | None:
    pick = rng.choice(items)
    part = rng.choice(["brand", "feature"])
    words = (pick.brand if part == "brand" else pick.feature).lower()
    query = f"{words} {category.lower()}"
    if part == "brand":
        graded = {t.sku: 2 for t in items if t.brand == pick.brand}
    else:
        graded = {t.sku: 2 for t in items if t.feature == pick.feature}
    eligible = [w for w in query.split() if w.isalpha() and len(w) >= 5]
    if _exact(graded) < MIN_EXACT or not eligible:
        return None
    word = rng.choice(eligible)
    slipped = " ".join(typo(w, rng) if w == word else w for w in query.split())
    return slipped, graded


def _compound(
    category: str, items: list[ProductTruth], rng: random.Random
) -> tuple[str, dict[str, int]] | None:
    hyphenated = sorted({t.feature for t in items if "-" in t.feature})
    if not hyphenated:
        return None
    feature = rng.choice(hyphenated)
    parts = feature.lower().split("-")
    asked = "".join(parts) if rng.random() < 0.5 else " ".join(parts)
    graded = _graded(items, lambda t: 2 if t.feature == feature else 0)
    return (f"{asked} {category.lower()}", graded) if _exact(graded) >= MIN_EXACT else None


def _long(category: str, items: list[ProductTruth], rng: random.Random) -> tuple[str, dict[str, int]] | None:
    pick = rng.choice(items)
    parts: list[tuple[str, Callable[[ProductTruth], bool]]] = [
        (pick.adjective, lambda t: t.adjective == pick.adjective),
        (pick.feature, lambda t: t.feature == pick.feature),
        (pick.noun, lambda t: t.noun == pick.noun),
        (f"for {pick.uses[0]}", lambda t: pick.uses[0] in t.uses),
    ]
    if pick.color:
        parts.insert(0, (pick.color, lambda t: t.color == pick.color))

    def grade(t: ProductTruth) -> int:
        missed = sum(1 for _, holds in parts if not holds(t))
        return 2 if missed == 0 else 1 if missed == 1 else 0

    graded = _graded(items, grade)
    query = " ".join(words for words, _ in parts).lower()
    return (query, graded) if len(query.split()) >= 5 and len(graded) >= MIN_EXACT else None


def hard_judgments(
    truths: Sequence[ProductTruth], *, per_kind: int = 10, seed: int = 7
) -> dict[str, Judgments]:
    """Kind -> its judgments, up to `per_kind` queries of each kind but measurements (all of them);
    every kind has its own stream, seeded by `seed` and the kind's name."""
    by_category: dict[str, list[ProductTruth]] = {}
    for truth in truths:
        by_category.setdefault(truth.category, []).append(truth)
    by_category = dict(sorted(by_category.items()))
    makers = {"model": _model, "typo": _typo, "compound": _compound, "long": _long}
    kinds = {"measurement": measurement_queries(by_category, random.Random(f"{seed}:measurement"))}
    for kind, make in makers.items():
        kinds[kind] = _one_per_category(by_category, random.Random(f"{seed}:{kind}"), per_kind, make)
    return kinds
