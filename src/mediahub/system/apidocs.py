"""`/api/docs`: Swagger UI served by the API itself, within our own CSP.

FastAPI's default page loads Swagger UI from a CDN and starts it with an inline script; our
CSP (`script-src 'self'`, core/security.py) blocks both, so that page was blank. Here every
asset comes from this origin: Swagger UI's files from the `fastapi-offline` package (which
ships them for exactly this), and the start-up code as a script file of ours.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response

ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
          "favicon.png": "image/png"}
CACHE = "public, max-age=86400"

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Mediahub API</title>
<link rel="icon" type="image/png" href="/api/docs/assets/favicon.png">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/start.js"></script>
</body>
</html>
"""

# FastAPI's default Swagger UI parameters, as a file instead of an inline script.
START = """window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def docs_page() -> HTMLResponse:
    """The Swagger UI page."""
    return HTMLResponse(PAGE, headers={"Cache-Control": "no-cache"})


@router.get("/docs/start.js")
async def docs_start() -> Response:
    """Starts Swagger UI on the page (a file, so `script-src 'self'` allows it)."""
    return Response(START, media_type="text/javascript", headers={"Cache-Control": CACHE})


@router.get("/docs/assets/{name}")
async def docs_asset(name: str) -> FileResponse:
    """One of Swagger UI's files (a fixed list: no path from the client reaches the disk)."""
    if name not in ASSETS:
        raise HTTPException(status_code=404, detail="no such asset")
    return FileResponse(ASSETS_DIR / name, media_type=ASSETS[name],
                        headers={"Cache-Control": CACHE})
