"""SAQ tasks: unique names, only the context as argument (never a Job field's name), a spec each."""

import dataclasses
import inspect
import os
from pathlib import Path

from saq.job import Job

from entrypoints.container import build_container
from entrypoints.jobs import SPECS
from entrypoints.settings import load_settings
from entrypoints.worker.tasks import TASKS, check_mail, check_triggers, check_webhooks, worker_settings
from tests.conftest import REDIS_URL


def test_every_task_takes_only_the_context_and_has_a_spec() -> None:
    job_fields = {f.name for f in dataclasses.fields(Job)}
    checks = {"check_triggers": check_triggers, "check_mail": check_mail, "check_webhooks": check_webhooks}
    for name, task in {**TASKS, **checks}.items():
        parameters = list(inspect.signature(task).parameters)
        assert parameters == ["ctx"], name
        assert not set(parameters) & job_fields
    assert set(TASKS) == set(SPECS)
    # SAQ registers a cron job under its function's __qualname__: each task carries its job's name.
    assert all(task.__name__ == task.__qualname__ == name for name, task in TASKS.items())
    for spec in SPECS.values():
        assert spec.timeout_seconds > 0 and spec.retries >= 1 and spec.retry_delay_seconds > 0


def test_the_rollup_job_has_a_task_and_a_ten_minute_cron() -> None:
    settings = load_settings({"REDIS_URL": REDIS_URL}, dotenv=Path(os.devnull))
    container = build_container(settings)
    crons = {cron.function.__name__: cron for cron in worker_settings(settings, container)["cron_jobs"]}
    assert crons["rollup"].cron == "*/10 * * * *" and crons["rollup"].function is TASKS["rollup"]
    assert crons["rollup"].timeout == SPECS["rollup"].timeout_seconds
    assert "rollup" in container.job_runner().names()


def test_stored_mail_is_checked_every_minute_and_sent_by_its_job() -> None:
    settings = load_settings({"REDIS_URL": REDIS_URL}, dotenv=Path(os.devnull))
    container = build_container(settings)
    options = worker_settings(settings, container)
    crons = {cron.function.__name__: cron for cron in options["cron_jobs"]}
    assert crons["check_mail"].cron == "* * * * *"
    assert ("send_mail", TASKS["send_mail"]) in options["functions"]


def test_due_webhook_deliveries_are_checked_every_minute_and_the_readout_published_daily() -> None:
    settings = load_settings({"REDIS_URL": REDIS_URL}, dotenv=Path(os.devnull))
    container = build_container(settings)
    options = worker_settings(settings, container)
    crons = {cron.function.__name__: cron for cron in options["cron_jobs"]}
    assert crons["check_webhooks"].cron == "* * * * *"
    assert crons["publish_readout"].cron == "0 6 * * *"
    assert crons["publish_readout"].function is TASKS["publish_readout"]
    assert {("send_webhooks", TASKS["send_webhooks"]), ("publish_readout", TASKS["publish_readout"])} <= set(
        options["functions"]
    )
