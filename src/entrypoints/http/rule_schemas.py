"""Request and response shapes of the curation rule routes."""

from datetime import datetime

import msgspec

from domain.search.rules import AttributeIs, Boost, BoostFilter, Pin, Rule


class PinIn(msgspec.Struct, forbid_unknown_fields=True):
    sku: str
    position: int  # 1-based, absolute across pages


class AttributeIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    value: str | float | bool


class BoostFilterIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    brand: str | None = None
    category: str | None = None
    attribute: AttributeIn | None = None
    min_price: float | None = None
    max_price: float | None = None


class BoostIn(msgspec.Struct, forbid_unknown_fields=True):
    filter: BoostFilterIn
    weight: float  # positive boosts, negative buries


class RuleIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Exactly one trigger (query, contains or category), and something to pin, hide or boost."""

    name: str = ""
    query: str | None = None
    contains: str | None = None
    category: str | None = None
    pin: list[PinIn] = msgspec.field(default_factory=list)
    hide: list[str] = msgspec.field(default_factory=list)
    boost: list[BoostIn] = msgspec.field(default_factory=list)
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def rule(self) -> Rule:
        """Unvalidated: the use case checks it (InvalidValue names the field at fault)."""
        return Rule(
            name=self.name,
            query=self.query,
            contains=self.contains,
            category=self.category,
            pins=tuple(Pin(p.sku, p.position) for p in self.pin),
            hides=tuple(self.hide),
            boosts=tuple(
                Boost(
                    BoostFilter(
                        brand=b.filter.brand,
                        category=b.filter.category,
                        attribute=AttributeIs(b.filter.attribute.name, b.filter.attribute.value)
                        if b.filter.attribute is not None
                        else None,
                        min_price=b.filter.min_price,
                        max_price=b.filter.max_price,
                    ),
                    b.weight,
                )
                for b in self.boost
            ),
            starts_at=self.starts_at,
            ends_at=self.ends_at,
        )


class RuleOut(msgspec.Struct, kw_only=True):
    id: int
    name: str  # as `query.rules` names the rule: its own name, or 'rule <id>'
    query: str | None
    contains: str | None
    category: str | None
    pin: list[PinIn]
    hide: list[str]
    boost: list[BoostIn]
    starts_at: datetime | None
    ends_at: datetime | None


class RulesOut(msgspec.Struct):
    rules: list[RuleOut]


def rule_out(rule: Rule) -> RuleOut:
    return RuleOut(
        id=rule.id,
        name=rule.label,
        query=rule.query,
        contains=rule.contains,
        category=rule.category,
        pin=[PinIn(p.sku, p.position) for p in rule.pins],
        hide=list(rule.hides),
        boost=msgspec.convert(msgspec.to_builtins(rule.boosts), list[BoostIn]),
        starts_at=rule.starts_at,
        ends_at=rule.ends_at,
    )
