"""Parsing what a shopper types: web-search syntax, price phrases and sort words.

The result is a structured query that both search adapters turn into their own match syntax.
"""

import re
from typing import Final

import msgspec

from domain.search.errors import InvalidQuery
from domain.search.sorting import SortKey
from domain.search.text import STOPWORDS, WORD_RE, analyze_words, fold

MAX_QUERY_LENGTH: Final = 500


class Term(msgspec.Struct, frozen=True):
    """One word, or several that must stand together (a quoted phrase)."""

    words: tuple[str, ...]

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(analyze_words(list(self.words)))


class Clause(msgspec.Struct, frozen=True):
    """Alternatives joined by OR; a product satisfies the clause when it has any of them."""

    alternatives: tuple[Term, ...]


class ParsedQuery(msgspec.Struct, frozen=True):
    text: str
    clauses: tuple[Clause, ...]
    excluded: tuple[Term, ...]
    min_price: float | None = None
    max_price: float | None = None
    sort: SortKey | None = None


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


def _extract_prices(text: str) -> tuple[str, float | None, float | None]:
    low: float | None = None
    high: float | None = None
    for pattern, kind in _PRICE_PATTERNS:
        match = pattern.search(text)
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
        text = text[: match.start()] + " " + text[match.end() :]
    return text, low, high


def _extract_sort(text: str) -> tuple[str, SortKey | None]:
    for pattern, sort in _SORT_PATTERNS:
        match = pattern.search(text)
        if match is not None:
            return text[: match.start()] + " " + text[match.end() :], sort
    return text, None


def _parse_syntax(text: str) -> tuple[list[Clause], list[Term]]:
    clauses: list[Clause] = []
    excluded: list[Term] = []
    pending_or = False
    for match in _TOKEN_RE.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            words = tuple(WORD_RE.findall(quoted))
            new_terms = [Term(words)] if words else []
        else:
            if bare.lower() == "or" and clauses:
                pending_or = True
                continue
            negated = "-" if bare.startswith("-") and len(bare) > 1 else ""
            words = tuple(WORD_RE.findall(bare[1:] if negated else bare))
            # 'usb-c' or '4k/uhd' are one term whose words stand together.
            new_terms = [Term(words)] if words and not (len(words) == 1 and words[0] in STOPWORDS) else []
        if not new_terms:
            continue
        if negated:
            excluded.append(new_terms[0])
            pending_or = False
            continue
        if pending_or:
            last = clauses.pop()
            clauses.append(Clause((*last.alternatives, new_terms[0])))
            new_terms = new_terms[1:]
            pending_or = False
        clauses.extend(Clause((t,)) for t in new_terms)
    return clauses, excluded


def validate_text(raw: str) -> str:
    if len(raw) > MAX_QUERY_LENGTH:
        raise InvalidQuery("q", f"the query is longer than {MAX_QUERY_LENGTH} characters")
    if "\x00" in raw:
        raise InvalidQuery("q", "the query contains a null byte")
    return " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())


def parse_query(raw: str, *, interpret: bool = True) -> ParsedQuery:
    """Parse a shopper's query; `interpret` turns on price and sort phrase recognition."""
    text = validate_text(raw)
    folded = fold(text)
    low = high = None
    sort = None
    if interpret:
        # Quoted text is taken literally: hide it from the price and sort phrases.
        quoted: list[str] = []

        def hide(match: re.Match[str]) -> str:
            quoted.append(match.group())
            return f"\ue000{chr(0xE100 + len(quoted) - 1)}"

        masked = _QUOTED_RE.sub(hide, folded)
        masked, low, high = _extract_prices(masked)
        masked, sort = _extract_sort(masked)
        folded = re.sub("\ue000(.)", lambda m: quoted[ord(m.group(1)) - 0xE100], masked)
    clauses, excluded = _parse_syntax(folded)
    return ParsedQuery(
        text=text,
        clauses=tuple(clauses),
        excluded=tuple(excluded),
        min_price=low,
        max_price=high,
        sort=sort,
    )
