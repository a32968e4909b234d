"""Error answers carry a catalogued code and params the web app renders in its own words.

The failures people meet most (issue 19, item 2): a wrong password, an invalid username, an
empty upload, a trade code that does not exist, a form field that breaks a rule.
"""

from __future__ import annotations

import json
import re

import httpx

from mediahub.core.error_codes import CODES
from tests.support.accounts import PASSWORD, register, user

_REGEX_BITS = re.compile(r"\^|\$|\[A-Z|\\[dw]|\{\d+,\d+\}")


def _coded(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and code in CODES, body
    assert isinstance(body["detail"], str | list) and isinstance(body["params"], dict)
    return body["params"]


async def test_wrong_password(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    wrong = await client.post("/api/auth/login", json={"username": "alice", "password": "x" * 12})
    assert _coded(wrong, 401, "auth.bad_credentials") == {}
    unknown = await client.post("/api/auth/login",
                                json={"username": "nobody", "password": PASSWORD})
    assert _coded(unknown, 401, "auth.bad_credentials") == {}  # the same: no user probing


async def test_invalid_username_names_the_rule_not_a_regex(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/register",
                                 json={"username": "ab!", "password": PASSWORD})
    params = _coded(response, 422, "username.invalid")
    assert params == {"field": "username", "min": 3, "max": 32, "allowed": "A-Z a-z 0-9 _ . -"}
    assert not _REGEX_BITS.search(json.dumps(params))


async def test_empty_upload(client: httpx.AsyncClient) -> None:
    auth = await user(client, "uploader")
    response = await client.post("/api/photos", headers=auth,
                                 files={"file": ("empty.jpg", b"", "image/jpeg")})
    assert _coded(response, 400, "upload.empty_file") == {}


async def test_unknown_and_malformed_trade_codes(client: httpx.AsyncClient) -> None:
    auth = await user(client, "claimer")
    unknown = await client.post("/api/trades/ZZZZZZZZ/claim", headers=auth)
    assert _coded(unknown, 404, "trade.code_unknown") == {}
    malformed = await client.post("/api/trades/no-such!/claim", headers=auth)
    params = _coded(malformed, 422, "validation.format")
    assert params == {"field": "token"}  # the path pattern stays on the server


async def test_validation_errors_name_field_and_limit(client: httpx.AsyncClient) -> None:
    missing = await client.post("/api/auth/login", json={"username": "alice"})
    assert _coded(missing, 422, "validation.missing") == {"field": "password"}
    long = await client.post("/api/auth/login",
                             json={"username": "a" * 65, "password": PASSWORD})
    assert _coded(long, 422, "validation.too_long") == {"field": "username", "max": 64}
    assert isinstance(long.json()["detail"], list)  # FastAPI's list stays for API users
    # ...without what was sent: a refused password is never echoed back.
    secret = "s" * 1025
    refused = await client.post("/api/auth/login", json={"username": "alice", "password": secret})
    assert refused.status_code == 422 and secret not in refused.text


async def test_upload_form_rules_carry_their_limits(client: httpx.AsyncClient) -> None:
    auth = await user(client, "tagger")
    response = await client.post(
        "/api/photos", headers=auth, data={"tags": " ".join(f"t{i}" for i in range(30))},
        files={"file": ("a.jpg", b"\xff\xd8\xff" + b"0" * 64, "image/jpeg")})
    assert _coded(response, 400, "tags.too_many") == {"max": 20}
