"""Live events over Redis pub/sub, relayed by every API process to its own WebSocket clients.

Channels are logical names: `public`, `user:<uuid>`, `job:<uuid>`. Any process (api or
worker) publishes; each API process holds one pattern subscription and fans messages out to
its local subscribers, so events reach clients whichever replica they are connected to.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

log = logging.getLogger(__name__)

REDIS_PREFIX = "mediahub:events:"
PUBLIC = "public"
SUBSCRIBER_QUEUE_SIZE = 256
POLL_TIMEOUT_S = 0.5


def user_channel(user_id: uuid.UUID | str) -> str:
    """The private channel of one user."""
    return f"user:{user_id}"


def job_channel(job_id: uuid.UUID | str) -> str:
    """The progress channel of one job."""
    return f"job:{job_id}"


async def publish(redis: Redis, channel: str, event: dict[str, Any]) -> None:
    """Send one event to every client subscribed to `channel`, on any API process."""
    await redis.publish(REDIS_PREFIX + channel, json.dumps(event, default=str))


async def publish_many(redis: Redis, deliveries: list[tuple[str, dict[str, Any]]]) -> None:
    """Publish several (channel, event) pairs in order, in one round trip to Redis."""
    if not deliveries:
        return
    async with redis.pipeline(transaction=False) as pipe:
        for channel, event in deliveries:
            pipe.publish(REDIS_PREFIX + channel, json.dumps(event, default=str))
        await pipe.execute()


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event for the clients of one channel, with its WebSocket message serialized once.

    A public event goes to every connected client: serializing it per client cost more CPU
    than sending it (bench/load.py).
    """

    channel: str
    event: dict[str, Any]
    text: str

    @classmethod
    def of(cls, channel: str, event: dict[str, Any]) -> Delivery:
        """The delivery of `event` on `channel`, as `/api/ws` sends it."""
        message = {"type": "event", "channel": channel, "event": event}
        return cls(channel, event, json.dumps(message, default=str))


class Subscription:
    """One client's inbox: a bounded queue fed by the hub."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Delivery] = asyncio.Queue(SUBSCRIBER_QUEUE_SIZE)
        self.channels: set[str] = set()
        self.overflowed = False

    def offer(self, delivery: Delivery) -> None:
        """Deliver without blocking the hub; a client that cannot keep up is marked and dropped."""
        try:
            self.queue.put_nowait(delivery)
        except asyncio.QueueFull:
            self.overflowed = True


class EventHub:
    """The API process's single Redis subscription and its local fan-out table."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self) -> None:
        """Start relaying; reconnects by itself when Redis restarts."""
        self._task = asyncio.create_task(self._run(), name="event-hub")

    async def stop(self, timeout_s: float = 5.0) -> None:
        """Stop relaying: the loop sees the flag within one poll; cancel only as a fallback."""
        self._stopping = True
        if self._task is None:
            return
        done, _ = await asyncio.wait({self._task}, timeout=POLL_TIMEOUT_S * 2)
        if not done:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, timeout_s)

    def subscribe(self, sub: Subscription, channel: str) -> None:
        """Route `channel` to `sub`."""
        sub.channels.add(channel)
        self._subscribers[channel].add(sub)

    def unsubscribe(self, sub: Subscription, channel: str | None = None) -> None:
        """Stop routing one channel (or all channels) to `sub`."""
        channels = [channel] if channel else list(sub.channels)
        for name in channels:
            sub.channels.discard(name)
            subs = self._subscribers.get(name)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subscribers[name]

    def _dispatch(self, raw_channel: bytes | str, data: bytes | str) -> None:
        channel = raw_channel.decode() if isinstance(raw_channel, bytes) else raw_channel
        channel = channel.removeprefix(REDIS_PREFIX)
        try:
            event = json.loads(data)
        except ValueError:
            log.warning("dropping malformed event on %s", channel)
            return
        subscribers = list(self._subscribers.get(channel, ()))
        if not subscribers:
            return
        delivery = Delivery.of(channel, event)
        for sub in subscribers:
            sub.offer(delivery)

    async def _run(self) -> None:
        backoff = 0.5
        while not self._stopping:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(REDIS_PREFIX + "*")
                backoff = 0.5
                # Poll instead of `listen()`: redis-py can swallow a task cancellation inside
                # a blocking read (seen as a hang on shutdown), so the stop flag is checked
                # between reads; a message still returns the moment it arrives.
                while not self._stopping:
                    message = await pubsub.get_message(timeout=POLL_TIMEOUT_S)
                    if message is not None and message["type"] == "pmessage":
                        self._dispatch(message["channel"], message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any Redis failure: log, back off, resubscribe
                if self._stopping:
                    # redis-py can turn our cancellation into a connection error while
                    # reading; when stopping, that is the end, not an outage to ride out.
                    return
                log.warning("event relay lost Redis (%s); retrying in %.1fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
