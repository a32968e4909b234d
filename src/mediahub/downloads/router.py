"""GET /files/{token}: authorized object downloads with HTTP Range support.

Local-disk storage has no presigned URLs, so the API hands out short-lived HMAC tokens
(downloads/tokens.py, links built by downloads/links.py) and this route streams the object.
It works for any backend. A token bound to an art object is refused (403) once the object is
deleted or its access version moved on (made private, given away, a grant revoked).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import format_datetime

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from mediahub.core.deps import SettingsDep, StoreDep
from mediahub.core.errors import (
    Conflict,
    ErrorBody,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    error_body,
)
from mediahub.core.http_headers import content_disposition
from mediahub.core.storage import (
    ObjectInfo,
    ObjectNotFound,
    RangeNotSatisfiable,
    StorageError,
)
from mediahub.downloads.tokens import DownloadGrant, InvalidDownloadToken, verify_download_token
from mediahub.gallery.service import link_is_current

router = APIRouter()

# One range, ASCII digits only (str.isdigit would accept "²"); 19 digits bound int() work.
_RANGE = re.compile(r"bytes=(\d{0,19})-(\d{0,19})", re.ASCII | re.IGNORECASE)


class _Unsatisfiable(Exception):
    pass


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """[start, end) for a single `Range: bytes=` spec; None means serve the whole object."""
    match = _RANGE.fullmatch(header.strip())
    if match is None:
        return None  # multiple ranges or other units: RFC 9110 lets us ignore the header
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix range: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise _Unsatisfiable
        return max(0, size - length), size
    start = int(first)
    if last and int(last) < start:
        return None  # syntactically invalid: ignore
    if start >= size:
        raise _Unsatisfiable
    end = min(int(last) + 1, size) if last else size
    return start, end


def _etag_matches(header: str, etag: str | None) -> bool:
    if etag is None:
        return False
    if header.strip() == "*":
        return True
    # Weak comparison, as RFC 9110 prescribes for If-None-Match.
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag.removeprefix("W/") in tags


def _headers(info: ObjectInfo, content_type: str, filename: str | None, expires_at: datetime):
    max_age = max(0, int((expires_at - datetime.now(UTC)).total_seconds()))
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Type": content_type,
        "Last-Modified": format_datetime(info.last_modified.astimezone(UTC), usegmt=True),
        # The URL is a bearer credential: cacheable by this browser only, until it expires.
        "Cache-Control": f"private, max-age={max_age}",
        # Uploaded files are user content served from our origin: never sniff a type, and
        # sandbox anything a browser would render as a document (HTML, SVG) to stop XSS.
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
    }
    if info.etag:
        headers["ETag"] = info.etag
    if filename:
        headers["Content-Disposition"] = content_disposition(filename)
    return headers


_RESPONSES: dict[int | str, dict] = {
    200: {"description": "The file (its own content type)",
          "content": {"application/octet-stream": {}}},
    206: {"description": "The requested byte range", "content": {"application/octet-stream": {}}},
    304: {"description": "Not modified (If-None-Match)"},
    403: {"model": ErrorBody, "description": "The download link is invalid or has expired"},
    404: {"model": ErrorBody, "description": "The file no longer exists"},
    409: {"model": ErrorBody, "description": "The file changed during the download; retry"},
    416: {"model": ErrorBody, "description": "The Range cannot be satisfied"},
    503: {"model": ErrorBody, "description": "Storage is unavailable; retry"},
}


@router.head("/files/{token}", include_in_schema=False)
@router.get("/files/{token}", operation_id="download_file", name="download_file",
            responses=_RESPONSES)
async def download_file(token: str, request: Request, store: StoreDep,
                        settings: SettingsDep) -> Response:
    """Stream the object a download token grants access to (single Range supported)."""
    try:
        grant = verify_download_token(token, settings.jwt_secret)
    except InvalidDownloadToken as exc:
        raise Forbidden(str(exc), code="download.link_invalid") from exc
    if grant.object_id is not None and not await _access_unchanged(request, grant):
        raise Forbidden("download link has been revoked", code="download.link_revoked")

    try:
        info = await store.head(grant.key)
    except StorageError as exc:
        raise ServiceUnavailable("storage is unavailable", code="storage.unavailable") from exc
    if info is None:
        raise NotFound("file not found", code="download.file_missing")

    content_type = grant.content_type or info.content_type or "application/octet-stream"
    headers = _headers(info, content_type, grant.filename, grant.expires_at)

    if_none_match = request.headers.get("if-none-match")
    if if_none_match and _etag_matches(if_none_match, info.etag):
        return Response(status_code=304, headers={k: headers[k] for k in ("ETag", "Cache-Control")})

    byte_range: tuple[int, int] | None = None
    range_header = request.headers.get("range")
    if_range = request.headers.get("if-range")
    # If-Range: only honour Range when the client's copy is still the current version.
    if range_header and (if_range is None or if_range.strip() == info.etag):
        try:
            byte_range = _parse_range(range_header, info.size)
        except _Unsatisfiable:
            return _unsatisfiable(info.size)

    status = 200
    start, end = 0, info.size
    if byte_range is not None:
        status = 206
        start, end = byte_range
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{info.size}"
    headers["Content-Length"] = str(end - start)

    if request.method == "HEAD":
        return Response(status_code=status, headers=headers)

    try:
        stream = await store.open_stream(
            grant.key, start=start if byte_range else None, end=end if byte_range else None
        )
    except ObjectNotFound as exc:  # deleted between head and open
        raise NotFound("file not found", code="download.file_missing") from exc
    except RangeNotSatisfiable:  # replaced by a shorter object between head and open
        return _unsatisfiable(info.size)
    except StorageError as exc:
        raise ServiceUnavailable("storage is unavailable", code="storage.unavailable") from exc
    if stream.length != end - start:
        # Replaced between head and open: the headers above would lie about the body.
        raise Conflict("file changed during download, retry", code="download.file_changed")
    return StreamingResponse(stream, status_code=status, headers=headers)


async def _access_unchanged(request: Request, grant: DownloadGrant) -> bool:
    """The link's object still exists and nobody lost access to it since the link was made."""
    async with request.app.state.session_factory() as session:
        return await link_is_current(session, grant.object_id or "", grant.access_version or 0)


def _unsatisfiable(size: int) -> Response:
    return JSONResponse(
        error_body("requested range not satisfiable", "requested_range_not_satisfiable"),
        status_code=416,
        headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"},
    )
