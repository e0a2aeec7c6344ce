"""Which database errors mean "the database cannot be reached now" (a 503), not a bug (a 500).

A stopped, restarting or overloaded server shows as a refused connection, a timeout, a
connection that ended, or PostgreSQL refusing work: SQLSTATE class 08 (connection exception),
57P01-57P03 (shutting down, crashed, not yet accepting connections) and 53300 (too many
connections). asyncpg raises some of these before SQLAlchemy can wrap them, so the whole chain
of causes is looked at.
"""

from sqlalchemy.exc import DBAPIError

_SHUTDOWN = frozenset({"57P01", "57P02", "57P03", "53300"})


def _sqlstate(error: BaseException) -> str:
    state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return state if isinstance(state, str) else ""


def database_unreachable(exc: BaseException) -> bool:
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, (ConnectionError, TimeoutError)):  # refused, reset, broken pipe, timed out
            return True
        state = _sqlstate(error)
        if state.startswith("08") or state in _SHUTDOWN:
            return True
        orig = error.orig if isinstance(error, DBAPIError) else None
        error = orig if isinstance(orig, BaseException) else (error.__cause__ or error.__context__)
    return False
