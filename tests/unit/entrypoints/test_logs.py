"""Log lines: JSON objects with the request id when LOG_FORMAT=json, the id in text lines too."""

import json
import logging
import sys

from entrypoints.logs import JsonFormatter, RequestIdFilter, formatter, request_id


def record(message: str, exc: bool = False, **extra: object) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("broken")
        except ValueError:
            exc_info = sys.exc_info()
    made = logging.LogRecord("ecomsearch.test", logging.ERROR, __file__, 1, message, ("x",), exc_info)
    made.__dict__.update(extra)
    RequestIdFilter().filter(made)
    return made


def test_a_json_line_within_a_request_carries_its_id_and_the_traceback() -> None:
    token = request_id.set("req-1")
    try:
        line = JsonFormatter().format(record("failed on %s", exc=True, route="/api/search"))
    finally:
        request_id.reset(token)
    assert "\n" not in line
    data = json.loads(line)
    assert data["request_id"] == "req-1" and data["message"] == "failed on x"
    assert data["level"] == "ERROR" and data["logger"] == "ecomsearch.test" and data["route"] == "/api/search"
    assert "ValueError: broken" in data["exc_info"] and data["time"].endswith("+00:00")


def test_outside_a_request_there_is_no_id() -> None:
    data = json.loads(JsonFormatter().format(record("plain %s", color_message="\x1b[36mplain\x1b[0m")))
    assert "request_id" not in data and "exc_info" not in data
    assert "color_message" not in data  # uvicorn's coloured copy of the message
    assert formatter("text").format(record("plain %s")).endswith("ecomsearch.test - plain x")


def test_a_text_line_names_its_request() -> None:
    token = request_id.set("abc")
    try:
        assert formatter("text").format(record("in %s")).endswith("ecomsearch.test - [abc] in x")
    finally:
        request_id.reset(token)
