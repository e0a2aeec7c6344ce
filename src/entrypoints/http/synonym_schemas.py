"""Request and response shapes of the synonym routes."""

from typing import Literal

import msgspec

from domain.errors import InvalidValue
from domain.search.reformulations import Suggestion, SuggestionStatus
from domain.search.synonyms import Synonym, new_synonym

Terms = list[str]


class SynonymIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Multi-way `{terms}`, or one-way `{from, to}`."""

    terms: Terms | None = None
    source: str | None = msgspec.field(default=None, name="from")
    to: Terms | None = None

    def synonym(self) -> Synonym:
        if self.terms is not None:
            if self.source is not None or self.to is not None:
                raise InvalidValue("give either terms, or from and to", field="terms")
            return new_synonym(self.terms)
        if self.source is None or self.to is None:
            field = (
                "terms" if self.source is None and self.to is None else "to" if self.to is None else "from"
            )
            raise InvalidValue("give terms (multi-way), or from and to (one-way)", field=field)
        return new_synonym(self.to, self.source)


class SynonymOut(msgspec.Struct, kw_only=True):
    id: int
    kind: Literal["multi_way", "one_way"]
    terms: Terms | None  # multi-way
    source: str | None = msgspec.field(name="from")  # one-way
    to: Terms | None


class SynonymsOut(msgspec.Struct):
    synonyms: list[SynonymOut]


def synonym_out(synonym: Synonym) -> SynonymOut:
    if synonym.source is None:
        return SynonymOut(id=synonym.id, kind="multi_way", terms=list(synonym.terms), source=None, to=None)
    return SynonymOut(
        id=synonym.id, kind="one_way", terms=None, source=synonym.source, to=list(synonym.terms)
    )


class SuggestionOut(msgspec.Struct, kw_only=True):
    id: int
    source: str = msgspec.field(name="from")
    to: str
    support: int  # distinct visitors
    lift: float
    status: SuggestionStatus


class SuggestionsOut(msgspec.Struct):
    suggestions: list[SuggestionOut]


def suggestion_out(s: Suggestion) -> SuggestionOut:
    return SuggestionOut(
        id=s.id, source=s.source, to=s.target, support=s.support, lift=s.lift, status=s.status
    )
