"""Totals and category and brand facet counts are exact at any match count, for every sort, on both databases."""

import os
from collections import Counter
from pathlib import Path
from typing import get_args

import pytest

from application.search.dto import SearchRequest
from domain.search.sorting import SortKey
from domain.search.text import STOPWORDS, words
from entrypoints.container import Container, build_container, close_container
from entrypoints.settings import load_settings
from simulation.catalog.generator import generate_catalog

SIZE = 3000  # three times the 1,000 matches past which counts used to be sampled and scaled
SORTS: list[SortKey | None] = [None, *get_args(SortKey)]


async def _shop(url: str) -> tuple[Container, list[dict]]:
    # Counts uncached and no result cache: every search below asks the database.
    env = {"DATABASE_URL": url, "SEARCH_COUNTS_TTL": "0", "SEARCH_RESULT_TTL": "0"}
    container = build_container(load_settings(env, dotenv=Path(os.devnull)))
    rows = list(generate_catalog(SIZE, 5))
    report = await container.import_catalog()([(i + 2, row) for i, row in enumerate(rows)])
    assert report.rejected == 0
    return container, rows


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_facet_counts_equal_the_totals_of_filtering_by_them(make_database, kind: str) -> None:
    shop, rows = await _shop(await make_database(kind))
    try:
        search = shop.search_products()
        everything = await search(SearchRequest(q="", per_page=5))
        assert everything.total == SIZE
        for field in ("category", "brand"):
            counted = Counter(r[field] for r in rows)
            expected = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
            assert [(f.value, f.count) for f in getattr(everything.facets, field)] == expected
        # The generated descriptions' most common word: more than a thousand matches.
        common = Counter(
            w for r in rows for w in set(words(r["description"])) if w not in STOPWORDS and len(w) > 3
        ).most_common(1)[0][0]
        for q in ("", common):
            first = await search(SearchRequest(q=q))
            assert first.total > 1000 and first.facets.exact
            for sort in SORTS:
                same = await search(SearchRequest(q=q, sort=sort, page=2))
                assert (same.total, same.facets) == (first.total, first.facets), sort
            values = [("category", f) for f in first.facets.category] + [
                ("brand", f) for f in first.facets.brand
            ]
            for n, (field, facet) in enumerate(values):
                sort = SORTS[n % len(SORTS)]
                narrowed = await search(SearchRequest(q=q, sort=sort, **{field: facet.value}))
                assert narrowed.total == facet.count, (q, field, facet.value, sort)
            assert sum(f.count for f in first.facets.category) <= first.total
    finally:
        await close_container(shop)
