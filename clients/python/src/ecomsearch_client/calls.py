"""What each API call sends, built once for the sync and the async client."""

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict

Params = list[tuple[str, str]]
Body = bytes | Iterator[bytes] | None
Sort = Literal["relevance", "price_asc", "price_desc", "rating", "popularity", "newest"]
EventType = Literal["view", "click", "add_to_cart"]
CHUNK = 64 * 1024


class SearchFilters(TypedDict, total=False):
    category: str
    brand: str
    min_price: float
    max_price: float
    min_rating: float
    sort: Sort
    page: int
    per_page: int
    # attr.<name>=<value>: several values of one attribute match any of them.
    attributes: Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: Params = field(default_factory=list)
    json: Any = None
    content: Body = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def idempotent(self) -> bool:
        """Safe to send again after a 429, a 503 or a lost connection."""
        return self.method in ("GET", "PUT", "DELETE") and not isinstance(self.content, Iterator)


def search(q: str, filters: SearchFilters) -> Call:
    params: Params = [("q", q)] if q else []
    for name, value in filters.items():
        if name == "attributes":
            assert isinstance(value, Mapping)
            for attribute, chosen in value.items():
                for one in [chosen] if isinstance(chosen, str) else chosen:
                    params.append((f"attr.{attribute}", one))
        elif value is not None:
            params.append((name, str(value)))
    return Call("GET", "/api/search", params)


def event(
    type: EventType,
    sku: str,
    *,
    search_id: str | None,
    position: int | None,
    query: str | None,
    visitor_id: str | None,
) -> Call:
    body: dict[str, Any] = {"type": type, "sku": sku}
    optional = {"search_id": search_id, "position": position, "query": query, "visitor_id": visitor_id}
    body.update({name: value for name, value in optional.items() if value is not None})
    return Call("POST", "/api/events", json=body)


def product_import(
    source: str | Path | Iterable[Mapping[str, Any]], mode: Literal["upsert", "replace"]
) -> Call:
    """A catalog file (.csv, .jsonl or .ndjson, optionally .gz) or rows as dicts, sent gzipped in chunks
    so neither side holds the whole catalog in memory."""
    headers = {"Content-Encoding": "gzip"}
    if isinstance(source, str | Path):
        path = Path(source)
        suffixes = [s.lower() for s in path.suffixes]
        gzipped = suffixes[-1:] == [".gz"]
        kind = suffixes[-2] if gzipped and len(suffixes) > 1 else suffixes[-1] if suffixes else ""
        if kind not in (".csv", ".jsonl", ".ndjson"):
            raise ValueError(f"{path.name}: a catalog file ends in .csv, .jsonl or .ndjson (optionally .gz)")
        headers["Content-Type"] = "text/csv" if kind == ".csv" else "application/x-ndjson"
        content = _file_chunks(path) if gzipped else _gzipped(_file_chunks(path))
    else:
        headers["Content-Type"] = "application/x-ndjson"
        content = _gzipped(_jsonl(source))
    return Call("POST", "/api/admin/products/import", [("mode", mode)], content=content, headers=headers)


def product_patch(rows: Iterable[Mapping[str, Any]]) -> Call:
    body = b"".join(_jsonl(rows))
    return Call(
        "PATCH", "/api/admin/products", content=body, headers={"Content-Type": "application/x-ndjson"}
    )


def _jsonl(rows: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, default=str).encode() + b"\n"


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            yield chunk


def _gzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    packer = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)  # the gzip container
    for chunk in chunks:
        if packed := packer.compress(chunk):
            yield packed
    yield packer.flush()
