"""Record every live event published on one Redis channel while a test runs."""

from __future__ import annotations

import asyncio
import json

from redis.asyncio import Redis

from mediahub.core.events import REDIS_PREFIX


class ChannelEvents:
    """`async with ChannelEvents(redis_url, channel) as log:` collects what is published."""

    def __init__(self, redis_url: str, channel: str) -> None:
        self.events: list[dict] = []
        self._redis = Redis.from_url(redis_url)
        self._channel = REDIS_PREFIX + channel
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> ChannelEvents:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self._channel)

        async def collect() -> None:
            async for message in pubsub.listen():
                self.events.append(json.loads(message["data"]))

        self._task = asyncio.create_task(collect())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        await self._redis.aclose()

    def of_type(self, kind: str) -> list[dict]:
        """Events of one type."""
        return [e for e in self.events if e["type"] == kind]

    def count(self, kind: str, **match: str) -> int:
        """How many events of `kind` carry all the `match` fields."""
        return sum(1 for e in self.of_type(kind) if all(e.get(k) == v for k, v in match.items()))
