"""Cold load of the web app's feed in headless Chromium, with and without compression.

Starts `mediahub up` (embedded PostgreSQL and Redis, API, worker) on a throw-away data dir,
uploads public photos through the API and waits for their renditions. Then serves the built
web app (web/dist) three ways from a small static server that forwards /api to that stack:

- identity: JavaScript and CSS uncompressed (the baseline),
- gzip: precompressed with gzip -9 (what nginx's gzip does, a little better),
- br: precompressed with Brotli quality 11.

For each, bench/web_probe.mjs loads the feed in a fresh Chromium context (empty cache) at
phone size and records the time to the first decoded thumbnail, the first ThumbHash
placeholder and the first contentful paint, and the JavaScript/CSS bytes on the wire, on
loopback and under a throttled mobile link. Figures are medians; ratios are against identity.

    uv run python bench/web.py [--runs 5] [--photos 24] [--backend-dir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from _stack import wait_ready  # benchmarks run as scripts: bench/ is on sys.path

from mediahub.local.processes import free_port

REPO = Path(__file__).resolve().parent.parent
WEB = REPO / "web"
DIST = WEB / "dist"
COMPRESSIBLE = {".js", ".css", ".html", ".svg", ".json"}
TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html; charset=utf-8",
         ".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png",
         ".ico": "image/x-icon"}
PROFILES = [
    {"name": "loopback", "latency": 0, "down": 0, "up": 0},
    # Chrome DevTools' "Fast 3G" preset: what a phone on a weak mobile link gets.
    {"name": "fast 3G (1.6 Mbit/s, 150 ms)", "latency": 150, "down": 1_600_000, "up": 750_000},
]


def brotli_compress(files: dict[str, bytes]) -> dict[str, bytes]:
    """Brotli via Node's zlib (no Python brotli package needed), quality 11."""
    script = (
        "const z=require('zlib');let d='';process.stdin.on('data',c=>d+=c).on('end',()=>{"
        "const o={};for(const[k,v]of Object.entries(JSON.parse(d)))o[k]=z.brotliCompressSync("
        "Buffer.from(v,'base64'),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}})"
        ".toString('base64');process.stdout.write(JSON.stringify(o))})"
    )
    import base64

    payload = json.dumps({k: base64.b64encode(v).decode() for k, v in files.items()})
    out = subprocess.run(["node", "-e", script], input=payload, capture_output=True, text=True,
                         check=True).stdout
    return {k: base64.b64decode(v) for k, v in json.loads(out).items()}


def load_dist(encoding: str) -> dict[str, tuple[bytes, str]]:
    """Every file of web/dist as served with `encoding` (identity, gzip or br)."""
    raw = {str(p.relative_to(DIST)): p.read_bytes() for p in DIST.rglob("*") if p.is_file()}
    compressible = {k: v for k, v in raw.items() if Path(k).suffix in COMPRESSIBLE}
    if encoding == "gzip":
        packed = {k: gzip.compress(v, compresslevel=9, mtime=0) for k, v in compressible.items()}
    elif encoding == "br":
        packed = brotli_compress(compressible)
    else:
        packed = {}
    return {k: (packed.get(k, v), encoding if k in packed else "identity")
            for k, v in raw.items()}


def make_handler(files: dict[str, tuple[bytes, str]], api: str):
    """A request handler serving `files` (SPA fallback) and forwarding /api to `api`."""
    client = httpx.Client(base_url=api, timeout=60)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # noqa: ANN002 - quiet
            return

        def _proxy(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "connection", "accept-encoding")}
            upstream = client.request(self.command, self.path, headers=headers, content=body)
            self.send_response(upstream.status_code)
            for key, value in upstream.headers.items():
                if key.lower() not in ("transfer-encoding", "connection", "content-length",
                                       "content-encoding"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(upstream.content)))
            self.end_headers()
            self.wfile.write(upstream.content)

        def _static(self) -> None:
            path = self.path.split("?", 1)[0].lstrip("/")
            if path not in files:
                path = "index.html"
            body, encoding = files[path]
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(Path(path).suffix,
                                                       "application/octet-stream"))
            if encoding != "identity":
                self.send_header("Content-Encoding", encoding)
                self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            if self.path.startswith("/api/ws"):
                # No WebSocket forwarding here; the feed renders without live events alike in
                # every variant (the client just retries in the background).
                self.send_error(404)
            elif self.path.startswith("/api/"):
                self._proxy()
            else:
                self._static()

        do_POST = do_PUT = do_PATCH = do_DELETE = _proxy  # noqa: N815

    return Handler


class QuietServer(ThreadingHTTPServer):
    """Browsers drop connections when a context closes; that is not an error here."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError)):
            super().handle_error(request, client_address)


def make_image(index: int) -> bytes:
    """A 1600x1200 JPEG with distinct content (photos of a feed are not tiny)."""
    import io
    import random

    from PIL import Image, ImageDraw

    rnd = random.Random(index)
    image = Image.new("RGB", (1600, 1200), tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, s = rnd.randrange(1600), rnd.randrange(1200), rnd.randrange(20, 300)
        draw.ellipse([x, y, x + s, y + s], fill=tuple(rnd.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def seed(api: str, photos: int) -> None:
    """One user with `photos` public photos, all processed."""
    with httpx.Client(base_url=api, timeout=60) as http:
        tokens = http.post("/api/auth/register",
                           json={"username": "benchweb", "password": "bench web password 1"})
        tokens.raise_for_status()
        headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
        for i in range(photos):
            http.post("/api/photos", headers=headers,
                      files={"file": (f"p{i}.jpg", make_image(i), "image/jpeg")},
                      data={"is_public": "true", "description": f"bench photo {i}"},
                      ).raise_for_status()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            items = http.get("/api/photos/mine", headers=headers,
                             params={"limit": 100}).json()["items"]
            if all(item["status"] == "ready" for item in items):
                return
            time.sleep(0.5)
        raise RuntimeError("renditions did not finish")


def median(values: list[float]) -> float:
    """The median, rounded to whole milliseconds / bytes."""
    return round(statistics.median(values))


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--backend-dir", type=Path, default=REPO,
                        help="checkout whose `mediahub up` to run (default: this one)")
    args = parser.parse_args()
    if not (DIST / "index.html").exists():
        subprocess.run(["npm", "run", "build"], cwd=WEB, check=True)

    tmp = Path(tempfile.mkdtemp(prefix="mediahub-bench-web-"))
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    up = subprocess.Popen(["uv", "run", "--frozen", "mediahub", "up", "--port", str(port),
                           "--data-dir", str(tmp / "data"), "--no-build-web"],
                          cwd=args.backend_dir, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    servers: list[QuietServer] = []
    try:
        wait_ready(api, timeout_s=180)
        seed(api, args.photos)
        targets = []
        for encoding in ("identity", "gzip", "br"):
            server = QuietServer(("127.0.0.1", 0),
                                 make_handler(load_dist(encoding), api))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            targets.append({"name": encoding,
                            "url": f"http://127.0.0.1:{server.server_address[1]}/"})
        probe = subprocess.run(
            ["node", str(REPO / "bench" / "web_probe.mjs"),
             json.dumps({"targets": targets, "profiles": PROFILES, "runs": args.runs})],
            capture_output=True, text=True, check=True, env={**os.environ})
        results = json.loads(probe.stdout)
    finally:
        for server in servers:
            server.shutdown()
        up.send_signal(2)  # SIGINT: the supervisor stops everything cleanly
        try:
            up.wait(60)
        except subprocess.TimeoutExpired:
            up.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    report(results, args)


def report(results: list[dict], args: argparse.Namespace) -> None:
    """Markdown tables: bytes on the wire and timings, ratios against identity."""
    by = {(r["profile"], r["target"]): r["runs"] for r in results}
    first = by[(PROFILES[0]["name"], "identity")][0]
    print(f"\nJavaScript on first load of the feed: {len(first['scripts'])} files "
          f"({', '.join(s['file'] for s in first['scripts'])})\n")
    print("| served as | JS on the wire (KB) | vs identity | CSS on the wire (KB) | vs identity |")
    print("|---|---|---|---|---|")
    base = by[(PROFILES[0]["name"], "identity")]
    for target in ("identity", "gzip", "br"):
        runs = by[(PROFILES[0]["name"], target)]
        js, css = median([r["jsEncoded"] for r in runs]), median([r["cssEncoded"] for r in runs])
        bjs, bcss = median([r["jsEncoded"] for r in base]), median([r["cssEncoded"] for r in base])
        print(f"| {target} | {js / 1024:.1f} | {js / bjs:.2f}x | {css / 1024:.1f} | "
              f"{css / bcss:.2f}x |")
    print()
    print(f"Cold loads, median of {args.runs} (ms); ratio = time / identity's time\n")
    print("| link | served as | first contentful paint | first placeholder | "
          "first thumbnail | thumbnail vs identity |")
    print("|---|---|---|---|---|---|")
    for profile in PROFILES:
        base_t = median([r["firstThumbMs"] for r in by[(profile["name"], "identity")]])
        for target in ("identity", "gzip", "br"):
            runs = by[(profile["name"], target)]
            thumb = median([r["firstThumbMs"] for r in runs])
            fcp = median([r["fcpMs"] for r in runs if r["fcpMs"] is not None] or [0])
            ph = median([r["firstPlaceholderMs"] for r in runs
                         if r["firstPlaceholderMs"] is not None] or [0])
            print(f"| {profile['name']} | {target} | {fcp} | {ph} | {thumb} | "
                  f"{thumb / base_t:.2f}x |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
