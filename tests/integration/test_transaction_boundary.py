"""One transaction per request, committed at the boundary; jobs enqueued only after commit."""

from __future__ import annotations

import uuid

import httpx
from fastapi import APIRouter, FastAPI
from sqlalchemy import func, select

from mediahub.core.db import SessionDep
from mediahub.core.errors import Conflict
from mediahub.core.jobs.models import JobRun
from mediahub.core.queue import JobName, commit_and_enqueue, new_job_run, request_cancel


def _routes(app: FastAPI) -> None:
    router = APIRouter()

    @router.post("/api/_test/jobs")
    async def create(session: SessionDep, fail: bool = False) -> dict[str, str]:
        run = new_job_run(session, JobName.SELFTEST, steps=1)
        await session.flush()  # the row exists inside the transaction…
        if fail:
            raise Conflict("refused after writing")  # …and must vanish with the rollback
        return {"id": str(run.id), "key": run.key}

    app.router.routes.insert(0, router.routes[0])


def _cancel_route(app: FastAPI) -> None:
    router = APIRouter()

    @router.post("/api/_test/jobs/{run_id}/cancel")
    async def cancel(run_id: uuid.UUID, session: SessionDep, fail: bool = False) -> dict:
        run = await session.get(JobRun, run_id)
        cancelled = await request_cancel(session, run)
        if fail:
            raise Conflict("refused after cancelling")  # the cancel must vanish with it
        return {"cancelled": cancelled}

    app.router.routes.insert(0, router.routes[0])


async def _queued_job(app: FastAPI) -> JobRun:
    async with app.state.session_factory() as session:
        run = new_job_run(session, JobName.SELFTEST, steps=1)
        await commit_and_enqueue(session, app.state.job_queue)
    return run


async def _status(app: FastAPI, run: JobRun) -> tuple[str, str | None]:
    """The row's status and the queue message's."""
    async with app.state.session_factory() as session:
        row = await session.get(JobRun, run.id)
    message = await app.state.job_queue.job(run.key)
    return row.status, message.status if message else None


async def test_cancel_in_a_failed_request_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _cancel_route(app)
    run = await _queued_job(app)
    response = await client.post(f"/api/_test/jobs/{run.id}/cancel", params={"fail": True})
    assert response.status_code == 409
    # request_cancel did not commit on its own, and the worker was not told to stop.
    assert await _status(app, run) == ("queued", "queued")


async def test_cancel_commits_at_the_request_boundary_then_stops_the_job(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _cancel_route(app)
    run = await _queued_job(app)
    response = await client.post(f"/api/_test/jobs/{run.id}/cancel")
    assert response.json() == {"cancelled": True}
    row_status, message_status = await _status(app, run)
    assert row_status == "cancelled"
    assert message_status in ("aborting", "aborted")


async def _count(app: FastAPI) -> int:
    async with app.state.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(JobRun)) or 0)


async def test_committed_request_enqueues_its_job(app: FastAPI, client: httpx.AsyncClient) -> None:
    _routes(app)
    response = await client.post("/api/_test/jobs")
    assert response.status_code == 200
    body = response.json()
    assert await _count(app) == 1
    message = await app.state.job_queue.job(body["key"])
    assert message is not None
    assert message.kwargs == {"job_run_id": body["id"]}


async def test_failed_request_writes_nothing_and_enqueues_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _routes(app)
    response = await client.post("/api/_test/jobs", params={"fail": True})
    assert response.status_code == 409
    assert response.json() == {"detail": "refused after writing", "code": "conflict",
                               "params": {}}
    assert await _count(app) == 0
    assert await app.state.job_queue.count("queued") == 0


async def test_row_without_queue_message_is_reconciled(app: FastAPI) -> None:
    from datetime import timedelta

    from mediahub.core.queue import reconcile

    async with app.state.session_factory() as session:
        run = new_job_run(session, JobName.SELFTEST, steps=1)
        await session.commit()  # committed but never enqueued: as if Redis had been down
    assert await app.state.job_queue.job(run.key) is None
    async with app.state.session_factory() as session:
        assert await reconcile(session, app.state.job_queue, older_than=timedelta(0)) == 1
    assert await app.state.job_queue.job(run.key) is not None
    async with app.state.session_factory() as session:
        assert await reconcile(session, app.state.job_queue, older_than=timedelta(0)) == 0
    assert uuid.UUID(str(run.id))
