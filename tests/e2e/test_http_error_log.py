"""The error log names the request it failed on without letting the URL forge log lines."""

import os
from pathlib import Path

import pytest
from litestar import get
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from entrypoints.http.errors import loggable
from entrypoints.settings import load_settings
from tests.e2e.test_http_search import assert_error


@get("/api/boom/{rest:path}", sync_to_thread=False)
def boom(rest: FromPath[str]) -> None:
    raise RuntimeError("a bug")


async def test_an_encoded_newline_in_the_path_stays_on_one_log_line(
    make_database, caplog: pytest.LogCaptureFixture
) -> None:
    url = await make_database("sqlite")
    app = create_app(load_settings({"DATABASE_URL": url}, dotenv=Path(os.devnull)))
    app.register(boom)
    forged = "/api/boom/x%0A2026-01-01 ERROR ecomsearch.http admin logged in%0D%1B[2J%E2%80%A8"
    # The app configures logging itself (Litestar's own configuration is off): caplog's handler stays.
    async with AsyncTestClient(app=app) as client:
        response = await client.get(forged)
    body = assert_error(response, 500)
    assert body["error"]["code"] == "internal_error" and "a bug" not in response.text
    [record] = [r for r in caplog.records if r.name == "ecomsearch.http"]
    line = record.getMessage()
    assert line == (
        "unhandled error on GET /api/boom/x\\n2026-01-01 ERROR ecomsearch.http admin logged in\\r\\x1b[2J\\u2028"
    )
    assert line.splitlines() == [line]
    assert record.exc_info is not None  # the trace is still there, below the one line


def test_loggable_escapes_what_could_break_a_line_and_keeps_readable_text() -> None:
    assert loggable("/produkte/größe") == "/produkte/größe"
    assert loggable("/a\nb\rc\td\x00e\x7f") == "/a\\nb\\rc\\td\\x00e\\x7f"
    # A backslash is doubled, so a logged `\n` cannot be confused with an escaped newline.
    assert loggable("/a\\nb") == "/a\\\\nb"
