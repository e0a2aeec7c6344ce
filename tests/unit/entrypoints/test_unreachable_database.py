"""A database that cannot be reached now is a 503 with Retry-After, however the driver says so."""

from typing import Any

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError

from adapters.sql.failures import database_unreachable
from entrypoints.http.errors import EXCEPTION_HANDLERS


class FakeRequest:
    method = "GET"

    class url:
        path = "/api/search"


def _answer(exc: Exception) -> Any:
    for kind in type(exc).__mro__:
        if kind in EXCEPTION_HANDLERS:
            return EXCEPTION_HANDLERS[kind](FakeRequest(), exc)
    raise AssertionError("no handler")


def _wrapped(orig: BaseException) -> DBAPIError:
    return DBAPIError("SELECT 1", None, orig)  # type: ignore[arg-type]


class DriverError(Exception):
    """What SQLAlchemy's asyncpg adapter raises: the SQLSTATE as `sqlstate`/`pgcode`."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = self.pgcode = sqlstate


@pytest.mark.parametrize(
    "exc",
    [
        asyncpg.CannotConnectNowError("the database system is not yet accepting connections"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
        ConnectionRefusedError(111, "Connect call failed"),
        ConnectionResetError(),
        TimeoutError(),
        _wrapped(DriverError("57P03")),
        _wrapped(DriverError("08006")),
        _wrapped(DriverError("57P01")),
    ],
    ids=lambda e: type(e).__name__,
)
def test_unreachable_is_503_with_retry_after(exc: Exception) -> None:
    assert database_unreachable(exc)
    answer = _answer(exc)
    assert answer.status_code == 503 and answer.headers["Retry-After"]


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("a bug"),
        _wrapped(DriverError("42601")),  # syntax error: ours
        IntegrityError("INSERT", None, DriverError("23505")),  # type: ignore[arg-type]
    ],
    ids=lambda e: type(e).__name__,
)
def test_anything_else_is_not_called_unreachable(exc: Exception) -> None:
    assert not database_unreachable(exc)
    assert _answer(exc).status_code in (409, 500)


def test_the_cause_chain_is_followed() -> None:
    try:
        try:
            raise asyncpg.CannotConnectNowError("not yet accepting connections")
        except asyncpg.PostgresError as inner:
            raise RuntimeError("while checking out a connection") from inner
    except RuntimeError as outer:
        assert database_unreachable(outer)
