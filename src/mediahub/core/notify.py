"""Live notifications, sent after the commit so nobody hears about a change that rolled back."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core import events
from mediahub.core.db import after_commit


def publish_after_commit(session: AsyncSession, redis: Redis, channel: str,
                         event: dict[str, Any]) -> None:
    """Publish `event` on `channel` once the session's transaction has committed."""
    after_commit(session, lambda: events.publish(redis, channel, event))


def notify_users(session: AsyncSession, redis: Redis, user_ids: Iterable[uuid.UUID],
                 event: dict[str, Any]) -> None:
    """Tell each user (once, in the order given) after the change is committed."""
    recipients = list(dict.fromkeys(user_ids))

    async def send() -> None:
        await events.publish_many(
            redis, [(events.user_channel(user_id), event) for user_id in recipients])

    after_commit(session, send)
