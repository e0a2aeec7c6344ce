"""The job registry: which background jobs exist, and how each runs.

Only jobs whose bodies are real are registered: `retrain` once an impression log is wired
(`Container.training_data`), `cluster`, `profiles` (every 5 minutes), `rollup` (analytics summaries, every 10 minutes), `archive` (daily), `send_mail` (internal: queued
with each message, and by a check every minute while stored mail is due) and `catalog_import`
(internal: queued with each upload, and by a check every minute while one waits) always, and the
webhooks' `send_webhooks` (queued with each notice, and by a check every minute while a delivery
is due) and `publish_readout` (daily: the experiment readout for the webhooks that subscribe to
it). An unknown name is refused (400 over HTTP).
"""

from collections.abc import Callable

from application.analytics.rollup_analytics import RollupAnalytics
from application.catalog.bulk_import import CATALOG_IMPORT_JOB, RunImports
from application.events.archive_events import ArchiveEvents
from application.jobs.ports import JobSpec
from application.jobs.runner import JobBody
from application.mail.send_mail import SEND_MAIL, DeliverMail
from application.notifications.deliver_webhooks import DeliverWebhooks
from application.notifications.publish_notices import SEND_WEBHOOKS
from application.notifications.publish_readout import PUBLISH_READOUT, PublishReadout
from application.ranking.ports import TrainingDataSource
from application.ranking.retrain_ranker import RetrainRanker
from application.shoppers.cluster_shoppers import ReclusterShoppers
from application.shoppers.refresh_profiles import RefreshProfiles

SPECS = {
    "retrain": JobSpec(name="retrain", timeout_seconds=1800, retries=2, retry_delay_seconds=30.0),
    "cluster": JobSpec(name="cluster", timeout_seconds=600, retries=3, retry_delay_seconds=10.0),
    "profiles": JobSpec(name="profiles", timeout_seconds=240, retries=2, retry_delay_seconds=5.0),
    # A first run (no mark yet) rolls up the whole log, hence the long timeout.
    "rollup": JobSpec(name="rollup", timeout_seconds=1800, retries=3, retry_delay_seconds=15.0),
    # Daily; batches commit one by one, so a retry after a timeout picks up where it stopped.
    "archive": JobSpec(name="archive", timeout_seconds=3600, retries=3, retry_delay_seconds=60.0),
    # Failed messages wait in the outbox with their own backoff; these retries are for the job
    # itself failing (the database away).
    SEND_MAIL: JobSpec(name=SEND_MAIL, timeout_seconds=600, retries=3, retry_delay_seconds=10.0),
    # As for mail: deliveries keep their own backoff; these retries are for the job itself.
    # A run stops taking batches after WebhookDelivery.run_seconds (60 s), so a killed run's lock
    # (held for the timeout) delays the next run by two minutes at most.
    SEND_WEBHOOKS: JobSpec(name=SEND_WEBHOOKS, timeout_seconds=120, retries=3, retry_delay_seconds=10.0),
    PUBLISH_READOUT: JobSpec(name=PUBLISH_READOUT, timeout_seconds=300, retries=2, retry_delay_seconds=60.0),
    # Loads every waiting upload; a run cut short leaves its import running, taken up again by
    # the retry (loading is idempotent).
    CATALOG_IMPORT_JOB: JobSpec(
        name=CATALOG_IMPORT_JOB, timeout_seconds=3600, retries=2, retry_delay_seconds=10.0
    ),
}


def job_specs() -> dict[str, JobSpec]:
    return dict(SPECS)


def job_bodies(
    training_data: TrainingDataSource | None,
    retrain: Callable[[], RetrainRanker],
    recluster: Callable[[], ReclusterShoppers],
    refresh_profiles: Callable[[], RefreshProfiles],
    rollup: Callable[[], RollupAnalytics],
    archive: Callable[[], ArchiveEvents],
    send_mail: Callable[[], DeliverMail],
    send_webhooks: Callable[[], DeliverWebhooks],
    publish_readout: Callable[[], PublishReadout],
    catalog_import: Callable[[], RunImports],
) -> dict[str, JobBody]:
    bodies: dict[str, JobBody] = {
        "cluster": lambda: recluster()(),
        "profiles": lambda: refresh_profiles()(),
        "rollup": lambda: rollup()(),
        "archive": lambda: archive()(),
        SEND_MAIL: lambda: send_mail()(),
        SEND_WEBHOOKS: lambda: send_webhooks()(),
        PUBLISH_READOUT: lambda: publish_readout()(),
        CATALOG_IMPORT_JOB: lambda: catalog_import()(),
    }
    if training_data is not None:
        bodies["retrain"] = lambda: retrain()()
    return bodies
