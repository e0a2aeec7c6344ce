"""The administrators' audit log, newest first: who did what, to which thing, when, from where."""

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from application.audit.audit_trail import MAX_AUDIT_LISTED, ReadAuditLog
from domain.apikeys.model import ADMIN
from domain.identity.errors import NotAdmin, NotAuthenticated
from entrypoints.http.access import require_admin
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.schemas import AuditOut, audit_out
from entrypoints.http.visitor import Visitor


class AdminAuditController(Controller):
    opt = scope(ADMIN)
    path = "/api/admin/audit"
    tags = ["administration"]  # noqa: RUF012
    dependencies = from_container("read_audit_log")

    @get(
        "/",
        summary="The audit log of administrators' actions, newest first",
        responses=error_responses(NotAuthenticated, NotAdmin),
    )
    async def recent(
        self,
        visitor: NamedDependency[Visitor],
        read_audit_log: NamedDependency[ReadAuditLog],
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_AUDIT_LISTED)] = 50,
    ) -> AuditOut:
        require_admin(visitor)
        return audit_out(await read_audit_log(limit))
