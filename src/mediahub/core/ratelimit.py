"""Rate limits shared by every API process (moving windows stored in Redis)."""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from mediahub.core.errors import TooManyRequests

log = logging.getLogger(__name__)


class RateLimiter:
    """Named limits ("10/minute") keyed by account, address or user."""

    def __init__(self, redis_url: str, *, pool: object | None = None) -> None:
        options = {"connection_pool": pool} if pool is not None else {}
        storage = RedisStorage(
            "async+" + redis_url, implementation="redispy", key_prefix="mediahub:ratelimit",
            **options,
        )
        self._limiter = MovingWindowRateLimiter(storage)
        self._items: dict[str, RateLimitItem] = {}

    def _item(self, rule: str) -> RateLimitItem:
        if rule not in self._items:
            self._items[rule] = parse(rule)
        return self._items[rule]

    async def _retry_after(self, item: RateLimitItem, keys: tuple[str, ...]) -> int:
        stats = await self._limiter.get_window_stats(item, *keys)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def ensure_allowed(self, rule: str, *keys: str, what: str) -> None:
        """Raise 429 (with Retry-After) if the window for `keys` is already exhausted."""
        await self._enforce(rule, keys, what, count=False)

    async def consume(self, rule: str, *keys: str, what: str) -> None:
        """Count one request and raise 429 when it exceeds the limit."""
        await self._enforce(rule, keys, what, count=True)

    async def used(self, rule: str, *keys: str) -> int:
        """How many events `keys` have in the current window (0 when Redis is unavailable)."""
        item = self._item(rule)
        try:
            stats = await self._limiter.get_window_stats(item, *keys)
        except Exception as exc:  # noqa: BLE001 - fail open, see _enforce
            log.warning("rate limiter unavailable (%s); window not read", exc)
            return 0
        return item.amount - stats.remaining

    async def record(self, rule: str, *keys: str) -> None:
        """Count one event (for example a failed login) against `keys`."""
        try:
            await self._limiter.hit(self._item(rule), *keys)
        except Exception as exc:  # noqa: BLE001 - fail open, see _enforce
            log.warning("rate limiter unavailable (%s); event not counted", exc)

    async def _enforce(self, rule: str, keys: tuple[str, ...], what: str, *, count: bool) -> None:
        item = self._item(rule)
        check = self._limiter.hit if count else self._limiter.test
        try:
            if await check(item, *keys):
                return
            retry = await self._retry_after(item, keys)
        except Exception as exc:  # noqa: BLE001 - fail open: an outage must not lock users out
            log.warning("rate limiter unavailable (%s); allowing %s", exc, what)
            return
        raise TooManyRequests(f"too many {what}; retry in {retry}s", code="rate_limited",
                              params={"retry_after": retry}, headers={"Retry-After": str(retry)})
