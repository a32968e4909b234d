"""Object key rules: which names are acceptable object keys."""

from __future__ import annotations

import re

from mediahub.core.storage.errors import InvalidObjectKey

MAX_KEY_BYTES = 1024  # S3's limit on key length

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def validate_key(key: str) -> str:
    """Return `key` unchanged if it is a safe relative object name, else raise InvalidObjectKey."""
    if not isinstance(key, str) or not key:
        raise InvalidObjectKey("object key must be a non-empty string")
    if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
        raise InvalidObjectKey(f"object key is longer than {MAX_KEY_BYTES} bytes")
    if _CONTROL_CHARS.search(key):
        raise InvalidObjectKey("object key contains control characters")
    if "\\" in key:
        # On Windows and in some tools a backslash is a path separator: a traversal vector.
        raise InvalidObjectKey("object key contains a backslash")
    if "#" in key:
        # LocalStore names in-progress uploads `<name>#<n>`, and '#' starts a URL fragment.
        raise InvalidObjectKey("object key contains '#'")
    if key.startswith("/"):
        raise InvalidObjectKey("object key must be relative (no leading '/')")
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise InvalidObjectKey(f"object key has an empty, '.' or '..' segment: {key!r}")
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidObjectKey("object key is not valid UTF-8") from None
    return key
