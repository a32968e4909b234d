"""How the real `mediahub api` and `mediahub worker` processes are run (tuning that only
shows in a separate process: collector settings, WebSocket framing, CPU priority, several
API processes behind one port)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import websockets
from redis.asyncio import Redis

from mediahub.core import events
from mediahub.core.gc_tuning import API_GC_THRESHOLDS
from mediahub.local.processes import free_port
from tests.support.processes import ManagedProcess, child_env, wait_http_ok, wait_until

pytestmark = pytest.mark.slow


def test_served_app_freezes_and_tunes_the_collector_in_its_own_process(
        settings_env: dict[str, str]) -> None:
    probe = ("import gc; from mediahub.main import create_served_app; create_served_app(); "
             "print(list(gc.get_threshold()), gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", probe], env=child_env(settings_env),
                         capture_output=True, text=True, check=True, timeout=120)
    thresholds, frozen = out.stdout.split("]")
    assert json.loads(thresholds + "]") == list(API_GC_THRESHOLDS)
    assert int(frozen) > 10_000  # the imported code and the app, out of every collection


@pytest.fixture
def api_two_processes(settings_env: dict[str, str], tmp_path: Path) -> Iterator[tuple[int, int]]:
    """`mediahub api --workers 2`: (port, supervisor pid)."""
    port = free_port()
    proc = ManagedProcess(["api", "--port", str(port), "--workers", "2"], settings_env,
                          tmp_path / "api.log")
    try:
        wait_http_ok(f"http://127.0.0.1:{port}/api/ready", timeout=90)
        yield port, proc.pid
    finally:
        proc.stop()


async def _next_of(ws, kind: str, timeout: float = 10) -> dict:  # noqa: ANN001
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] == kind:
            return message


def _owners(servers: list[psutil.Process], port: int) -> set[int]:
    """The server processes holding an accepted connection on `port`."""
    return {p.pid for p in servers for conn in p.net_connections(kind="tcp")
            if conn.status == psutil.CONN_ESTABLISHED and conn.laddr.port == port}


async def test_api_workers_share_the_port_and_relay_events_to_every_socket(
        api_two_processes: tuple[int, int], redis_url: str) -> None:
    port, supervisor = api_two_processes
    servers = [p for p in psutil.Process(supervisor).children()
               if "spawn_main" in " ".join(p.cmdline())]  # not multiprocessing's tracker
    assert len(servers) == 2
    sockets = []
    try:
        # Connect until the kernel has handed sockets to both processes (it picks which
        # process accepts; a handful of connections nearly always reaches both).
        while len(_owners(servers, port)) < 2 and len(sockets) < 100:
            ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/ws")
            sockets.append(ws)
            await _next_of(ws, "hello")
            await ws.send(json.dumps({"type": "subscribe", "channels": ["public"]}))
            await _next_of(ws, "subscribed")
        assert _owners(servers, port) == {p.pid for p in servers}, "one process took every socket"
        publisher = Redis.from_url(redis_url)
        await events.publish(publisher, events.PUBLIC, {"type": "photo.published", "id": "x"})
        await publisher.aclose()
        for ws in sockets:
            assert (await _next_of(ws, "event"))["event"] == {"type": "photo.published",
                                                              "id": "x"}
    finally:
        for ws in sockets:
            await ws.close()


async def test_websocket_messages_are_not_compressed(api_two_processes) -> None:  # noqa: ANN001
    """Events are a few hundred bytes: per-socket deflate cost CPU and memory, saved nothing."""
    port, _ = api_two_processes
    # The client offers permessage-deflate (websockets does by default); the server declines.
    async with websockets.connect(f"ws://127.0.0.1:{port}/api/ws") as ws:
        assert "Sec-WebSocket-Extensions" not in ws.response.headers
        assert (await _next_of(ws, "hello"))["type"] == "hello"


@pytest.mark.parametrize(("setting", "wanted"), [(None, 10), ("0", 0), ("15", 15)])
def test_worker_runs_at_a_lower_cpu_priority(settings_env: dict[str, str], tmp_path: Path,
                                             setting: str | None, wanted: int) -> None:
    # Never raised above what it inherits (this test may itself run under `nice`).
    expected = max(wanted, psutil.Process().nice())
    env = dict(settings_env)
    if setting is not None:
        env["WORKER_NICE"] = setting
    worker = ManagedProcess(["worker"], env, tmp_path / "worker.log")
    try:
        wait_until(lambda: "worker ready" in worker.output(), 60, "the worker to start")
        assert psutil.Process(worker.pid).nice() == expected
    finally:
        worker.stop()
