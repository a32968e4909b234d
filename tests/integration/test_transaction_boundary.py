"""One transaction per request, committed at the boundary; jobs enqueued only after commit."""

from __future__ import annotations

import uuid

import httpx
from fastapi import APIRouter, FastAPI
from sqlalchemy import func, select

from mediahub.core.db import SessionDep
from mediahub.core.errors import Conflict
from mediahub.core.jobs.models import JobRun
from mediahub.core.queue import JobName, new_job_run


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
    assert response.json() == {"detail": "refused after writing", "code": "conflict"}
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
