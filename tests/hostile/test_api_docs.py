"""`/api/docs` works under our own CSP: every asset from this origin, no inline script.

Found by an attack review: the page loaded Swagger UI from a CDN and started it with an
inline script, both blocked by our `script-src 'self'` — the page was blank.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import httpx

from mediahub.config import Settings
from mediahub.core.security import content_security_policy

TAGS = re.compile(r"<(script|link|img)\b([^>]*)>", re.I)
URL_ATTR = re.compile(r"\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", re.I)


async def test_the_docs_page_loads_every_asset_from_this_origin(
        client: httpx.AsyncClient, settings: Settings) -> None:
    page = await client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == content_security_policy(settings)
    assert "'unsafe-inline'" not in page.headers["content-security-policy"].split(
        "script-src")[1].split(";")[0]
    html = page.text
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, "an inline script"
    urls = [URL_ATTR.search(attrs).group(1) for _, attrs in TAGS.findall(html)
            if URL_ATTR.search(attrs)]
    assert len(urls) >= 3, urls
    base = "http://testserver/api/docs"
    for url in urls:
        absolute = urljoin(base, url)
        assert urlsplit(absolute).netloc == "testserver", f"{url} is not same-origin"
        asset = await client.get(absolute)
        assert asset.status_code == 200, (url, asset.status_code)
        assert asset.content, url
        assert asset.headers["content-security-policy"] == content_security_policy(settings)
    scripts = [u for u in urls if u.endswith(".js")]
    bundle = (await client.get(scripts[0])).text
    assert "SwaggerUIBundle" in bundle and "3.1" in bundle  # reads our OpenAPI 3.1 schema
    start = (await client.get(scripts[-1])).text
    assert "/api/openapi.json" in start
    assert (await client.get("/api/openapi.json")).status_code == 200


async def test_only_the_known_assets_are_served(client: httpx.AsyncClient) -> None:
    for name in ["index.html", "..%2Fcore.py", "%2e%2e%2f__init__.py", "redoc.standalone.js"]:
        assert (await client.get(f"/api/docs/assets/{name}")).status_code == 404
