"""Reading the Solr / Elasticsearch synonym file format.

    # a comment              (a line starting with '#'; blank lines are skipped too)
    sofa, couch, settee      multi-way: each term finds the others
    tv, telly => television  one-way: 'tv' and 'telly' find 'television', not the reverse

Unlike Solr's default, a one-way rule keeps the left-hand word searchable as itself ('tv' still
finds products that say 'tv'). Commas inside a term cannot be escaped.
"""

from collections.abc import Iterable
from pathlib import Path

import msgspec

from domain.errors import InvalidValue
from domain.search.synonyms import Synonym, new_synonym


class RejectedLine(msgspec.Struct, frozen=True):
    line: int
    reason: str


def _terms(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def parse_line(text: str) -> list[Synonym]:
    """The synonyms one line declares (none for a comment or a blank line); InvalidValue if malformed."""
    text = text.strip()
    if not text or text.startswith("#"):
        return []
    if text.count("=>") > 1:
        raise InvalidValue("more than one '=>'", field="line")
    if "=>" in text:
        left, right = (_terms(part) for part in text.split("=>"))
        if not left or not right:
            raise InvalidValue("a one-way rule needs terms on both sides of '=>'", field="line")
        return [new_synonym(right, source) for source in left]
    return [new_synonym(_terms(text))]


def read_synonyms(lines: Iterable[str]) -> tuple[list[Synonym], list[RejectedLine]]:
    """Every line's synonyms, and the lines refused with why (numbered from 1)."""
    found: list[Synonym] = []
    rejected: list[RejectedLine] = []
    for number, text in enumerate(lines, start=1):
        try:
            found.extend(parse_line(text))
        except InvalidValue as exc:
            rejected.append(RejectedLine(number, str(exc)))
    return found, rejected


def read_synonym_file(path: Path) -> tuple[list[Synonym], list[RejectedLine]]:
    """`read_synonyms` over a UTF-8 file; OSError or UnicodeDecodeError when it cannot be read."""
    return read_synonyms(path.read_text(encoding="utf-8").splitlines())


def format_synonym(synonym: Synonym) -> str:
    """One synonym as a line of the same format."""
    if synonym.source is None:
        return ", ".join(synonym.terms)
    return f"{synonym.source} => {', '.join(synonym.terms)}"
