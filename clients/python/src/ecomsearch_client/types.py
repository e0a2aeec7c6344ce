"""The answers' shapes, as the contract gives them (JSON decoded into these dicts as-is)."""

from typing import Any, NotRequired, TypedDict

AttributeValue = str | float | bool | None


class Product(TypedDict):
    sku: str
    title: str
    description: str
    category: str
    brand: str
    price: float
    rating: float
    review_count: int
    popularity: float
    image_url: str | None
    created_at: str
    attributes: NotRequired[dict[str, AttributeValue]]


class Highlight(TypedDict):
    title: str


class SearchItem(Product):
    score: float
    position: int
    highlight: Highlight
    pinned: NotRequired[bool]


class FacetValue(TypedDict):
    value: str
    count: int


class PriceRange(TypedDict):
    min: float | None
    max: float | None


class Facets(TypedDict):
    category: list[FacetValue]
    brand: list[FacetValue]
    price: PriceRange
    attributes: NotRequired[dict[str, list[FacetValue]]]


class Query(TypedDict):
    text: str
    corrected: str | None
    interpreted: dict[str, Any]
    rules: NotRequired[list[str]]


class SearchResult(TypedDict):
    search_id: str
    query: Query
    items: list[SearchItem]
    total: int
    page: int
    per_page: int
    pages: int
    facets: Facets


class Suggestion(TypedDict):
    text: str
    kind: str


class CategoryCount(TypedDict):
    name: str
    count: int


class User(TypedDict):
    id: int
    username: str
    email: str | None
    email_verified: bool
    is_admin: bool
    group: str
    created_at: str


class CartLine(TypedDict):
    sku: str
    title: str
    price: float
    quantity: int
    line_total: float


class Cart(TypedDict):
    items: list[CartLine]
    total_items: int
    total_price: float


class Recommendations(TypedDict):
    recently_viewed: list[Product]
    recommended: list[Product]


class Job(TypedDict):
    job_id: str
    name: str
    status: str
    attempts: int
    queued_at: str | None
    started_at: str | None
    finished_at: str | None
    report: Any
    error: str | None


class Reject(TypedDict):
    line: int
    field: str | None
    reason: str


class ImportStatus(TypedDict):
    status: str
    processed: int
    loaded: int
    rejected: list[Reject]


class PatchReport(TypedDict):
    updated: int
    rejected: list[Reject]


class ApiKey(TypedDict):
    id: int
    prefix: str
    description: str
    scopes: list[str]
    created_at: str
    last_used_at: str | None
    expires_at: str | None


class Webhook(TypedDict):
    id: int
    url: str
    events: list[str]
    created_at: str
