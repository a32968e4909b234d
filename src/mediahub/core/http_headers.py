"""HTTP header values built in more than one place (download route, exports, S3 presigning)."""

from __future__ import annotations

import re
from urllib.parse import quote

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """A Content-Disposition value with an ASCII fallback and an RFC 6266 UTF-8 filename."""
    cleaned = _CONTROL_CHARS.sub("", filename)
    fallback = "".join(c if c.isascii() and c not in '"\\' else "_" for c in cleaned)
    return (
        f'{disposition}; filename="{fallback or "download"}"; '
        f"filename*=UTF-8''{quote(cleaned, safe='')}"
    )
