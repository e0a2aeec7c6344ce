"""The operator's metrics in Prometheus's text format (prometheus-client), one registry per process.

Counters and histograms are updated as things happen (requests, search stages, events, jobs,
experiment assignments); what already has a count or a state elsewhere (the cache's hits and
misses, the database pool, the promoted model) is read when scraped, so it costs nothing between
scrapes. Each process has its own registry: with several processes, scrape each (see
docs/operations.md).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from application.ports import Clock

# No `_created` series beside each counter: Prometheus has no use for them and they double the text.
disable_created_metrics()  # type: ignore[no-untyped-call]

CONTENT_TYPE = "text/plain; version=0.0.4"  # the framework adds the charset
# Searches and requests are mostly a few to a few hundred milliseconds.
LATENCY_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
JOB_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)


@dataclass(frozen=True)
class Sources:
    """Where the scrape-time readings come from."""

    cache_counters: Callable[[], dict[str, int]]
    pool: Callable[[], Any]  # the SQLAlchemy pool, or None
    model: Callable[[], tuple[str | None, datetime | None]]  # promoted version in use, trained at
    clock: Clock
    # Reads routed to the replica and to the primary (DATABASE_READ_URL); empty without a replica.
    routed: Callable[[], dict[str, int]] = dict


class PrometheusMetrics:
    """Implements the application's `Observer` port, plus what the HTTP layer reports."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "ecomsearch_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=r
        )
        self.request_seconds = Histogram(
            "ecomsearch_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.stage_seconds = Histogram(
            "ecomsearch_search_stage_seconds",
            "Time one search spent in a stage (searches answered from the cache run none)",
            ["stage"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.events = Counter(
            "ecomsearch_events", "Events accepted or rejected", ["type", "outcome"], registry=r
        )
        self.job_runs = Counter("ecomsearch_job_runs", "Job runs ended", ["job", "status"], registry=r)
        self.job_seconds = Histogram(
            "ecomsearch_job_duration_seconds",
            "Time a job run took (done or failed)",
            ["job", "status"],
            buckets=JOB_BUCKETS,
            registry=r,
        )
        self.assignments = Counter(
            "ecomsearch_experiment_assignments",
            "New visitors assigned to each experiment arm",
            ["arm"],
            registry=r,
        )

    # The application's Observer port.
    def search_stage(self, stage: str, seconds: float) -> None:
        self.stage_seconds.labels(stage).observe(seconds)

    def event(self, event_type: str, outcome: str) -> None:
        self.events.labels(event_type, outcome).inc()

    def job_run(self, name: str, status: str, seconds: float) -> None:
        self.job_runs.labels(name, status).inc()
        if status != "busy":
            self.job_seconds.labels(name, status).observe(seconds)

    # The HTTP layer's reports.
    def request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.request_seconds.labels(method, route, str(status)).observe(seconds)

    def assigned(self, arm: str) -> None:
        self.assignments.labels(arm).inc()

    def watch(self, sources: Sources) -> None:
        """Read the cache, pool and model at each scrape (once per registry)."""
        self.registry.register(_ScrapeTime(sources))

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _ScrapeTime(Collector):
    def __init__(self, sources: Sources) -> None:
        self._sources = sources

    def collect(self) -> Iterator[Any]:
        yield from self._cache()
        yield from self._pool()
        yield from self._model()
        yield from self._routed()

    def _routed(self) -> Iterator[Any]:
        counts = self._sources.routed()
        if not counts:
            return
        reads = CounterMetricFamily(
            "ecomsearch_db_reads_routed",
            "Read sessions opened by this process, by the server chosen (replica or primary)",
            labels=["target"],
        )
        for target, count in sorted(counts.items()):
            reads.add_metric([target], count)
        yield reads

    def _cache(self) -> Iterator[Any]:
        counts = self._sources.cache_counters()
        reads = CounterMetricFamily(
            "ecomsearch_cache_reads", "Cache reads in this process, by result", labels=["result"]
        )
        reads.add_metric(["hit"], counts.get("hits", 0))
        reads.add_metric(["miss"], counts.get("misses", 0))
        if "bypassed" in counts:  # Redis unreachable: read from the database instead
            reads.add_metric(["bypassed"], counts["bypassed"])
        yield reads

    def _pool(self) -> Iterator[Any]:
        pool = self._sources.pool()
        readings = GaugeMetricFamily(
            "ecomsearch_db_pool_connections", "The database connection pool", labels=["state"]
        )
        # SQLite's in-memory databases use a pool without sizes; it then reports nothing.
        for state, method in (("size", "size"), ("checked_out", "checkedout"), ("idle", "checkedin")):
            read = getattr(pool, method, None)
            if callable(read):
                readings.add_metric([state], float(read()))
        yield readings

    def _model(self) -> Iterator[Any]:
        version, created_at = self._sources.model()
        info = GaugeMetricFamily(
            "ecomsearch_ranking_model",
            "1 for the promoted model version ranking in this process",
            labels=["version"],
        )
        age = GaugeMetricFamily(
            "ecomsearch_ranking_model_age_seconds", "Age of the model in use since it was trained"
        )
        if version is not None:
            info.add_metric([version], 1.0)
        if created_at is not None:
            age.add_metric([], (self._sources.clock.now() - created_at).total_seconds())
        yield info
        yield age
