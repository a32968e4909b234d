"""Unicode, control characters and injection strings in every text field a user can set.

Three outcomes only, never a 500:
- NUL and unpaired surrogates (which PostgreSQL text cannot hold) are 400 before any route
  runs (core/request_guard.py), in JSON bodies, query strings and multipart form fields;
- every text field shown to people (profile names, photo description and tags, segment text,
  speaker names) follows one rule (core/text.py): whitespace runs become one space, control
  and invisible formatting characters such as RTL override and zero-width space are refused
  with 422 `invalid_text`;
- everything else, SQL and HTML included, is stored and returned verbatim as JSON data
  (the web app renders it as text: React escapes it, see docs/reliability.md).
"""

from __future__ import annotations

import json
import unicodedata

import httpx
import pytest

from tests.hostile.helpers import me, transcript
from tests.support.accounts import user
from tests.support.photos import upload as photo

NUL = "nul\x00byte"
RTL = "abc\u202egnp.exe"
ZWSP = "zero\u200bwidth"
SQL = "Robert'); DROP TABLE users;-- \" OR 1=1 --"
HTML = "<img src=x onerror=alert(1)><script>alert(document.cookie)</script>&amp;"
LONE_SURROGATE_JSON = '"broken \\ud800 pair"'  # valid JSON text, not valid Unicode


def _raw_json(template: dict, field: str) -> bytes:
    """`template` as JSON with `field` set to a lone surrogate (json.dumps would refuse it)."""
    return json.dumps({**template, field: "@@"}).replace('"@@"', LONE_SURROGATE_JSON).encode()


def _display_text(value: str) -> str:
    """What the display-text rule stores for accepted text: whitespace runs as one space."""
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
        ("first_name", "PATCH", "/api/auth/me", {}, "first_name", profile),
        ("last_name", "PATCH", "/api/auth/me", {}, "last_name", profile),
        ("description", "PATCH", f"/api/photos/{pic['id']}", {}, "description", photo_field),
        ("segment_text", "PATCH", f"/api/transcriptions/{tid}/segments/{seg}", {}, "text",
         segment_text),
        ("speaker_name", "PATCH", f"/api/transcriptions/{tid}/speakers/{spk}", {}, "name",
         speaker_name),
    ]


async def test_nul_and_lone_surrogates_are_400_in_every_json_text_field(app, client) -> None:
    auth, targets = await _targets(app, client)
    targets.append(("username", "POST", "/api/auth/register", {"password": "x" * 12},
                    "username", None))
    targets.append(("login", "POST", "/api/auth/login", {"password": "x" * 12}, "username",
                    None))
    targets.append(("tags", "PATCH", targets[2][2], {}, "tags", None))
    for name, method, url, template, field, _ in targets:
        value = [NUL] if field == "tags" else NUL
        nul = await _send(client, method, url, auth, {**template, field: value})
        assert nul.status_code == 400, (name, nul.text)
        assert nul.json()["code"] == "request.bad_text", name
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
    from tests.support.photos import jpeg

    auth = await user(client, "uploader")
    for field in ("description", "tags"):
        response = await client.post("/api/photos", headers=auth, data={field: NUL},
                                     files={"file": ("p.jpg", jpeg(), "image/jpeg")})
        assert response.status_code == 400, (field, response.text)
    mine = (await client.get("/api/photos/mine", headers=auth)).json()
    assert mine["items"] == []


def _refused_as_invalid_text(response: httpx.Response) -> bool:
    """422 with the code `invalid_text` (in ErrorBody, or as the type of a field error)."""
    body = response.json()
    codes = [body.get("code")] if isinstance(body.get("detail"), str) else [
        item.get("type") for item in body["detail"]]
    return response.status_code == 422 and "invalid_text" in codes


@pytest.mark.parametrize("value", [RTL, ZWSP, "bell\x07"],
                         ids=["rtl-override", "zero-width", "bell"])
async def test_invisible_and_control_characters_are_refused(app, client, value: str) -> None:
    auth, targets = await _targets(app, client)
    for name, method, url, template, field, _ in targets:
        response = await _send(client, method, url, auth, {**template, field: value})
        assert _refused_as_invalid_text(response), (name, response.text)
    tags = await client.patch(targets[2][2], json={"tags": [value]}, headers=auth)
    assert _refused_as_invalid_text(tags), tags.text
    bad_user = await client.post("/api/auth/register",
                                 json={"username": f"bob{value}", "password": "x" * 12})
    assert bad_user.status_code == 422


async def test_whitespace_of_any_kind_becomes_one_space(app, client) -> None:
    auth, targets = await _targets(app, client)
    for name, method, url, template, field, read_back in targets:
        response = await _send(client, method, url, auth,
                               {**template, field: " tab\there\nand  line\u2028end "})
        assert response.status_code == 200, (name, response.text)
        assert await read_back(field) == "tab here and line end", name


@pytest.mark.parametrize("value", [SQL, HTML, "Привет 👋🏽 مرحبا ‫עברית‬"[:20], "e\u0301"],
                         ids=["sql", "html", "mixed-scripts", "combining"])
async def test_injection_strings_are_stored_and_returned_verbatim(app, client, value: str) -> None:
    auth, targets = await _targets(app, client)
    value = value.replace("\u202b", "").replace("\u202c", "")  # refused (tested above)
    for name, method, url, template, field, read_back in targets:
        response = await _send(client, method, url, auth, {**template, field: value})
        assert response.status_code == 200, (name, response.text)
        expected = _display_text(value)
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
