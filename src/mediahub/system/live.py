"""The `/api/ws` WebSocket: clients authenticate, subscribe to channels, receive events live.

Authentication never uses the query string (it ends up in logs): either the first message
`{"type": "auth", "token": "<access token>"}` or the subprotocol header
`Sec-WebSocket-Protocol: bearer, <access token>`. Anonymous clients may only listen to the
public channel. A connection is closed (code 4001) when its token expires or its session is
signed out; the client re-authenticates by sending a fresh `auth` message before expiry.

Bounds (an attacker's sockets cost us memory and tasks): a socket that has neither
authenticated nor subscribed within `WS_IDLE_TIMEOUT_SECONDS` is closed (4008); at most
`WS_MAX_PER_ADDRESS` sockets per client address per API process (more are refused at the
handshake); binary frames are closed with 1003; a subscribe over the channel cap is refused
before any lookup, and its job channels are checked in one query.
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
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mediahub.auth import tokens
from mediahub.auth.deps import RevocationsDep
from mediahub.auth.service import Revocations
from mediahub.config import Settings
from mediahub.core.deps import EventHubDep, SessionFactoryDep, SettingsDep
from mediahub.core.events import PUBLIC, EventHub, Subscription, job_channel, user_channel
from mediahub.core.jobs.models import JobRun

router = APIRouter(tags=["live"])
log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 8192
MAX_CHANNELS_PER_CLIENT = 64
CLOSE_UNAUTHORIZED = 4001
CLOSE_IDLE = 4008  # neither authenticated nor subscribed in time
CLOSE_UNSUPPORTED_DATA = 1003  # RFC 6455: a frame type this endpoint does not accept
CLOSE_POLICY = 1008


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


@dataclass(frozen=True)
class LiveServices:
    """What a socket needs from the process, resolved once by the endpoint's dependencies."""

    settings: Settings
    hub: EventHub
    revocations: Revocations
    sessions: async_sessionmaker[AsyncSession]


async def _authenticate(services: LiveServices, token: str) -> Identity | None:
    secret = services.settings.jwt_secret.get_secret_value()
    try:
        claims = tokens.verify_access_token(token, secret=secret)
    except tokens.InvalidAccessToken:
        return None
    if await services.revocations.is_revoked(claims.family_id):
        return None
    return Identity(claims.user_id, claims.family_id, claims.expires_at.timestamp())


async def allowed_channels(sessions: async_sessionmaker[AsyncSession], identity: Identity | None,
                           channels: list[str]) -> set[str]:
    """The channels of `channels` this connection may hear: public, or its own private ones.

    Job channels are checked in one query, however many are asked for.
    """
    allowed = {c for c in channels if c == PUBLIC}
    if identity is None:
        return allowed
    allowed |= {c for c in channels if c == user_channel(identity.user_id)}
    jobs: dict[uuid.UUID, str] = {}
    for channel in channels:
        if channel.startswith("job:"):
            try:
                job_id = uuid.UUID(channel.removeprefix("job:"))
            except ValueError:
                continue
            if channel == job_channel(job_id):  # only the canonical spelling
                jobs[job_id] = channel
    if jobs:
        async with sessions() as session:
            owned = await session.scalars(select(JobRun.id).where(
                JobRun.id.in_(jobs), JobRun.owner_id == identity.user_id))
            allowed |= {jobs[job_id] for job_id in owned}
    return allowed


class Connection:
    """One socket's state: identity, subscription, and the message handlers."""

    def __init__(self, websocket: WebSocket, services: LiveServices,
                 identity: Identity | None) -> None:
        self.websocket = websocket
        self.services = services
        self.hub = services.hub
        self.identity = identity
        self.sub = Subscription()

    async def pump(self) -> None:
        """Forward events; ping idle clients; enforce token expiry and sign-out."""
        ping_s = self.services.settings.ws_ping_interval_seconds
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
        revoked = await self.services.revocations.is_revoked(self.identity.family_id)
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
        except (ValueError, KeyError, TypeError, RecursionError):  # [×4000 fits in 8 KiB
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
        identity = (await _authenticate(self.services, token)
                    if isinstance(token, str) else None)
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
        # The cap counts what is asked for, before any lookup is paid for.
        if len(self.sub.channels | set(channels)) > MAX_CHANNELS_PER_CLIENT:
            await _send(self.websocket, {"type": "error", "detail": "too many channels"})
            return
        permitted = await allowed_channels(self.services.sessions, self.identity, channels)
        allowed = [c for c in channels if c in permitted]
        denied = [c for c in channels if c not in permitted]
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


class _AddressSlots:
    """Open sockets per client address in this process."""

    def __init__(self) -> None:
        self.open: dict[str, int] = {}

    def take(self, address: str, limit: int) -> bool:
        """Count one more socket for `address`; False (nothing counted) past the limit."""
        if self.open.get(address, 0) >= limit:
            return False
        self.open[address] = self.open.get(address, 0) + 1
        return True

    def give_back(self, address: str) -> None:
        """The socket of `address` closed."""
        left = self.open.get(address, 1) - 1
        if left:
            self.open[address] = left
        else:
            self.open.pop(address, None)


def _slots(websocket: WebSocket) -> _AddressSlots:
    state = websocket.app.state
    if not hasattr(state, "ws_address_slots"):
        state.ws_address_slots = _AddressSlots()
    return state.ws_address_slots


async def _receive_text(websocket: WebSocket) -> str:
    """The next text message; a binary frame closes the socket (1003), not the server."""
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    if message.get("text") is None:
        await websocket.close(code=CLOSE_UNSUPPORTED_DATA, reason="only text frames are accepted")
        raise ConnectionClosed("binary frame")
    return message["text"]


@router.websocket("/ws")
async def live(websocket: WebSocket, settings: SettingsDep, hub: EventHubDep,
               revocations: RevocationsDep, sessions: SessionFactoryDep) -> None:
    """Relay events of the channels this client subscribed to and may see."""
    address = websocket.client.host if websocket.client else "unknown"
    if not _slots(websocket).take(address, settings.ws_max_per_address):
        await websocket.close(code=CLOSE_POLICY, reason="too many connections from this address")
        return
    try:
        await _serve(websocket, LiveServices(settings, hub, revocations, sessions))
    finally:
        _slots(websocket).give_back(address)


async def _serve(websocket: WebSocket, services: LiveServices) -> None:
    idle_timeout_s = services.settings.ws_idle_timeout_seconds
    token = _subprotocol_token(websocket)
    identity = await _authenticate(services, token) if token else None
    if token and identity is None:
        await websocket.close(code=CLOSE_UNAUTHORIZED, reason="authentication failed")
        return
    await websocket.accept(subprotocol="bearer" if token else None)
    conn = Connection(websocket, services, identity)
    pump = asyncio.create_task(conn.pump())
    idle_deadline = asyncio.get_running_loop().time() + idle_timeout_s
    try:
        hello: dict[str, Any] = {"type": "hello"}
        if identity:
            hello["user_id"] = str(identity.user_id)
        await _send(websocket, hello)
        while True:
            receive = asyncio.create_task(_receive_text(websocket))
            engaged = conn.identity is not None or bool(conn.sub.channels)
            timeout = None if engaged else idle_deadline - asyncio.get_running_loop().time()
            done, _ = await asyncio.wait({receive, pump}, timeout=timeout,
                                         return_when=asyncio.FIRST_COMPLETED)
            if not done:  # an anonymous socket that asked for nothing: not worth holding
                receive.cancel()
                await websocket.close(code=CLOSE_IDLE, reason="authenticate or subscribe first")
                return
            if pump in done:
                receive.cancel()
                return
            await conn.handle(receive.result())
    except (WebSocketDisconnect, ConnectionClosed):
        pass
    finally:
        services.hub.unsubscribe(conn.sub)
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump
