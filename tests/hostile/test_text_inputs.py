"""Unicode, control characters and injection strings in every text field a user can set.

Three outcomes only, never a 500:
- NUL and unpaired surrogates (which PostgreSQL text cannot hold) are 400 before any route
  runs (core/request_guard.py), in JSON bodies, query strings and multipart form fields;
- fields shown as names or labels (profile names, photo description and tags) refuse control
  and invisible formatting characters such as RTL override and zero-width space with 422;
- everything else, SQL and HTML included, is stored and returned verbatim as JSON data
  (the web app renders it as text: React escapes it, see docs/reliability.md).
"""

from __future__ import annotations

import json
import unicodedata

import httpx
import pytest

from tests.hostile.helpers import me, photo, transcript, user

NUL = "nul\x00byte"
RTL = "abc\u202egnp.exe"
ZWSP = "zero\u200bwidth"
SQL = "Robert'); DROP TABLE users;-- \" OR 1=1 --"
HTML = "<img src=x onerror=alert(1)><script>alert(document.cookie)</script>&amp;"
LONE_SURROGATE_JSON = '"broken \\ud800 pair"'  # valid JSON text, not valid Unicode


def _raw_json(template: dict, field: str) -> bytes:
    """`template` as JSON with `field` set to a lone surrogate (json.dumps would refuse it)."""
    return json.dumps({**template, field: "@@"}).replace('"@@"', LONE_SURROGATE_JSON).encode()


def _transcript_text(name: str, value: str) -> str:
    """Transcript text (segments, speaker names) drops C0 control characters and collapses
    whitespace runs to one space; format characters (RTL override, ZWSP) are kept."""
    if name in ("segment_text", "speaker_name"):
        value = "".join(c for c in value if c.isspace() or unicodedata.category(c) != "Cc")
    return " ".join(value.split())


async def _send(client: httpx.AsyncClient, method: str, url: str, auth: dict, body) -> httpx.Response:  # noqa: ANN001,E501
    if isinstance(body, bytes):
        return await client.request(method, url, content=body,
                                    headers={**auth, "Content-Type": "application/json"})
    return await client.request(method, url, json=body, headers=auth)


async def _targets(app, client: httpx.AsyncClient) -> tuple[dict, list[tuple]]:  # noqa: ANN001
    """(auth, [(name, method, url, body template, field, read back)]) for every text field."""
    auth = await user(client, "writer")
    pic = await photo(client, auth)
    tr = await transcript(app, client, auth)
    seg, spk = tr["segments"][0]["id"], tr["speakers"][0]["id"]
    tid = tr["id"]

    async def profile(field: str):  # noqa: ANN202
        return (await me(client, auth))[field]

    async def photo_field(field: str):  # noqa: ANN202
        return (await client.get(f"/api/photos/{pic['id']}", headers=auth)).json()[field]

    async def segment_text(_: str):  # noqa: ANN202
        body = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
        return next(s["text"] for s in body["segments"] if s["id"] == seg)

    async def speaker_name(_: str):  # noqa: ANN202
        body = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
        return next(s["name"] for s in body["speakers"] if s["id"] == spk)

    return auth, [
        ("first_name", "PATCH", "/api/auth/me", {}, "first_name", profile, "label"),
        ("last_name", "PATCH", "/api/auth/me", {}, "last_name", profile, "label"),
        ("description", "PATCH", f"/api/photos/{pic['id']}", {}, "description", photo_field,
         "label"),
        ("segment_text", "PATCH", f"/api/transcriptions/{tid}/segments/{seg}", {}, "text",
         segment_text, "verbatim"),
        ("speaker_name", "PATCH", f"/api/transcriptions/{tid}/speakers/{spk}", {}, "name",
         speaker_name, "verbatim"),
    ]


async def test_nul_and_lone_surrogates_are_400_in_every_json_text_field(app, client) -> None:
    auth, targets = await _targets(app, client)
    targets.append(("username", "POST", "/api/auth/register", {"password": "x" * 12},
                    "username", None, "label"))
    targets.append(("login", "POST", "/api/auth/login", {"password": "x" * 12}, "username",
                    None, "label"))
    targets.append(("tags", "PATCH", targets[2][2], {}, "tags", None, "label"))
    for name, method, url, template, field, _, _ in targets:
        value = [NUL] if field == "tags" else NUL
        nul = await _send(client, method, url, auth, {**template, field: value})
        assert nul.status_code == 400, (name, nul.text)
        assert nul.json()["code"] == "bad_request", name
        if field != "tags":
            lone = await _send(client, method, url, auth, _raw_json(template, field))
            assert lone.status_code == 400, (name, lone.text)


async def test_nul_in_query_and_path_is_400(client: httpx.AsyncClient) -> None:
    auth = await user(client, "searcher")
    for url in ("/api/photos/search?q=a%00b", "/api/transcriptions/search?q=%00",
                "/api/trades/abc%00def/claim"):
        method = "POST" if url.endswith("claim") else "GET"
        response = await client.request(method, url, headers=auth)
        assert response.status_code == 400, (url, response.text)


async def test_nul_in_multipart_form_fields_is_400(client: httpx.AsyncClient) -> None:
    from tests.hostile.helpers import jpeg

    auth = await user(client, "uploader")
    for field in ("description", "tags"):
        response = await client.post("/api/photos", headers=auth, data={field: NUL},
                                     files={"file": ("p.jpg", jpeg(), "image/jpeg")})
        assert response.status_code == 400, (field, response.text)
    mine = (await client.get("/api/photos/mine", headers=auth)).json()
    assert mine["items"] == []


@pytest.mark.parametrize("value", [RTL, ZWSP, "tab\there", "bell\x07"],
                         ids=["rtl-override", "zero-width", "tab", "bell"])
async def test_invisible_and_control_characters(app, client, value: str) -> None:
    auth, targets = await _targets(app, client)
    for name, method, url, template, field, read_back, kind in targets:
        response = await _send(client, method, url, auth, {**template, field: value})
        if kind == "label":
            assert response.status_code == 422, (name, response.text)
        else:
            assert response.status_code == 200, (name, response.text)
            assert await read_back(field) == _transcript_text(name, value), name
    tags = await client.patch(targets[2][2], json={"tags": [value]}, headers=auth)
    assert tags.status_code == 422, tags.text
    bad_user = await client.post("/api/auth/register",
                                 json={"username": f"bob{value}", "password": "x" * 12})
    assert bad_user.status_code == 422


@pytest.mark.parametrize("value", [SQL, HTML, "Привет 👋🏽 مرحبا ‫עברית‬"[:20], "e\u0301"],
                         ids=["sql", "html", "mixed-scripts", "combining"])
async def test_injection_strings_are_stored_and_returned_verbatim(app, client, value: str) -> None:
    auth, targets = await _targets(app, client)
    for name, method, url, template, field, read_back, kind in targets:
        if kind == "label" and any(ord(c) in (0x202B, 0x202C) for c in value):
            continue  # embedding controls are refused in labels (tested above)
        response = await _send(client, method, url, auth, {**template, field: value})
        assert response.status_code == 200, (name, response.text)
        expected = _transcript_text(name, value) if kind == "verbatim" else value.strip()
        got = await read_back(field)
        assert got in (expected, unicodedata.normalize("NFC", expected)), name
    # Search with the same strings is data, not SQL or markup.
    for url in ("/api/photos/search", "/api/transcriptions/search"):
        found = await client.get(url, params={"q": value}, headers=auth)
        assert found.status_code == 200, (url, found.text)
    # Tags: lower-cased and split on spaces/commas, but otherwise the same characters.
    tag = unicodedata.normalize("NFC", value.replace(" ", "").replace(",", ""))[:40]
    tagged = await client.patch(targets[2][2], json={"tags": [tag]}, headers=auth)
    if any(unicodedata.category(c) == "Cf" for c in tag):
        assert tagged.status_code == 422, tagged.text
    else:
        assert tagged.status_code == 200, tagged.text
        assert tagged.json()["tags"] == [tag.lower().lstrip("#")]
    # The tables are still there.
    assert (await client.get("/api/auth/me", headers=auth)).status_code == 200
