"""Fault injection with real processes: PostgreSQL, Redis and the object store go away and come
back; the disk fills up. Users get clean 4xx/5xx answers, nothing half-written is left, and
the system recovers without being restarted."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image
from sqlalchemy import func, select

from mediahub.config import Settings
from mediahub.core.db import PING_AFTER_IDLE_S, create_engine, create_session_factory
from mediahub.core.jobs.models import JobRun
from mediahub.db_migrations import upgrade_to_head
from mediahub.gallery.models import Photo
from mediahub.local.processes import free_port
from mediahub.local.servers import EmbeddedPostgres, EmbeddedRedis
from tests.support.accounts import user
from tests.support.processes import child_env

pytestmark = pytest.mark.slow


def _jpeg(size: tuple[int, int] = (64, 48), noise: int = 0) -> bytes:
    image = Image.effect_noise(size, 60 + noise).convert("RGB") if noise else \
        Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


@contextlib.asynccontextmanager
async def _app_client(settings: Settings) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    from mediahub.main import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test",
                                     timeout=30) as http:
            yield app, http


async def _count(settings: Settings, model: type) -> int:
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        count = await session.scalar(select(func.count()).select_from(model))
    await engine.dispose()
    return int(count or 0)


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture
def own_postgres(tmp_path: Path):  # noqa: ANN201
    """A PostgreSQL only this test uses, so it can be stopped and started."""
    server = EmbeddedPostgres(tmp_path / "pg", secrets.token_urlsafe(12))
    server.start()
    url = server.url.replace("postgresql://", "postgresql+asyncpg://", 1)
    upgrade_to_head(url)
    yield server, url
    server.stop()


@pytest.fixture
def own_postgres_settings(settings_env, own_postgres, monkeypatch) -> Settings:  # noqa: ANN001
    """Settings pointing at `own_postgres`."""
    for key, value in {**settings_env, "DATABASE_URL": own_postgres[1]}.items():
        monkeypatch.setenv(key, value)
    return Settings()  # type: ignore[call-arg]


async def test_postgres_restart_gives_503s_then_recovers(own_postgres,  # noqa: ANN001
                                                         own_postgres_settings) -> None:
    server, _ = own_postgres
    async with _app_client(own_postgres_settings) as (_, http):
        auth = await user(http, "faulty")
        assert (await http.get("/api/photos/mine", headers=auth)).status_code == 200

        statuses: list[int] = []
        stop = asyncio.Event()

        async def traffic() -> None:
            while not stop.is_set():
                statuses.append((await http.get("/api/photos/feed")).status_code)
                await asyncio.sleep(0.05)

        runner = asyncio.create_task(traffic())
        await asyncio.sleep(0.5)
        await asyncio.to_thread(server.stop)
        await asyncio.sleep(1.0)
        down = await http.get("/api/photos/feed")
        ready = await http.get("/api/ready")
        await asyncio.to_thread(server.start)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and statuses[-1:] != [200]:
            await asyncio.sleep(0.2)
        stop.set()
        await runner
        assert down.status_code == 503 and "retry" in down.json()["detail"]
        assert ready.status_code == 503 and ready.json()["checks"]["database"]["ok"] is False
        assert set(statuses) <= {200, 503}, statuses
        assert 503 in statuses and statuses[-1] == 200
        # Same API object, no restart: sessions and writes work again.
        assert (await http.get("/api/photos/mine", headers=auth)).status_code == 200
        upload = await http.post("/api/photos", headers=auth,
                                 files={"file": ("a.jpg", _jpeg(), "image/jpeg")})
        assert upload.status_code == 201


async def test_postgres_restart_while_idle_is_invisible_to_the_next_request(
        own_postgres, own_postgres_settings) -> None:  # noqa: ANN001
    """Pooled connections that sat idle are pinged and replaced, so no request sees a 503."""
    server, _ = own_postgres
    async with _app_client(own_postgres_settings) as (_, http):
        auth = await user(http, "faulty")
        # Several pooled connections, all of which the restart kills.
        pages = await asyncio.gather(*(http.get("/api/photos/mine", headers=auth)
                                       for _ in range(4)))
        assert {page.status_code for page in pages} == {200}
        await asyncio.to_thread(server.stop)
        await asyncio.to_thread(server.start)
        await asyncio.sleep(PING_AFTER_IDLE_S + 0.5)
        pages = await asyncio.gather(*(http.get("/api/photos/mine", headers=auth)
                                       for _ in range(4)))
        assert [page.status_code for page in pages] == [200] * 4, [p.text for p in pages]


# ---------------------------------------------------------------- Redis


@pytest.fixture
def own_redis(tmp_path: Path):  # noqa: ANN201
    """A Redis (append-only persistence, like `mediahub up` and the compose stack)."""
    server = EmbeddedRedis(tmp_path / "redis", secrets.token_urlsafe(12))
    server.start()
    yield server
    server.stop()


async def _photos_ready(settings: Settings, count: int, timeout: float) -> list[Photo]:
    engine = create_engine(settings)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            async with create_session_factory(engine)() as session:
                photos = list(await session.scalars(select(Photo)))
            if len(photos) == count and all(p.status == "ready" for p in photos):
                return photos
            await asyncio.sleep(0.3)
    finally:
        await engine.dispose()
    raise AssertionError(f"photos not ready in {timeout}s: {[p.status for p in photos]}")


@pytest.mark.parametrize("loss", ["kill -9 and restart", "restart with its data lost"])
async def test_redis_restart_loses_no_queued_job(settings_env, own_redis, start_worker,  # noqa: ANN001
                                                 monkeypatch, loss: str) -> None:
    env = {**settings_env, "REDIS_URL": own_redis.url, "JOB_SWEEP_SECONDS": "1"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = Settings()  # type: ignore[call-arg]
    async with _app_client(settings) as (_, http):
        auth = await user(http, "faulty")
        for index in range(4):  # no worker yet: the jobs wait in Redis
            upload = await http.post("/api/photos", headers=auth, files={
                "file": (f"{index}.jpg", _jpeg((64 + index, 48)), "image/jpeg")})
            assert upload.status_code == 201
    await asyncio.sleep(1.2)  # appendfsync everysec: what a crash may lose is what we test
    assert own_redis.proc is not None
    if loss == "kill -9 and restart":
        own_redis.proc.send_signal(signal.SIGKILL)
        own_redis.proc.wait()
    else:
        await asyncio.to_thread(own_redis.stop)
        shutil.rmtree(own_redis.root)  # a new, empty Redis: the queue is gone
    own_redis.proc = None
    await asyncio.to_thread(own_redis.start)
    start_worker(**env)
    await _photos_ready(settings, 4, timeout=90)
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        runs = list(await session.scalars(select(JobRun)))
    await engine.dispose()
    assert len(runs) == 4 and {r.status for r in runs} == {"done"}
    assert all(r.attempts == 1 for r in runs), [r.attempts for r in runs]  # each ran once


# ---------------------------------------------------------------- object store (S3)


async def test_object_store_outage_is_503_and_leaves_no_rows(settings_env, monkeypatch) -> None:  # noqa: ANN001
    import boto3

    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{port}"

    def make_bucket() -> None:
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id="k", aws_secret_access_key="s").create_bucket(
            Bucket="outage")

    make_bucket()
    env = {**settings_env, "STORAGE_URL": "s3://outage/media", "S3_ENDPOINT_URL": endpoint,
           "S3_ACCESS_KEY_ID": "k", "S3_SECRET_ACCESS_KEY": "s", "S3_REGION": "us-east-1"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = Settings()  # type: ignore[call-arg]
    try:
        async with _app_client(settings) as (_, http):
            auth = await user(http, "faulty")
            ok = await http.post("/api/photos", headers=auth,
                                 files={"file": ("ok.jpg", _jpeg(), "image/jpeg")})
            assert ok.status_code == 201
            moto.stop()
            down = await http.post("/api/photos", headers=auth,
                                   files={"file": ("down.jpg", _jpeg(noise=1), "image/jpeg")})
            assert down.status_code == 503, down.text
            assert "object store" in down.json()["detail"]
            assert (await http.get("/api/ready")).json()["checks"]["storage"]["ok"] is False
            assert await _count(settings, Photo) == 1
            assert await _count(settings, JobRun) == 1
            moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
            moto.start()
            make_bucket()  # moto keeps buckets in memory: the restarted one is empty
            back = await http.post("/api/photos", headers=auth,
                                   files={"file": ("back.jpg", _jpeg(noise=2), "image/jpeg")})
            assert back.status_code == 201, back.text
    finally:
        moto.stop()


# ---------------------------------------------------------------- full disk


def _free_port_api(env: dict[str, str], storage: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """A real API process whose storage directory is a 3 MiB tmpfs (private mount namespace,
    so no root privileges and nothing left mounted on the host)."""
    port = free_port()
    script = (f"mount -t tmpfs -o size=3m tmpfs '{storage}' && "
              f"exec '{sys.executable}' -m mediahub api --port {port}")
    proc = subprocess.Popen(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", script],
        env=child_env(env), stdout=log.open("wb"), stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


async def test_full_disk_is_507_and_leaves_nothing(settings_env, tmp_path: Path) -> None:  # noqa: ANN001
    storage = tmp_path / "tiny-disk"
    storage.mkdir()
    env = {**settings_env, "STORAGE_URL": f"file://{storage}"}
    proc, base = _free_port_api(env, storage, tmp_path / "api.log")
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if (await http.get("/api/ready")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and proc.poll() is None, \
                    (tmp_path / "api.log").read_text()[-3000:]
                await asyncio.sleep(0.2)
            auth = await user(http, "faulty")
            small = await http.post("/api/photos", headers=auth,
                                    files={"file": ("small.jpg", _jpeg(), "image/jpeg")})
            assert small.status_code == 201
            big = _jpeg((2200, 2200), noise=3)
            assert len(big) > 3 * 1024 * 1024
            full = await http.post("/api/photos", headers=auth,
                                   files={"file": ("big.jpg", big, "image/jpeg")})
            assert full.status_code == 507, full.text
            assert "full" in full.json()["detail"]
            again = await http.post("/api/photos", headers=auth,
                                    files={"file": ("again.jpg", _jpeg(noise=4), "image/jpeg")})
            assert again.status_code == 201  # the failed upload freed what it had written
            mine = (await http.get("/api/photos/mine", headers=auth)).json()["items"]
            assert sorted(p["original_filename"] for p in mine) == ["again.jpg", "small.jpg"]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert os.listdir(storage) == []  # the tmpfs was private to the API's mount namespace
