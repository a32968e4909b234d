"""Periodic jobs: declared next to their domain, run in every worker, a failure is skipped."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest

from mediahub.core.jobs import periodic as periodic_module
from mediahub.core.jobs.periodic import PERIODIC, periodic, start_periodic


def test_the_worker_declares_every_periodic_job() -> None:
    from mediahub.worker import load_handlers

    load_handlers()
    assert {job.name for job in PERIODIC} == {
        "job reconcile", "exchange housekeeping", "purge of deleted photos' files",
        "sweep of abandoned uploads",
    }


async def test_a_failing_run_is_logged_and_the_next_one_still_runs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(periodic_module, "PERIODIC", [])
    calls: list[float] = []

    @periodic(every_s=lambda settings: settings.tick, name="flaky upkeep", first_after_s=0.05)
    async def flaky(resources: object) -> None:
        calls.append(asyncio.get_running_loop().time())
        if len(calls) == 1:
            raise ConnectionError("database went away")

    resources = SimpleNamespace(settings=SimpleNamespace(tick=0.01))
    started = asyncio.get_running_loop().time()
    with caplog.at_level(logging.WARNING, logger="mediahub.core.jobs.periodic"):
        tasks = start_periodic(resources)  # type: ignore[arg-type]
        while len(calls) < 3:
            await asyncio.sleep(0.01)
        for task in tasks:
            task.cancel()
    assert calls[0] - started >= 0.05  # first_after_s, not every_s
    assert "flaky upkeep skipped: database went away" in caplog.text
