"""An in-memory rule store, and a search over a catalog curated by the rules in it."""

from collections.abc import Sequence

import msgspec

from application.catalog.manage_products import ListCategories
from application.search.curating import Curator
from application.search.current_rules import CurrentRules
from application.search.dto import SearchConfig
from application.search.search_products import SearchProducts
from domain.catalog.model import Product
from domain.ranking.formula import FormulaRanker, FormulaWeights
from domain.search.rules import Rule
from domain.search.scoring import FieldWeights
from tests.unit.fakes import (
    FakeCache,
    FakeClock,
    InMemoryProductRepository,
    InMemorySearchIndex,
    InMemoryVocabulary,
)


class InMemoryRuleStore:
    def __init__(self) -> None:
        self.rules: dict[int, Rule] = {}

    async def all(self) -> list[Rule]:
        return [self.rules[k] for k in sorted(self.rules)]

    async def get(self, rule_id: int) -> Rule | None:
        return self.rules.get(rule_id)

    async def add(self, rule: Rule) -> Rule:
        stored = msgspec.structs.replace(rule, id=max(self.rules, default=0) + 1)
        self.rules[stored.id] = stored
        return stored

    async def replace(self, rule: Rule) -> bool:
        if rule.id not in self.rules:
            return False
        self.rules[rule.id] = rule
        return True

    async def delete(self, rule_id: int) -> bool:
        return self.rules.pop(rule_id, None) is not None


class CuratedShop(msgspec.Struct, kw_only=True):
    search: SearchProducts
    store: InMemoryRuleStore
    cache: FakeCache
    clock: FakeClock


def curated_search(catalog: Sequence[Product], config: SearchConfig | None = None) -> CuratedShop:
    repo = InMemoryProductRepository(catalog)
    cache, store, clock = FakeCache(), InMemoryRuleStore(), FakeClock()
    search = SearchProducts(
        index=InMemorySearchIndex(repo),
        vocabulary=InMemoryVocabulary(repo),
        categories=ListCategories(repo, cache),
        ranker=FormulaRanker(FormulaWeights()),
        cache=cache,
        config=config or SearchConfig(),
        field_weights=FieldWeights(),
        curator=Curator(CurrentRules(store, cache, ttl=60.0), repo, clock),
    )
    return CuratedShop(search=search, store=store, cache=cache, clock=clock)
