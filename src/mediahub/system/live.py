"""The `/api/ws` WebSocket: clients subscribe to channels and receive their events live."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from mediahub.core.events import PUBLIC, EventHub, Subscription

router = APIRouter(tags=["live"])
log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 4096
MAX_CHANNELS_PER_CLIENT = 64
PING_INTERVAL_S = 25


def may_subscribe(websocket: WebSocket, channel: str) -> bool:
    """Whether this connection may listen to `channel`.

    Anonymous clients get the public feed only; private channels (users, jobs) are granted
    by the authentication layer, which records them in `websocket.state.private_channels`.
    """
    if channel == PUBLIC:
        return True
    granted: set[str] = getattr(websocket.state, "private_channels", set())
    return channel in granted


async def _send(websocket: WebSocket, message: dict[str, Any]) -> None:
    await websocket.send_text(json.dumps(message, default=str))


async def _pump(websocket: WebSocket, sub: Subscription) -> None:
    """Forward the subscription's events to the socket; keep idle connections alive."""
    while True:
        try:
            channel, event = await asyncio.wait_for(sub.queue.get(), PING_INTERVAL_S)
        except TimeoutError:
            await _send(websocket, {"type": "ping"})
            continue
        if sub.overflowed:
            await websocket.close(code=1013, reason="client too slow; reconnect")
            return
        await _send(websocket, {"type": "event", "channel": channel, "event": event})


async def _handle(websocket: WebSocket, hub: EventHub, sub: Subscription, raw: str) -> None:
    if len(raw) > MAX_MESSAGE_BYTES:
        await _send(websocket, {"type": "error", "detail": "message too large"})
        return
    try:
        message = json.loads(raw)
        kind = message["type"]
        channels = message.get("channels", [])
        if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        await _send(websocket, {"type": "error", "detail": "expected {type, channels: [str]}"})
        return
    if kind == "subscribe":
        denied = [c for c in channels if not may_subscribe(websocket, c)]
        allowed = [c for c in channels if c not in denied]
        if len(sub.channels) + len(allowed) > MAX_CHANNELS_PER_CLIENT:
            await _send(websocket, {"type": "error", "detail": "too many channels"})
            return
        for channel in allowed:
            hub.subscribe(sub, channel)
        await _send(websocket, {"type": "subscribed", "channels": sorted(sub.channels),
                                "denied": denied})
    elif kind == "unsubscribe":
        for channel in channels:
            hub.unsubscribe(sub, channel)
        await _send(websocket, {"type": "subscribed", "channels": sorted(sub.channels)})
    elif kind == "pong":
        return
    else:
        await _send(websocket, {"type": "error", "detail": f"unknown message type {kind!r}"})


@router.websocket("/ws")
async def live(websocket: WebSocket) -> None:
    """Relay events of the channels this client subscribed to (and may see)."""
    hub: EventHub = websocket.app.state.event_hub
    await websocket.accept()
    sub = Subscription()
    pump = asyncio.create_task(_pump(websocket, sub))
    try:
        await _send(websocket, {"type": "hello"})
        while True:
            receive = asyncio.create_task(websocket.receive_text())
            done, _ = await asyncio.wait({receive, pump}, return_when=asyncio.FIRST_COMPLETED)
            if pump in done:
                receive.cancel()
                return
            await _handle(websocket, hub, sub, receive.result())
    except WebSocketDisconnect:
        pass
    finally:
        hub.unsubscribe(sub)
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump
