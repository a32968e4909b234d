"""MAX mini-app init data: signature, freshness, strict parsing and the parsed fields."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from mediahub.auth.initdata import (
    InitData,
    InitDataError,
    MaxChat,
    MaxUser,
    make_test_init_data,
    sign_init_data,
    validate_init_data,
)

TOKEN = "123456:test-bot-token-for-unit-tests"
OTHER_TOKEN = "654321:some-other-bot"
NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
NOW_S = int(NOW.timestamp())

DOCS_USER = {
    "id": 400,
    "first_name": "Анна Мария",
    "last_name": "Иванова",
    "username": "anna_m",
    "language_code": "ru",
    "photo_url": "https://i.max.ru/avatar/400.jpg",
}
DOCS_FIELDS = {
    "query_id": "158b120b-7aa3-4a0f-a198-52ace06d0658",
    "auth_date": str(NOW_S - 30),
    "user": json.dumps(DOCS_USER, ensure_ascii=False, separators=(",", ":")),
    "chat": json.dumps({"id": -70001, "type": "CHAT"}, separators=(",", ":")),
    "start_param": "album_42",
    "ip": "203.0.113.7",
}


def expected_hash(fields: dict[str, str], token: str) -> str:
    """The documented algorithm, written out independently of the module under test."""
    data_check_string = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, data_check_string.encode(), hashlib.sha256).hexdigest()


def signed(fields: dict[str, str], token: str = TOKEN) -> str:
    """A raw init data string signed by hand (may contain anything the validator must reject)."""
    return urlencode({**fields, "hash": expected_hash(fields, token)})


def rejected(raw: str, reason: str, token: str | SecretStr = TOKEN, **kwargs: object) -> str:
    """Assert validation fails with `reason`; the message must not leak the credential."""
    kwargs.setdefault("now", NOW)
    with pytest.raises(InitDataError) as info:
        validate_init_data(raw, token, **kwargs)  # type: ignore[arg-type]
    assert info.value.reason == reason, str(info.value)
    message = str(info.value)
    assert message
    if len(raw) >= 8:  # shorter strings could occur in any sentence by chance
        assert raw not in message
    for _, value in parse_qsl(raw, keep_blank_values=True):
        if len(value) >= 16:
            assert value not in message
    return message


def with_fields(**changes: str | None) -> dict[str, str]:
    fields = {**DOCS_FIELDS, **changes}
    return {k: v for k, v in fields.items() if v is not None}


# --- accepted data ---------------------------------------------------------------------------


def test_docs_shaped_example_is_accepted_and_parsed() -> None:
    raw = signed(DOCS_FIELDS)
    assert "+" in raw  # urlencode writes the space in the name as '+', as browsers do

    data = validate_init_data(raw, TOKEN, now=NOW)

    assert data == InitData(
        user=MaxUser(
            id=400,
            first_name="Анна Мария",
            last_name="Иванова",
            username="anna_m",
            language_code="ru",
            photo_url="https://i.max.ru/avatar/400.jpg",
        ),
        auth_date=NOW - timedelta(seconds=30),
        chat=MaxChat(id=-70001, type="CHAT"),
        query_id="158b120b-7aa3-4a0f-a198-52ace06d0658",
        start_param="album_42",
        ip="203.0.113.7",
        raw_fields=DOCS_FIELDS,
    )
    assert data.auth_date.tzinfo is UTC
    assert "hash" not in data.raw_fields


def test_sign_init_data_produces_the_documented_hash() -> None:
    raw = sign_init_data(DOCS_FIELDS, TOKEN)
    pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    assert dict(pairs[:-1]) == DOCS_FIELDS
    assert pairs[-1] == ("hash", expected_hash(DOCS_FIELDS, TOKEN))
    assert validate_init_data(raw, TOKEN, now=NOW).user.id == 400


def test_max_docs_example_shape_with_nulls_and_milliseconds() -> None:
    # The example on dev.max.ru: ms auth_date, empty last_name, null username/photo_url.
    user = (
        '{"language_code":"ru","first_name":"Вася","last_name":"","photo_url":null,'
        '"username":null,"id":400}'
    )
    auth_ms = (NOW_S - 10) * 1000 + 394
    raw = signed({"auth_date": str(auth_ms), "query_id": "q", "user": user})

    data = validate_init_data(raw, TOKEN, now=NOW)

    assert data.user == MaxUser(id=400, first_name="Вася", language_code="ru")
    assert data.auth_date == NOW - timedelta(seconds=10) + timedelta(milliseconds=394)
    assert data.chat is None and data.start_param is None and data.ip is None


def test_bot_token_may_be_a_secretstr() -> None:
    raw = signed(DOCS_FIELDS)
    assert validate_init_data(raw, SecretStr(TOKEN), now=NOW).user.id == 400


def test_hash_is_compared_case_insensitively() -> None:
    fields = dict(DOCS_FIELDS)
    raw = urlencode({**fields, "hash": expected_hash(fields, TOKEN).upper()})
    assert validate_init_data(raw, TOKEN, now=NOW).user.id == 400


def test_pairs_are_sorted_by_key() -> None:
    # Key "a" sorts before "a1", although the line "a1=..." sorts before "a=..." ('1' < '=').
    fields = with_fields(a="x", a1="y")
    assert validate_init_data(signed(fields), TOKEN, now=NOW).raw_fields["a1"] == "y"


def test_percent_escapes_in_either_case_decode_the_same() -> None:
    raw = signed(DOCS_FIELDS)
    assert "%D0%90" in raw
    data = validate_init_data(raw.replace("%D0%90", "%d0%90"), TOKEN, now=NOW)
    assert data.user.first_name == "Анна Мария"


def test_make_test_init_data_is_realistic_and_valid() -> None:
    raw = make_test_init_data(TOKEN, user_id=77, username="tester", start_param="p1")
    fields = dict(parse_qsl(raw, strict_parsing=True))
    assert set(fields) == {"auth_date", "query_id", "user", "start_param", "hash"}
    assert " " not in fields["user"]  # compact JSON
    data = validate_init_data(raw, TOKEN)
    assert data.user == MaxUser(id=77, first_name="Test", username="tester", language_code="en")
    assert data.start_param == "p1" and data.query_id
    other = dict(parse_qsl(make_test_init_data(TOKEN, user_id=77), strict_parsing=True))
    assert other["query_id"] != fields["query_id"]


def test_make_test_init_data_accepts_an_explicit_auth_date() -> None:
    raw = make_test_init_data(TOKEN, user_id=5, auth_date=NOW - timedelta(minutes=5))
    assert validate_init_data(raw, TOKEN, now=NOW).auth_date == NOW - timedelta(minutes=5)
    rejected(make_test_init_data(TOKEN, user_id=5, auth_date=NOW_S - 7200), "expired")


# --- signature -------------------------------------------------------------------------------


def test_tampered_value_is_rejected() -> None:
    raw = signed(DOCS_FIELDS)
    assert "%22id%22%3A400" in raw
    rejected(raw.replace("%22id%22%3A400", "%22id%22%3A401"), "bad_signature")


def test_tampered_hash_is_rejected() -> None:
    raw = signed(DOCS_FIELDS)
    flipped = "0" if raw[-1] != "0" else "1"
    rejected(raw[:-1] + flipped, "bad_signature")


def test_other_bots_token_is_rejected() -> None:
    rejected(signed(DOCS_FIELDS, OTHER_TOKEN), "bad_signature")


def test_added_or_removed_field_breaks_the_signature() -> None:
    raw = signed(DOCS_FIELDS)
    rejected(raw + "&extra=1", "bad_signature")
    rejected(raw.replace("&ip=203.0.113.7", ""), "bad_signature")


def test_missing_hash_is_rejected() -> None:
    rejected(urlencode(DOCS_FIELDS), "missing_hash")


@pytest.mark.parametrize("bad", ["", "abc", "g" * 64, "a" * 63, "a" * 65, " " + "a" * 63])
def test_hash_that_is_not_64_hex_digits_is_rejected(bad: str) -> None:
    rejected(urlencode({**DOCS_FIELDS, "hash": bad}), "bad_hash")


@pytest.mark.parametrize("token", ["", "   ", SecretStr("")])
def test_empty_bot_token_is_not_configured(token: str | SecretStr) -> None:
    # Data "signed" with an empty key must not validate either.
    rejected(signed(DOCS_FIELDS, ""), "not_configured", token=token)
    with pytest.raises(InitDataError) as info:
        sign_init_data(DOCS_FIELDS, token)
    assert info.value.reason == "not_configured"


# --- duplicates and malformed strings ----------------------------------------------------------


def test_duplicated_key_with_same_value_is_rejected() -> None:
    raw = signed(DOCS_FIELDS)
    rejected(f"{raw}&query_id={DOCS_FIELDS['query_id']}", "duplicate_key")


def test_duplicated_key_with_different_value_is_rejected() -> None:
    raw = signed(DOCS_FIELDS)
    user = quote(json.dumps({"id": 1}), safe="")
    rejected(f"user={user}&{raw}", "duplicate_key")


def test_duplicated_hash_is_rejected() -> None:
    raw = signed(DOCS_FIELDS)
    rejected(f"{raw}&hash={'0' * 64}", "duplicate_key")
    rejected(f"{raw}&hash={expected_hash(DOCS_FIELDS, TOKEN)}", "duplicate_key")


def test_keys_are_compared_after_decoding() -> None:
    raw = signed(DOCS_FIELDS)
    rejected(f"{raw}&h%61sh={'0' * 64}", "duplicate_key")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "a=1&&b=2",
        "&a=1",
        "a=1&",
        "=x",
        "noequals",
        "a=1&noequals",
        "a=%zz",
        "a=%4",
        "a=%C3",  # a lone UTF-8 lead byte
        "a=%0A",  # a line feed would shift data_check_string lines
        "a%0Ab=1",
        "a=b c",
        "a=é",
        "a=1\n&b=2",
        "key with space=1",
        "k%3Dv=1",  # '=' inside a key
        "auth_date%3D1733485316394%26user%3D%257B%257D",  # the fragment, not decoded once
    ],
)
def test_malformed_strings_are_rejected(raw: str) -> None:
    rejected(raw, "malformed")


def test_encoded_fragment_gets_a_hint() -> None:
    message = rejected(quote(signed(DOCS_FIELDS), safe=""), "malformed")
    assert "WebAppData" in message


def test_oversized_input_is_rejected_before_parsing() -> None:
    rejected("&" * 8193, "too_large")
    raw = signed(with_fields(start_param="x" * 300))
    assert validate_init_data(raw, TOKEN, now=NOW)
    rejected(raw, "too_large", max_length=len(raw) - 1)


# --- auth_date --------------------------------------------------------------------------------


def test_auth_date_exactly_max_age_old_is_accepted() -> None:
    raw = signed(with_fields(auth_date=str(NOW_S - 3600)))
    assert validate_init_data(raw, TOKEN, now=NOW).auth_date == NOW - timedelta(hours=1)


def test_stale_auth_date_in_seconds_is_rejected() -> None:
    rejected(signed(with_fields(auth_date=str(NOW_S - 3601))), "expired")


def test_stale_auth_date_in_milliseconds_is_rejected() -> None:
    rejected(signed(with_fields(auth_date=str((NOW_S - 3601) * 1000))), "expired")


def test_fresh_auth_date_in_milliseconds_is_accepted() -> None:
    raw = signed(with_fields(auth_date=str(NOW_S * 1000 - 1500)))
    assert validate_init_data(raw, TOKEN, now=NOW).auth_date == NOW - timedelta(seconds=1.5)


def test_max_age_is_configurable() -> None:
    raw = signed(with_fields(auth_date=str(NOW_S - 7200)))
    rejected(raw, "expired")
    assert validate_init_data(raw, TOKEN, now=NOW, max_age=timedelta(days=1))
    rejected(signed(DOCS_FIELDS), "expired", max_age=timedelta(seconds=10))


def test_future_auth_date_beyond_skew_is_rejected() -> None:
    rejected(signed(with_fields(auth_date=str(NOW_S + 61))), "from_future")
    rejected(signed(with_fields(auth_date=str((NOW_S + 61) * 1000))), "from_future")
    raw = signed(with_fields(auth_date=str(NOW_S + 60)))
    assert validate_init_data(raw, TOKEN, now=NOW)
    rejected(raw, "from_future", max_future_skew=timedelta(seconds=5))


def test_default_now_is_the_current_time() -> None:
    rejected(signed(DOCS_FIELDS), "expired", now=None)  # NOW is in the past


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        validate_init_data(signed(DOCS_FIELDS), TOKEN, now=datetime(2025, 6, 1))


@pytest.mark.parametrize(
    "auth_date",
    [None, "", "abc", "1.5", "-5", "+1748779200", " 1748779200", "1_748_779_200", "١٢٣", "1e9"]
    + ["9" * 14],
)
def test_auth_date_that_is_not_a_plain_integer_is_rejected(auth_date: str | None) -> None:
    rejected(signed(with_fields(auth_date=auth_date)), "bad_auth_date")


def test_signature_is_checked_before_auth_date() -> None:
    rejected(signed(with_fields(auth_date="abc"), OTHER_TOKEN), "bad_signature")
    rejected(signed(with_fields(auth_date=str(NOW_S - 99999)), OTHER_TOKEN), "bad_signature")


# --- user, chat, start_param ------------------------------------------------------------------


def user_json(**changes: object) -> str:
    return json.dumps({**DOCS_USER, **changes}, ensure_ascii=False)


def test_missing_user_is_rejected() -> None:
    rejected(signed(with_fields(user=None)), "missing_user")


@pytest.mark.parametrize(
    "user",
    [
        "not json",
        "{",
        "[1, 2]",
        '"400"',
        "{}",
        '{"id": 400} trailing',
        user_json(id="400"),
        user_json(id=400.0),
        user_json(id=-5),
        user_json(id=0),
        user_json(id=True),
        user_json(id=None),
        user_json(id=2**63),
        user_json(first_name="x" * 257),
        user_json(last_name=["x"]),
        user_json(username="u" * 65),
        user_json(username=5),
        user_json(language_code="x" * 17),
        "[" * 2000 + "]" * 2000,
    ],
)
def test_bad_user_is_rejected(user: str) -> None:
    rejected(signed(with_fields(user=user)), "bad_user", max_length=100_000)


def test_user_length_limits_are_inclusive() -> None:
    user = user_json(first_name="я" * 256, username="u" * 64, language_code="x" * 16)
    data = validate_init_data(signed(with_fields(user=user)), TOKEN, now=NOW)
    assert (data.user.first_name, data.user.username) == ("я" * 256, "u" * 64)


@pytest.mark.parametrize(
    ("photo_url", "kept"),
    [
        ("https://i.max.ru/a.jpg", True),
        ("http://example.com/a.png", True),
        ("javascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("//example.com/a.png", False),
        ("https://", False),
        ("https://[::1", False),
        ("https://e.com/" + "a" * 2040, False),
        (42, False),
    ],
)
def test_photo_url_only_keeps_http_urls(photo_url: object, kept: bool) -> None:
    raw = signed(with_fields(user=user_json(photo_url=photo_url)))
    data = validate_init_data(raw, TOKEN, now=NOW, max_length=100_000)
    assert data.user.photo_url == (photo_url if kept else None)


@pytest.mark.parametrize(
    "chat",
    [
        "nope",
        "[]",
        '{"type": "CHAT"}',
        '{"id": "1", "type": "CHAT"}',
        '{"id": 1}',
        '{"id": 1, "type": ""}',
    ],
)
def test_bad_chat_is_rejected(chat: str) -> None:
    rejected(signed(with_fields(chat=chat)), "bad_chat")


def test_start_param_up_to_512_characters() -> None:
    raw = signed(with_fields(start_param="p" * 512))
    assert validate_init_data(raw, TOKEN, now=NOW).start_param == "p" * 512
    rejected(signed(with_fields(start_param="p" * 513)), "bad_start_param")


def test_sign_init_data_refuses_unsignable_fields() -> None:
    for fields in ({"hash": "x"}, {"": "x"}, {"a b": "x"}, {"a": "line\nfeed"}):
        with pytest.raises(ValueError):
            sign_init_data(fields, TOKEN)


# --- properties -------------------------------------------------------------------------------

MUTATION_RAW = sign_init_data(DOCS_FIELDS, TOKEN).encode("ascii")
MUTATION_RESULT = validate_init_data(MUTATION_RAW.decode(), TOKEN, now=NOW)
FIRST_ESCAPE_DIGIT = MUTATION_RAW.index(b"%D0") + 2  # the 'D' of "%D0"
LAST_HASH_DIGIT = len(MUTATION_RAW) - 1


@settings(max_examples=300, deadline=None)
@given(position=st.integers(0, len(MUTATION_RAW) - 1), byte=st.integers(0, 255))
@example(position=FIRST_ESCAPE_DIGIT, byte=ord("d"))  # same escape, other case
@example(position=LAST_HASH_DIGIT, byte=MUTATION_RAW[LAST_HASH_DIGIT] ^ 0x20)  # hash case
@example(position=MUTATION_RAW.index(b"&"), byte=ord(";"))
@example(position=MUTATION_RAW.index(b"="), byte=ord("&"))
def test_changing_any_single_byte_is_rejected_unless_equivalent(position: int, byte: int) -> None:
    original = MUTATION_RAW[position]
    if byte == original:
        byte = (byte + 1) % 256
    mutated = bytearray(MUTATION_RAW)
    mutated[position] = byte
    try:
        result = validate_init_data(mutated.decode("latin-1"), TOKEN, now=NOW)
    except InitDataError:
        return
    # Accepted only if it is the same data: a hex digit's case changed (in a percent-escape,
    # which decodes identically, or in the case-insensitive hash).
    assert result == MUTATION_RESULT
    assert chr(byte).swapcase() == chr(original)
    assert chr(original) in "ABCDEFabcdef"


# MAX sends UTF-8: lone surrogates (category Cs) cannot occur and cannot be encoded.
TEXT = st.characters(exclude_categories=("Cs",))
names = st.text(TEXT, max_size=256)


@settings(max_examples=200, deadline=None)
@given(
    user_id=st.integers(1, 2**63 - 1),
    first_name=names,
    last_name=names,
    username=st.text(TEXT, max_size=64),
    language_code=st.text(TEXT, max_size=16),
    start_param=st.text(st.characters(exclude_characters="\n", exclude_categories=("Cs",)),
                        max_size=512),
)
def test_sign_validate_round_trip(
    user_id: int,
    first_name: str,
    last_name: str,
    username: str,
    language_code: str,
    start_param: str,
) -> None:
    user = {
        "id": user_id,
        "first_name": first_name,
        "last_name": last_name,
        "username": username,
        "language_code": language_code,
    }
    fields = {
        "auth_date": str(NOW_S),
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "start_param": start_param,
    }
    raw = sign_init_data(fields, TOKEN)
    assert raw.split("&hash=")[1] == expected_hash(fields, TOKEN)

    data = validate_init_data(raw, TOKEN, now=NOW, max_length=len(raw))

    # Empty strings come back as None (MAX sends "" for absent names).
    assert data.user == MaxUser(
        id=user_id,
        first_name=first_name or None,
        last_name=last_name or None,
        username=username or None,
        language_code=language_code or None,
    )
    assert data.start_param == (start_param or None)
    assert dict(data.raw_fields) == fields
