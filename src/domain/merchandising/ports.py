"""Where curation rules are kept."""

from typing import Protocol

from domain.merchandising.rules import Rule


class RuleSource(Protocol):
    async def all(self) -> list[Rule]: ...


class RuleStore(RuleSource, Protocol):
    """The shop's rules; ids are given by the store."""

    async def get(self, rule_id: int) -> Rule | None: ...

    async def add(self, rule: Rule) -> Rule:
        """Store a new rule; it comes back with its id."""
        ...

    async def replace(self, rule: Rule) -> bool:
        """Overwrite the rule with this id; False when there is none."""
        ...

    async def delete(self, rule_id: int) -> bool: ...
