"""The built web app is precompressed at build time and served compressed by `mediahub up`."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from mediahub.web import accepted_encodings, mount_web_app

REPO = Path(__file__).resolve().parents[2]
PRECOMPRESS = REPO / "web" / "scripts" / "precompress.mjs"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js runs web/scripts/precompress.mjs")

IMMUTABLE = "public, max-age=31536000, immutable"
# Compressible and well over the script's 1 KB floor.
APP_JS = b"".join(b"export const item%d = 'value %d';\n" % (i, i) for i in range(400))
STYLE_CSS = b"".join(b".rule-%d { color: #%06x; }\n" % (i, i) for i in range(300))
INDEX_HTML = (b"<!doctype html><html><head><title>Mediahub</title>"
              b'<script type="module" src="/assets/app-abc.js"></script></head><body>'
              + b"<div id='root'></div>\n" * 80 + b"</body></html>")


def precompress(directory: Path) -> str:
    """Run the real build step on `directory`; its stdout."""
    result = subprocess.run([NODE or "node", str(PRECOMPRESS), str(directory)],
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout


def brotli_decode(data: bytes) -> bytes:
    """Decode Brotli with Node's zlib (the project has no Python Brotli package)."""
    script = ("const z=require('node:zlib');const c=[];process.stdin.on('data',d=>c.push(d))"
              ".on('end',()=>process.stdout.write(z.brotliDecompressSync(Buffer.concat(c))))")
    return subprocess.run([NODE or "node", "-e", script], input=data, capture_output=True,
                          timeout=60, check=True).stdout


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A built web app: index.html and one asset with .gz/.br siblings from the real script."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX_HTML)
    (root / "assets" / "app-abc.js").write_bytes(APP_JS)
    precompress(root)
    # Written after the build step: no siblings.
    (root / "assets" / "style-def.css").write_bytes(STYLE_CSS)
    return root.resolve()


@pytest.fixture
async def client(dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A bare FastAPI app serving `dist` exactly as `mediahub up` does."""
    app = FastAPI()
    mount_web_app(app, dist)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def fetch(client: httpx.AsyncClient, path: str,
                accept: str | None) -> tuple[httpx.Response, bytes]:
    """GET `path` with exactly this Accept-Encoding (None: no header); the undecoded body."""
    request = client.build_request("GET", path)
    del request.headers["accept-encoding"]
    if accept is not None:
        request.headers["accept-encoding"] = accept
    response = await client.send(request, stream=True)
    raw = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    return response, raw


def decoded(response: httpx.Response, raw: bytes) -> bytes:
    """The body with its Content-Encoding undone."""
    coding = response.headers.get("content-encoding")
    return {"br": brotli_decode, "gzip": gzip.decompress, None: lambda b: b}[coding](raw)


@pytest.mark.parametrize(("accept", "coding"), [
    ("gzip, deflate, br, zstd", "br"),
    ("br;q=0.5, gzip;q=1", "br"),  # both are the same file; the smaller one wins
    ("gzip, deflate", "gzip"),
    ("br;q=0, gzip", "gzip"),
    ("*", "br"),
    ("br;q=0, *", "gzip"),
    (None, None),
    ("identity", None),
    ("gzip;q=0", None),
    ("GZIP ; Q=0.000, deflate", None),
    ("*;q=0", None),
    ("br;q=abc", None),
])
async def test_asset_is_served_in_the_best_accepted_coding(
        client: httpx.AsyncClient, accept: str | None, coding: str | None) -> None:
    response, raw = await fetch(client, "/assets/app-abc.js", accept)
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == coding
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["cache-control"] == IMMUTABLE
    assert int(response.headers["content-length"]) == len(raw)
    assert decoded(response, raw) == APP_JS
    if coding:
        assert len(raw) < len(APP_JS)


@pytest.mark.parametrize("path", ["/", "/index.html", "/studio/deep/link"])
async def test_app_shell_and_deep_links_get_the_compressed_index(
        client: httpx.AsyncClient, path: str) -> None:
    response, raw = await fetch(client, path, "gzip, br")
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["vary"] == "Accept-Encoding"
    assert decoded(response, raw) == INDEX_HTML


@pytest.mark.parametrize("path", ["/", "/studio/deep/link", "/assets/app-abc.js"])
async def test_head_answers_like_get_without_a_body(client: httpx.AsyncClient, path: str) -> None:
    get = await client.get(path, headers={"accept-encoding": "br"})
    head = await client.head(path, headers={"accept-encoding": "br"})
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "content-encoding", "content-length", "cache-control"):
        assert head.headers.get(name) == get.headers.get(name), name


async def test_missing_sibling_falls_back_to_the_next_coding_then_the_file(
        client: httpx.AsyncClient, dist: Path) -> None:
    response, raw = await fetch(client, "/assets/style-def.css", "gzip, br")
    assert "content-encoding" not in response.headers
    assert response.headers["content-type"].startswith("text/css")
    assert response.headers["cache-control"] == IMMUTABLE
    assert raw == STYLE_CSS
    (dist / "assets" / "app-abc.js.br").unlink()
    response, raw = await fetch(client, "/assets/app-abc.js", "gzip, br")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == APP_JS


async def test_sibling_older_than_its_file_is_not_served(
        client: httpx.AsyncClient, dist: Path) -> None:
    index = dist / "index.html"
    rewritten = INDEX_HTML.replace(b"<head>", b'<head><script src="https://x.test/b.js"></script>')
    index.write_bytes(rewritten)  # as the MAX bridge injection does after the build
    later = (dist / "index.html.br").stat().st_mtime_ns + 1_000_000_000
    os.utime(index, ns=(later, later))
    response, raw = await fetch(client, "/studio", "gzip, br")
    assert "content-encoding" not in response.headers
    assert raw == rewritten


async def test_sibling_requested_by_name_is_a_blob_not_the_asset(
        client: httpx.AsyncClient, dist: Path) -> None:
    response, raw = await fetch(client, "/assets/app-abc.js.gz", "gzip, br")
    assert response.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in response.headers
    assert raw == (dist / "assets" / "app-abc.js.gz").read_bytes()
    response, _ = await fetch(client, "/assets/app-abc.js.br", "gzip, br")
    assert response.headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in response.headers


async def test_linked_sibling_outside_dist_is_not_followed(
        client: httpx.AsyncClient, dist: Path) -> None:
    secret = dist.parent / "secret.gz"
    secret.write_bytes(gzip.compress(b"secret"))
    (dist / "assets" / "app-abc.js.br").unlink()
    (dist / "assets" / "app-abc.js.gz").unlink()
    (dist / "assets" / "app-abc.js.gz").symlink_to(secret)
    response, raw = await fetch(client, "/assets/app-abc.js", "gzip")
    assert "content-encoding" not in response.headers
    assert raw == APP_JS


def test_accept_encoding_parsing() -> None:
    assert accepted_encodings("") == set()
    assert accepted_encodings("gzip;q=0.001, br ; q=1.0") == {"gzip", "br"}
    assert accepted_encodings("*;q=0.5, gzip;q=0") == {"*", "br"}
    assert accepted_encodings(" , ;q=1, ") == set()


def test_precompress_script_writes_only_useful_siblings(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "assets" / "nested").mkdir(parents=True)
    files = {
        "index.html": INDEX_HTML,
        "assets/app.js": APP_JS,
        "assets/nested/data.json": b'{"k": "' + b"v" * 3000 + b'"}',
        "assets/app.js.map": b'{"mappings": "' + b"AAAA;" * 1000 + b'"}',  # source map: skipped
        "assets/small.css": b"body { margin: 0; }\n" * 20,  # under 1 KB: skipped
        "assets/logo.png": b"\0" * 5000,  # not text: skipped
        "assets/random.js": os.urandom(4000),  # incompressible: no sibling is smaller
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    output = precompress(root)
    siblings = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                      if p.suffix in {".gz", ".br"})
    assert siblings == ["assets/app.js.br", "assets/app.js.gz", "assets/nested/data.json.br",
                        "assets/nested/data.json.gz", "index.html.br", "index.html.gz"]
    assert gzip.decompress((root / "assets/app.js.gz").read_bytes()) == APP_JS
    assert brotli_decode((root / "index.html.br").read_bytes()) == INDEX_HTML
    for name, data in files.items():
        assert (root / name).read_bytes() == data  # originals kept
    assert "3 files compressed" in output
    # A second run over its own output compresses the same files, never the siblings.
    assert "3 files compressed" in precompress(root)
    assert not list(root.rglob("*.gz.*")) and not list(root.rglob("*.br.*"))


def test_precompress_script_refuses_a_missing_directory(tmp_path: Path) -> None:
    result = subprocess.run([NODE or "node", str(PRECOMPRESS), str(tmp_path / "missing")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "is not a directory" in result.stderr
