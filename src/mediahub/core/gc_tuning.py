"""Garbage-collector settings for long-running API processes.

CPython's default thresholds (700, 10, 10) run a young collection every 700 allocations,
so the objects of every request in flight at that moment are promoted towards the oldest
generation. Each promotion counts towards the next *full* collection, which walks every
tracked object in the process: with 550 WebSocket clients that is ~150k objects and a
~110 ms stop of the event loop, every ~4 s at 55 req/s — the whole p99 of the load
benchmark. With a larger young generation far fewer in-flight objects are promoted and
full collections become rare (none in 40 s of the same load); young collections stay
short. Measured in bench/load.py; see docs/decisions/0014-api-latency-under-load.md.
"""

from __future__ import annotations

import gc

#: (young, middle, old) thresholds for API processes; CPython's default is (700, 10, 10).
API_GC_THRESHOLDS = (10_000, 10, 10)


def tune_for_serving() -> None:
    """Freeze what is alive now (code, app, settings) and set the serving thresholds.

    Call once per server process, after imports and app construction: frozen objects are
    never traversed again by any collection.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*API_GC_THRESHOLDS)
