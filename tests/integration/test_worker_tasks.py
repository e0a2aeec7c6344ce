"""SAQ tasks: unique names, only the context as argument (never a Job field's name), a spec each."""

import dataclasses
import inspect

from saq.job import Job

from entrypoints.jobs import SPECS
from entrypoints.worker.tasks import TASKS, check_triggers


def test_every_task_takes_only_the_context_and_has_a_spec() -> None:
    job_fields = {f.name for f in dataclasses.fields(Job)}
    for name, task in {**TASKS, "check_triggers": check_triggers}.items():
        parameters = list(inspect.signature(task).parameters)
        assert parameters == ["ctx"], name
        assert not set(parameters) & job_fields
    assert set(TASKS) == set(SPECS)
    assert len({task.__name__ for task in TASKS.values()}) == len(TASKS)
    for spec in SPECS.values():
        assert spec.timeout_seconds > 0 and spec.retries >= 1 and spec.retry_delay_seconds > 0
