"""Start real mediahub processes (worker, api, up) from tests, and always clean them up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

# Settings that must come from the test, never leak in from the developer's shell.
_INFRA_KEYS = ("DATABASE_URL", "REDIS_URL", "STORAGE_URL", "S3_ENDPOINT_URL", "JWT_SECRET",
               "MAX_BOT_TOKEN", "MEDIAHUB_MODE", "MEDIAHUB_DATA_DIR")


def infra_env(database_url: str, redis_url: str, storage_dir: Path) -> dict[str, str]:
    """The settings every test process needs: the test servers, local mode, test secrets."""
    return {
        "MEDIAHUB_MODE": "local",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "STORAGE_URL": storage_dir.as_uri(),
        "JWT_SECRET": "test-" + "x" * 40,
        "MAX_BOT_TOKEN": "test-bot-token",
        "LOG_LEVEL": "INFO",
    }


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """A clean environment for a child process plus `extra` (strings only)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTEST_") and k not in _INFRA_KEYS}
    env.update(extra)
    return env


class ManagedProcess:
    """A child `python -m mediahub.cli ...` process with its output captured to a file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_handle = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mediahub.cli", *args],
            env=child_env(env),
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        """The child's pid."""
        return self.proc.pid

    def output(self) -> str:
        """Everything the process printed so far."""
        return self.log.read_text(errors="replace")

    def kill9(self) -> None:
        """SIGKILL: no cleanup, exactly like a crashed machine or an OOM kill."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self, timeout: float = 20) -> int:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._log_handle.close()
        return self.proc.returncode


def wait_until(predicate: Callable[[], object], timeout: float, what: str,
               interval: float = 0.1) -> object:
    """Poll `predicate` until truthy; fail the test with `what` on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def wait_http_ok(url: str, timeout: float = 30) -> None:
    """Wait until `url` answers 200."""

    def ok() -> bool:
        try:
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(ok, timeout, f"{url} to answer 200")
