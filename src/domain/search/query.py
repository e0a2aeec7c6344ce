"""Parsing what a shopper types: web-search syntax, price phrases and sort words.

The result is a structured query that both search adapters turn into their own match syntax.
"""

import re
from collections.abc import Collection
from typing import Final, Literal

import msgspec

from domain.search.errors import InvalidQuery
from domain.search.sorting import SortKey
from domain.search.text import STOPWORDS, WORD_RE, analyze_words, fold
from domain.search.tokens import UNITS, normalise_marks, split_text

MAX_QUERY_LENGTH: Final = 500
# Words a query is read and matched with: the first ones typed; the rest are ignored. Every word
# costs analysis, correction and a term in each match, so a long query must not cost more.
MAX_QUERY_WORDS: Final = 32


class Term(msgspec.Struct, frozen=True):
    """One word, or several that must stand together (a quoted phrase)."""

    words: tuple[str, ...]

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(analyze_words(list(self.words)))


class Clause(msgspec.Struct, frozen=True):
    """Alternatives joined by OR; a product satisfies the clause when it has any of them.

    A compound or measurement is one clause of its words as a phrase or its joined form:
    'usb-c' -> (usb c | usbc), '27in' -> (27 in | 27in).
    """

    alternatives: tuple[Term, ...]
    synonyms: bool = False  # the first alternative is what was typed, the others its synonyms


class Interpreted(msgspec.Struct, frozen=True):
    """A phrase read as a price bound or a sort instead of as words.

    `words` are its folded words ('max 90' -> ('max', '90')); `explicit` says a currency or a
    comparison sign marks it ('under $50', '<= 30'), which no product name reads like.
    """

    kind: Literal["price", "sort"]
    words: tuple[str, ...]
    explicit: bool = False


class ParsedQuery(msgspec.Struct, frozen=True):
    text: str
    clauses: tuple[Clause, ...]
    excluded: tuple[Term, ...]
    min_price: float | None = None
    max_price: float | None = None
    sort: SortKey | None = None
    # Stop words standing alone ('case with stand'): never required, they count a little in titles.
    optional: tuple[Term, ...] = ()
    interpreted: tuple[Interpreted, ...] = ()  # the phrases that set the prices and the sort


# A price: '1,299.99' (thousands separators) or '49' / '49.90' / '49,90'.
_AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?![\d,])"
_NUM = r"\$?\s*" + _AMOUNT + r"\s*(?:\$|€|£|usd|eur|euros?|dollars?|bucks|pounds?)?"
_PRICE_PATTERNS: Final = (
    (re.compile(rf"\b(?:between|from)\s+{_NUM}\s*(?:and|to|-)\s*{_NUM}(?!\w)"), "range"),
    (re.compile(r"\$\s*" + _AMOUNT + r"\s*(?:-|to)\s*\$\s*" + _AMOUNT + r"(?!\w)"), "range"),
    (
        re.compile(
            r"\b(?:under|below|less than|cheaper than|up to|at most|max(?:imum)?|no more than)\s+"
            + _NUM
            + r"(?!\w)"
        ),
        "max",
    ),
    (re.compile(r"(?:<=?)\s*" + _NUM + r"(?!\w)"), "max"),
    (
        re.compile(r"\b(?:over|above|more than|at least|min(?:imum)?|starting at)\s+" + _NUM + r"(?!\w)"),
        "min",
    ),
    (re.compile(r"(?:>=?)\s*" + _NUM + r"(?!\w)"), "min"),
)

# Words about the order of results rather than about products; language, not catalog vocabulary.
_SORT_PATTERNS: Final[tuple[tuple[re.Pattern[str], SortKey], ...]] = (
    (re.compile(r"\b(?:best|top|highest|highly)[\s-]+(?:rated|reviewed)\b"), "rating"),
    (re.compile(r"\b(?:most expensive|priciest|highest price)\b"), "price_desc"),
    (
        re.compile(r"\b(?:cheapest|cheap|inexpensive|affordable|budget|lowest price|low priced?)\b"),
        "price_asc",
    ),
    (re.compile(r"\b(?:most popular|best[\s-]?sell(?:ing|ers?)|trending|popular)\b"), "popularity"),
    (re.compile(r"\b(?:newest|latest|new arrivals?)\b"), "newest"),
)

_QUOTED_RE = re.compile(r'"[^"]*"?')
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def _number(raw: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        return float(raw.replace(",", ""))
    return float(raw.replace(",", "."))


# A sign or a currency that says a number is a price ('under $50', '<= 30', '20 bucks').
_PRICE_MARK = re.compile(r"[$€£<>]|\b(?:usd|eur|euros?|dollars?|bucks|pounds?)\b")


def _first(pattern: re.Pattern[str], text: str, literal: Collection[tuple[str, ...]]) -> re.Match[str] | None:
    """The pattern's first match whose words are not to be taken literally."""
    for match in pattern.finditer(text):
        if tuple(WORD_RE.findall(match.group())) not in literal:
            return match
    return None


def _interpreted(kind: Literal["price", "sort"], match: re.Match[str]) -> Interpreted:
    text = match.group()
    return Interpreted(kind, tuple(WORD_RE.findall(text)), _PRICE_MARK.search(text) is not None)


def _extract_prices(
    text: str, literal: Collection[tuple[str, ...]] = ()
) -> tuple[str, float | None, float | None, list[Interpreted]]:
    low: float | None = None
    high: float | None = None
    found: list[Interpreted] = []
    for pattern, kind in _PRICE_PATTERNS:
        match = _first(pattern, text, literal)
        if match is None:
            continue
        if kind == "range":
            a, b = _number(match.group(1)), _number(match.group(2))
            low, high = min(a, b), max(a, b)
        elif kind == "max" and high is None:
            high = _number(match.group(1))
        elif kind == "min" and low is None:
            low = _number(match.group(1))
        else:
            continue
        found.append(_interpreted("price", match))
        text = text[: match.start()] + " " + text[match.end() :]
    return text, low, high, found


def _extract_sort(
    text: str, literal: Collection[tuple[str, ...]] = ()
) -> tuple[str, SortKey | None, list[Interpreted]]:
    for pattern, sort in _SORT_PATTERNS:
        match = _first(pattern, text, literal)
        if match is not None:
            return text[: match.start()] + " " + text[match.end() :], sort, [_interpreted("sort", match)]
    return text, None, []


# A unit written apart from its number ('27 in.', '65 watts') and a size's 'x' ('12 x 16') are
# taken as one token, so that they match however the catalog writes them. Counts are not: '2 pack'
# still finds 'Pack of 2'.
_GLUED_UNITS = sorted(
    (u for u, unit in UNITS.items() if unit not in ("pack", "pc", "ct")), key=len, reverse=True
)
_UNIT_AFTER_NUMBER_RE = re.compile(r"(?<=\d)\s+(?=(?:" + "|".join(_GLUED_UNITS) + r")(?![a-z0-9]))")
_SIZE_X_RE = re.compile(r"\b(\d+[a-z]*)\.?(?:\s+x\s*|\s*x\s+)(?=\d)")


def _glue_measurements(text: str) -> str:
    return _SIZE_X_RE.sub(r"\1-x-", _UNIT_AFTER_NUMBER_RE.sub("", text))


def token_clause(text: str) -> Clause | None:
    """One typed token: its words as a phrase, or any joined form of all of them."""
    tokens = split_text(text)
    if not tokens.atoms:
        return None
    phrase = Term(tuple(tokens.atoms))
    whole = len(tokens.atoms)
    joined = dict.fromkeys(f.text for f in tokens.forms if f.start == 0 and f.end == whole)
    return Clause((phrase, *(Term((form,)) for form in joined if (form,) != phrase.words)))


def _within(clause: Clause, budget: int) -> tuple[Clause, int]:
    """The clause cut to the words left in the budget (a phrase keeps its first words), and what is left."""
    words = clause.alternatives[0].words
    if len(words) <= budget:
        return clause, budget - max(len(a.words) for a in clause.alternatives)
    return Clause((Term(words[:budget]),)), 0


def _parse_syntax(text: str) -> tuple[list[Clause], list[Term], list[Term]]:
    """Clauses, excluded terms and optional terms (stop words on their own)."""
    clauses: list[Clause] = []
    excluded: list[Term] = []
    optional: list[Term] = []
    pending_or = False
    budget = MAX_QUERY_WORDS
    for match in _TOKEN_RE.finditer(_glue_measurements(text)):
        if budget <= 0:
            break
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        clause: Clause | None
        if quoted is not None:
            atoms = tuple(split_text(quoted).atoms)
            clause = Clause((Term(atoms),)) if atoms else None
        else:
            if bare.lower() == "or" and clauses:
                pending_or = True
                continue
            negated = "-" if bare.startswith("-") and len(bare) > 1 else ""
            clause = token_clause(bare[1:] if negated else bare)
            alone = clause.alternatives[0] if clause is not None and len(clause.alternatives) == 1 else None
            if alone is not None and len(alone.words) == 1 and alone.words[0] in STOPWORDS:
                if not negated:
                    optional.append(alone)
                    budget -= 1
                continue
        if clause is None:
            continue
        clause, budget = _within(clause, budget)
        if negated:
            excluded.extend(clause.alternatives)
            pending_or = False
            continue
        if pending_or:
            last = clauses.pop()
            clause = Clause((*last.alternatives, *clause.alternatives))
            pending_or = False
        clauses.append(clause)
    return clauses, excluded, optional


def typed_phrase(clause: Clause) -> Term | None:
    """The words of a clause that one typed token made ('usb-c' -> usb c); None for words joined by OR."""
    first = clause.alternatives[0]
    if len(clause.alternatives) == 1:
        return first
    # A compound's other alternatives are the joined forms of its words, and nothing else.
    own = token_clause("-".join(first.words))
    if own is not None and set(clause.alternatives) <= set(own.alternatives):
        return first
    return None


def validate_text(raw: str) -> str:
    if len(raw) > MAX_QUERY_LENGTH:
        raise InvalidQuery("q", f"the query is longer than {MAX_QUERY_LENGTH} characters")
    if "\x00" in raw:
        raise InvalidQuery("q", "the query contains a null byte")
    return " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())


def parse_query(
    raw: str, *, interpret: bool = True, literal: Collection[tuple[str, ...]] = ()
) -> ParsedQuery:
    """Parse a shopper's query; `interpret` turns on price and sort phrase recognition.

    The phrases read as prices or a sort are reported in `interpreted`; a phrase whose words are
    in `literal` ('max 90' as ('max', '90')) is left as words, as are quoted phrases.
    """
    text = validate_text(raw)
    folded = normalise_marks(fold(text))  # '27"' is an inch mark, not a quote
    low = high = None
    sort = None
    interpreted: list[Interpreted] = []
    if interpret:
        # Quoted text is taken literally: hide it from the price and sort phrases.
        quoted: list[str] = []

        def hide(match: re.Match[str]) -> str:
            quoted.append(match.group())
            return f"\ue000{chr(0xE100 + len(quoted) - 1)}"

        masked = _QUOTED_RE.sub(hide, folded)
        masked, low, high, prices = _extract_prices(masked, literal)
        masked, sort, sorts = _extract_sort(masked, literal)
        interpreted = prices + sorts
        folded = re.sub("\ue000(.)", lambda m: quoted[ord(m.group(1)) - 0xE100], masked)
    clauses, excluded, optional = _parse_syntax(folded)
    return ParsedQuery(
        text=text,
        clauses=tuple(clauses),
        excluded=tuple(excluded),
        min_price=low,
        max_price=high,
        sort=sort,
        optional=tuple(optional),
        interpreted=tuple(interpreted),
    )
