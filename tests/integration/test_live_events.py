"""Live events reach WebSocket clients whichever API process they are connected to."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets
from redis.asyncio import Redis

from mediahub.core import events
from mediahub.local.processes import free_port
from tests.support.processes import ManagedProcess, wait_http_ok

pytestmark = pytest.mark.slow


@pytest.fixture
def two_api_processes(settings_env: dict[str, str], tmp_path: Path) -> Iterator[list[int]]:
    """Two independent `mediahub api` processes sharing PostgreSQL and Redis."""
    ports = [free_port(), free_port()]
    procs = [
        ManagedProcess(["api", "--port", str(port)], settings_env, tmp_path / f"api-{port}.log")
        for port in ports
    ]
    try:
        for port in ports:
            wait_http_ok(f"http://127.0.0.1:{port}/api/ready", timeout=60)
        yield ports
    finally:
        for proc in procs:
            proc.stop()


async def _recv(ws, kind: str, timeout: float = 5) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] == kind:
            return message


async def test_event_published_anywhere_reaches_clients_on_every_api(
    two_api_processes: list[int], redis_url: str
) -> None:
    sockets = [await websockets.connect(f"ws://127.0.0.1:{p}/api/ws") for p in two_api_processes]
    try:
        for ws in sockets:
            await _recv(ws, "hello")
            await ws.send(json.dumps({"type": "subscribe", "channels": ["public"]}))
            assert (await _recv(ws, "subscribed"))["channels"] == ["public"]
        publisher = Redis.from_url(redis_url)
        await events.publish(publisher, events.PUBLIC, {"type": "photo.created", "n": 1})
        await publisher.aclose()
        for ws in sockets:
            message = await _recv(ws, "event")
            assert message == {"type": "event", "channel": "public",
                               "event": {"type": "photo.created", "n": 1}}
    finally:
        for ws in sockets:
            await ws.close()


async def test_anonymous_client_cannot_listen_to_private_channels(
    two_api_processes: list[int], redis_url: str
) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{two_api_processes[0]}/api/ws") as ws:
        await _recv(ws, "hello")
        private = [events.user_channel("00000000-0000-0000-0000-000000000001"),
                   events.job_channel("00000000-0000-0000-0000-000000000002")]
        await ws.send(json.dumps({"type": "subscribe", "channels": private}))
        reply = await _recv(ws, "subscribed")
        assert reply["channels"] == [] and sorted(reply["denied"]) == sorted(private)
        publisher = Redis.from_url(redis_url)
        await events.publish(publisher, private[0], {"type": "secret"})
        await publisher.aclose()
        with pytest.raises(TimeoutError):
            await _recv(ws, "event", timeout=1)


async def test_malformed_messages_get_an_error_not_a_disconnect(two_api_processes) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{two_api_processes[0]}/api/ws") as ws:
        await _recv(ws, "hello")
        for bad in ["not json", json.dumps({"channels": "x"}), json.dumps({"type": "nope"})]:
            await ws.send(bad)
            assert (await _recv(ws, "error"))["detail"]
        await ws.send(json.dumps({"type": "subscribe", "channels": ["public"]}))
        assert (await _recv(ws, "subscribed"))["channels"] == ["public"]
