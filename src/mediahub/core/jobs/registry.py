"""Who handles what: job handlers by name, and the hooks a worker runs at start and on failure.

Domain task modules register here when imported; the worker entry point imports them
(worker.HANDLER_MODULES) and refuses to start if a job name has no handler.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from mediahub.core.jobs.context import WorkerResources
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.queue import JobName

log = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[dict[str, Any] | None]]
HANDLERS: dict[JobName, Handler] = {}


def handles(name: JobName) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `name` (imported by the worker only)."""

    def register(fn: Handler) -> Handler:
        if name in HANDLERS:
            raise RuntimeError(f"job {name} already has a handler: {HANDLERS[name].__qualname__}")
        HANDLERS[name] = fn
        return fn

    return register


def missing_handlers() -> list[str]:
    """Job names without a registered handler (the worker refuses to start if any)."""
    return sorted(name.value for name in JobName if name not in HANDLERS)


StartupHook = Callable[[WorkerResources], Awaitable[None]]
STARTUP_HOOKS: list[StartupHook] = []


def on_startup(fn: StartupHook) -> StartupHook:
    """Register a background task started with the worker (e.g. warming a model)."""
    STARTUP_HOOKS.append(fn)
    return fn


async def run_startup_hook(hook: StartupHook, resources: WorkerResources) -> None:
    """Run one startup hook; its failure is logged, the worker carries on."""
    try:
        await hook(resources)
    except Exception:  # noqa: BLE001 - a failed warm-up must not stop the worker
        log.exception("startup task %s failed", hook.__qualname__)


FinalHook = Callable[[WorkerResources, JobRun, JobStatus, str | None], Awaitable[None]]
FINAL_HOOKS: dict[JobName, FinalHook] = {}


def on_final_failure(name: JobName) -> Callable[[FinalHook], FinalHook]:
    """Register a callback run after a job of `name` ends as failed (any cause)."""

    def register(fn: FinalHook) -> FinalHook:
        FINAL_HOOKS[name] = fn
        return fn

    return register
