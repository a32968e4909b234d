"""Live sockets an attacker opens: bounded in number, in lifetime and in database work.

Found by an attack: 100 sockets that never authenticated stayed open for over a minute; a
binary frame raised a KeyError (the connection died with 1006); one subscribe message with
~185 `job:<uuid>` channels cost ~185 database lookups before the 64-channel cap applied.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import httpx
import pytest
import websockets
from sqlalchemy import event
from starlette.testclient import TestClient

from mediahub.config import Settings
from mediahub.core.events import job_channel, user_channel
from mediahub.core.queue import JobName, new_job_run
from tests.hostile.conftest import WS_IDLE_TIMEOUT_S, WS_MAX_PER_ADDRESS
from tests.support.live_api import LiveApi

pytestmark = pytest.mark.slow


def _url(api: LiveApi) -> str:
    return f"ws://127.0.0.1:{api.port}/api/ws"


async def _recv(ws, kind: str, timeout: float = 5) -> dict:  # noqa: ANN001
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] == kind:
            return message


async def _closed_code(ws, timeout: float) -> int:  # noqa: ANN001
    with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(ws.recv(), timeout)
    return closed.value.rcvd.code if closed.value.rcvd else 1006


async def test_a_socket_that_neither_authenticates_nor_subscribes_is_closed(
        live_api: LiveApi) -> None:
    idle = await websockets.connect(_url(live_api))
    listener = await websockets.connect(_url(live_api))  # anonymous, but listening to public
    await _recv(idle, "hello")
    await _recv(listener, "hello")
    await listener.send(json.dumps({"type": "subscribe", "channels": ["public"]}))
    await _recv(listener, "subscribed")
    started = time.monotonic()
    assert await _closed_code(idle, WS_IDLE_TIMEOUT_S + 5) == 4008
    assert time.monotonic() - started <= WS_IDLE_TIMEOUT_S + 2
    await asyncio.sleep(1)
    await listener.send(json.dumps({"type": "pong"}))  # still open past the deadline
    await listener.send(json.dumps({"type": "subscribe", "channels": ["public"]}))
    assert (await _recv(listener, "subscribed"))["channels"] == ["public"]
    await listener.close()


async def test_sockets_per_address_are_capped(live_api: LiveApi) -> None:
    sockets = []
    try:
        for _ in range(WS_MAX_PER_ADDRESS):
            ws = await websockets.connect(_url(live_api))
            await _recv(ws, "hello")
            sockets.append(ws)
        with pytest.raises(websockets.exceptions.InvalidStatus):
            await websockets.connect(_url(live_api))
        await sockets.pop().close()
        await asyncio.sleep(0.3)
        again = await websockets.connect(_url(live_api))  # a slot was given back
        await _recv(again, "hello")
        sockets.append(again)
    finally:
        for ws in sockets:
            await ws.close()


async def test_a_binary_frame_is_a_protocol_close_not_a_crash(live_api: LiveApi) -> None:
    ws = await websockets.connect(_url(live_api))
    await _recv(ws, "hello")
    await ws.send(b"\x00\x01binary")
    assert await _closed_code(ws, 5) == 1003
    assert "KeyError" not in live_api.process.output()
    assert httpx.get(f"{live_api.base_url}/api/health", timeout=5).status_code == 200


def test_subscribe_checks_the_cap_first_and_job_channels_in_one_query(
        settings: Settings) -> None:
    from mediahub.main import create_app

    app = create_app(settings)
    with TestClient(app) as client:
        tokens = client.post("/api/auth/register", json={
            "username": "channelhoarder", "password": "a long enough passphrase"}).json()
        user_id = client.get("/api/auth/me", headers={
            "Authorization": f"Bearer {tokens['access_token']}"}).json()["id"]

        async def own_job() -> uuid.UUID:
            async with app.state.session_factory() as session:
                run = new_job_run(session, JobName.SELFTEST, owner_id=uuid.UUID(user_id))
                await session.commit()
                return run.id

        mine = client.portal.call(own_job)  # type: ignore[union-attr]
        lookups: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
            if "job_runs" in statement:
                lookups.append(statement)

        event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
        with client.websocket_connect("/api/ws") as ws:
            ws.receive_json()  # hello
            ws.send_json({"type": "auth", "token": tokens["access_token"]})
            assert ws.receive_json()["type"] == "authenticated"
            hoard = [job_channel(uuid.uuid4()) for _ in range(185)]
            ws.send_json({"type": "subscribe", "channels": hoard})
            assert ws.receive_json() == {"type": "error", "detail": "too many channels"}
            assert lookups == []  # refused before any lookup
            asked = [job_channel(mine), *hoard[:40], user_channel(user_id), "public"]
            ws.send_json({"type": "subscribe", "channels": asked})
            reply = ws.receive_json()
            assert sorted(reply["channels"]) == sorted(
                [job_channel(mine), user_channel(user_id), "public"])
            assert sorted(reply["denied"]) == sorted(hoard[:40])
            assert len(lookups) == 1, lookups  # 41 job channels, one query


async def test_a_deeply_nested_message_is_an_error_reply_not_a_crash(live_api: LiveApi) -> None:
    ws = await websockets.connect(_url(live_api))
    await _recv(ws, "hello")
    await ws.send("[" * 4000 + "]" * 4000)  # within the 8 KiB message limit
    assert (await _recv(ws, "error"))["detail"]
    await ws.send(json.dumps({"type": "subscribe", "channels": ["public"]}))
    assert (await _recv(ws, "subscribed"))["channels"] == ["public"]  # still serving
    await ws.close()
    assert "RecursionError" not in live_api.process.output()
