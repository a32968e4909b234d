"""Redis clients with a blocking connection pool shared by everything in one process."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis


def create_pool(url: str, *, max_connections: int) -> BlockingConnectionPool:
    """A pool that waits for a free connection under load.

    redis-py's default pool raises at once past 100 connections, which turned a burst of
    200 concurrent requests into ~100 errors (seen in bench/trades.py); waiting briefly is
    the right behaviour for a web server.
    """
    return BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=10, socket_connect_timeout=5,
        health_check_interval=30,
    )


def create_redis(url: str, *, max_connections: int) -> Redis:
    """A client on its own blocking pool."""
    return Redis(connection_pool=create_pool(url, max_connections=max_connections))
