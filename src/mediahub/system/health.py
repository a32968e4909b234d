"""Liveness and readiness: `/api/health` touches no dependency, `/api/ready` checks them all."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from mediahub.core.deps import RedisDep, StoreDep

router = APIRouter(tags=["system"])
CHECK_TIMEOUT_S = 3.0


class Health(BaseModel):
    """Liveness answer."""

    status: Literal["ok"] = "ok"


class CheckResult(BaseModel):
    """One dependency's state."""

    ok: bool
    latency_ms: float
    error: str | None = None


class Readiness(BaseModel):
    """Readiness answer: overall status and one entry per dependency."""

    status: Literal["ok", "unavailable"]
    checks: dict[str, CheckResult]


@router.get("/health", response_model=Health, operation_id="health")
async def health() -> Health:
    """The process is up and serving requests."""
    return Health()


async def _timed(probe: Callable[[], Awaitable[object]]) -> CheckResult:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe(), CHECK_TIMEOUT_S)
    except TimeoutError:
        return CheckResult(ok=False, latency_ms=_ms(started), error="timed out")
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported by name
        return CheckResult(ok=False, latency_ms=_ms(started), error=f"{type(exc).__name__}: {exc}")
    return CheckResult(ok=True, latency_ms=_ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


@router.get(
    "/ready",
    response_model=Readiness,
    operation_id="ready",
    responses={503: {"model": Readiness, "description": "a dependency is down"}},
)
async def ready(request: Request, redis_client: RedisDep, store: StoreDep) -> JSONResponse:
    """Every backing service answers: PostgreSQL, Redis and the object store."""
    state = request.app.state  # the engine and the schema head: no typed dependency for these

    async def database() -> None:
        # Ready means "migrated", too: an API started before `migrate` finished is not ready.
        async with state.engine.connect() as conn:
            current = await conn.scalar(text("SELECT version_num FROM alembic_version"))
        if current != state.schema_head:
            raise RuntimeError(f"schema at {current}, expected {state.schema_head}; run migrations")

    async def redis() -> None:
        await redis_client.ping()

    names = ("database", "redis", "storage")
    results = await asyncio.gather(
        _timed(database), _timed(redis), _timed(store.check)
    )
    checks = dict(zip(names, results, strict=True))
    ok = all(result.ok for result in results)
    body = Readiness(status="ok" if ok else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
