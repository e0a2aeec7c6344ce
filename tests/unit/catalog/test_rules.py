"""Validation of catalog rows: product_from_row and merge_update."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from domain.catalog.errors import InvalidProduct
from domain.catalog.rules import merge_update, product_from_row

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def row(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"sku": "SKU-1", "title": "Wool Socks", "price": "9.99"}
    base.update(fields)
    return base


def errors_of(fields: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidProduct) as info:
        product_from_row(fields, NOW)
    return info.value.errors


def test_minimal_row_gets_defaults() -> None:
    product = product_from_row(row(), NOW)
    assert product.sku == "SKU-1"
    assert product.title == "Wool Socks"
    assert product.price == 9.99
    assert (product.description, product.category, product.brand) == ("", "", "")
    assert (product.rating, product.review_count, product.popularity) == (0.0, 0, 0.0)
    assert product.image_url is None
    assert product.created_at == NOW
    assert product.attributes == {}


def test_required_fields() -> None:
    assert errors_of({}) == {"sku": "is required", "title": "is required", "price": "is required"}
    assert errors_of({"sku": "  ", "title": "", "price": None}) == {
        "sku": "is required",
        "title": "is required",
        "price": "is required",
    }


def test_text_whitespace_is_collapsed() -> None:
    product = product_from_row(row(title="  Wool \t Socks\n", brand=" Acme "), NOW)
    assert (product.title, product.brand) == ("Wool Socks", "Acme")


@pytest.mark.parametrize(
    ("raw", "price"), [("19.99", 19.99), (" 5 ", 5.0), (0, 0.0), ("3.456", 3.46), (12, 12.0)]
)
def test_price_accepts_numbers_and_numeric_strings(raw: Any, price: float) -> None:
    assert product_from_row(row(price=raw), NOW).price == price


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (-0.01, "must be between 0 and 1e+09"),
        ("abc", "must be a number"),
        (True, "must be a number"),
        (float("nan"), "must be between 0 and 1e+09"),
        ("inf", "must be between 0 and 1e+09"),
        (2e9, "must be between 0 and 1e+09"),
        ([1], "must be a number"),
    ],
)
def test_bad_price(raw: Any, message: str) -> None:
    assert errors_of(row(price=raw)) == {"price": message}


@pytest.mark.parametrize(("raw", "rating"), [(0, 0.0), ("5", 5.0), ("4.567", 4.57), (3, 3.0)])
def test_rating_between_0_and_5(raw: Any, rating: float) -> None:
    assert product_from_row(row(rating=raw), NOW).rating == rating


@pytest.mark.parametrize("raw", [5.01, -1, "6"])
def test_rating_out_of_range(raw: Any) -> None:
    assert errors_of(row(rating=raw)) == {"rating": "must be between 0 and 5"}


def test_review_count_must_be_whole() -> None:
    assert product_from_row(row(review_count="12"), NOW).review_count == 12
    assert product_from_row(row(review_count="3.0"), NOW).review_count == 3
    assert errors_of(row(review_count="2.5")) == {"review_count": "must be a whole number"}
    assert errors_of(row(review_count=-1)) == {"review_count": "must be between 0 and 1e+09"}


def test_popularity() -> None:
    assert product_from_row(row(popularity="123.5"), NOW).popularity == 123.5
    assert errors_of(row(popularity=-3)) == {"popularity": "must be between 0 and 1e+12"}


def test_created_at_with_z_suffix_is_utc() -> None:
    product = product_from_row(row(created_at="2023-05-01T10:00:00Z"), NOW)
    assert product.created_at == datetime(2023, 5, 1, 10, 0, tzinfo=UTC)
    assert product.created_at.utcoffset() == timedelta(0)


def test_naive_created_at_is_taken_as_utc() -> None:
    assert product_from_row(row(created_at="2023-05-01"), NOW).created_at == datetime(2023, 5, 1, tzinfo=UTC)
    naive = datetime(2023, 5, 1, 8, 30)
    assert product_from_row(row(created_at=naive), NOW).created_at == datetime(2023, 5, 1, 8, 30, tzinfo=UTC)


def test_created_at_keeps_an_explicit_offset() -> None:
    product = product_from_row(row(created_at="2023-05-01T10:00:00+02:00"), NOW)
    assert product.created_at.utcoffset() == timedelta(hours=2)
    assert product.created_at == datetime(2023, 5, 1, 8, 0, tzinfo=UTC)


def test_blank_created_at_is_now() -> None:
    assert product_from_row(row(created_at=""), NOW).created_at == NOW


def test_invalid_created_at() -> None:
    assert errors_of(row(created_at="yesterday")) == {"created_at": "must be an ISO 8601 date or timestamp"}
    assert errors_of(row(created_at="2023-13-01")) == {"created_at": "must be an ISO 8601 date or timestamp"}


@pytest.mark.parametrize(
    "url", ["http://cdn.example.com/a.png", "https://cdn.example.com/a.png", "/img/a.png"]
)
def test_image_url_accepted(url: str) -> None:
    assert product_from_row(row(image_url=url), NOW).image_url == url


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a.png", "javascript:alert(1)", "data:image/png;base64,xx", "a.png"]
)
def test_image_url_scheme_rejected(url: str) -> None:
    assert errors_of(row(image_url=url)) == {
        "image_url": "must be an http(s) URL or a path starting with '/'"
    }


def test_extra_keys_become_attributes() -> None:
    product = product_from_row(
        row(
            color=" red ",
            weight=1.5,
            waterproof=True,
            **{" size ": "M", "": "ignored", "empty": "", "none": None},
        ),
        NOW,
    )
    assert product.attributes == {"color": "red", "weight": 1.5, "waterproof": True, "size": "M"}


def test_attribute_values_must_be_scalars() -> None:
    assert errors_of(row(color=["red"])) == {"color": "attribute values must be strings, numbers or booleans"}


def test_at_most_50_attributes() -> None:
    assert len(product_from_row(row(**{f"a{i}": i for i in range(50)}), NOW).attributes) == 50
    assert errors_of(row(**{f"a{i}": i for i in range(51)})) == {"attributes": "at most 50 attributes"}


@pytest.mark.parametrize(
    ("field", "limit"),
    [("sku", 64), ("title", 300), ("description", 10_000), ("category", 100), ("brand", 100)],
)
def test_text_limits(field: str, limit: int) -> None:
    assert getattr(product_from_row(row(**{field: "x" * limit}), NOW), field) == "x" * limit
    assert errors_of(row(**{field: "x" * (limit + 1)})) == {field: f"is longer than {limit} characters"}


@pytest.mark.parametrize("field", ["title", "description", "brand", "category"])
@pytest.mark.parametrize("char", ["\x00", "\x07", "\u200b"])
def test_control_characters_rejected(field: str, char: str) -> None:
    assert errors_of(row(**{field: f"bad{char}value"})) == {field: "contains control characters"}


def test_tabs_and_newlines_are_whitespace_not_control_characters() -> None:
    assert product_from_row(row(description="line one\nline\ttwo"), NOW).description == "line one line two"


@pytest.mark.parametrize("sku", ["A/1", "A 1", "A?1", "A#1"])
def test_sku_with_url_characters_rejected(sku: str) -> None:
    assert errors_of(row(sku=sku)) == {"sku": "must not contain spaces, '/', '?' or '#'"}


def test_numeric_sku_and_title_are_taken_as_text() -> None:
    product = product_from_row(row(sku=12345, title=2024), NOW)
    assert (product.sku, product.title) == ("12345", "2024")


def test_every_bad_field_is_reported_at_once() -> None:
    assert errors_of({"sku": "a/b", "title": "ok", "price": "x", "rating": 9, "image_url": "ftp://x"}) == {
        "sku": "must not contain spaces, '/', '?' or '#'",
        "price": "must be a number",
        "rating": "must be between 0 and 5",
        "image_url": "must be an http(s) URL or a path starting with '/'",
    }


def test_invalid_product_message_names_fields() -> None:
    with pytest.raises(InvalidProduct, match=r"^price: must be a number$"):
        product_from_row(row(price="x"), NOW)


def test_control_characters_in_attribute_values_rejected() -> None:
    try:
        product = product_from_row(row(color="red\x00"), NOW)
    except InvalidProduct as exc:
        assert "color" in exc.errors
    else:
        assert "\x00" not in str(product.attributes["color"])


# ------------------------------------------------------------------------------------------ merge_update


def current() -> Any:
    return product_from_row(
        row(
            description="Warm",
            category="Socks",
            brand="Acme",
            rating=4.5,
            review_count=10,
            popularity=7,
            image_url="/s.png",
            created_at="2020-01-01T00:00:00Z",
            color="grey",
        ),
        NOW,
    )


def test_merge_update_changes_only_the_given_fields() -> None:
    before = current()
    after = merge_update(before, {"price": "12.50", "color": "blue"}, NOW + timedelta(days=1))
    assert after.price == 12.5
    assert after.attributes == {"color": "blue"}
    assert after.sku == before.sku
    assert (after.title, after.description, after.category, after.brand) == (
        "Wool Socks",
        "Warm",
        "Socks",
        "Acme",
    )
    assert (after.rating, after.review_count, after.popularity, after.image_url) == (4.5, 10, 7.0, "/s.png")
    assert after.created_at == datetime(2020, 1, 1, tzinfo=UTC)


def test_merge_update_accepts_the_same_sku() -> None:
    assert merge_update(current(), {"sku": "SKU-1", "title": "New"}, NOW).title == "New"


def test_merge_update_rejects_changing_the_sku() -> None:
    with pytest.raises(InvalidProduct) as info:
        merge_update(current(), {"sku": "SKU-2"}, NOW)
    assert info.value.errors == {"sku": "cannot be changed"}


def test_merge_update_validates_the_result() -> None:
    with pytest.raises(InvalidProduct) as info:
        merge_update(current(), {"price": -1, "rating": 7}, NOW)
    assert info.value.errors == {"price": "must be between 0 and 1e+09", "rating": "must be between 0 and 5"}


def test_merge_update_clears_optional_text_with_none() -> None:
    after = merge_update(current(), {"description": None, "image_url": ""}, NOW)
    assert (after.description, after.image_url) == ("", None)


def test_merge_update_keeps_created_at_timezone() -> None:
    tz = timezone(timedelta(hours=-5))
    before = product_from_row(row(created_at=datetime(2021, 6, 1, 9, 0, tzinfo=tz)), NOW)
    assert merge_update(before, {"title": "X"}, NOW).created_at == datetime(2021, 6, 1, 9, 0, tzinfo=tz)
