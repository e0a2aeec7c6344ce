"""The OpenAPI description of a product body (admin create and update).

The handlers take the body as a mapping and the catalog's rules validate it field by field (the
same rules as the importer, with one error naming every bad field), so the schema is written
here from those rules rather than generated from a type: the known fields with their types and
bounds, and every other key an attribute (a string, number or boolean).
"""

from typing import Any, Final

from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Schema

from domain.catalog.rules import LIMITS, MAX_ATTRIBUTES, MAX_PRICE

_STRING = OpenAPIType.STRING
_NUMBER = OpenAPIType.NUMBER
# Control characters are refused; those Python counts as whitespace are folded into spaces first.
_CONTROL = r"\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
_TEXT = f"^[^{_CONTROL}]*$"
_NOT_BLANK = f"^[^{_CONTROL}]*[^\\s{_CONTROL}][^{_CONTROL}]*$"


def _text(name: str, description: str) -> Schema:
    return Schema(type=_STRING, max_length=LIMITS[name], pattern=_TEXT, description=description)


PRODUCT_FIELDS: Final = {
    "sku": Schema(
        type=_STRING,
        max_length=LIMITS["sku"],
        pattern=f"^[^\\s/?#{_CONTROL}]+$",
        description="unique; no spaces, '/', '?' or '#'; cannot change",
    ),
    "title": Schema(type=_STRING, max_length=LIMITS["title"], pattern=_NOT_BLANK, description="not blank"),
    "price": Schema(type=_NUMBER, minimum=0, maximum=MAX_PRICE, description="rounded to cents"),
    "description": _text("description", "plain text"),
    "category": _text("category", "one category name"),
    "brand": _text("brand", "the brand's name"),
    "image_url": Schema(
        type=_STRING,
        max_length=LIMITS["image_url"],
        pattern=f"^(https?://|/)[^{_CONTROL}]*$",
        description="http(s) URL or a path starting with '/'",
    ),
    "rating": Schema(type=_NUMBER, minimum=0, maximum=5),
    "review_count": Schema(type=OpenAPIType.INTEGER, minimum=0, maximum=1_000_000_000),
    "popularity": Schema(type=_NUMBER, minimum=0, maximum=1e12),
    "created_at": Schema(type=_STRING, format=OpenAPIFormat.DATE_TIME),
}
_ATTRIBUTE: Final = Schema(
    type=[_STRING, _NUMBER, OpenAPIType.BOOLEAN],
    pattern=r"^[^\x00-\x1f\x7f-\x9f]*$",  # an attribute's text is kept as given: no controls at all
    description=f"any other key is an attribute (at most {MAX_ATTRIBUTES})",
)


def product_body(*, create: bool) -> dict[str, Any]:
    """`schema_extra` for the body parameter: all fields on create (three required), any on update."""
    return {
        "type": OpenAPIType.OBJECT,
        "properties": PRODUCT_FIELDS,
        "required": ["sku", "title", "price"] if create else None,
        "additional_properties": _ATTRIBUTE,
    }
