"""The one rule for text shown to people: names, tags, descriptions, titles, transcript text.

Every such value is NFC-normalised and each run of whitespace (space, tab, line breaks, any
Unicode space) becomes one space, trimmed at both ends. What remains may not contain
control, format, surrogate or private-use characters (Unicode categories Cc, Cf, Cs, Co):
bidi overrides such as U+202E reorder how a name reads (`Ev\\u202eli` shows as `Evil`),
zero-width characters make two names look alike, and control characters ring bells or break
terminals and exports.

Who can fix the text decides what happens to such a character:

* `source="user"` — typed into our API: refused (`TextRefused`, answered 4xx with the code
  `invalid_text`), so the person sees why and can correct it;
* `source="external"` — from MAX, a file name or a camera: removed, since whoever sends it
  cannot change it there and signing in or uploading must not fail over a display string.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic_core import PydanticCustomError

CODE = "invalid_text"
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
Source = Literal["user", "external"]


class TextRefused(ValueError):
    """User-typed text contains a character we do not store (message names field and code point)."""

    code = CODE

    def __init__(self, field: str, char: str) -> None:
        super().__init__(f"{field} must not contain control or invisible formatting characters "
                         f"(found U+{ord(char):04X})")
        self.field = field


def _refused(char: str) -> bool:
    return unicodedata.category(char) in REFUSED_CATEGORIES


def clean_text(value: str, *, field: str, source: Source) -> str:
    """`value` under the display-text rule: refused (user) or stripped (external) characters."""
    text = " ".join(unicodedata.normalize("NFC", value).split())
    bad = next((ch for ch in text if _refused(ch)), None)
    if bad is None:
        return text
    if source == "user":
        raise TextRefused(field, bad)
    return " ".join("".join(ch for ch in text if not _refused(ch)).split())


def clean_optional(value: str | None, *, field: str, source: Source) -> str | None:
    """Like clean_text, with None for a missing or blank value."""
    if value is None:
        return None
    return clean_text(value, field=field, source=source) or None


def user_field(value: str | None, field: str) -> str | None:
    """clean_optional for a pydantic validator: a refusal is a 422 whose `type` is the code."""
    try:
        return clean_optional(value, field=field, source="user")
    except TextRefused as exc:
        raise PydanticCustomError(CODE, str(exc)) from None
