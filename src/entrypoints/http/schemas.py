"""Response shapes of the public contract (docs: shared api.md)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import msgspec

from application.identity.dto import SessionInfo
from application.jobs.records import JobRecord
from application.search.dto import SearchResult
from application.search.suggest_completions import Suggestion
from domain.audit.model import AuditEntry
from domain.cart.model import Cart
from domain.catalog.model import CategoryCount, Product
from domain.identity.model import User
from domain.reviews.model import Review
from domain.search.model import FacetValue, PriceRange


class ProductOut(msgspec.Struct, kw_only=True):
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
    created_at: datetime
    # Not `AttributeValue`: its int | float is a oneOf that an integer matches twice, and a
    # document's number covers integers.
    attributes: Mapping[str, str | float | bool | None]


class Highlight(msgspec.Struct):
    title: str


class SearchItemOut(ProductOut, kw_only=True):
    score: float
    position: int
    highlight: Highlight
    # 1: the product has every word of the query; 2: all but one; 3: at least one.
    tier: int
    # True when a curation rule placed the item at its position.
    pinned: bool


class InterpretedOut(msgspec.Struct):
    category: str | None
    min_price: float | None
    max_price: float | None
    sort: str | None


class QueryOut(msgspec.Struct):
    text: str
    corrected: str | None
    interpreted: InterpretedOut
    relaxed: bool
    # The names of the curation rules applied to this search.
    rules: list[str]


class FacetsOut(msgspec.Struct):
    category: list[FacetValue]
    brand: list[FacetValue]
    price: PriceRange
    # By attribute name: text values by count, or numbers (few values) and `lo..hi` range buckets
    # in ascending order; see the search operation's description.
    attributes: dict[str, list[FacetValue]]


class SearchOut(msgspec.Struct):
    search_id: str
    query: QueryOut
    items: list[SearchItemOut]
    total: int
    page: int
    per_page: int
    pages: int
    facets: FacetsOut
    # False when the result set was too large to count: total and facet counts are estimates.
    total_exact: bool


class SuggestOut(msgspec.Struct):
    suggestions: list[Suggestion]


class CategoriesOut(msgspec.Struct):
    categories: list[CategoryCount]


class UserOut(msgspec.Struct, kw_only=True):
    id: int
    username: str
    email: str | None
    # True once a mailed link proved the address; false without an email.
    email_verified: bool
    is_admin: bool
    # The experiment arm this user is in.
    group: str
    created_at: datetime


class AuthOut(msgspec.Struct):
    user: UserOut
    token: str


class SessionsOut(msgspec.Struct):
    sessions: list[SessionInfo]


def user_out(user: User, group: str) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        email=user.email,
        email_verified=user.email_verified,
        is_admin=user.is_admin,
        group=group,
        created_at=user.created_at,
    )


def _product_fields(product: Product) -> dict[str, object]:
    return {name: getattr(product, name) for name in ProductOut.__struct_fields__}


def product_out(product: Product) -> ProductOut:
    return ProductOut(**_product_fields(product))  # type: ignore[arg-type]


def search_out(result: SearchResult) -> SearchOut:
    q = result.query
    return SearchOut(
        search_id=result.search_id,
        query=QueryOut(
            text=q.text,
            corrected=q.corrected,
            interpreted=InterpretedOut(
                category=q.interpreted.category,
                min_price=q.interpreted.min_price,
                max_price=q.interpreted.max_price,
                sort=q.interpreted.sort,
            ),
            relaxed=q.relaxed,
            rules=list(q.rules),
        ),
        items=[
            SearchItemOut(
                **_product_fields(hit.product),  # type: ignore[arg-type]
                score=hit.score,
                position=hit.position,
                highlight=Highlight(title=hit.highlight_title),
                tier=hit.tier,
                pinned=hit.pinned,
            )
            for hit in result.items
        ],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
        facets=FacetsOut(
            category=result.facets.category,
            brand=result.facets.brand,
            price=result.facets.price,
            attributes=result.facets.attributes,
        ),
        total_exact=result.facets.exact,
    )


class CartLineOut(msgspec.Struct, kw_only=True):
    sku: str
    title: str
    price: float
    quantity: int
    line_total: float


class CartOut(msgspec.Struct, kw_only=True):
    items: list[CartLineOut]
    total_items: int
    total_price: float


def cart_out(cart: Cart) -> CartOut:
    # Totals are summed as Decimal; only the finished two-decimal figures become JSON numbers.
    return CartOut(
        items=[
            CartLineOut(
                sku=line.sku,
                title=line.title,
                price=float(line.price),
                quantity=line.quantity,
                line_total=float(line.line_total),
            )
            for line in cart.items
        ],
        total_items=cart.total_items,
        total_price=float(cart.total_price),
    )


class ReviewsOut(msgspec.Struct, kw_only=True):
    reviews: list[Review]
    total: int
    average: float | None


class RecommendationsOut(msgspec.Struct, kw_only=True):
    recently_viewed: list[ProductOut]
    recommended: list[ProductOut]


class JobOut(msgspec.Struct, kw_only=True):
    job_id: str
    name: str
    status: Literal["queued", "running", "complete", "failed"]
    attempts: int
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    report: dict[str, Any] | None
    error: str | None


class JobsOut(msgspec.Struct, kw_only=True):
    jobs: list[JobOut]


def job_out(record: JobRecord) -> JobOut:
    report = record.report
    if report is not None and not isinstance(report, dict):
        report = {"result": report}
    fields = msgspec.structs.asdict(record) | {"report": report}
    return msgspec.convert(fields, JobOut)


class AuditEntryOut(msgspec.Struct, kw_only=True):
    at: datetime
    actor: str
    action: Literal[
        "product.create", "product.update", "product.delete", "job.start", "role.grant", "role.revoke",
        "synonym.create", "synonym.update", "synonym.delete", "suggestion.accept", "suggestion.reject",
        "rule.create", "rule.update", "rule.delete", "catalog.import", "catalog.patch",
        "api_key.create", "api_key.list", "api_key.revoke", "facets.update", "webhook.create",
        "webhook.delete",
    ]  # fmt: skip
    target: str
    address: str
    details: dict[str, Any] | None


class AuditOut(msgspec.Struct, kw_only=True):
    entries: list[AuditEntryOut]


def audit_out(entries: list[AuditEntry]) -> AuditOut:
    return AuditOut(entries=[msgspec.convert(msgspec.structs.asdict(e), AuditEntryOut) for e in entries])
