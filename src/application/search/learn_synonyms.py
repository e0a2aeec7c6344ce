"""Synonyms learned from shoppers' reformulations (see `domain.search.reformulations`), offered to
an administrator: accepted, one becomes a one-way synonym from the query that found nothing to
the one that did; rejected, it is never offered again.

One-way, because the log shows only that shoppers who typed the first meant the second: 'jaens'
should find jeans, but 'jeans' has no reason to find products that say 'jaens'.
"""

import itertools
from datetime import timedelta

from application.audit.audit_trail import AuditTrail
from application.cached import bump_catalog_version
from application.ports import Cache, Clock
from domain.audit.model import SUGGESTION_ACCEPT, SUGGESTION_REJECT, Actor
from domain.search.errors import SuggestionNotFound
from domain.search.ports import SearchHistory, SuggestionStore, SynonymStore
from domain.search.reformulations import MiningRules, ReformulationCounter, Suggestion
from domain.search.synonyms import Synonym, new_synonym, term_key
from domain.search.thesaurus import Thesaurus

MAX_LISTED = 500


class LearnSynonyms:
    """Reads the last `rules.days` of the search log once and stores the pairs found."""

    def __init__(
        self,
        history: SearchHistory,
        suggestions: SuggestionStore,
        synonyms: SynonymStore,
        clock: Clock,
        rules: MiningRules,
    ) -> None:
        self._history = history
        self._suggestions = suggestions
        self._synonyms = synonyms
        self._clock = clock
        self._rules = rules

    async def __call__(self) -> list[Suggestion]:
        counter = ReformulationCounter(self._rules)
        since = self._clock.now() - timedelta(days=self._rules.days)
        async for chunk in self._history.searches(since):
            for _, searches in itertools.groupby(chunk, key=lambda s: s.visitor_id):
                counter.add_visitor(list(searches))
        thesaurus = Thesaurus(await self._synonyms.all())
        found = [
            s
            for s in counter.suggestions()
            if term_key(s.target) not in {term_key(t) for t in thesaurus.targets(s.source.split())}
        ]
        await self._suggestions.merge(found)
        return found


class ReviewSuggestions:
    """An administrator's decisions are recorded in the audit log once taken."""

    def __init__(
        self, suggestions: SuggestionStore, synonyms: SynonymStore, cache: Cache, audit: AuditTrail
    ) -> None:
        self._suggestions = suggestions
        self._synonyms = synonyms
        self._cache = cache
        self._audit = audit

    async def pending(self, limit: int = MAX_LISTED) -> list[Suggestion]:
        return await self._suggestions.listed("pending", limit)

    async def _pending(self, suggestion_id: int) -> Suggestion:
        found = await self._suggestions.get(suggestion_id)
        if found is None or found.status != "pending":
            raise SuggestionNotFound(suggestion_id)
        return found

    async def accept(self, suggestion_id: int, *, actor: Actor) -> Synonym:
        suggestion = await self._pending(suggestion_id)
        synonym = new_synonym([suggestion.target], suggestion.source)
        existing = [s for s in await self._synonyms.all() if s.same_as(synonym)]
        added = existing[0] if existing else (await self._synonyms.add_many([synonym]))[0]
        await self._suggestions.decide(suggestion_id, "accepted")
        await bump_catalog_version(self._cache)
        await self._audit.record(
            actor,
            SUGGESTION_ACCEPT,
            _pair(suggestion),
            {"suggestion_id": suggestion_id, "synonym_id": added.id},
        )
        return added

    async def reject(self, suggestion_id: int, *, actor: Actor) -> None:
        suggestion = await self._pending(suggestion_id)
        await self._suggestions.decide(suggestion_id, "rejected")
        await self._audit.record(
            actor, SUGGESTION_REJECT, _pair(suggestion), {"suggestion_id": suggestion_id}
        )


def _pair(suggestion: Suggestion) -> str:
    return f"{suggestion.source} → {suggestion.target}"
