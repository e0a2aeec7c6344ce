"""`ecomsearch eval relevance JUDGMENTS --synonyms FILE`: the search without and with a synonym set."""

import asyncio
import os
from pathlib import Path

from application.search.dto import SearchRequest
from entrypoints.cli.main import main
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from tests.e2e.test_cli_eval import in_shop, shop  # noqa: F401 - the seeded demo shop, shared

DEMO_SYNONYMS = Path(__file__).parents[2] / "docs" / "synonyms.example.txt"


def a_sofa(shop_folder: Path) -> str:
    async def find() -> str:
        url = f"sqlite+aiosqlite:///{shop_folder / 'shop.db'}"
        container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
        try:
            return (await container.search_products()(SearchRequest(q="sofa"))).items[0].product.sku
        finally:
            await close_container(container)

    return asyncio.run(find())


def rows(out: str, after: str) -> list[str]:
    return out.split(after, 1)[1].splitlines()[1:4]


def test_synonyms_are_paired_with_their_absence_on_the_demo_judgments(in_shop: Path, capsys) -> None:  # noqa: F811
    judged = in_shop / "judged.tsv"
    assert main(["demo", "judgments", str(judged), "--products", "600"]) == 0
    capsys.readouterr()
    assert (
        main(["eval", "relevance", str(judged), "--resamples", "200", "--synonyms", str(DEMO_SYNONYMS)]) == 0
    )
    out = capsys.readouterr().out
    assert "without synonyms, ranking formula" in out
    assert f"with the 13 synonyms of {DEMO_SYNONYMS}" in out
    assert all("p = " in row for row in rows(out, "paired difference"))


def test_a_synonym_finds_what_its_word_alone_does_not(in_shop: Path, tmp_path: Path, capsys) -> None:  # noqa: F811
    judged = tmp_path / "settee.tsv"
    judged.write_text(f"query\tsku\tgrade\nsettee\t{a_sofa(in_shop)}\t3\n", encoding="utf-8")
    assert (
        main(["eval", "relevance", str(judged), "--resamples", "100", "--synonyms", str(DEMO_SYNONYMS)]) == 0
    )
    out = capsys.readouterr().out
    without, with_synonyms = out.split("with the ", 1)
    assert "100.00%  of the queries" in without and "0.00%  of the queries" in with_synonyms
    recall = next(r for r in rows(out, "paired difference") if r.startswith("Recall"))
    assert "+1.0000" in recall


def test_an_unreadable_synonym_file_exits_2(in_shop: Path, capsys) -> None:  # noqa: F811
    assert main(["eval", "relevance", "x.tsv", "--synonyms", str(in_shop / "none.txt")]) == 2
