"""Validation of MAX mini-app init data (`window.WebApp.initData`), the sign-in credential.

MAX signs the launch parameters with a key derived from the bot token
(dev.max.ru/docs/webapps/validation, "Абстрактная логика проверки", steps 3-9: drop `hash`,
URL-decode the values, sort the pairs by key a → z, join `key=value` lines with "\\n" into
`launch_params`); Telegram's WebApp initData uses the same scheme:

    launch_params = "\\n".join(f"{key}={url_decoded_value}" for key in sorted(keys but hash))
    secret = HMAC_SHA256(key=b"WebAppData", msg=bot_token)
    hash   = hex(HMAC_SHA256(key=secret, msg=launch_params))

Decisions (the platform docs leave them open):

* Parsing is strict: the raw string must be visible ASCII (it is URL-encoded); every `&`-separated
  segment must be `key=value` with a non-empty key of `[A-Za-z0-9_.-]`; `%` must start a valid
  escape; decoded text must be UTF-8 and may not contain a line feed (it would make the
  data_check_string ambiguous). Anything else is `malformed`. `+` decodes to a space, as in
  browsers' URLSearchParams.
* Every key (compared after decoding, so `h%61sh` is `hash`) must occur once; a repeat is
  rejected even with the same value, since parsers disagree about which copy wins.
* `hash` is 64 hex digits compared case-insensitively (both cases carry the same 256 bits).
* Pairs are sorted by key (code point order; keys are unique), as the docs say. Sorting whole
  `key=value` lines, as this module did until issue 16, differs when a key is a prefix of
  another followed by a character below `=` (`a` and `a-b`, `a.b` or `a1`).
* `auth_date` is whole seconds, or milliseconds when above 10^11 (10^11 s is the year 5138,
  10^11 ms is 1973, so the two ranges cannot be confused for real dates).
* Empty optional strings (MAX sends `"last_name": ""`) and JSON nulls become None.

The raw string is a bearer credential: it never appears in exception messages or logs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, Literal
from urllib.parse import quote, unquote_plus, urlsplit

from pydantic import SecretStr

Reason = Literal[
    "not_configured",
    "too_large",
    "malformed",
    "duplicate_key",
    "missing_hash",
    "bad_hash",
    "bad_signature",
    "bad_auth_date",
    "expired",
    "from_future",
    "missing_user",
    "bad_user",
    "bad_chat",
    "bad_start_param",
]

DEFAULT_MAX_AGE = timedelta(hours=1)
DEFAULT_MAX_FUTURE_SKEW = timedelta(seconds=60)
DEFAULT_MAX_LENGTH = 8192
MAX_START_PARAM_LENGTH = 512
MILLISECONDS_THRESHOLD = 10**11
MAX_NAME_LENGTH = 256
MAX_USERNAME_LENGTH = 64
MAX_LANGUAGE_CODE_LENGTH = 16
MAX_PHOTO_URL_LENGTH = 2048
MAX_CHAT_TYPE_LENGTH = 32
INT64_MAX = 2**63 - 1  # ids are stored in BIGINT columns

_SIGNING_KEY_SALT = b"WebAppData"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_KEY = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_HASH = re.compile(r"[0-9A-Fa-f]{64}")
# At most 13 digits: milliseconds up to the year 2286, so the datetime can never overflow.
_AUTH_DATE = re.compile(r"[0-9]{1,13}")


class InitDataError(ValueError):
    """MAX init data was rejected: `reason` is a stable machine code, the message is for people."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason: Reason = reason
        self.message = message


@dataclass(frozen=True, slots=True)
class MaxUser:
    """The MAX user who opened the mini-app."""

    id: int
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    photo_url: str | None = None


@dataclass(frozen=True, slots=True)
class MaxChat:
    """The chat the mini-app was opened from (`type` is DIALOG, CHAT or CHANNEL today)."""

    id: int
    type: str


@dataclass(frozen=True, slots=True)
class InitData:
    """Validated init data; `raw_fields` holds every decoded field except `hash`."""

    user: MaxUser
    auth_date: datetime
    chat: MaxChat | None = None
    query_id: str | None = None
    start_param: str | None = None
    ip: str | None = None
    raw_fields: Mapping[str, str] = field(default_factory=dict, hash=False)


def validate_init_data(
    raw: str,
    bot_token: str | SecretStr,
    *,
    max_age: timedelta = DEFAULT_MAX_AGE,
    max_future_skew: timedelta = DEFAULT_MAX_FUTURE_SKEW,
    now: datetime | None = None,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> InitData:
    """Check the signature and freshness of MAX init data and return its parsed fields."""
    secret = _secret_key(bot_token)
    now = _aware_now(now)
    if len(raw) > max_length:
        raise InitDataError("too_large", f"Init data is longer than {max_length} characters.")
    fields = _unique_fields(_parse_pairs(raw))
    received = _take_hash(fields)
    # Nothing in `fields` is trusted (or even parsed) until the signature matches.
    if not hmac.compare_digest(_signature(fields, secret), received):
        raise InitDataError("bad_signature", "Init data signature does not match the bot token.")
    auth_date = _parse_auth_date(fields.get("auth_date"))
    _check_freshness(auth_date, now, max_age, max_future_skew)
    return _build(fields, auth_date)


def sign_init_data(fields: Mapping[str, str], bot_token: str | SecretStr) -> str:
    """Return a correctly signed, URL-encoded init data string for `fields` (tests, dev tools)."""
    secret = _secret_key(bot_token)
    for key, value in fields.items():
        # Refuse what validate_init_data would reject, so callers get a clear error here.
        if key == "hash" or not _KEY.fullmatch(key):
            raise ValueError(f"cannot sign a field named {key!r}")
        if "\n" in value:
            raise ValueError(f"the value of {key!r} contains a line feed")
    pairs = [*fields.items(), ("hash", _signature(fields, secret))]
    return "&".join(f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in pairs)


def make_test_init_data(
    bot_token: str | SecretStr,
    *,
    user_id: int,
    first_name: str = "Test",
    username: str | None = None,
    language_code: str = "en",
    auth_date: datetime | int | None = None,
    start_param: str | None = None,
) -> str:
    """Return signed init data shaped like MAX's (random query_id, compact user JSON)."""
    # Same keys and null/empty conventions as the example in MAX's docs.
    user = {
        "id": user_id,
        "first_name": first_name,
        "last_name": "",
        "username": username,
        "language_code": language_code,
        "photo_url": None,
    }
    fields = {
        "auth_date": str(_timestamp(auth_date)),
        "query_id": str(uuid.uuid4()),
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
    }
    if start_param is not None:
        fields["start_param"] = start_param
    return sign_init_data(fields, bot_token)


def _secret_key(bot_token: str | SecretStr) -> bytes:
    token = bot_token.get_secret_value() if isinstance(bot_token, SecretStr) else bot_token
    # An empty key would let anyone who knows the algorithm forge init data.
    if not token.strip():
        raise InitDataError("not_configured", "MAX bot token is not configured.")
    return hmac.new(_SIGNING_KEY_SALT, token.encode(), hashlib.sha256).digest()


def _aware_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def _timestamp(auth_date: datetime | int | None) -> int:
    if auth_date is None:
        return int(datetime.now(UTC).timestamp())
    if isinstance(auth_date, datetime):
        return int(auth_date.timestamp())
    return auth_date


def _malformed(message: str) -> InitDataError:
    return InitDataError("malformed", f"Init data is malformed: {message}.")


def _parse_pairs(raw: str) -> list[tuple[str, str]]:
    if not _VISIBLE_ASCII.fullmatch(raw):
        raise _malformed("it must be a URL-encoded (visible ASCII) query string")
    if _BAD_ESCAPE.search(raw):
        raise _malformed("it contains an invalid percent-escape")
    pairs = []
    for segment in raw.split("&"):
        name, equals, value = segment.partition("=")
        if not equals:
            raise _malformed(_no_equals_hint(raw))
        key = _decode(name)
        if not _KEY.fullmatch(key):
            raise _malformed("a field name is empty or has unexpected characters")
        pairs.append((key, _decode(value)))
    return pairs


def _no_equals_hint(raw: str) -> str:
    # The launch URL fragment (#WebAppData=...) is encoded once more; say so, it is a common slip.
    if "%3D" in raw.upper():
        return "a segment has no '=' (was the #WebAppData fragment not URL-decoded once?)"
    return "an empty segment or one without '='"


def _decode(text: str) -> str:
    try:
        decoded = unquote_plus(text, errors="strict")
    except UnicodeDecodeError:
        raise _malformed("a percent-encoded value is not UTF-8") from None
    # The data_check_string joins lines with "\n"; one inside a value could shift field borders.
    if "\n" in decoded:
        raise _malformed("a value contains a line feed")
    return decoded


def _unique_fields(pairs: list[tuple[str, str]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            # Keys are validated against _KEY, so naming one is safe and useful.
            raise InitDataError("duplicate_key", f"Init data repeats the field {key!r}.")
        fields[key] = value
    return fields


def _take_hash(fields: dict[str, str]) -> str:
    received = fields.pop("hash", None)
    if received is None:
        raise InitDataError("missing_hash", "Init data has no hash.")
    if not _HASH.fullmatch(received):
        raise InitDataError("bad_hash", "Init data hash is not 64 hex digits.")
    return received.lower()


def _signature(fields: Mapping[str, str], secret: bytes) -> str:
    launch_params = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    return hmac.new(secret, launch_params.encode(), hashlib.sha256).hexdigest()


def _parse_auth_date(value: str | None) -> datetime:
    if value is None or not _AUTH_DATE.fullmatch(value):
        raise InitDataError("bad_auth_date", "Init data auth_date is missing or not an integer.")
    number = int(value)
    if number > MILLISECONDS_THRESHOLD:
        return _EPOCH + timedelta(milliseconds=number)
    return _EPOCH + timedelta(seconds=number)


def _check_freshness(
    auth_date: datetime, now: datetime, max_age: timedelta, max_future_skew: timedelta
) -> None:
    if now - auth_date > max_age:
        raise InitDataError("expired", "Init data has expired; reopen the mini-app.")
    if auth_date - now > max_future_skew:
        raise InitDataError("from_future", "Init data auth_date is in the future.")


def _build(fields: dict[str, str], auth_date: datetime) -> InitData:
    return InitData(
        user=_parse_user(fields.get("user")),
        auth_date=auth_date,
        chat=_parse_chat(fields.get("chat")),
        query_id=fields.get("query_id") or None,
        start_param=_parse_start_param(fields.get("start_param")),
        ip=fields.get("ip") or None,
        raw_fields=MappingProxyType(fields),
    )


def _json_object(text: str, reason: Reason, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise InitDataError(reason, f"Init data {what} is not valid JSON.") from None
    if not isinstance(value, dict):
        raise InitDataError(reason, f"Init data {what} is not a JSON object.")
    return value


def _is_int(value: object) -> bool:
    # bool is an int subclass; JSON true must not become user 1.
    return type(value) is int and -INT64_MAX <= value <= INT64_MAX


def _parse_user(text: str | None) -> MaxUser:
    if text is None:
        raise InitDataError("missing_user", "Init data has no user.")
    obj = _json_object(text, "bad_user", "user")
    user_id = obj.get("id")
    if not _is_int(user_id) or user_id <= 0:
        raise InitDataError("bad_user", "Init data user id is not a positive integer.")
    return MaxUser(
        id=user_id,
        first_name=_optional_text(obj, "first_name", MAX_NAME_LENGTH),
        last_name=_optional_text(obj, "last_name", MAX_NAME_LENGTH),
        username=_optional_text(obj, "username", MAX_USERNAME_LENGTH),
        language_code=_optional_text(obj, "language_code", MAX_LANGUAGE_CODE_LENGTH),
        photo_url=_photo_url(obj.get("photo_url")),
    )


def _optional_text(obj: dict[str, Any], key: str, max_length: int) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > max_length:
        raise InitDataError("bad_user", f"Init data user {key} is not a string of sensible length.")
    return value


def _photo_url(value: object) -> str | None:
    # Only a display hint: anything but a plain http(s) URL is dropped rather than rejected,
    # and never reaches an <img src> as javascript: or data:.
    if not isinstance(value, str) or len(value) > MAX_PHOTO_URL_LENGTH:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in {"http", "https"} and parts.netloc else None


def _parse_chat(text: str | None) -> MaxChat | None:
    if text is None:
        return None
    obj = _json_object(text, "bad_chat", "chat")
    chat_id, chat_type = obj.get("id"), obj.get("type")
    if not _is_int(chat_id):
        raise InitDataError("bad_chat", "Init data chat id is not an integer.")
    if not isinstance(chat_type, str) or not 0 < len(chat_type) <= MAX_CHAT_TYPE_LENGTH:
        raise InitDataError("bad_chat", "Init data chat type is not a short string.")
    return MaxChat(id=chat_id, type=chat_type)


def _parse_start_param(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_START_PARAM_LENGTH:
        raise InitDataError(
            "bad_start_param",
            f"Init data start_param is longer than {MAX_START_PARAM_LENGTH} characters.",
        )
    return value or None
