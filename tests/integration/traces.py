"""Scan every table of the SQL metadata for traces of a user: their username, email, visitor id,
or their id in a user id column. Generic on purpose: a table added later is scanned too."""

import json
from typing import Any

import sqlalchemy as sa

from adapters.sql.engine import make_engine
from adapters.sql.tables import metadata


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value)
    return "" if value is None else str(value)


async def traces_of(url: str, user_id: int, needles: list[str]) -> list[str]:
    """Where the needles (case-insensitive) or the user id in a `*user_id` column still appear:
    `table.column` per hit. The users table's own id column counts only for the user's row."""
    wanted = [n.casefold() for n in needles if n]
    hits: list[str] = []
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            for table in metadata.sorted_tables:
                for row in (await connection.execute(sa.select(table))).mappings():
                    for column, value in row.items():
                        named = any(n in _text(value).casefold() for n in wanted)
                        user_column = column.endswith("user_id") or (table.name, column) == ("users", "id")
                        if named or (user_column and value == user_id):
                            hits.append(f"{table.name}.{column}")
    finally:
        await engine.dispose()
    return sorted(set(hits))
