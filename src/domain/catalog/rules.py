"""Validation of product fields, shared by the importer and the admin use cases."""

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from domain.catalog.errors import InvalidProduct
from domain.catalog.model import AttributeValue, Product

KNOWN_FIELDS: Final = frozenset(
    {"sku", "title", "price", "description", "category", "brand", "rating", "review_count",
     "popularity", "image_url", "created_at"}
)  # fmt: skip
LIMITS: Final = {
    "sku": 64,
    "title": 300,
    "description": 10_000,
    "category": 100,
    "brand": 100,
    "image_url": 2_000,
}
MAX_PRICE: Final = 1_000_000_000.0
MAX_ATTRIBUTES: Final = 50


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(name: str, value: Any, errors: dict[str, str], *, required: bool = False) -> str:
    if _blank(value):
        if required:
            errors[name] = "is required"
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        errors[name] = "must be a string"
        return ""
    text = " ".join(str(value).split())
    if not text.isprintable():
        errors[name] = "contains control characters"
    elif len(text) > LIMITS[name]:
        errors[name] = f"is longer than {LIMITS[name]} characters"
    return text


def _number(name: str, value: Any, errors: dict[str, str], low: float, high: float) -> float | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        errors[name] = "must be a number"
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[name] = "must be a number"
        return None
    if not math.isfinite(number) or not low <= number <= high:
        errors[name] = f"must be between {low:g} and {high:g}"
        return None
    return number


def _sku(value: Any, errors: dict[str, str]) -> str:
    sku = _text("sku", value, errors, required=True)
    if sku and (" " in sku or "/" in sku or "?" in sku or "#" in sku):
        errors["sku"] = "must not contain spaces, '/', '?' or '#'"
    return sku


def _created_at(value: Any, errors: dict[str, str], now: datetime) -> datetime:
    if _blank(value):
        return now
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            errors["created_at"] = "must be an ISO 8601 date or timestamp"
            return now
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _image_url(value: Any, errors: dict[str, str]) -> str | None:
    url = _text("image_url", value, errors)
    if url and not url.startswith(("http://", "https://", "/")):
        errors["image_url"] = "must be an http(s) URL or a path starting with '/'"
    return url or None


def _attributes(row: Mapping[str, Any], errors: dict[str, str]) -> dict[str, AttributeValue]:
    extra = {str(k).strip(): v for k, v in row.items() if k not in KNOWN_FIELDS and str(k).strip()}
    attributes: dict[str, AttributeValue] = {}
    for key, value in extra.items():
        if _blank(value):
            continue
        if isinstance(value, str) and not value.isprintable():
            errors[key] = "contains control characters"
        elif isinstance(value, float) and not math.isfinite(value):
            errors[key] = "must be a finite number"
        elif isinstance(value, str | int | float | bool):
            attributes[key[:64]] = value.strip()[:500] if isinstance(value, str) else value
        else:
            errors[key] = "attribute values must be strings, numbers or booleans"
    if len(attributes) > MAX_ATTRIBUTES:
        errors["attributes"] = f"at most {MAX_ATTRIBUTES} attributes"
    return attributes


def product_from_row(row: Mapping[str, Any], now: datetime) -> Product:
    """Build a product from an import row or an API body; raise InvalidProduct naming each bad field."""
    errors: dict[str, str] = {}
    sku = _sku(row.get("sku"), errors)
    title = _text("title", row.get("title"), errors, required=True)
    price = _number("price", row.get("price"), errors, 0.0, MAX_PRICE)
    if price is None and "price" not in errors:
        errors["price"] = "is required"
    rating = _number("rating", row.get("rating"), errors, 0.0, 5.0)
    review_count = _number("review_count", row.get("review_count"), errors, 0, 1e9)
    popularity = _number("popularity", row.get("popularity"), errors, 0.0, 1e12)
    if review_count is not None and review_count != int(review_count):
        errors["review_count"] = "must be a whole number"
    product = Product(
        sku=sku,
        title=title,
        price=round(price or 0.0, 2),
        description=_text("description", row.get("description"), errors),
        category=_text("category", row.get("category"), errors),
        brand=_text("brand", row.get("brand"), errors),
        rating=round(rating or 0.0, 2),
        review_count=int(review_count or 0),
        popularity=popularity or 0.0,
        image_url=_image_url(row.get("image_url"), errors),
        created_at=_created_at(row.get("created_at"), errors, now),
        attributes=_attributes(row, errors),
    )
    if errors:
        raise InvalidProduct(errors)
    return product


def merge_update(current: Product, changes: Mapping[str, Any], now: datetime) -> Product:
    """Apply a partial update; the sku cannot change."""
    if "sku" in changes and changes["sku"] != current.sku:
        raise InvalidProduct({"sku": "cannot be changed"})
    row: dict[str, Any] = {
        "sku": current.sku, "title": current.title, "price": current.price,
        "description": current.description, "category": current.category, "brand": current.brand,
        "rating": current.rating if current.imported_rating is None else current.imported_rating,
        "review_count": (
            current.review_count if current.imported_review_count is None else current.imported_review_count
        ),
        "popularity": current.popularity, "image_url": current.image_url,
        "created_at": current.created_at, **current.attributes,
    }  # fmt: skip
    row.update(changes)
    return product_from_row(row, now)
