"""A five-product shop catalog shared by the cart, review, recommendation and personal-search tests."""

from tests.unit.fakes import InMemoryProductRepository, make_product


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
