"""Cart, review and recommendation use cases over in-memory fakes."""

from decimal import Decimal

import pytest

from application.cart.use_cases import AddToCart, ClearCart, GetCart, RemoveFromCart, SetCartQuantity
from application.catalog.manage_products import GetProduct
from application.catalog.product_cache import ProductCache
from application.recommendations.use_cases import Recommend, ViewProduct
from application.reviews.use_cases import DeleteReview, ListReviews, PutReview
from domain.cart.errors import InvalidQuantity
from domain.catalog.errors import ProductNotFound
from domain.recommendations.errors import InvalidLimit
from domain.recommendations.model import Signal
from domain.reviews.errors import InvalidReview, ReviewNotFound
from tests.unit.fakes import FakeCache, FakeClock, InMemoryProductRepository, make_product
from tests.unit.shopper_fakes import (
    FakeShopperHistory,
    InMemoryCart,
    InMemoryCartCatalog,
    InMemoryPopular,
    InMemoryReviews,
    InMemoryViews,
    RecordingInvalidator,
)

ANN, BOB = 1, 2


def catalog() -> InMemoryProductRepository:
    return InMemoryProductRepository(
        [
            make_product(
                "EAR",
                "Earbuds",
                19.99,
                category="Audio",
                brand="Basso",
                popularity=50,
                rating=4.0,
                review_count=3,
            ),
            make_product("CAB", "Cable", 0.1, category="Cables", brand="Volt", popularity=90),
            make_product("HP", "Headphones", 89.99, category="Audio", brand="Sonora", popularity=70),
            make_product("SPK", "Speaker", 45.0, category="Audio", brand="Basso", popularity=10),
            make_product("MUG", "Mug", 8.5, category="Kitchen", brand="Clay", popularity=60),
            make_product("PAN", "Pan", 30.0, category="Kitchen", brand="Forge", popularity=40),
        ]
    )


class Shop:
    def __init__(self) -> None:
        self.products = catalog()
        self.cart = InMemoryCart(self.products)
        prices = InMemoryCartCatalog(self.products)
        clock = FakeClock()
        self.clock = clock
        self.get = GetCart(self.cart, prices, clock)
        self.add = AddToCart(self.cart, prices, clock)
        self.set = SetCartQuantity(self.cart, prices, clock)
        self.remove = RemoveFromCart(self.cart, prices, clock)
        self.clear = ClearCart(self.cart, prices, clock)


async def test_cart_use_cases_add_set_remove_and_total_exactly() -> None:
    shop = Shop()
    cart = await shop.add(ANN, "EAR", 3, "control")
    cart = await shop.add(ANN, "EAR", 2, "control")
    cart = await shop.add(ANN, "CAB", 3, "treatment")
    assert [(line.sku, line.quantity, line.line_total) for line in cart.items] == [
        ("EAR", 5, Decimal("99.95")),
        ("CAB", 3, Decimal("0.30")),
    ]
    assert cart.total_items == 8 and cart.total_price == Decimal("100.25")
    assert (await shop.set(ANN, "EAR", 1, "control")).total_price == Decimal("20.29")
    assert [line.sku for line in (await shop.set(ANN, "CAB", 0, "control")).items] == ["EAR"]
    assert (await shop.remove(ANN, "EAR", "control")).items == []
    assert (await shop.get(BOB)).items == []
    assert [(c.action, c.quantity_delta, c.arm) for c in shop.cart.log][:3] == [
        ("add", 3, "control"),
        ("add", 2, "control"),
        ("add", 3, "treatment"),
    ]
    await shop.add(ANN, "MUG", 1, "control")
    assert (await shop.clear(ANN, "control")).total_items == 0


async def test_cart_refusals_change_nothing() -> None:
    shop = Shop()
    await shop.add(ANN, "EAR", 97, "control")
    with pytest.raises(InvalidQuantity, match="at most 2 more"):
        await shop.add(ANN, "EAR", 3, "control")
    for bad in (0, 100, -5):
        with pytest.raises(InvalidQuantity):
            await shop.add(ANN, "EAR", bad, "control")
    with pytest.raises(InvalidQuantity):
        await shop.set(ANN, "EAR", 100, "control")
    for call in (shop.add(ANN, "NOPE", 1, "c"), shop.set(ANN, "NOPE", 1, "c"), shop.remove(ANN, "NOPE", "c")):
        with pytest.raises(ProductNotFound):
            await call
    cart = await shop.get(ANN)
    assert [(line.sku, line.quantity) for line in cart.items] == [("EAR", 97)]
    assert len(shop.cart.log) == 1


async def test_reviews_blend_and_invalidate_the_cached_product() -> None:
    products = catalog()
    reviews = InMemoryReviews(products, {ANN: "ann", BOB: "bob"})
    invalidator = RecordingInvalidator()
    put = PutReview(reviews, invalidator, FakeClock())
    remove = DeleteReview(reviews, invalidator)
    listing = ListReviews(reviews)
    review = await put(ANN, "EAR", 1, " meh ")
    assert (review.username, review.rating, review.comment) == ("ann", 1, "meh")
    await put(BOB, "EAR", 5)
    earbuds = await products.get("EAR")
    assert earbuds is not None and (earbuds.rating, earbuds.review_count) == (round((12 + 6) / 5, 2), 5)
    page = await listing("EAR")
    assert page.total == 2 and page.average == 3.0
    await remove(ANN, "EAR")
    assert invalidator.invalidated == ["EAR", "EAR", "EAR"]
    with pytest.raises(ReviewNotFound):
        await remove(ANN, "EAR")
    with pytest.raises(ProductNotFound):
        await put(ANN, "NOPE", 3)
    with pytest.raises(ProductNotFound):
        await listing("NOPE")
    with pytest.raises(InvalidReview):
        await put(ANN, "EAR", 9)
    assert invalidator.invalidated == ["EAR", "EAR", "EAR"]
    assert (await listing("EAR")).total == 1


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
