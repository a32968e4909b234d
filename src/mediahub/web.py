"""Serving the built web app: hashed assets with long caching, index.html for every deep link."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from mediahub.paths import REPO_WEB_DIST

NOT_BUILT_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>Mediahub</title><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Mediahub is running</h1><p>The API is up, but the web app has not been built.</p>
<p>Build it with <code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code>
(Node.js 20+) and reload, or restart <code>mediahub up</code>, which builds it when npm is
available.</p></body></html>"""


def resolve_dist(configured: Path | None) -> Path:
    """Where the built web app lives: WEB_DIST_DIR, else the repository's web/dist."""
    return (configured or REPO_WEB_DIST).resolve()


def mount_web_app(app: FastAPI, dist: Path) -> None:
    """Serve `dist` at `/` with SPA fallback; `/api/*` stays JSON 404 for unknown routes."""

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str, request: Request) -> Response:
        if path == "api" or path.startswith("api/"):
            raise HTTPException(status_code=404, detail="no such API route")
        index = dist / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT_PAGE)
        if path:
            candidate = (dist / path).resolve()
            # Only files inside dist; anything else (including traversal) falls back to the SPA.
            if candidate.is_file() and candidate.is_relative_to(dist):
                immutable = path.startswith("assets/")
                headers = {"Cache-Control": "public, max-age=31536000, immutable"} if immutable \
                    else {"Cache-Control": "no-cache"}
                return FileResponse(candidate, headers=headers)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
