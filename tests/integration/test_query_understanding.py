"""Corrections and doubted price phrases on both databases, through the application's container."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from application.search.dto import SearchRequest, SearchResult
from entrypoints.container import Container
from tests.fixtures.loading import loaded_container


def _row(sku: str, title: str, price: float, category: str, brand: str, popularity: int) -> dict[str, Any]:
    return {
        "sku": sku,
        "title": title,
        "price": price,
        "category": category,
        "brand": brand,
        "description": f"{title}.",
        "rating": 4.0,
        "review_count": 10,
        "popularity": popularity,
        "created_at": "2026-01-01T00:00:00+00:00",
    }


# Added to the fixture catalog: a product line named with a price phrase, and near-spellings.
EXTRA = [
    _row("AM-090", "Stride Air Max 90 Running Shoes", 139.0, "Running Shoes", "Stride", 50),
    _row("AR-001", "Breeze Air Purifier", 79.0, "Home", "Breeze", 40),
    _row("LT-001", "Lumen Desk Lights", 25.0, "Lamps", "Lumen", 5),
    _row("LT-002", "Volt Lightning Cable", 14.0, "Accessories", "Volt", 500),
    _row("TN-001", "Ace Tennis Racket", 80.0, "Sports", "Ace", 5),
    _row("RK-001", "Glider Rocker", 150.0, "Furniture", "Porch", 60),
    _row("RK-002", "Rocker Switch", 4.0, "Electrical", "Volt", 70),
    _row("RK-003", "Porch Rocker", 120.0, "Furniture", "Porch", 80),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(request: pytest.FixtureRequest, make_database) -> AsyncIterator[Container]:
    async with loaded_container(await make_database(request.param)) as container:
        report = await container.import_catalog()([(i + 2, row) for i, row in enumerate(EXTRA)])
        assert report.rejected == 0, report.rejected_rows
        yield container


async def search(shop: Container, q: str) -> SearchResult:
    return await shop.search_products()(SearchRequest(q=q))


def skus(result: SearchResult) -> list[str]:
    return [hit.product.sku for hit in result.items]


async def test_a_product_line_named_like_a_price_is_searched_as_words(shop: Container) -> None:
    result = await search(shop, "air max 90")
    assert [hit.product.sku for hit in result.items if hit.tier == 1] == ["AM-090"]
    assert (result.query.interpreted.min_price, result.query.interpreted.max_price) == (None, None)
    capped = await search(shop, "running shoes under 60")
    assert capped.query.interpreted.max_price == 60
    assert skus(capped) == ["SH-001"]


async def test_a_word_whose_stem_is_indexed_is_not_corrected(shop: Container) -> None:
    result = await search(shop, "lighting")
    assert result.query.corrected is None
    assert "LT-001" in skus(result)
    assert "LT-002" not in skus(result)


async def test_the_correction_that_goes_with_the_other_words_is_chosen(shop: Container) -> None:
    alone = await search(shop, "racker")
    assert alone.query.corrected == "rocker"
    result = await search(shop, "tennis racker")
    assert result.query.corrected == "tennis racket"
    assert skus(result) == ["TN-001"]
