"""The Prometheus adapter's scrape-time readings: the model in use and its age, the pool, the cache."""

from datetime import UTC, datetime, timedelta

from prometheus_client.parser import text_string_to_metric_families

from adapters.metrics.prometheus import PrometheusMetrics, Sources

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


class FakePool:
    def size(self) -> int:
        return 10

    def checkedout(self) -> int:
        return 3

    def checkedin(self) -> int:
        return 2


def samples(metrics: PrometheusMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = metrics.render().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_the_model_in_use_its_age_the_pool_and_the_cache_are_read_at_scrape_time() -> None:
    state: dict[str, object] = {"version": None, "at": None, "hits": 0}
    metrics = PrometheusMetrics()
    metrics.watch(
        Sources(
            cache_counters=lambda: {"hits": int(state["hits"]), "misses": 2},
            pool=FakePool,
            model=lambda: (state["version"], state["at"]),
            clock=FixedClock(),
        )
    )
    first = samples(metrics)
    assert not [k for k in first if k[0] == "ecomsearch_ranking_model"]  # the formula ranks
    assert ("ecomsearch_ranking_model_age_seconds", ()) not in first

    state.update(version="v-20260601", at=NOW - timedelta(hours=2), hits=5)
    second = samples(metrics)
    assert second[("ecomsearch_ranking_model", (("version", "v-20260601"),))] == 1
    assert second[("ecomsearch_ranking_model_age_seconds", ())] == 7200
    assert second[("ecomsearch_cache_reads_total", (("result", "hit"),))] == 5
    assert second[("ecomsearch_cache_reads_total", (("result", "miss"),))] == 2
    assert second[("ecomsearch_db_pool_connections", (("state", "checked_out"),))] == 3
    assert second[("ecomsearch_db_pool_connections", (("state", "size"),))] == 10
    assert second[("ecomsearch_db_pool_connections", (("state", "idle"),))] == 2


def test_a_pool_without_sizes_reports_none_and_busy_jobs_have_no_duration() -> None:
    metrics = PrometheusMetrics()
    metrics.watch(Sources(lambda: {}, lambda: object(), lambda: (None, None), FixedClock()))
    metrics.job_run("retrain", "busy", 0.0)
    metrics.job_run("retrain", "failed", 1.5)
    found = samples(metrics)
    assert not [k for k in found if k[0] == "ecomsearch_db_pool_connections"]
    assert found[("ecomsearch_job_runs_total", (("job", "retrain"), ("status", "busy")))] == 1
    assert ("ecomsearch_job_duration_seconds_count", (("job", "retrain"), ("status", "busy"))) not in found
    assert found[("ecomsearch_job_duration_seconds_sum", (("job", "retrain"), ("status", "failed")))] == 1.5


def test_reads_routed_to_the_replica_are_counted_only_when_there_is_one() -> None:
    routed = {"replica": 7, "primary": 2}
    with_replica = PrometheusMetrics()
    with_replica.watch(Sources(lambda: {}, object, lambda: (None, None), FixedClock(), routed=lambda: routed))
    found = samples(with_replica)
    assert found[("ecomsearch_db_reads_routed_total", (("target", "replica"),))] == 7
    assert found[("ecomsearch_db_reads_routed_total", (("target", "primary"),))] == 2
    without = PrometheusMetrics()
    without.watch(Sources(lambda: {}, object, lambda: (None, None), FixedClock()))
    assert not [k for k in samples(without) if k[0] == "ecomsearch_db_reads_routed_total"]
