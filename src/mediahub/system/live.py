"""The `/api/ws` WebSocket: clients authenticate, subscribe to channels, receive events live.

Authentication never uses the query string (it ends up in logs): either the first message
`{"type": "auth", "token": "<access token>"}` or the subprotocol header
`Sec-WebSocket-Protocol: bearer, <access token>`. Anonymous clients may only listen to the
public channel. A connection is closed (code 4001) when its token expires or its session is
signed out; the client re-authenticates by sending a fresh `auth` message before expiry.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from mediahub.auth import tokens
from mediahub.core.events import PUBLIC, EventHub, Subscription, job_channel, user_channel
from mediahub.models.jobs import JobRun

router = APIRouter(tags=["live"])
log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 8192
MAX_CHANNELS_PER_CLIENT = 64
CLOSE_UNAUTHORIZED = 4001


class ConnectionClosed(Exception):
    """The server decided to end this connection."""


@dataclass
class Identity:
    """Who is on the other end of a socket, and until when."""

    user_id: uuid.UUID
    family_id: uuid.UUID
    expires_at: float  # epoch seconds


async def _send(websocket: WebSocket, message: dict[str, Any]) -> None:
    await websocket.send_text(json.dumps(message, default=str))


async def _authenticate(websocket: WebSocket, token: str) -> Identity | None:
    settings = websocket.app.state.settings
    try:
        claims = tokens.verify_access_token(token, secret=settings.jwt_secret.get_secret_value())
    except tokens.InvalidAccessToken:
        return None
    if await websocket.app.state.revocations.is_revoked(claims.family_id):
        return None
    return Identity(claims.user_id, claims.family_id, claims.expires_at.timestamp())


async def may_subscribe(websocket: WebSocket, identity: Identity | None, channel: str) -> bool:
    """Whether this connection may listen to `channel`: public, or its own private ones."""
    if channel == PUBLIC:
        return True
    if identity is None:
        return False
    if channel == user_channel(identity.user_id):
        return True
    if channel.startswith("job:"):
        try:
            job_id = uuid.UUID(channel.removeprefix("job:"))
        except ValueError:
            return False
        async with websocket.app.state.session_factory() as session:
            run = await session.get(JobRun, job_id)
        canonical = channel == job_channel(job_id)
        return canonical and run is not None and run.owner_id == identity.user_id
    return False


class Connection:
    """One socket's state: identity, subscription, and the message handlers."""

    def __init__(self, websocket: WebSocket, hub: EventHub, identity: Identity | None) -> None:
        self.websocket = websocket
        self.hub = hub
        self.identity = identity
        self.sub = Subscription()

    async def pump(self) -> None:
        """Forward events; ping idle clients; enforce token expiry and sign-out."""
        ping_s = self.websocket.app.state.settings.ws_ping_interval_seconds
        while True:
            timeout = ping_s
            if self.identity:
                timeout = max(0.0, min(timeout, self.identity.expires_at - time.time()))
            try:
                delivery = self.sub.queue.get_nowait()
            except asyncio.QueueEmpty:
                try:
                    # Not wait_for: that wraps every get in a new task, per client per event.
                    async with asyncio.timeout(timeout):
                        delivery = await self.sub.queue.get()
                except TimeoutError:
                    await self._check_identity()
                    await _send(self.websocket, {"type": "ping"})
                    continue
            if self.sub.overflowed:
                await self.websocket.close(code=1013, reason="client too slow; reconnect")
                return
            await self.websocket.send_text(delivery.text)

    async def _check_identity(self) -> None:
        if self.identity is None:
            return
        expired = self.identity.expires_at <= time.time()
        revoked = await self.websocket.app.state.revocations.is_revoked(self.identity.family_id)
        if expired or revoked:
            reason = "token expired" if expired else "session signed out"
            await _send(self.websocket, {"type": "error", "detail": reason})
            await self.websocket.close(code=CLOSE_UNAUTHORIZED, reason=reason)
            raise ConnectionClosed(reason)

    async def handle(self, raw: str) -> None:
        """Act on one client message."""
        if len(raw) > MAX_MESSAGE_BYTES:
            await _send(self.websocket, {"type": "error", "detail": "message too large"})
            return
        try:
            message = json.loads(raw)
            kind = message["type"]
        except (ValueError, KeyError, TypeError):
            await _send(self.websocket, {"type": "error", "detail": "expected {type, ...} JSON"})
            return
        handler = {"auth": self._auth, "subscribe": self._subscribe,
                   "unsubscribe": self._unsubscribe, "pong": self._pong}.get(kind)
        if handler is None:
            await _send(self.websocket, {"type": "error", "detail": f"unknown type {kind!r}"})
            return
        await handler(message)

    async def _auth(self, message: dict[str, Any]) -> None:
        token = message.get("token")
        identity = await _authenticate(self.websocket, token) if isinstance(token, str) else None
        if identity is None or (self.identity and identity.user_id != self.identity.user_id):
            await _send(self.websocket, {"type": "error", "detail": "authentication failed"})
            await self.websocket.close(code=CLOSE_UNAUTHORIZED, reason="authentication failed")
            raise ConnectionClosed("authentication failed")
        self.identity = identity
        await _send(self.websocket, {"type": "authenticated", "user_id": str(identity.user_id),
                                     "expires_at": identity.expires_at})

    def _channels(self, message: dict[str, Any]) -> list[str] | None:
        channels = message.get("channels", [])
        if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
            return None
        return channels

    async def _subscribe(self, message: dict[str, Any]) -> None:
        channels = self._channels(message)
        if channels is None:
            await _send(self.websocket, {"type": "error", "detail": "channels must be strings"})
            return
        allowed = [c for c in channels if await may_subscribe(self.websocket, self.identity, c)]
        denied = [c for c in channels if c not in allowed]
        if len(self.sub.channels | set(allowed)) > MAX_CHANNELS_PER_CLIENT:
            await _send(self.websocket, {"type": "error", "detail": "too many channels"})
            return
        for channel in allowed:
            self.hub.subscribe(self.sub, channel)
        await _send(self.websocket, {"type": "subscribed", "channels": sorted(self.sub.channels),
                                     "denied": denied})

    async def _unsubscribe(self, message: dict[str, Any]) -> None:
        for channel in self._channels(message) or []:
            self.hub.unsubscribe(self.sub, channel)
        await _send(self.websocket, {"type": "subscribed", "channels": sorted(self.sub.channels),
                                     "denied": []})

    async def _pong(self, _message: dict[str, Any]) -> None:
        return


def _subprotocol_token(websocket: WebSocket) -> str | None:
    """`Sec-WebSocket-Protocol: bearer, <token>` — how browsers can send a token at connect."""
    offered = [p.strip() for p in websocket.headers.get("sec-websocket-protocol", "").split(",")]
    if len(offered) == 2 and offered[0] == "bearer" and offered[1]:
        return offered[1]
    return None


@router.websocket("/ws")
async def live(websocket: WebSocket) -> None:
    """Relay events of the channels this client subscribed to and may see."""
    hub: EventHub = websocket.app.state.event_hub
    token = _subprotocol_token(websocket)
    identity = await _authenticate(websocket, token) if token else None
    if token and identity is None:
        await websocket.close(code=CLOSE_UNAUTHORIZED, reason="authentication failed")
        return
    await websocket.accept(subprotocol="bearer" if token else None)
    conn = Connection(websocket, hub, identity)
    pump = asyncio.create_task(conn.pump())
    try:
        hello: dict[str, Any] = {"type": "hello"}
        if identity:
            hello["user_id"] = str(identity.user_id)
        await _send(websocket, hello)
        while True:
            receive = asyncio.create_task(websocket.receive_text())
            done, _ = await asyncio.wait({receive, pump}, return_when=asyncio.FIRST_COMPLETED)
            if pump in done:
                receive.cancel()
                return
            await conn.handle(receive.result())
    except (WebSocketDisconnect, ConnectionClosed):
        pass
    finally:
        hub.unsubscribe(conn.sub)
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump
