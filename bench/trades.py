"""Concurrent trade claims: throughput, tail latency and the ownership invariants.

Starts an embedded PostgreSQL and Redis, migrates, runs one `mediahub api` process. Registers
51 users; user0 uploads 50 small PNG photos and offers each in its own trade. Then 200 claims
are fired at once, 4 per token, by users 1..50 (each user claims 4 different tokens). Baseline,
same run and same concurrency: 200 simultaneous GET /api/photos/{id}, each winner reading the
object it won. Finally the invariants are checked in the database: one owner per object and it
is the trade's winner, exactly 50 wins and 150 conflicts, an unbroken history chain per object,
no object in two live trades.

    uv run python bench/trades.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable

import asyncpg
import httpx
from _stack import api_stack  # benchmarks run as scripts: bench/ is on sys.path
from PIL import Image

PASSWORD = "benchmark passphrase 42"
OBJECTS = 50
CLAIMS_PER_TOKEN = 4
CONCURRENCY = OBJECTS * CLAIMS_PER_TOKEN


Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def burst(base: str, requests: list[Request], expected: frozenset[int] = frozenset({200})
                ) -> tuple[dict[str, float], list[httpx.Response]]:
    """Fire all requests at once; rps over the whole burst, p50/p99 latency (ms).

    Every request opens its own connection (none is kept alive): a request on an idle
    keep-alive connection can race Uvicorn closing it, and connecting on localhost is cheap.
    """
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:

        async def timed(request: Request) -> httpx.Response:
            started = time.perf_counter()
            response = await request(http)
            latencies.append(time.perf_counter() - started)
            return response

        began = time.perf_counter()
        responses = await asyncio.gather(*(timed(r) for r in requests))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
            "errors": sum(r.status_code not in expected for r in responses)}, responses


def _png(seed: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (seed * 41 % 256, seed * 13 % 256, 77)).save(out, "PNG")
    return out.getvalue()


async def prepare(http: httpx.AsyncClient) -> tuple[list[dict], list[str], list[str], list[str]]:
    """Users (auth headers, ids), the owner's photos and one trade token per photo."""
    headers, user_ids = [], []
    for n in range(OBJECTS + 1):
        response = await http.post("/api/auth/register",
                                   json={"username": f"trader{n}", "password": PASSWORD})
        response.raise_for_status()
        auth = {"Authorization": f"Bearer {response.json()['access_token']}"}
        headers.append(auth)
        user_ids.append((await http.get("/api/auth/me", headers=auth)).json()["id"])
    photos, tokens = [], []
    for n in range(OBJECTS):
        response = await http.post("/api/photos", headers=headers[0],
                                   files={"file": (f"{n}.png", _png(n))})
        response.raise_for_status()
        photos.append(response.json()["id"])
        trade = await http.post("/api/trades", headers=headers[0],
                                json={"art_object_ids": [photos[-1]]})
        trade.raise_for_status()
        tokens.append(trade.json()["token"])
    return headers, user_ids, photos, tokens


async def check_invariants(dsn: str, photos: list[str], winners: dict[str, str]) -> list[str]:
    """Problems found in the database (empty when every invariant holds)."""
    problems = []
    conn = await asyncpg.connect(dsn)
    try:
        owners = {str(r["id"]): str(r["owner_id"]) for r in await conn.fetch(
            "SELECT id, owner_id FROM art_objects")}
        if sorted(owners) != sorted(photos) or any(v == "None" for v in owners.values()):
            problems.append("objects without exactly one owner")
        if {p: owners.get(p) for p in photos} != winners:
            problems.append("an object's owner is not its trade's winner")
        claimed = await conn.fetchval("SELECT count(*) FROM trades WHERE status = 'claimed'")
        if claimed != OBJECTS:
            problems.append(f"{claimed} claimed trades, expected {OBJECTS}")
        last: dict[str, str | None] = {}
        for row in await conn.fetch("SELECT art_object_id, from_user_id, to_user_id "
                                    "FROM ownership_history ORDER BY art_object_id, id"):
            obj = str(row["art_object_id"])
            frm = str(row["from_user_id"]) if row["from_user_id"] else None
            if frm != last.get(obj):
                problems.append(f"history chain broken for {obj}")
            last[obj] = str(row["to_user_id"])
        if last != owners:
            problems.append("history does not end at the current owner")
        steps = await conn.fetchval("SELECT count(*) FROM ownership_history WHERE kind='trade'")
        if steps != OBJECTS:
            problems.append(f"{steps} trade history rows, expected {OBJECTS}")
        doubled = await conn.fetchval(
            "SELECT count(*) FROM (SELECT ti.art_object_id FROM trade_items ti "
            "JOIN trades t ON t.id = ti.trade_id WHERE t.status IN ('open', 'claimed') "
            "GROUP BY ti.art_object_id HAVING count(*) > 1) d")
        if doubled:
            problems.append(f"{doubled} object(s) in two live trades")
    finally:
        await conn.close()
    return problems


async def measure(dsn: str, base: str, rounds: int) -> int:
    """Prepare, measure claims then reads, verify, print; the exit status."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        headers, user_ids, photos, tokens = await prepare(http)
    # Warm up the API with reads the owner may make.
    await burst(base, [lambda h, p=p: h.get(f"/api/photos/{p}", headers=headers[0])
                       for p in photos * CLAIMS_PER_TOKEN])
    # Claim i: token t = i % 50 in round r = i // 50 by user 1 + (t + 13r) % 50, so each
    # token gets 4 different claimants and each user claims 4 different tokens.
    plan = [(i % OBJECTS, 1 + (i % OBJECTS + 13 * (i // OBJECTS)) % OBJECTS)
            for i in range(CONCURRENCY)]
    claims, responses = await burst(base, [
        lambda h, t=t, u=u: h.post(f"/api/trades/{tokens[t]}/claim", headers=headers[u])
        for t, u in plan], expected=frozenset({200, 409}))
    codes = [r.status_code for r in responses]
    wins = {photos[t]: user_ids[u] for (t, u), c in zip(plan, codes, strict=True) if c == 200}
    winner_of = {p: user_ids.index(w) for p, w in wins.items()}
    readable = [p for p in photos if p in winner_of]
    reads = []
    for _ in range(rounds):
        result, _ = await burst(base, [
            lambda h, p=p: h.get(f"/api/photos/{p}", headers=headers[winner_of[p]])
            for p in readable * CLAIMS_PER_TOKEN])
        reads.append(result)
    read = sorted(reads, key=lambda r: r["rps"])[len(reads) // 2]  # the median round
    problems = await check_invariants(dsn, photos, wins)
    ok, conflicts = codes.count(200), codes.count(409)
    other = len(codes) - ok - conflicts
    if (ok, conflicts, other) != (OBJECTS, CONCURRENCY - OBJECTS, 0):
        problems.append(f"{ok} wins, {conflicts} conflicts, {other} other responses")
    if other:
        seen = Counter(c for c in codes if c not in (200, 409))
        print("other claim responses: " + ", ".join(f"{n}x {c}" for c, n in sorted(seen.items())))
    print(f"{CONCURRENCY} concurrent requests, one API process; {OBJECTS} single-object trades, "
          f"{CLAIMS_PER_TOKEN} claimants each; reads: median of {rounds} bursts")
    print(f"{'request':28s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'failed':>7s} "
          f"{'cost vs GET':>12s}")
    for name, r in (("POST /trades/{t}/claim", claims), ("GET /photos/{id}", read)):
        print(f"{name:28s} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:7.0f} "
              f"{read['rps'] / r['rps']:11.2f}x")
    print(f"claims: {ok} won, {conflicts} conflicts (409), {other} other "
          f"(expected {OBJECTS}/{CONCURRENCY - OBJECTS}/0); claim p99 "
          f"{claims['p99'] / read['p99']:.2f}x the GET p99")
    print("invariants: " + ("all hold" if not problems else "; ".join(problems)))
    return 1 if problems else 0


def main() -> None:
    """Start the stack, run the benchmark, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="GET bursts (median reported)")
    args = parser.parse_args()
    env = {"RATE_LIMIT_REGISTER": "1000/minute", "RATE_LIMIT_WRITES": "10000/minute",
           "DATABASE_POOL_SIZE": "20"}
    with api_stack(env) as stack:
        status = asyncio.run(measure(stack.database_url, stack.base_url, args.rounds))
    raise SystemExit(status)


if __name__ == "__main__":
    main()
