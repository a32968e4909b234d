"""Sign-in throughput: MAX login and password login against GET /api/health, same run.

Starts an embedded PostgreSQL and Redis, migrates, runs one `mediahub api` process, then
drives each endpoint with 16 concurrent clients for a fixed time and prints requests per
second, p50/p99 latency and the ratio to /api/health. Targets: MAX login within 3x of health;
password login is expected to be slower (Argon2id hashing is deliberately costly).

    uv run python bench/auth.py [--seconds 10] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import time
from collections.abc import Callable

import httpx
from _stack import api_stack  # benchmarks run as scripts: bench/ is on sys.path

from mediahub.auth.initdata import make_test_init_data

PASSWORD = "benchmark passphrase 42"


async def drive(base: str, seconds: float, clients: int,
                request: Callable[[httpx.AsyncClient, int], object]) -> dict[str, float]:
    """Run `clients` loops for `seconds`; return rps, p50, p99 (ms) and error count."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def loop(http: httpx.AsyncClient, n: int) -> None:
        nonlocal errors
        i = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await request(http, n * 1_000_000 + i)  # type: ignore[misc]
            latencies.append(time.perf_counter() - started)
            errors += response.status_code >= 400
            i += 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        began = time.perf_counter()
        await asyncio.gather(*(loop(http, n) for n in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": errors,
        "n": len(latencies),
    }


async def run(base: str, bot_token: str, seconds: float, clients: int) -> None:
    """Warm up, prepare users, measure the three endpoints."""
    async with httpx.AsyncClient(base_url=base) as http:
        for n in range(clients):
            await http.post("/api/auth/register",
                            json={"username": f"bench{n}", "password": PASSWORD})
    # Launch data is signed ahead of time: signing is the MAX client's work, not the server's.
    init = [make_test_init_data(bot_token, user_id=1000 + n % 500, first_name=f"U{n % 500}")
            for n in range(20_000)]
    counter = iter(range(10**9))

    async def health(http: httpx.AsyncClient, _: int):
        return await http.get("/api/health")

    async def max_login(http: httpx.AsyncClient, _: int):
        return await http.post("/api/auth/login", json={"init_data": init[next(counter) % 20_000]})

    async def password_login(http: httpx.AsyncClient, n: int):
        user = f"bench{(n // 1_000_000) % clients}"
        return await http.post("/api/auth/login", json={"username": user, "password": PASSWORD})

    await drive(base, 2, clients, health)  # warm-up
    results = {}
    for name, fn in (("health", health), ("max_login", max_login),
                     ("password_login", password_login)):
        results[name] = await drive(base, seconds, clients, fn)
    base_rps = results["health"]["rps"]
    print(f"{clients} concurrent clients, {seconds:.0f}s per endpoint, one API process")
    print(f"{'endpoint':16s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'errors':>7s} "
          f"{'cost vs health':>15s}")
    for name, r in results.items():
        print(f"{name:16s} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:7.0f} "
              f"{base_rps / r['rps']:14.2f}x")
    print(f"MAX login: {base_rps / results['max_login']['rps']:.2f}x the cost of health "
          "(target within 3x)")


def main() -> None:
    """Start the stack, run the benchmark, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    bot_token = "bench-bot-" + secrets.token_hex(8)
    env = {"MAX_BOT_TOKEN": bot_token, "RATE_LIMIT_REGISTER": "1000/minute"}
    with api_stack(env) as stack:
        asyncio.run(run(stack.base_url, bot_token, args.seconds, args.clients))


if __name__ == "__main__":
    main()
