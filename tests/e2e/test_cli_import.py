"""`ecomsearch catalog import FILE` as a shop runs it: exit codes, line-numbered report, upserts."""

import asyncio
import json
import os
from pathlib import Path

from entrypoints.cli.main import main
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings


def stored(url: str) -> dict[str, dict]:
    async def read() -> dict[str, dict]:
        container = build_container(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
        try:
            repo = container.products()
            skus = [hit.product.sku for hit in (await container.search_products()(_browse())).items]
            found = await repo.get_many(skus)
            return {
                sku: {"title": p.title, "price": p.price, "attributes": p.attributes}
                for sku, p in found.items()
            }
        finally:
            await close_container(container)

    return asyncio.run(read())


def _browse():
    from application.search.dto import SearchRequest

    return SearchRequest(q="", per_page=100)


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def test_clean_jsonl_import_exits_0_and_upserts_by_sku(cli_database: str, tmp_path: Path, capsys) -> None:
    rows = [
        {"sku": "A1", "title": "Alpine Tent", "price": 199, "category": "Tents", "season": "4"},
        {"sku": "B2", "title": "Basecamp Stove", "price": "45.50", "brand": "Ember"},
    ]
    assert main(["catalog", "import", str(write_jsonl(tmp_path / "a.jsonl", rows)), "--quiet"]) == 0
    assert "2 inserted, 0 updated, 0 rejected" in capsys.readouterr().out
    # The same file again writes nothing (and still exits 0: every row loaded).
    assert main(["catalog", "import", str(tmp_path / "a.jsonl"), "--quiet"]) == 0
    assert "0 inserted, 0 updated, 0 rejected, 2 unchanged" in capsys.readouterr().out
    again = [{"sku": "A1", "title": "Alpine Tent XL", "price": 219}]
    assert main(["catalog", "import", str(write_jsonl(tmp_path / "b.jsonl", again)), "--quiet"]) == 0
    assert "0 inserted, 1 updated" in capsys.readouterr().out
    products = stored(cli_database)
    assert products["A1"]["title"] == "Alpine Tent XL" and products["A1"]["price"] == 219
    assert products["B2"]["price"] == 45.5


def test_bad_rows_are_reported_by_line_and_skipped(cli_database: str, tmp_path: Path, capsys) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text(
        "sku,title,price,rating,color\n"
        "C1,Canvas Chair,30,4.5,green\n"
        "C2,,12,4,red\n"
        "C3,Camp Table,-4,3,\n"
        "C4,Cooler,80,9,blue\n"
        "C5,Cot,60,,grey\n",
        encoding="utf-8",
    )
    assert main(["catalog", "import", str(csv), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "2 inserted, 0 updated, 3 rejected" in captured.out
    assert f"{csv}:3: rejected: title: is required" in captured.err
    assert f"{csv}:4: rejected: price:" in captured.err
    assert f"{csv}:5: rejected: rating:" in captured.err
    products = stored(cli_database)
    assert set(products) == {"C1", "C5"}
    assert products["C1"]["attributes"] == {"color": "green"}


def test_unreadable_file_exits_2_and_changes_nothing(cli_database: str, tmp_path: Path, capsys) -> None:
    assert main(["catalog", "import", str(tmp_path / "missing.jsonl"), "--quiet"]) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("name,cost\nx,1\n", encoding="utf-8")
    assert main(["catalog", "import", str(bad), "--quiet"]) == 2
    garbage = write_jsonl(tmp_path / "g.jsonl", ["{not json", "[1, 2]", '{"sku": "Z", "price": 1}'])
    assert main(["catalog", "import", str(garbage), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{garbage}:1: rejected" in err and f"{garbage}:3: rejected: title: is required" in err
    assert stored(cli_database) == {}


def test_unknown_file_type_exits_2(cli_database: str, tmp_path: Path) -> None:
    other = tmp_path / "catalog.xml"
    other.write_text("<products/>", encoding="utf-8")
    assert main(["catalog", "import", str(other), "--quiet"]) == 2
