"""Studio corrections on real PostgreSQL: rename a transcription, move a segment to another or
a new speaker; both survive a reload and show in search and exports."""

from __future__ import annotations

import json

import srt

from tests.support.accounts import user
from tests.transcription.test_api import _done


async def test_rename_shows_in_list_search_and_exports(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "namer")
    tid, got = await _done(client, settings, auth)
    assert got["title"] is None and got["filename"] == "k.wav"
    base = f"/api/transcriptions/{tid}"
    renamed = await client.patch(base, headers=auth, json={"title": "  Встреча 5.12  "})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["title"] == "Встреча 5.12"
    assert (await client.get(base, headers=auth)).json()["title"] == "Встреча 5.12"
    listed = (await client.get("/api/transcriptions", headers=auth)).json()["items"]
    assert [j["title"] for j in listed] == ["Встреча 5.12"]
    hit = (await client.get("/api/transcriptions/search", headers=auth,
                            params={"q": "kenobi"})).json()["items"][0]
    assert hit["title"] == "Встреча 5.12" and hit["filename"] == "k.wav"
    exported = await client.get(f"{base}/export", headers=auth, params={"format": "json"})
    assert "filename*=UTF-8''%D0%92%D1%81%D1%82%D1%80%D0%B5%D1%87%D0%B0%205.12.json" in \
        exported.headers["content-disposition"]
    assert json.loads(exported.text)["title"] == "Встреча 5.12"
    back = await client.patch(base, headers=auth, json={"title": None})
    assert back.json()["title"] is None
    plain = (await client.get("/api/transcriptions/search", headers=auth,
                              params={"q": "kenobi"})).json()["items"][0]
    assert plain["title"] == "k.wav"


async def test_bad_titles_are_422_with_stable_codes(client, settings) -> None:  # noqa: ANN001
    auth, other = await user(client, "namer"), await user(client, "stranger")
    tid, _ = await _done(client, settings, auth)
    base = f"/api/transcriptions/{tid}"
    for title, code in ((" \t ", "title.blank"), ("x" * 201, "title.too_long"),
                        ("bell\u0007", "invalid_text")):
        bad = await client.patch(base, headers=auth, json={"title": title})
        assert bad.status_code == 422 and bad.json()["code"] == code, (title, bad.text)
    assert (await client.patch(base, headers=auth, json={"title": "x" * 1001})).status_code == 422
    assert (await client.patch(base, headers=other, json={"title": "mine"})).status_code == 404
    assert (await client.get(base, headers=auth)).json()["title"] is None  # nothing was kept


async def test_move_segment_to_existing_and_new_speaker(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "mover")
    tid, got = await _done(client, settings, auth)
    first, second = (s["id"] for s in got["speakers"])
    base = f"/api/transcriptions/{tid}"
    seg_a, seg_b = (s["id"] for s in got["segments"])
    moved = await client.patch(f"{base}/segments/{seg_b}", headers=auth, json={"speaker": first})
    assert moved.status_code == 200, moved.text
    assert moved.json()["speaker"] == first
    assert {w["speaker"] for w in moved.json()["words"]} == {first}
    text_before = moved.json()["text"]

    fresh = await client.patch(f"{base}/segments/{seg_a}", headers=auth,
                               json={"new_speaker": " Марина "})
    assert fresh.status_code == 200, fresh.text
    after = (await client.get(base, headers=auth)).json()  # survives a reload
    new = next(s for s in after["speakers"] if s["name"] == "Марина")
    assert new["id"] not in (first, second) and new["color"] == 2
    assert new["label"].startswith("EDITOR_")
    assert [s["speaker"] for s in after["segments"]] == [new["id"], first]
    assert {w["speaker"] for w in after["segments"][0]["words"]} == {new["id"]}
    assert after["segments"][1]["text"] == text_before

    cues = list(srt.parse((await client.get(f"{base}/export", headers=auth,
                                            params={"format": "srt"})).text))
    assert cues[0].content.startswith("Марина: Hello")
    assert cues[-1].content.startswith("Speaker 1:")

    # A second new speaker gets its own label; both at once is refused, nothing is added.
    other = await client.patch(f"{base}/segments/{seg_b}", headers=auth,
                               json={"new_speaker": "Марина"})
    assert other.status_code == 200
    both = await client.patch(f"{base}/segments/{seg_a}", headers=auth,
                              json={"speaker": first, "new_speaker": "Олег"})
    assert both.status_code == 422 and both.json()["code"] == "segment.speaker_ambiguous"
    blank = await client.patch(f"{base}/segments/{seg_a}", headers=auth,
                               json={"new_speaker": "   "})
    assert blank.status_code == 422 and blank.json()["code"] == "speaker.blank"
    speakers = (await client.get(base, headers=auth)).json()["speakers"]
    assert len(speakers) == 4 and len({s["label"] for s in speakers}) == 4
