"""Job registry: every job name has a handler, and the worker refuses to start otherwise."""

from __future__ import annotations

import pytest

from mediahub.core.jobs import registry
from mediahub.core.queue import JOB_SPECS, JobName


def test_every_job_name_has_explicit_semantics() -> None:
    assert set(JOB_SPECS) == set(JobName)
    for spec in JOB_SPECS.values():
        assert spec.timeout_s > 0 and spec.retries >= 1


def test_worker_loads_a_handler_for_every_job() -> None:
    from mediahub.worker import load_handlers

    load_handlers()
    assert registry.missing_handlers() == []


def test_worker_refuses_to_start_when_a_handler_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from mediahub.worker import load_handlers

    load_handlers()
    monkeypatch.delitem(registry.HANDLERS, JobName.SELFTEST)
    monkeypatch.setattr("mediahub.worker.HANDLER_MODULES", ())
    with pytest.raises(RuntimeError, match="system.selftest"):
        load_handlers()


def test_a_job_name_cannot_get_two_handlers() -> None:
    from mediahub.worker import load_handlers

    load_handlers()
    with pytest.raises(RuntimeError, match="already has a handler"):
        registry.handles(JobName.SELFTEST)(lambda ctx: None)  # type: ignore[arg-type,return-value]


def test_api_does_not_import_torch() -> None:
    import subprocess
    import sys

    code = "import mediahub.main, sys; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
