"""The audit log's response schema lists exactly the actions the use cases record."""

from typing import get_args

from domain.audit.model import ACTIONS
from entrypoints.http.schemas import AuditEntryOut


def test_the_response_schema_names_every_action() -> None:
    assert get_args(AuditEntryOut.__annotations__["action"]) == ACTIONS
