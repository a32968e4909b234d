"""Photo search with stems and prefixes vs the 'simple' exact-word search it replaced.

Fills an embedded PostgreSQL with N art objects whose descriptions and tags mix English and
Russian words (SQL, in seconds). Baseline, same run: the old generated column ('simple'
only) added to the same table with its GIN index, queried with the old
`websearch_to_tsquery('simple', q)`. Measured: p50/p99 of each query run sequentially on one
connection (top 30 by rank, as the API asks), what each finds, and the GIN index sizes.

    uv run python bench/search.py [--objects 100000] [--rounds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg

from mediahub.config import normalize_database_url
from mediahub.db_migrations import upgrade_to_head
from mediahub.gallery.models import ArtObject
from mediahub.gallery.service import search_query
from mediahub.local.servers import EmbeddedPostgres

WORDS = ["flowers", "sunset", "holiday", "holidays", "beach", "mountains", "city", "night",
         "river", "forest", "цветы", "закат", "праздники", "праздник", "море", "горы", "город",
         "ночь", "река", "лес", "зима", "снег"]
QUERIES = ["flower", "holi", "sunset", "цвет", "праздник", "горы зима", "x"]

FILL = """
INSERT INTO users (id, username, is_public) VALUES (gen_random_uuid(), 'bench', true);
WITH words AS (SELECT $words::text[] AS w),
rows AS (
  SELECT n, gen_random_uuid() AS photo_id, (SELECT id FROM users LIMIT 1) AS owner,
         (SELECT w FROM words) AS w, array_length((SELECT w FROM words), 1) AS k
  FROM generate_series(1, $n::int) AS n
), photos_in AS (
  INSERT INTO photos (id, uploader_id, status, original_key, mime, size, sha256)
  SELECT photo_id, owner, 'ready', 'photos/' || photo_id, 'image/jpeg', 1, md5(n::text)
  FROM rows RETURNING id
)
INSERT INTO art_objects (id, photo_id, owner_id, creator_id, is_public, description, tags)
SELECT gen_random_uuid(), photo_id, owner, owner, true,
       'photo ' || n || ' ' || w[1 + n % k] || ' ' || w[1 + (n * 7) % k],
       ARRAY[w[1 + (n * 13) % k]]::varchar[]
FROM rows;
-- The old column on the same table, so both searches read rows of the same width.
ALTER TABLE art_objects ADD COLUMN search_old tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', coalesce(description, '')), 'B') ||
  setweight(to_tsvector('simple', coalesce(immutable_array_to_string(tags, ' '), '')), 'A')
) STORED;
CREATE INDEX bench_old_search ON art_objects USING gin (search_old);
ANALYZE;
"""
OLD_SQL = """SELECT id FROM art_objects, websearch_to_tsquery('simple', $1) q
WHERE search_old @@ q ORDER BY ts_rank(search_old, q) DESC LIMIT 30"""


def new_sql(q: str) -> tuple[str, list]:
    """The API's query (service.search_query) as asyncpg SQL text and its arguments."""
    query = search_query(q)
    stmt = (select(ArtObject.id).where(ArtObject.search.op("@@")(query))
            .order_by(func.ts_rank(ArtObject.search, query).desc()).limit(30))
    compiled = stmt.compile(dialect=pg_asyncpg.dialect())
    return str(compiled), [compiled.params[name] for name in compiled.positiontup]


async def timed(conn: asyncpg.Connection, rounds: int, sql: str, *args: object) -> tuple:
    """(p50 ms, p99 ms, rows found) of `rounds` runs after one warm-up."""
    found = len(await conn.fetch(sql, *args))
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await conn.fetch(sql, *args)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)], found


async def measure(dsn: str, objects: int, rounds: int) -> None:
    """Fill, run both searches per query, print the table and the ratios."""
    conn = await asyncpg.connect(dsn)
    started = time.perf_counter()
    fill = FILL.replace("$n::int", str(objects)).replace(
        "$words::text[]", "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]")
    await conn.execute(fill)
    print(f"filled {objects} objects in {time.perf_counter() - started:.1f}s")
    print(f"{'query':12s} {'old p50':>8s} {'new p50':>8s} {'new p99':>8s} {'ratio':>6s} "
          f"{'old hits':>8s} {'new hits':>8s}")
    ratios = []
    for q in QUERIES:
        old50, _, old_hits = await timed(conn, rounds, OLD_SQL, q)
        sql, args = new_sql(q)
        new50, new99, new_hits = await timed(conn, rounds, sql, *args)
        ratios.append(new50 / old50)
        print(f"{q:12s} {old50:8.2f} {new50:8.2f} {new99:8.2f} {new50 / old50:6.2f} "
              f"{old_hits:8d} {new_hits:8d}")
    sizes = await conn.fetchrow(
        "SELECT pg_relation_size('bench_old_search') AS old, "
        "pg_relation_size('ix_art_objects_search') AS new")
    await conn.close()
    print(f"median new/old p50: {statistics.median(ratios):.2f}x; GIN index "
          f"{sizes['old'] / 2**20:.1f} MiB -> {sizes['new'] / 2**20:.1f} MiB "
          f"({sizes['new'] / sizes['old']:.2f}x)")


def main() -> None:
    """Start an embedded PostgreSQL, migrate, measure, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg", secrets.token_urlsafe(12))
        pg.start()
        try:
            upgrade_to_head(normalize_database_url(pg.url))
            asyncio.run(measure(pg.url, args.objects, args.rounds))
        finally:
            pg.stop()


if __name__ == "__main__":
    main()
