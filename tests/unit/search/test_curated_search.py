"""Curation rules in a search: applied after ranking, in both arms, across pages, in their window."""

from datetime import timedelta

import pytest

from application.search.dto import SearchRequest, SearchResult
from application.search.manage_rules import AddRule, DeleteRule, UpdateRule
from domain.audit.model import Actor
from domain.search.errors import RuleNotFound
from domain.search.rules import Boost, BoostFilter, Pin, Rule
from tests.unit.audit_fakes import InMemoryAuditLog, audit_trail
from tests.unit.fakes import make_product
from tests.unit.rule_fakes import CuratedShop, curated_search

ARMS = ("personalized", "popularity")
ADMIN = Actor(name="admin", address="127.0.0.1")
MUGS = [
    make_product(f"M{i:02}", f"Mug number {i}", 10.0 + i, brand="Acme" if i % 5 == 0 else "Plain",
                 popularity=1000 - i * 10, rating=4.0, review_count=10 + i)
    for i in range(1, 31)
]  # fmt: skip
CATALOG = [
    *MUGS,
    make_product("T1", "Teapot", 30.0, brand="Plain"),
    make_product("T2", "Kettle", 40.0, brand="Other"),
]


def skus(result: SearchResult) -> list[str]:
    return [h.product.sku for h in result.items]


async def every_page(shop: CuratedShop, arm: str, **asked: object) -> list[str]:
    found: list[str] = []
    page = 1
    while True:
        result = await shop.search(SearchRequest(q="mug", per_page=12, page=page, arm=arm, **asked))  # type: ignore[arg-type]
        found += skus(result)
        if page >= result.pages:
            return found
        page += 1


async def add(shop: CuratedShop, rule: Rule) -> Rule:
    return await AddRule(shop.store, shop.cache, audit_trail())(rule, actor=ADMIN)


@pytest.mark.parametrize("arm", ARMS)
async def test_pins_land_at_their_positions_on_the_right_page_and_hidden_items_never_show(arm: str) -> None:
    shop = curated_search(CATALOG)
    before = await every_page(shop, arm)
    await add(
        shop,
        Rule(
            name="mugs", query="mugs", pins=(Pin("T1", 14), Pin(before[20], 1)), hides=(before[0], before[5])
        ),
    )
    first = await shop.search(SearchRequest(q="Mug", per_page=12, page=1, arm=arm))
    second = await shop.search(SearchRequest(q="mug", per_page=12, page=2, arm=arm))
    assert skus(first)[0] == before[20] and first.items[0].pinned and first.items[0].position == 1
    assert skus(second)[1] == "T1" and second.items[1].pinned and second.items[1].position == 14
    assert not any(h.pinned for h in second.items if h.product.sku != "T1")
    assert first.query.rules == second.query.rules == ("mugs",)
    after = await every_page(shop, arm)
    assert before[0] not in after and before[5] not in after
    assert len(after) == len(set(after)) == len(before) - 2 + 1  # the teapot is not a mug: added
    assert first.total == second.total == 30 - 2 + 1 and first.pages == 3
    rest = [s for s in before if s not in {before[0], before[5], before[20]}]
    assert [s for s in after if s not in {"T1", before[20]}] == rest  # the rest keep their order


async def test_both_arms_get_the_same_rules() -> None:
    shop = curated_search(CATALOG)
    await add(shop, Rule(contains="mug", pins=(Pin("T2", 3),), hides=("M01", "M02", "M03")))
    for arm in ARMS:
        result = await shop.search(SearchRequest(q="blue mug", arm=arm))
        assert skus(result)[2] == "T2" and result.query.rules == ("rule 1",)
        assert not {"M01", "M02", "M03"} & set(await every_page(shop, arm))


async def test_boosts_lift_a_brand_and_buries_sink_a_price_range() -> None:
    shop = curated_search(CATALOG)
    await add(
        shop,
        Rule(
            query="mug",
            boosts=(Boost(BoostFilter(brand="acme"), 1.0), Boost(BoostFilter(max_price=13.0), -1.0)),
        ),
    )
    order = await every_page(shop, "personalized")
    acme = [m.sku for m in MUGS if m.brand == "Acme"]
    cheap = [m.sku for m in MUGS if m.price <= 13.0]
    assert set(order[: len(acme)]) == set(acme) and set(order[-len(cheap) :]) == set(cheap)


async def test_a_pin_does_not_break_the_shoppers_filters() -> None:
    shop = curated_search(CATALOG)
    await add(shop, Rule(query="mug", pins=(Pin("T2", 1), Pin("T1", 2))))
    result = await shop.search(SearchRequest(q="mug", brand="Plain"))
    assert skus(result)[1] == "T1" and "T2" not in skus(result)  # T2 is brand Other: pin skipped


async def test_a_rule_applies_within_its_window_only_even_with_results_cached() -> None:
    shop = curated_search(CATALOG)
    start = shop.clock.now() + timedelta(hours=1)
    await add(shop, Rule(query="mug", hides=("M01",), starts_at=start, ends_at=start + timedelta(hours=1)))
    assert "M01" in skus(await shop.search(SearchRequest(q="mug")))
    shop.clock.advance(3600)
    opened = await shop.search(SearchRequest(q="mug"))
    assert "M01" not in skus(opened) and opened.query.rules == ("rule 1",)
    shop.clock.advance(3600)
    closed = await shop.search(SearchRequest(q="mug"))
    assert "M01" in skus(closed) and closed.query.rules == ()


async def test_changes_are_searched_with_at_once_and_audited() -> None:
    shop = curated_search(CATALOG)
    log = InMemoryAuditLog()
    trail = audit_trail(log)
    assert "M01" in skus(await shop.search(SearchRequest(q="mug")))  # cached before the rule
    rule = await AddRule(shop.store, shop.cache, trail)(Rule(query="mug", hides=("M01",)), actor=ADMIN)
    assert "M01" not in skus(await shop.search(SearchRequest(q="mug")))
    await UpdateRule(shop.store, shop.cache, trail)(rule.id, Rule(query="mug", hides=("M02",)), actor=ADMIN)
    assert skus(await shop.search(SearchRequest(q="mug")))[:2] == ["M01", "M03"]
    await DeleteRule(shop.store, shop.cache, trail)(rule.id, actor=ADMIN)
    assert skus(await shop.search(SearchRequest(q="mug")))[:2] == ["M01", "M02"]
    assert [(e.action, e.target) for e in log.entries] == [
        ("rule.create", "1"), ("rule.update", "1"), ("rule.delete", "1")
    ]  # fmt: skip
    with pytest.raises(RuleNotFound):
        await DeleteRule(shop.store, shop.cache, trail)(rule.id, actor=ADMIN)
