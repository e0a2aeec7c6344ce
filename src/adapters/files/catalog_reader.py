"""Reading a catalog import file, streamed row by row.

The import contract: a header row (CSV) or one JSON object a line (JSONL). Fields: sku (required,
unique string), title (required), price (required, >= 0), description, category, brand, rating
(0..5), review_count, popularity, image_url, created_at. Any other column or key is kept as a
product attribute.

This module only turns the file into rows; the product rules (required values, ranges, unique
skus) are checked by the importer. A row that cannot even be parsed becomes a `RowError`; a file
that cannot be read at all raises `CatalogFileError`.
"""

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Final, Protocol, TextIO

import msgspec

REQUIRED_COLUMNS: Final = ("sku", "title", "price")
FORMATS: Final = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_SNIFF_BYTES: Final = 1 << 16
_JSON_DECODE: Final = msgspec.json.Decoder().decode


class CatalogFileError(ValueError):
    """The file as a whole cannot be read as a catalog."""


class RowError(msgspec.Struct, frozen=True):
    """A data row that cannot be parsed; `line` is the 1-based physical line where it starts."""

    line: int
    errors: dict[str, str]


ReadItem = tuple[int, dict[str, object]] | RowError


class _CsvReader(Protocol):
    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...
    def __next__(self) -> list[str]: ...


def read_rows(path: Path) -> Iterator[ReadItem]:
    """Yield `(line, row)` for each data row of a `.csv`, `.jsonl` or `.ndjson` file, or a `RowError`.

    Blank lines are skipped, and so are CSV rows whose cells are all empty. The file's name,
    presence and the start of its text are checked at once; a problem found further in (text that
    is not UTF-8, a bad CSV header, no rows at all) raises `CatalogFileError` while iterating.
    """
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise CatalogFileError(
            f"unsupported file type {path.suffix or '(no suffix)'!r}: use .csv, .jsonl or .ndjson"
        )
    _check_start(path)
    return _read_csv(path) if kind == "csv" else _read_jsonl(path)


def read_stream(kind: str, binary: IO[bytes]) -> Iterator[ReadItem]:
    """The same rows from an open binary stream (an upload) of kind "csv" or "jsonl"; problems
    with the whole stream raise `CatalogFileError` while iterating, as with a file."""
    if kind == "csv":
        return _csv_stream(binary)
    return _jsonl_stream(binary)


def _csv_stream(binary: IO[bytes]) -> Iterator[ReadItem]:
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    try:
        yield from _csv_rows(reader)
    except UnicodeDecodeError:
        raise CatalogFileError(f"the file is not UTF-8 text (after line {reader.line_num})") from None


def _check_start(path: Path) -> None:
    """Fail early on a missing, unreadable, empty or obviously non-UTF-8 file."""
    try:
        with path.open("rb") as raw:
            head = raw.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise CatalogFileError("no such file") from None
    except IsADirectoryError:
        raise CatalogFileError("is a directory, not a file") from None
    except OSError as exc:
        raise CatalogFileError(f"cannot open the file: {exc.strerror or exc}") from None
    whole_file = len(head) < _SNIFF_BYTES
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    if not head:
        raise CatalogFileError("the file is empty")
    try:
        # A multi-byte character may straddle the end of the sample unless the file ends there.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=whole_file)
    except UnicodeDecodeError as exc:
        raise CatalogFileError(f"the file is not UTF-8 text (byte {exc.start})") from None


def _read_jsonl(path: Path) -> Iterator[ReadItem]:
    try:
        binary = path.open("rb")
    except OSError as exc:
        raise CatalogFileError(f"cannot open the file: {exc.strerror or exc}") from None
    with binary:
        yield from _jsonl_stream(binary)


def _jsonl_stream(binary: Iterable[bytes]) -> Iterator[ReadItem]:
    rows = 0
    for number, raw in enumerate(binary, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise CatalogFileError(f"the file is not UTF-8 text (line {number})") from None
        if line:
            rows += 1
            yield json_row(number, line)
    if rows == 0:
        raise CatalogFileError("the file is empty: it holds no JSON lines")


def json_row(number: int, line: str) -> ReadItem:
    if "\x00" in line:
        return RowError(line=number, errors={"row": "contains NUL bytes"})
    try:
        value = _JSON_DECODE(line)
    except msgspec.DecodeError as exc:
        return RowError(line=number, errors={"row": f"is not valid JSON: {exc}"})
    if not isinstance(value, dict):
        kind = "an array" if isinstance(value, list) else "a single value"
        return RowError(line=number, errors={"row": f"is {kind}, not a JSON object"})
    for key, item in value.items():
        if "\x00" in key or (isinstance(item, str) and "\x00" in item):
            return RowError(line=number, errors={"row": "contains NUL characters"})
    return number, value


def _read_csv(path: Path) -> Iterator[ReadItem]:
    try:
        text: TextIO = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CatalogFileError(f"cannot open the file: {exc.strerror or exc}") from None
    with text:
        reader = csv.reader(text, strict=True)
        try:
            yield from _csv_rows(reader)
        except UnicodeDecodeError:
            # Text is decoded in blocks, so the bad byte is at or somewhat after this line.
            raise CatalogFileError(f"the file is not UTF-8 text (after line {reader.line_num})") from None


def _csv_header(reader: _CsvReader) -> list[str]:
    for record in reader:
        if any(cell.strip() for cell in record):
            break
    else:
        raise CatalogFileError("the file is empty: it has no header row")
    names = [cell.strip() for cell in record]
    line = reader.line_num
    if any("\x00" in name for name in names):
        raise CatalogFileError(f"the header (line {line}) contains NUL bytes")
    unnamed = [str(i) for i, name in enumerate(names, start=1) if not name]
    if unnamed:
        raise CatalogFileError(f"the header (line {line}) has unnamed columns: {', '.join(unnamed)}")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise CatalogFileError(f"the header (line {line}) repeats columns: {', '.join(duplicates)}")
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise CatalogFileError(
            f"the header (line {line}) lacks the required columns: {', '.join(missing)} "
            f"(it must name {', '.join(REQUIRED_COLUMNS)})"
        )
    return names


def _csv_rows(reader: _CsvReader) -> Iterator[ReadItem]:
    names = _csv_header(reader)
    width = len(names)
    end = reader.line_num  # the last physical line read so far
    while True:
        start = end + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            yield RowError(line=start, errors={"row": f"is not valid CSV: {exc}"})
            continue
        end = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if any("\x00" in cell for cell in record):
            yield RowError(line=start, errors={"row": "contains NUL bytes"})
        elif len(record) > width:
            yield RowError(line=start, errors={"row": f"has {len(record)} fields but the header has {width}"})
        else:
            yield start, {name: cell for name, cell in zip(names, record, strict=False) if cell != ""}
