"""Administrators start background jobs by name (202 with the job's id), then see what became
of each: one job by id, or the most recent ones."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, Parameter, QueryParameter
from litestar.status_codes import HTTP_202_ACCEPTED

from application.jobs.errors import JobNotFound
from application.jobs.records import MAX_LISTED, ReadJobs
from application.jobs.start_job import StartJob
from domain.apikeys.model import ADMIN
from domain.identity.errors import NotAdmin, NotAuthenticated
from entrypoints.http.access import admin_actor, require_admin
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_response, error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.schemas import JobOut, JobsOut, job_out
from entrypoints.http.visitor import Visitor

# The jobs the API names; one may be absent from this deployment's registry (then 400).
CONTRACT_JOBS = ("retrain", "cluster", "rollup")


class AdminJobsController(Controller):
    opt = scope(ADMIN)
    path = "/api/admin/jobs"
    tags = ["administration"]  # noqa: RUF012
    dependencies = from_container("start_job", "read_jobs")

    @get(
        "/",
        summary="The most recent jobs, newest first",
        responses=error_responses(NotAuthenticated, NotAdmin),
    )
    async def recent(
        self,
        visitor: NamedDependency[Visitor],
        read_jobs: NamedDependency[ReadJobs],
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LISTED)] = 20,
    ) -> JobsOut:
        require_admin(visitor)
        return JobsOut(jobs=[job_out(record) for record in await read_jobs.recent(limit)])

    @get(
        "/{job_id:str}",
        summary="What became of a job: status, attempts, times, report or error",
        responses=error_responses(NotAuthenticated, NotAdmin, JobNotFound),
    )
    async def one(
        self, job_id: FromPath[str], visitor: NamedDependency[Visitor], read_jobs: NamedDependency[ReadJobs]
    ) -> JobOut:
        require_admin(visitor)
        return job_out(await read_jobs.one(job_id))

    @post(
        "/{name:str}",
        summary="Start a background job",
        status_code=HTTP_202_ACCEPTED,
        responses=error_responses(
            NotAuthenticated, NotAdmin, also={400: "job_unavailable", 404: "not_found"}
        ),
    )
    async def start(
        self,
        name: Annotated[str, Parameter(schema_extra={"enum": list(CONTRACT_JOBS)})],
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        start_job: NamedDependency[StartJob],
    ) -> Response[Any]:
        actor = admin_actor(visitor, request)
        available = sorted(start_job.names())
        if name not in CONTRACT_JOBS:
            return error_response(
                404, "not_found", f"there is no job {name!r}", {"name": name, "jobs": available}
            )
        if name not in available:
            message = f"the {name} job is not available in this deployment"
            return error_response(400, "job_unavailable", message, {"name": name, "jobs": available})
        job_id = await start_job(name, actor=actor)
        return Response({"job_id": job_id}, status_code=HTTP_202_ACCEPTED)
