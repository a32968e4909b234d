"""Feed pagination on 100,000 art objects: first page vs page 1,000, keyset vs OFFSET.

Fills an embedded PostgreSQL with N public, ready objects (SQL, in seconds), starts one
`mediahub api` process and drives GET /api/photos/feed?limit=50 with 32 concurrent clients,
at page 1 and at page 1,000 (cursor of row 49,950). Baseline, same run: the same page through
OFFSET pagination, at the SQL level against the same database (the API has no OFFSET mode).

Targets: deep page within 1.3x of the first page (API p50), and keyset beating OFFSET.

    uv run python bench/feed.py [--objects 100000] [--seconds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import asyncpg
import httpx
from _stack import api_stack  # benchmarks run as scripts: bench/ is on sys.path

from mediahub.core.pagination import encode_cursor

PAGE = 50
DEPTH = 1000
CLIENTS = 32

FILL = """
INSERT INTO users (id, username, is_public)
SELECT gen_random_uuid(), 'user' || n, true FROM generate_series(1, 100) AS n;

WITH owners AS (SELECT array_agg(id) AS ids FROM users),
rows AS (
  SELECT n, gen_random_uuid() AS photo_id, gen_random_uuid() AS art_id,
         (SELECT ids[1 + n % 100] FROM owners) AS owner
  FROM generate_series(1, $1::int) AS n
), photos_in AS (
  INSERT INTO photos (id, uploader_id, status, original_key, preview_key, thumb_key, mime,
                      size, sha256, width, height, placeholder)
  SELECT photo_id, owner, 'ready', 'photos/' || photo_id || '/original',
         'photos/' || photo_id || '/preview.webp', 'photos/' || photo_id || '/thumb.webp',
         'image/jpeg', 1000000, md5(photo_id::text) || md5(art_id::text), 4000, 3000,
         '1QcSHQRnh493V4dIh4eXh1h4kJUI'
  FROM rows RETURNING id
)
INSERT INTO art_objects (id, photo_id, owner_id, creator_id, is_public, description, tags,
                         created_at)
SELECT art_id, photo_id, owner, owner, n % 10 <> 0, 'photo number ' || n, ARRAY['tag' || n % 50],
       now() - n * interval '1 second'
FROM rows;
ANALYZE;
"""

KEYSET_SQL = """
SELECT a.id FROM art_objects a JOIN photos p ON p.id = a.photo_id
WHERE a.is_public AND a.deleted_at IS NULL AND p.status = 'ready'
  AND (a.created_at, a.id) < ($1, $2)
ORDER BY a.created_at DESC, a.id DESC LIMIT 51
"""
OFFSET_SQL = """
SELECT a.id FROM art_objects a JOIN photos p ON p.id = a.photo_id
WHERE a.is_public AND a.deleted_at IS NULL AND p.status = 'ready'
ORDER BY a.created_at DESC, a.id DESC LIMIT 51 OFFSET $1
"""


def summary(latencies: list[float], elapsed: float) -> dict[str, float]:
    """Requests per second, p50 and p99 in milliseconds."""
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000}


async def drive_api(base: str, params: dict[str, str], seconds: float) -> dict[str, float]:
    """32 clients requesting one feed page for `seconds`."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def loop(http: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await http.get("/api/photos/feed", params=params)
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        began = time.perf_counter()
        await asyncio.gather(*(loop(http) for _ in range(CLIENTS)))
        return summary(latencies, time.perf_counter() - began)


async def drive_sql(pool: asyncpg.Pool, sql: str, args: tuple, seconds: float) -> dict[str, float]:
    """32 concurrent connections running one query for `seconds`."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def loop() -> None:
        async with pool.acquire() as conn:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                await conn.fetch(sql, *args)
                latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(CLIENTS)))
    return summary(latencies, time.perf_counter() - began)


async def measure(dsn: str, base: str, objects: int, seconds: float) -> None:
    """Fill, find the deep cursor, run API and SQL measurements, print the table."""
    conn = await asyncpg.connect(dsn)
    started = time.perf_counter()
    await conn.execute(FILL.replace("$1::int", str(objects)))
    print(f"filled {objects} objects in {time.perf_counter() - started:.1f}s")
    skip = (DEPTH - 1) * PAGE
    at, ident = await _cursor_row(conn, skip)
    await conn.close()
    deep = {"limit": str(PAGE), "cursor": encode_cursor(at, ident)}
    first = {"limit": str(PAGE)}
    await drive_api(base, first, 2)  # warm-up
    results = {
        "api page 1": await drive_api(base, first, seconds),
        f"api page {DEPTH} (keyset)": await drive_api(base, deep, seconds),
    }
    pool = await asyncpg.create_pool(dsn, min_size=CLIENTS, max_size=CLIENTS)
    results[f"sql page {DEPTH} keyset"] = await drive_sql(pool, KEYSET_SQL, (at, ident), seconds)
    results[f"sql page {DEPTH} OFFSET"] = await drive_sql(pool, OFFSET_SQL, (skip,), seconds)
    await pool.close()
    print(f"{CLIENTS} concurrent clients, {seconds:.0f}s each, pages of {PAGE}")
    print(f"{'':28s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s}")
    for name, r in results.items():
        print(f"{name:28s} {r['rps']:8.0f} {r['p50']:8.2f} {r['p99']:8.2f}")
    api_first, api_deep = results["api page 1"], results[f"api page {DEPTH} (keyset)"]
    sql_keyset = results[f"sql page {DEPTH} keyset"]
    sql_offset = results[f"sql page {DEPTH} OFFSET"]
    print(f"deep / first page (API p50): {api_deep['p50'] / api_first['p50']:.2f}x "
          "(target <= 1.3)")
    offset_ratio = sql_offset["p50"] / sql_keyset["p50"]
    print(f"OFFSET / keyset at page {DEPTH} (SQL p50): {offset_ratio:.1f}x")


async def _cursor_row(conn: asyncpg.Connection, skip: int) -> tuple:
    """(created_at, id) of the last row before page DEPTH: what its cursor encodes."""
    sql = OFFSET_SQL.replace("SELECT a.id", "SELECT a.created_at, a.id")
    row = await conn.fetchrow(sql.replace("LIMIT 51", "LIMIT 1"), skip - 1)
    return row["created_at"], row["id"]


def main() -> None:
    """Start the stack with one API process; measure; clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    with api_stack({"DATABASE_POOL_SIZE": "20"}) as stack:
        asyncio.run(measure(stack.database_url, stack.base_url, args.objects, args.seconds))


if __name__ == "__main__":
    main()
