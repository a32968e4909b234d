"""A real `mediahub api` process (uvicorn, httptools) for tests that need a socket.

Fuzzing and hostile-input tests talk to the server over TCP so that uvicorn's own parsing,
limits and timeouts are part of what is tested, not only the ASGI app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mediahub.local.processes import free_port
from tests.support.accounts import bearer, register_at
from tests.support.processes import ManagedProcess, infra_env, wait_http_ok


@dataclass
class LiveApi:
    """Where the server listens, its object store and its log."""

    base_url: str
    port: int
    process: ManagedProcess
    storage: Path | None = None
    log: Path | None = None


def live_env(database_url: str, redis_url: str, storage_dir: Path) -> dict[str, str]:
    """Settings for a live API used by many requests from one address (limits raised)."""
    return {
        **infra_env(database_url, redis_url, storage_dir),
        # Every request comes from 127.0.0.1; the limits themselves are tested elsewhere.
        "RATE_LIMIT_REGISTER": "100000/hour",
        "RATE_LIMIT_WRITES": "100000/minute",
        "RATE_LIMIT_LOGIN_FAILURES": "100000/minute",
        "RATE_LIMIT_LOGIN_ACCOUNT_FAILURES": "100000/minute",
    }


@contextmanager
def run_live_api(env: dict[str, str], log: Path) -> Iterator[LiveApi]:
    """Start `mediahub api` on a free port; stop it (and fail loudly if it died) afterwards."""
    port = free_port()
    process = ManagedProcess(["api", "--port", str(port)], env, log)
    try:
        wait_http_ok(f"http://127.0.0.1:{port}/api/ready", timeout=60)
        yield LiveApi(f"http://127.0.0.1:{port}", port, process)
    finally:
        process.stop()


@contextmanager
def live_api_in(root: Path, database_url: str, redis_url: str,
                extra_env: dict[str, str] | None = None) -> Iterator[LiveApi]:
    """A live API (limits raised, `extra_env` on top) storing objects under `root`/objects."""
    storage = root / "objects"
    storage.mkdir()
    env = {**live_env(database_url, redis_url, storage), **(extra_env or {})}
    with run_live_api(env, root / "api.log") as api:
        api.storage, api.log = storage, root / "api.log"
        yield api


def register(base_url: str, username: str) -> dict[str, str]:
    """Register a user on the live API; return its bearer header."""
    return bearer(register_at(base_url, username))
