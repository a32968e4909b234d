"""Serving the built web app: hashed assets with long caching, index.html for every deep link."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from mediahub.core.errors import NotFound
from mediahub.paths import REPO_WEB_DIST

NOT_BUILT_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>Mediahub</title><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Mediahub is running</h1><p>The API is up, but the web app has not been built.</p>
<p>Build it with <code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code>
(Node.js 20+) and reload, or restart <code>mediahub up</code>, which builds it when npm is
available.</p></body></html>"""


# Precompressed siblings written at build time (web/scripts/precompress.mjs), best first.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
# A sibling requested by its own name is a compressed blob, not the asset it encodes.
OWN_TYPES = {".gz": "application/gzip", ".br": "application/octet-stream"}
IMMUTABLE = "public, max-age=31536000, immutable"


def resolve_dist(configured: Path | None) -> Path:
    """Where the built web app lives: WEB_DIST_DIR, else the repository's web/dist."""
    return (configured or REPO_WEB_DIST).resolve()


def mount_web_app(app: FastAPI, dist: Path) -> None:
    """Serve `dist` at `/` with SPA fallback; `/api/*` stays JSON 404 for unknown routes."""

    # HEAD too: uptime monitors and link-preview fetchers ask before they GET.
    @app.api_route("/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def spa(path: str, request: Request) -> Response:
        if path == "api" or path.startswith("api/"):
            raise NotFound("no such API route", code="api.no_route")
        index = dist / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT_PAGE)
        if path:
            candidate = (dist / path).resolve()
            # Only files inside dist; anything else (including traversal) falls back to the SPA.
            if candidate.is_file() and candidate.is_relative_to(dist):
                cache = IMMUTABLE if path.startswith("assets/") else "no-cache"
                return serve_file(candidate, request, cache)
        return serve_file(index, request, "no-cache")


def accepted_encodings(header: str) -> set[str]:
    """The content codings an Accept-Encoding header allows (q=0 refuses; `*` stands for any)."""
    allowed: set[str] = set()
    refused: set[str] = set()
    for item in header.split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        if name:
            (allowed if quality(params) > 0 else refused).add(name)
    if "*" in allowed:
        allowed |= {coding for coding, _ in ENCODINGS if coding not in refused}
    return allowed - refused


def quality(params: str) -> float:
    """The q weight in one Accept-Encoding item's parameters (1 when absent)."""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0  # a malformed weight is no permission
    return 1.0


def precompressed(file: Path, header: str) -> tuple[Path, str] | None:
    """The best up-to-date precompressed sibling of `file` the client accepts, if any."""
    accepted = accepted_encodings(header)
    for coding, suffix in ENCODINGS:
        sibling = file.with_name(file.name + suffix)
        if coding in accepted and is_fresh_sibling(sibling, file):
            return sibling, coding
    return None


def is_fresh_sibling(sibling: Path, file: Path) -> bool:
    """Whether `sibling` is a plain file written no earlier than `file`."""
    # Never a link: the traversal check resolved only the requested file, not its siblings.
    if sibling.is_symlink() or not sibling.is_file():
        return False
    # Older means the file was rewritten after the build (the MAX bridge injection edits
    # index.html), so the sibling would serve stale content.
    return sibling.stat().st_mtime_ns >= file.stat().st_mtime_ns


def serve_file(file: Path, request: Request, cache: str) -> FileResponse:
    """`file` with `cache`, as its precompressed sibling when the client accepts one."""
    media_type = OWN_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "text/plain"
    headers = {"Cache-Control": cache}
    if file.suffix in OWN_TYPES:
        return FileResponse(file, media_type=media_type, headers=headers)
    # Caches must key on Accept-Encoding whether or not this response is compressed.
    headers["Vary"] = "Accept-Encoding"
    found = precompressed(file, request.headers.get("accept-encoding", ""))
    if found is None:
        return FileResponse(file, media_type=media_type, headers=headers)
    sibling, coding = found
    headers["Content-Encoding"] = coding
    return FileResponse(sibling, media_type=media_type, headers=headers)
