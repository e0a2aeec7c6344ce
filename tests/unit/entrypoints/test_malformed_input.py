"""What the malformed-input middleware refuses in a body or a query string, and what it leaves to routes."""

from entrypoints.http.malformed import body_problem, nul_field, query_problem


def test_deep_nesting_is_refused_and_ordinary_nesting_is_not() -> None:
    assert body_problem(b"[" * 1000 + b"]" * 1000) == (None, "the JSON body is nested too deeply")
    assert body_problem(b'{"a": [[1, 2], {"b": [3]}]}') is None


def test_a_nul_byte_is_named_by_its_path() -> None:
    assert nul_field({"a": "ok", "b": [{"c": "x\x00"}]}) == "b[0].c"
    assert nul_field(["\x00"]) == "[0]"
    assert nul_field({"k\x00": 1}) == "body"
    assert nul_field({"a": "fine", "n": 3, "z": None}) is None
    field, message = body_problem(b'{"sku": "A\\u0000"}') or (None, "")
    assert field == "sku" and "NUL" in message


def test_bodies_that_are_not_json_objects_or_malformed_are_left_to_the_route() -> None:
    assert body_problem(b"sku=A") is None
    assert body_problem(b'{"sku": ') is None


def test_a_nul_byte_in_a_query_parameter_is_named() -> None:
    assert query_problem(b"q=ok&brand=a%00b") == "brand"
    assert query_problem(b"q=ok%2500") is None  # an escaped percent sign, not a NUL
    assert query_problem(b"q=plain") is None
