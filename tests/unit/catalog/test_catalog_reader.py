"""Reading import files: CSV and JSON Lines, row by row, with the physical line of each row."""

import codecs
from pathlib import Path

import msgspec
import pytest

from adapters.files.catalog_reader import CatalogFileError, RowError, read_rows


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def good(items: list[tuple[int, dict[str, object]] | RowError]) -> list[tuple[int, dict[str, object]]]:
    return [item for item in items if not isinstance(item, RowError)]


def bad(items: list[tuple[int, dict[str, object]] | RowError]) -> list[RowError]:
    return [item for item in items if isinstance(item, RowError)]


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_rows_keep_every_column_and_drop_empty_cells(tmp_path: Path) -> None:
    path = write(
        tmp_path / "catalog.csv",
        "sku,title,price,brand,color,material\n"
        "HP-1,Sonora Headphones,89.99,Sonora,black,\n"
        'SH-2,"Trail Shoes, Waterproof",120,,blue,mesh\n',
    )
    assert list(read_rows(path)) == [
        (
            2,
            {
                "sku": "HP-1",
                "title": "Sonora Headphones",
                "price": "89.99",
                "brand": "Sonora",
                "color": "black",
            },
        ),
        (
            3,
            {
                "sku": "SH-2",
                "title": "Trail Shoes, Waterproof",
                "price": "120",
                "color": "blue",
                "material": "mesh",
            },
        ),
    ]


def test_csv_header_names_are_trimmed_and_short_rows_lack_the_missing_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", " sku , title ,price, color\r\nA-1,Lamp,10\r\n")
    assert list(read_rows(path)) == [(2, {"sku": "A-1", "title": "Lamp", "price": "10"})]


def test_csv_blank_lines_are_skipped_and_line_numbers_stay_physical(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.csv",
        "\nsku,title,price\n\nA-1,Lamp,10\n,,\n   \nA-2,Chair,50\r\nA-3,Desk,99\r\n\n",
    )
    assert [(line, row["sku"]) for line, row in good(list(read_rows(path)))] == [
        (4, "A-1"),
        (7, "A-2"),
        (8, "A-3"),
    ]


def test_csv_multiline_quoted_field_is_reported_at_its_first_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.csv",
        'sku,title,price,description\nA-1,Lamp,10,"First line\nsecond line\n\nfourth, with a comma"\n'
        "A-2,Chair,50,plain\nA-3,Desk,x,y,extra\n",
    )
    items = list(read_rows(path))
    assert items[0] == (
        2,
        {
            "sku": "A-1",
            "title": "Lamp",
            "price": "10",
            "description": "First line\nsecond line\n\nfourth, with a comma",
        },
    )
    assert items[1] == (6, {"sku": "A-2", "title": "Chair", "price": "50", "description": "plain"})
    assert items[2] == RowError(line=7, errors={"row": "has 5 fields but the header has 4"})


def test_csv_bad_rows_are_reported_and_the_rest_still_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.csv",
        "sku,title,price\n"
        "A-1,Lamp,10\n"
        "A-2,Chair,50,surplus\n"
        "A-3,Desk\x00,99\n"
        'A-4,"Bad "quote" here",5\n'
        "A-5,Shelf,20\n"
        'A-6,"never closed,1\n',
    )
    items = list(read_rows(path))
    assert [(line, row["sku"]) for line, row in good(items)] == [(2, "A-1"), (6, "A-5")]
    errors = bad(items)
    assert [e.line for e in errors] == [3, 4, 5, 7]
    assert errors[0].errors == {"row": "has 4 fields but the header has 3"}
    assert errors[1].errors == {"row": "contains NUL bytes"}
    assert errors[2].errors["row"].startswith("is not valid CSV")
    assert errors[3].errors["row"].startswith("is not valid CSV")


def test_csv_with_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(codecs.BOM_UTF8 + "sku,title,price\nA-1,Café crème,3.5\n".encode())
    assert list(read_rows(path)) == [(2, {"sku": "A-1", "title": "Café crème", "price": "3.5"})]


def test_uppercase_suffix_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "EXPORT.CSV", "sku,title,price\nA-1,Lamp,10\n")
    assert list(read_rows(path)) == [(2, {"sku": "A-1", "title": "Lamp", "price": "10"})]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("\n\n  \n", "no header"),
        ("sku,title\nA-1,Lamp\n", "price"),
        ("A-1,Lamp,10\nA-2,Chair,50\n", "sku, title, price"),
        ("sku,title,price,color,color\nA-1,Lamp,10,red,blue\n", "repeats columns: color"),
        ("sku,title,price,,color\nA-1,Lamp,10,x,red\n", "unnamed columns: 4"),
        ("sku,title,pr\x00ice\nA-1,Lamp,10\n", "NUL"),
    ],
)
def test_unreadable_csv_files(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "c.csv", text)
    with pytest.raises(CatalogFileError, match=message):
        list(read_rows(path))


def test_a_bom_alone_is_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(codecs.BOM_UTF8)
    with pytest.raises(CatalogFileError, match="empty"):
        list(read_rows(path))


# --- JSON Lines --------------------------------------------------------------------------------


def test_jsonl_rows_keep_every_key(tmp_path: Path) -> None:
    path = write(
        tmp_path / "catalog.jsonl",
        '{"sku": "HP-1", "title": "Headphones", "price": 89.99, "rating": 4.5, "color": "black", "wireless": true}\n'
        "\n"
        '  {"sku": "SH-2", "title": "Shoes", "price": 120, "size": 42, "image_url": null}  \r\n',
    )
    assert list(read_rows(path)) == [
        (
            1,
            {
                "sku": "HP-1",
                "title": "Headphones",
                "price": 89.99,
                "rating": 4.5,
                "color": "black",
                "wireless": True,
            },
        ),
        (3, {"sku": "SH-2", "title": "Shoes", "price": 120, "size": 42, "image_url": None}),
    ]


def test_ndjson_and_a_bom_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "catalog.ndjson"
    path.write_bytes(codecs.BOM_UTF8 + b'{"sku": "A-1", "title": "Lamp", "price": 10}\n')
    assert list(read_rows(path)) == [(1, {"sku": "A-1", "title": "Lamp", "price": 10})]


def test_jsonl_bad_lines_are_reported_with_their_line_number(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.jsonl",
        '{"sku": "A-1", "title": "Lamp", "price": 10}\n'
        '{"sku": "A-2", "title": "Chair", "price": \n'
        "\n"
        '["A-3", "Desk", 99]\n'
        '"just a string"\n'
        '{"sku": "A-4\\u0000", "title": "Shelf", "price": 5}\n'
        '{"sku": "A-5", "title": "Rug", "price": 7}\n',
    )
    items = list(read_rows(path))
    assert good(items) == [
        (1, {"sku": "A-1", "title": "Lamp", "price": 10}),
        (7, {"sku": "A-5", "title": "Rug", "price": 7}),
    ]
    errors = bad(items)
    assert [e.line for e in errors] == [2, 4, 5, 6]
    assert errors[0].errors["row"].startswith("is not valid JSON")
    assert errors[1].errors == {"row": "is an array, not a JSON object"}
    assert errors[2].errors == {"row": "is a single value, not a JSON object"}
    assert errors[3].errors == {"row": "contains NUL characters"}


@pytest.mark.parametrize("text", ["", "\n\n   \n"])
def test_an_empty_jsonl_file(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "c.jsonl", text)
    with pytest.raises(CatalogFileError, match="empty"):
        list(read_rows(path))


# --- Whole-file problems -----------------------------------------------------------------------


def test_a_missing_file_fails_at_once(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match="no such file"):
        read_rows(tmp_path / "nope.csv")


def test_a_directory_is_not_a_catalog(tmp_path: Path) -> None:
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    with pytest.raises(CatalogFileError, match="directory"):
        read_rows(folder)


@pytest.mark.parametrize("name", ["catalog.json", "catalog.txt", "catalog.xlsx", "catalog"])
def test_unknown_suffixes_are_refused(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, "sku,title,price\nA-1,Lamp,10\n")
    with pytest.raises(CatalogFileError, match="unsupported file type"):
        read_rows(path)


@pytest.mark.parametrize("name", ["c.csv", "c.jsonl"])
@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_text_that_is_not_utf8_is_refused(tmp_path: Path, name: str, encoding: str) -> None:
    text = "sku,title,price\nA-1,Crème brûlée,10\n" if name.endswith("csv") else '{"sku": "Ä-1"}\n'
    path = write(tmp_path / name, text, encoding)
    with pytest.raises(CatalogFileError, match="not UTF-8"):
        read_rows(path)


def test_a_bad_byte_deep_in_a_jsonl_file_stops_the_read_at_its_line(tmp_path: Path) -> None:
    line = msgspec.json.encode({"sku": "A-1", "title": "Lamp " * 20, "price": 10}) + b"\n"
    count = 70_000 // len(line) + 10  # past the sample checked up front
    path = tmp_path / "c.jsonl"
    path.write_bytes(line * count + b'{"sku": "B-1", "title": "Cr\xe8me", "price": 1}\n' + line)
    rows = read_rows(path)
    seen = 0
    with pytest.raises(CatalogFileError, match=f"not UTF-8 text \\(line {count + 1}\\)"):
        for _ in rows:
            seen += 1
    assert seen == count


def test_a_bad_byte_deep_in_a_csv_file_stops_the_read(tmp_path: Path) -> None:
    row = "A-1," + "Lamp " * 20 + ",10\n"
    path = tmp_path / "c.csv"
    path.write_bytes(("sku,title,price\n" + row * (70_000 // len(row) + 10)).encode() + b"B-1,Cr\xe8me,1\n")
    with pytest.raises(CatalogFileError, match="not UTF-8"):
        list(read_rows(path))


def test_file_errors_are_value_errors_and_row_errors_are_frozen() -> None:
    assert issubclass(CatalogFileError, ValueError)
    error = RowError(line=3, errors={"row": "is not valid JSON"})
    with pytest.raises(AttributeError):
        error.line = 4  # type: ignore[misc]


def test_rows_are_streamed_not_read_up_front(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"sku": "A-1", "title": "Lamp", "price": 10}\n' * 1000)
    rows = read_rows(path)
    assert next(rows) == (1, {"sku": "A-1", "title": "Lamp", "price": 10})
    # Appending after the first row was read shows up later: the file is read as it goes.
    with path.open("a", encoding="utf-8") as out:
        out.write('{"sku": "Z-9", "title": "Late", "price": 1}\n')
    assert list(rows)[-1] == (1001, {"sku": "Z-9", "title": "Late", "price": 1})
