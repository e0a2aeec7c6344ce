"""The composition root picks adapters from settings, and the caches really live where it says."""

import os
from pathlib import Path

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from adapters.cache.bypassing_cache import BypassingCache
from adapters.cache.memory_cache import MemoryCache
from adapters.cache.redis_cache import RedisCache
from adapters.jobs.inline_queue import InlineJobQueue
from adapters.jobs.saq_queue import SaqJobQueue
from adapters.models.joblib_store import JoblibModelStore
from adapters.sql.event_log import SqlEventLog
from adapters.sql.group_commit import GroupCommitEventLog
from adapters.sql.model_store import SqlModelStore
from adapters.sql.postgres_search import PostgresTsvectorSearch
from adapters.sql.sqlite_search import SqliteFtsSearch
from adapters.sql.training_data import SqlTrainingData
from adapters.sql.vocabulary import PostgresVocabulary, SqliteVocabulary
from application.jobs.triggers import Trigger
from application.ranking.learned_ranker import LearnedRanker
from domain.events.model import PopularityWeights
from domain.identity.model import NewUser
from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.schedule import InProcessSchedule, WorkerSchedule
from entrypoints.settings import load_settings
from tests.conftest import REDIS_URL
from tests.fixtures.actors import TEST_ACTOR
from tests.fixtures.loading import loaded_container


def settings(env: dict[str, str]):
    return load_settings(env, dotenv=Path(os.devnull))


async def test_sqlite_url_and_no_redis_choose_the_embedded_adapters() -> None:
    container = build_container(settings({"DATABASE_URL": "sqlite:///./data/never-created.db"}))
    assert isinstance(container.search_index(), SqliteFtsSearch)
    assert isinstance(container.vocabulary(), SqliteVocabulary)
    assert isinstance(container.cache(), MemoryCache)
    assert container.state_store() is container.cache()


async def test_postgres_and_redis_urls_choose_the_server_adapters() -> None:
    container = build_container(
        settings({"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test", "REDIS_URL": REDIS_URL})
    )
    assert isinstance(container.search_index(), PostgresTsvectorSearch)
    assert isinstance(container.vocabulary(), PostgresVocabulary)
    # The cache is bypassed when Redis fails; login limits and job locks are not (they live there).
    assert isinstance(container.cache(), BypassingCache)
    assert isinstance(container.state_store(), RedisCache)
    assert container.cache().inner is container.state_store()
    assert container.login_limiter()._cache is container.state_store()
    await close_container(container)


async def test_with_redis_the_catalog_caches_are_in_redis(make_database, redis_client) -> None:
    url = await make_database("postgresql")
    async with loaded_container(url, redis_url=REDIS_URL) as shop:
        categories = await shop.list_categories()()
        assert categories
        version = int(await redis_client.get("ecomsearch:catalog:version"))
        assert version >= 1
        assert await redis_client.exists(f"ecomsearch:catalog:categories:v{version}")
        await shop.update_product()("HP-001", {"price": 79.0}, actor=TEST_ACTOR)
        assert int(await redis_client.get("ecomsearch:catalog:version")) == version + 1


async def test_ready_says_503_when_the_database_is_down() -> None:
    app_settings = settings({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none"})
    async with AsyncTestClient(app=create_app(app_settings)) as client:
        response = await client.get("/ready")
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert response.json()["error"]["details"] == {"database": "down", "cache": "ok"}
        search = await client.get("/api/search?q=shoes")
        assert search.status_code == 503
        assert search.json()["error"]["code"] == "unavailable"


async def test_model_store_and_job_queue_follow_the_settings(tmp_path: Path) -> None:

    embedded = build_container(
        settings({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "MODELS_DIR": str(tmp_path / "models")})
    )
    assert isinstance(embedded.model_store(), JoblibModelStore)
    assert embedded.model_store().directory == tmp_path / "models"
    assert isinstance(embedded.job_queue(), InlineJobQueue)
    assert isinstance(embedded.ranker(), LearnedRanker)
    assert embedded.job_queue().names() == {
        "retrain",
        "cluster",
        "profiles",
        "rollup",
        "archive",
        "send_mail",
        "catalog_import",
        "send_webhooks",
        "publish_readout",
    }
    # In process, the archive and the readout notice are due once a day (checked with the other
    # triggers every 5 minutes).
    daily = Trigger(every_events=0, every_seconds=86400)
    assert embedded.archive_schedule().triggers == {"archive": daily, "publish_readout": daily}
    assert isinstance(embedded.training_data(), SqlTrainingData)
    await close_container(embedded)

    servers = build_container(
        settings({"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test", "REDIS_URL": REDIS_URL})
    )
    assert isinstance(servers.model_store(), SqlModelStore)
    assert isinstance(servers.job_queue(), SaqJobQueue)
    await close_container(servers)
    chosen = build_container(
        settings({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "MODEL_STORE": "database"})
    )
    assert isinstance(chosen.model_store(), SqlModelStore)
    await close_container(chosen)


def test_bad_model_store_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="MODEL_STORE"):
        settings({"MODEL_STORE": "s3"})


@pytest.mark.parametrize(
    ("url", "models"),
    [
        ("sqlite+aiosqlite:///./data/ecomsearch.db", "data/models"),
        ("sqlite+aiosqlite:////srv/shop-a/shop.db", "/srv/shop-a/models"),
        ("sqlite+aiosqlite://", "./data/models"),
        ("postgresql+asyncpg://postgres@127.0.0.1/shop", "./data/models"),
    ],
)
def test_file_models_live_beside_the_sqlite_database_unless_set(url: str, models: str) -> None:
    assert settings({"DATABASE_URL": url}).models_dir == models
    assert settings({"DATABASE_URL": url, "MODELS_DIR": "/m"}).models_dir == "/m"
    assert load_settings({}, dotenv=Path(os.devnull)).models_dir == "data/models"


@pytest.mark.parametrize("raw", ["0.5", "-1", "nan", "lots"])
def test_a_weight_clip_below_one_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="TRAIN_MAX_WEIGHT"):
        settings({"TRAIN_MAX_WEIGHT": raw})
    assert settings({"TRAIN_MAX_WEIGHT": "5"}).training.max_weight == 5.0


def test_the_position_bias_method_is_one_of_the_two() -> None:
    assert settings({}).training.position_bias == "feature"
    assert settings({"TRAIN_POSITION_BIAS": "IPW"}).training.position_bias == "ipw"
    with pytest.raises(ValueError, match="TRAIN_POSITION_BIAS"):
        settings({"TRAIN_POSITION_BIAS": "clicks"})


async def test_events_are_group_committed_unless_turned_off_and_weights_come_from_settings() -> None:
    url = "sqlite:///./data/never-created.db"
    grouped = build_container(settings({"DATABASE_URL": url}))
    assert isinstance(grouped.event_log(), GroupCommitEventLog)
    assert grouped.settings().popularity == PopularityWeights(view=0, click=1, add_to_cart=3)
    direct = build_container(
        settings({"DATABASE_URL": url, "EVENT_GROUP_COMMIT": "false", "POPULARITY_WEIGHT_CLICK": "2"})
    )
    assert isinstance(direct.event_log(), SqlEventLog)
    assert direct.settings().popularity.of("click") == 2


async def test_a_review_write_drops_the_cached_product_in_redis(make_database, redis_client) -> None:
    url = await make_database("postgresql")
    async with loaded_container(url, redis_url=REDIS_URL) as shop:
        user = await shop.users().add(
            NewUser(username="wired", email=None, password_hash="x", created_at=shop.clock().now())
        )
        await redis_client.set("ecomsearch:product:HP-001", b"stale")
        await redis_client.set("ecomsearch:product:HP-002", b"other")
        verified = msgspec.structs.replace(user, email_verified=True)
        await shop.put_review()(verified, "HP-001", 4, "fine")
        assert not await redis_client.exists("ecomsearch:product:HP-001")
        await redis_client.set("ecomsearch:product:HP-001", b"stale again")
        await shop.delete_review()(user.id, "HP-001")
        assert not await redis_client.exists("ecomsearch:product:HP-001")
        assert await redis_client.get("ecomsearch:product:HP-002") == b"other"


async def test_the_api_runs_the_job_schedule_only_without_redis(tmp_path: Path) -> None:
    embedded = build_container(settings({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}))
    assert isinstance(embedded.job_schedule(), InProcessSchedule)
    servers = build_container(
        settings({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "REDIS_URL": REDIS_URL})
    )
    assert isinstance(servers.job_schedule(), WorkerSchedule)
    await close_container(embedded)
    await close_container(servers)
