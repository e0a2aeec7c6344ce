"""The model store contract, on files (joblib) and on SQLite and PostgreSQL."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.models.joblib_store import JoblibModelStore
from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.model_store import SqlModelStore
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from domain.ranking.ports import ModelStore
from domain.ranking.versions import ModelVersion

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def record(version: str, minutes: int = 0) -> ModelVersion:
    return ModelVersion(
        version=version,
        created_at=T0 + timedelta(minutes=minutes),
        metrics={"ndcg@10": 0.5, "auc": 0.7},
        features=FEATURE_NAMES,
        feature_version=FEATURE_VERSION,
        window_start=T0 - timedelta(days=30),
        window_end=T0,
        libraries={"scikit-learn": "1.9"},
    )


@pytest.fixture(params=["files", "sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, make_database, tmp_path: Path) -> AsyncIterator[ModelStore]:
    if request.param == "files":
        yield JoblibModelStore(tmp_path / "models")
        return
    engine = make_engine(await make_database(request.param))
    yield SqlModelStore(make_sessions(engine))
    await engine.dispose()


async def test_empty_store(store: ModelStore) -> None:
    assert await store.promoted() is None
    assert await store.versions() == []
    assert await store.load("nope") is None


async def test_save_load_promote(store: ModelStore) -> None:
    await store.save(record("v1"), b"\x00first")
    await store.save(record("v2", minutes=5), b"\x00second" * 1000)
    assert await store.load("v1") == b"\x00first"
    assert await store.load("v2") == b"\x00second" * 1000
    assert await store.promoted() is None
    await store.promote("v1")
    promoted = await store.promoted()
    assert promoted is not None
    assert promoted.version == "v1" and promoted.promoted
    assert promoted.metrics == {"ndcg@10": 0.5, "auc": 0.7}
    assert promoted.features == FEATURE_NAMES
    assert promoted.window_end == T0
    await store.promote("v2")
    versions = await store.versions()
    assert [(v.version, v.promoted) for v in versions] == [("v1", False), ("v2", True)]


async def test_promoting_an_unknown_version_changes_nothing(store: ModelStore) -> None:
    await store.save(record("v1"), b"x")
    await store.promote("v1")
    with pytest.raises(KeyError):
        await store.promote("ghost")
    promoted = await store.promoted()
    assert promoted is not None and promoted.version == "v1"


async def test_resaving_a_version_replaces_it_unpromoted(store: ModelStore) -> None:
    await store.save(record("v1"), b"old")
    await store.promote("v1")
    await store.save(record("v1"), b"new")
    assert await store.load("v1") == b"new"
    assert len(await store.versions()) == 1


async def test_file_store_rejects_path_tricks(tmp_path: Path) -> None:
    store = JoblibModelStore(tmp_path)
    with pytest.raises(ValueError):
        await store.save(record("../evil"), b"x")
    assert list(tmp_path.iterdir()) == []


async def test_two_sql_store_instances_share_the_champion(make_database) -> None:
    url = await make_database("sqlite")
    a_engine, b_engine = make_engine(url), make_engine(url)
    a, b = SqlModelStore(make_sessions(a_engine)), SqlModelStore(make_sessions(b_engine))
    await a.save(record("v1"), b"blob")
    await a.promote("v1")
    promoted = await b.promoted()
    assert promoted is not None and promoted.version == "v1"
    await a_engine.dispose()
    await b_engine.dispose()
