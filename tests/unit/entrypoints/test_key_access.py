"""Which header carries an API key, and what a route's `opt` says a key needs."""

import pytest
from litestar import get
from litestar.datastructures import Headers

from domain.apikeys.errors import InvalidApiKey
from entrypoints.http.key_access import OPEN, PERSON, presented_key, route_scope, scope

KEY = "esk_0123456789ab_" + "A" * 43


def test_a_key_comes_in_either_header_and_a_session_token_is_no_key() -> None:
    assert presented_key(Headers({"X-API-Key": KEY})) == KEY
    assert presented_key(Headers({"Authorization": f"Bearer {KEY}"})) == KEY
    assert presented_key(Headers({"Authorization": f"Bearer {KEY}", "X-API-Key": KEY})) == KEY
    assert presented_key(Headers({"Authorization": "Bearer a-session-token"})) is None
    assert presented_key(Headers({})) is None
    assert presented_key(Headers({"X-API-Key": "garbage"})) == "garbage"  # refused as a bad key
    with pytest.raises(InvalidApiKey):
        presented_key(Headers({"Authorization": f"Bearer {KEY}", "X-API-Key": KEY[:-1] + "B"}))


def test_a_route_without_a_scope_is_a_persons_route() -> None:
    @get("/a", sync_to_thread=False)
    def unmarked() -> None: ...

    @get("/b", sync_to_thread=False, opt=scope(OPEN))
    def marked() -> None: ...

    assert route_scope(unmarked) == PERSON
    assert route_scope(marked) == OPEN
    with pytest.raises(ValueError, match="unknown route scope"):
        scope("catalog:read")
