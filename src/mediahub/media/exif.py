"""The few facts a photo's EXIF gives us: orientation, capture time, camera make and model.

Every value is optional and often junk (NUL padding, "0000:00:00", impossible offsets), so
each reader returns None (orientation: 1) rather than raising.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from PIL import Image

from mediahub.core.text import clean_text

MAX_META_CHARS = 100

_EXIF_IFD = 0x8769
ORIENTATION_TAG = 0x0112
_MAKE, _MODEL, _DATETIME = 0x010F, 0x0110, 0x0132
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED = 0x9003, 0x9004
_OFFSET_TIME, _OFFSET_ORIGINAL, _OFFSET_DIGITIZED = 0x9010, 0x9011, 0x9012
_SUBSEC, _SUBSEC_ORIGINAL, _SUBSEC_DIGITIZED = 0x9290, 0x9291, 0x9292

_EXIF_DATETIME = re.compile(r"(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")


def read_exif(image: Image.Image) -> Image.Exif:
    """The EXIF block, or an empty one when it is missing or too broken to parse."""
    try:
        return image.getexif()
    except Exception:  # EXIF parsers raise anything on junk, and it is optional
        return Image.Exif()


def orientation(exif: Image.Exif) -> int:
    """EXIF orientation 1-8 (1 when absent or invalid)."""
    value = exif.get(ORIENTATION_TAG, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def camera(exif: Image.Exif) -> tuple[str | None, str | None]:
    """Make and model, cleaned of NULs, padding and control characters."""
    return _clean_text(exif.get(_MAKE)), _clean_text(exif.get(_MODEL))


def _clean_text(value: object) -> str | None:
    """Printable, single-spaced, bounded text, or None."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    text = clean_text(value, field="metadata", source="external")[:MAX_META_CHARS]
    return text or None


def taken_at(exif: Image.Exif) -> datetime | None:
    """Capture time: DateTimeOriginal, else DateTimeDigitized, else DateTime (+ its offset)."""
    try:
        sub = exif.get_ifd(_EXIF_IFD)
    except Exception:  # a broken sub-IFD only loses the capture time
        sub = {}
    candidates = (
        (sub.get(_DATETIME_ORIGINAL), sub.get(_OFFSET_ORIGINAL), sub.get(_SUBSEC_ORIGINAL)),
        (sub.get(_DATETIME_DIGITIZED), sub.get(_OFFSET_DIGITIZED), sub.get(_SUBSEC_DIGITIZED)),
        (exif.get(_DATETIME), sub.get(_OFFSET_TIME), sub.get(_SUBSEC)),
    )
    for value, offset, subsec in candidates:
        parsed = _parse_exif_datetime(value, offset, subsec)
        if parsed is not None:
            return parsed
    return None


def _parse_exif_datetime(value: object, offset: object, subsec: object) -> datetime | None:
    """'YYYY:MM:DD HH:MM:SS' (+ '+HH:MM', + fraction digits) → aware datetime, else None."""
    match = _EXIF_DATETIME.match(_clean_text(value) or "")
    if match is None:
        return None
    try:
        taken = datetime(*(int(part) for part in match.groups()))
    except ValueError:  # "0000:00:00 00:00:00" and friends
        return None
    digits = re.sub(r"\D", "", _clean_text(subsec) or "")[:6]
    if digits:
        taken = taken.replace(microsecond=int(digits.ljust(6, "0")))
    # No offset recorded: keep the camera's wall clock and call it UTC (see the ADR).
    return taken.replace(tzinfo=_parse_offset(offset) or UTC)


def _parse_offset(value: object) -> timezone | None:
    """EXIF OffsetTime* ('+03:00') → timezone, or None when absent or nonsense."""
    match = _EXIF_OFFSET.fullmatch(_clean_text(value) or "")
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14):
        return None
    return timezone(-delta if sign == "-" else delta)
