"""A throwaway Mediahub stack for benchmarks: embedded PostgreSQL and Redis, one API process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from mediahub.config import normalize_database_url
from mediahub.db_migrations import upgrade_to_head
from mediahub.local.processes import free_port
from mediahub.local.servers import EmbeddedPostgres, EmbeddedRedis


@dataclass(frozen=True)
class Stack:
    """What a benchmark needs to talk to the running system."""

    base_url: str
    database_url: str
    redis_url: str
    storage_dir: Path
    api_pid: int
    tmp: Path
    db_pid: int = 0  # the postmaster: its backends' CPU is the database's share of a request


def wait_ready(base_url: str, timeout_s: float = 60) -> None:
    """Poll /api/ready until it answers 200."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(base_url + "/api/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the API did not become ready")


@contextmanager
def api_stack(extra_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """Start everything in a temporary directory; stop and delete it all afterwards."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pg = EmbeddedPostgres(tmp / "pg", secrets.token_urlsafe(12))
        redis = EmbeddedRedis(tmp / "redis", secrets.token_urlsafe(12))
        pg.start()
        redis.start()
        api = None
        try:
            upgrade_to_head(normalize_database_url(pg.url))
            storage = tmp / "objects"
            storage.mkdir()
            port = free_port()
            env = {**os.environ, "MEDIAHUB_MODE": "local", "DATABASE_URL": pg.url,
                   "REDIS_URL": redis.url, "STORAGE_URL": storage.as_uri(),
                   "JWT_SECRET": secrets.token_hex(32), "LOG_LEVEL": "WARNING",
                   **(extra_env or {})}
            api = subprocess.Popen([sys.executable, "-m", "mediahub.cli", "api", "--port",
                                    str(port)], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            base = f"http://127.0.0.1:{port}"
            wait_ready(base)
            yield Stack(base, pg.url, redis.url, storage, api.pid, tmp,
                        pg.proc.pid if pg.proc else 0)
        finally:
            if api:
                api.terminate()
                api.wait(30)
            redis.stop()
            pg.stop()
