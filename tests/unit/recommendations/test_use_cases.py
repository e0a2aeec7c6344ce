"""Recently viewed and recommendations for anonymous, new and known shoppers."""

import pytest

from application.catalog.manage_products import GetProduct
from application.catalog.product_cache import ProductCache
from application.recommendations.recommend_products import Recommend, ViewProduct
from domain.catalog.errors import ProductNotFound
from domain.recommendations.errors import InvalidLimit
from domain.recommendations.model import Signal
from tests.unit.fakes import FakeCache, FakeClock
from tests.unit.shop_fakes import ANN, catalog
from tests.unit.shopper_fakes import (
    FakeShopperHistory,
    InMemoryPopular,
    InMemoryViews,
)


async def test_viewing_a_product_is_remembered_only_for_users() -> None:
    products = catalog()
    views = InMemoryViews(products)
    clock = FakeClock()
    view = ViewProduct(GetProduct(products, ProductCache(FakeCache())), views, clock)
    assert (await view("EAR", ANN)).sku == "EAR"
    clock.advance(1)
    await view("HP", ANN)
    clock.advance(1)
    await view("EAR", ANN)
    await view("MUG")
    with pytest.raises(ProductNotFound):
        await view("NOPE", ANN)
    assert [p.sku for p in await views.recent(ANN, 10)] == ["EAR", "HP"]


async def test_recommendations_for_anonymous_new_and_known_users() -> None:
    products = catalog()
    views = InMemoryViews(products)
    popular = InMemoryPopular(products)
    anonymous = await Recommend(views, FakeShopperHistory(), popular)(None, 3)
    assert anonymous.recently_viewed == [] and [p.sku for p in anonymous.recommended] == ["CAB", "HP", "MUG"]
    await views.record(ANN, "SPK", FakeClock().now(), 50)
    history = FakeShopperHistory(
        [Signal("Audio", "Basso", 4.0), Signal("Kitchen", "Forge", 1.0)], owned={"EAR"}
    )
    known = await Recommend(views, history, popular)(ANN, 4)
    assert [p.sku for p in known.recently_viewed] == ["SPK"]
    # Audio then Kitchen in turns (EAR owned, SPK just viewed), Forge's pan before the mug.
    assert [p.sku for p in known.recommended] == ["HP", "PAN", "MUG", "CAB"]
    with pytest.raises(InvalidLimit):
        await Recommend(views, history, popular)(ANN, 0)
