"""Search finds words by prefix and by stem, in English and Russian (real PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.support.accounts import user
from tests.support.photos import mark_ready, upload

# (what is stored, as description or tags) -> queries that must find it.
CASES = [
    ({"description": "Spring flowers in the park"}, ["flower", "flowers", "FLOW"]),
    ({"tags": "holiday"}, ["holi", "holidays", "Holiday"]),
    ({"description": "Красные цветы у дома"}, ["цвет", "цветы", "красный дом"]),
    ({"tags": "праздники, зима"}, ["праздник", "празд", "праздники зима"]),
]


@pytest.fixture
async def stored(app, client) -> dict[str, str]:
    """One public, ready photo per case; its id by case index."""
    alice = await user(client, "alice")
    ids = {}
    for index, (fields, _) in enumerate(CASES):
        ids[str(index)] = (await upload(client, alice, index, is_public="true",
                                        **fields))["id"]
    await mark_ready(app, list(ids.values()))
    return ids


async def _found(client, q: str) -> list[str]:
    response = await client.get("/api/photos/search", params={"q": q})
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["items"]]


async def test_prefix_and_stems_find_each_photo(client, stored) -> None:
    for index, (_, queries) in enumerate(CASES):
        for q in queries:
            assert await _found(client, q) == [stored[str(index)]], q


async def test_every_word_must_match(client, stored) -> None:
    assert await _found(client, "flowers зима") == []
    assert await _found(client, "цветы дом") == [stored["2"]]


async def test_stop_words_are_not_required(client, stored) -> None:
    # The text says "цветы у дома" and "flowers in the park": "и", "and", "the" are not there.
    assert await _found(client, "цветы и дом") == [stored["2"]]
    assert await _found(client, "the flowers and park") == [stored["0"]]


@pytest.mark.parametrize("q", ["' OR 1=1; --", "!!!", "a:* | b", "&", "(", "_", "\\"])
async def test_query_syntax_is_never_parsed(client, stored, q) -> None:
    response = await client.get("/api/photos/search", params={"q": q})
    assert response.status_code == 200, response.text


async def test_many_words_are_bounded(client, stored) -> None:
    # Words past the limit are ignored, not an error and not an unbounded query.
    assert await _found(client, "holiday " + " ".join(["holiday"] * 500)[:190]) == [stored["1"]]


async def test_short_words_are_exact_not_prefixes(client, stored) -> None:
    # Two letters as a prefix would match (and rank) most of the index, for anyone.
    assert await _found(client, "ho") == []
    assert await _found(client, "hol") == [stored["1"]]
