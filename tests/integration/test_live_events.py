"""Live events reach WebSocket clients whichever API process they are connected to."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets
from redis.asyncio import Redis

from mediahub.core import events
from mediahub.local.processes import free_port
from tests.support.accounts import register_at
from tests.support.processes import ManagedProcess, wait_http_ok

pytestmark = pytest.mark.slow


@pytest.fixture
def two_api_processes(settings_env: dict[str, str], tmp_path: Path) -> Iterator[list[int]]:
    """Two independent `mediahub api` processes sharing PostgreSQL and Redis."""
    ports = [free_port(), free_port()]
    # Sockets here may subscribe to nothing allowed (the idle close is tested in tests/hostile).
    env = {**settings_env, "WS_PING_INTERVAL_SECONDS": "1", "WS_IDLE_TIMEOUT_SECONDS": "300"}
    procs = [
        ManagedProcess(["api", "--port", str(port)], env, tmp_path / f"api-{port}.log")
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


# ------------------------------------------------------------------ authenticated sockets


async def _authed(port: int, token: str):
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/ws")
    await _recv(ws, "hello")
    await ws.send(json.dumps({"type": "auth", "token": token}))
    await _recv(ws, "authenticated")
    return ws


async def test_users_only_receive_their_own_private_events(
    two_api_processes: list[int], redis_url: str
) -> None:
    port_a, port_b = two_api_processes
    base = f"http://127.0.0.1:{port_a}"
    alice, bob = register_at(base, "alice"), register_at(base, "bob")
    ws_alice = await _authed(port_a, alice["access_token"])
    ws_bob = await _authed(port_b, bob["access_token"])  # on the other API process
    try:
        await ws_alice.send(json.dumps({"type": "subscribe", "channels": [
            events.user_channel(alice["id"]), events.user_channel(bob["id"])]}))
        reply = await _recv(ws_alice, "subscribed")
        assert reply["channels"] == [events.user_channel(alice["id"])]
        assert reply["denied"] == [events.user_channel(bob["id"])]
        await ws_bob.send(json.dumps({"type": "subscribe",
                                      "channels": [events.user_channel(bob["id"])]}))
        await _recv(ws_bob, "subscribed")

        publisher = Redis.from_url(redis_url)
        await events.publish(publisher, events.user_channel(bob["id"]), {"type": "for-bob"})
        await events.publish(publisher, events.user_channel(alice["id"]), {"type": "for-alice"})
        await publisher.aclose()
        assert (await _recv(ws_alice, "event"))["event"] == {"type": "for-alice"}
        assert (await _recv(ws_bob, "event"))["event"] == {"type": "for-bob"}
        with pytest.raises(TimeoutError):
            await _recv(ws_alice, "event", timeout=1)
    finally:
        await ws_alice.close()
        await ws_bob.close()


async def test_job_channels_belong_to_the_job_owner(
    two_api_processes: list[int], settings
) -> None:
    import uuid

    from mediahub.core.db import create_engine, create_session_factory
    from mediahub.core.queue import JobName, new_job_run

    port = two_api_processes[0]
    base = f"http://127.0.0.1:{port}"
    alice, bob = register_at(base, "alice"), register_at(base, "bob")
    engine = create_engine(settings, pool_size=1)
    async with create_session_factory(engine)() as session:
        run = new_job_run(session, JobName.SELFTEST, owner_id=uuid.UUID(alice["id"]))
        await session.commit()  # not enqueued: only the channel permission is under test
    await engine.dispose()
    channel = events.job_channel(run.id)
    for who, allowed in ((alice, True), (bob, False)):
        ws = await _authed(port, who["access_token"])
        await ws.send(json.dumps({"type": "subscribe", "channels": [channel]}))
        reply = await _recv(ws, "subscribed")
        assert (channel in reply["channels"]) is allowed
        await ws.close()


async def test_token_in_subprotocol_header_authenticates(two_api_processes) -> None:
    port = two_api_processes[0]
    alice = register_at(f"http://127.0.0.1:{port}", "alice")
    async with websockets.connect(f"ws://127.0.0.1:{port}/api/ws",
                                  subprotocols=["bearer", alice["access_token"]]) as ws:
        assert ws.subprotocol == "bearer"
        assert (await _recv(ws, "hello"))["user_id"] == alice["id"]
    with pytest.raises(websockets.exceptions.InvalidStatus):
        await websockets.connect(f"ws://127.0.0.1:{port}/api/ws",
                                 subprotocols=["bearer", "forged.token.value"])


async def test_bad_token_closes_the_socket(two_api_processes) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{two_api_processes[0]}/api/ws") as ws:
        await _recv(ws, "hello")
        await ws.send(json.dumps({"type": "auth", "token": "nope"}))
        await _recv(ws, "error")
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 4001


async def test_expired_token_is_disconnected(two_api_processes, settings) -> None:
    import uuid
    from datetime import timedelta

    from mediahub.auth.tokens import issue_access_token

    port = two_api_processes[0]
    alice = register_at(f"http://127.0.0.1:{port}", "alice")
    short, _ = issue_access_token(uuid.UUID(alice["id"]), uuid.uuid4(),
                                  secret=settings.jwt_secret.get_secret_value(),
                                  ttl=timedelta(seconds=2))
    ws = await _authed(port, short)
    message = await _recv(ws, "error", timeout=10)
    assert message["detail"] == "token expired"
    with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 4001


async def test_signed_out_session_is_disconnected(two_api_processes) -> None:
    port = two_api_processes[0]
    alice = register_at(f"http://127.0.0.1:{port}", "alice")
    ws = await _authed(port, alice["access_token"])
    out = httpx.post(f"http://127.0.0.1:{port}/api/auth/logout",
                     json={"refresh_token": alice["refresh_token"]})
    assert out.status_code == 204
    message = await _recv(ws, "error", timeout=10)
    assert message["detail"] == "session signed out"
