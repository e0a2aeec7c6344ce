"""A five-product shop catalog, and its cart use cases, shared by the cart, review, recommendation
and personal-search tests."""

from application.cart.manage_cart import AddToCart, ClearCart, GetCart, RemoveFromCart, SetCartQuantity
from tests.unit.fakes import FakeClock, InMemoryProductRepository, make_product
from tests.unit.shopper_fakes import InMemoryCart, InMemoryCartCatalog

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
    """The catalog with a cart and its use cases over in-memory fakes."""

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
