"""Run the frontend's nginx config for real and probe it (scripts/check-deploy, step nginx).

Runs inside a private network and mount namespace made by scripts/check-deploy, where `api`
resolves to 127.0.0.1 and /usr/share/nginx/html is the freshly built web app, so the config
under test is exactly what the image renders. A stub API on 127.0.0.1:8000 records what nginx
forwards. Checked: static caching, SPA fallback, gzip, security headers identical to the API's
(computed by mediahub.core.security from the same settings), /api and /v1 proxying with
X-Forwarded-*, the upload limit (on both), streaming uploads, and the /api/ws WebSocket upgrade.
/v1's long read timeout is checked on the rendered config by scripts/check-deploy.

Usage: python nginx_probe.py --conf NGINX_CONF --pid PIDFILE --max-upload BYTES
                             --frame-ancestors … --script-sources … [--trusted-proxy]
Needs the API's virtual environment (imports mediahub). Exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

NGINX = ("127.0.0.1", 8080)
STUB = ("127.0.0.1", 8000)
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
failures: list[str] = []


def check(ok: bool, what: str) -> None:
    """Print and record one check."""
    print(f"  {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)


class StubAPI(BaseHTTPRequestHandler):
    """Answers every request with what it received (method, path, headers, body size)."""

    protocol_version = "HTTP/1.1"
    sync_delay_s = 2.0

    def log_message(self, *args: object) -> None:  # quiet
        return

    def _body_size(self) -> int:
        size = 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                length = int(self.rfile.readline().split(b";")[0], 16)
                if length == 0:
                    self.rfile.readline()
                    break
                size += len(self.rfile.read(length))
                self.rfile.readline()
        else:
            remaining = int(self.headers.get("Content-Length") or 0)
            while remaining:
                chunk = self.rfile.read(min(remaining, 65536))
                if not chunk:
                    break
                size += len(chunk)
                remaining -= len(chunk)
        return size

    def _answer(self) -> None:
        if self.path == "/api/ws" and self.headers.get("Upgrade", "").lower() == "websocket":
            self._websocket()
            return
        body = json.dumps({
            "method": self.command, "path": self.path, "headers": dict(self.headers.items()),
            "body_bytes": self._body_size(),
        }).encode()
        if self.path == "/v1/audio/transcriptions":
            time.sleep(self.sync_delay_s)  # the synchronous endpoint answers when done
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815

    def _websocket(self) -> None:
        key = self.headers["Sec-WebSocket-Key"]
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()  # noqa: S324
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        message = json.dumps({"connection": self.headers.get("Connection")}).encode()
        self.wfile.write(bytes([0x81, len(message)]) + message)  # one unmasked text frame
        self.wfile.flush()
        self.close_connection = True


def request(method: str, path: str, headers: dict[str, str] | None = None,
            body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request to nginx; headers lower-cased (repeated ones joined with ' | ')."""
    conn = http.client.HTTPConnection(*NGINX, timeout=20)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        merged: dict[str, str] = {}
        for name, value in resp.getheaders():
            key = name.lower()
            merged[key] = f"{merged[key]} | {value}" if key in merged else value
        return resp.status, merged, resp.read()
    finally:
        conn.close()


def api_policy(frame_ancestors: str, script_sources: str) -> dict[str, str]:
    """The headers the API itself sends, from mediahub's code and the same two settings."""
    os.environ.update({
        "MEDIAHUB_MODE": "local", "DATABASE_URL": "postgresql://u:p@h/db",
        "REDIS_URL": "redis://h:6379/0", "STORAGE_URL": "file:///tmp/x",
        "FRAME_ANCESTORS": frame_ancestors, "CSP_SCRIPT_SOURCES": script_sources,
    })
    from mediahub.config import Settings
    from mediahub.core.security import SecurityHeadersMiddleware

    middleware = SecurityHeadersMiddleware(app=None, settings=Settings())  # type: ignore[arg-type]
    return {k.decode(): v.decode() for k, v in middleware.headers}


def wait_for(address: tuple[str, int], seconds: float = 10) -> bool:
    """Whether something listens on `address` within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(address, timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def probe(args: argparse.Namespace, html_root: Path) -> None:
    """Every check against the running nginx."""
    expected = api_policy(args.frame_ancestors, args.script_sources)

    print("- web app")
    status, headers, body = request("GET", "/")
    check(status == 200 and b'<div id="root">' in body, "GET / serves index.html")
    check(headers.get("cache-control") == "no-cache", "index.html: Cache-Control no-cache")
    for name, value in expected.items():
        check(headers.get(name) == value, f"{name} identical to the API's")
    check("x-frame-options" not in headers, "no X-Frame-Options (MAX must be able to frame us)")
    check("strict-transport-security" not in headers, "no HSTS from nginx (the TLS proxy's job)")
    check(headers.get("server") == "nginx", "Server header without version")

    status, headers, body = request("GET", "/gallery/42/details?tab=history")
    check(status == 200 and b'<div id="root">' in body and
          headers.get("cache-control") == "no-cache", "deep link falls back to index.html")

    assets = sorted((html_root / "assets").glob("*.js"), key=lambda p: p.stat().st_size)
    asset = assets[-1].name
    status, headers, body = request("GET", f"/assets/{asset}", {"Accept-Encoding": "gzip"})
    check(status == 200, f"GET /assets/{asset}")
    check(headers.get("cache-control") == "public, max-age=31536000, immutable",
          "hashed asset: one-year immutable cache")
    check(headers.get("content-encoding") == "gzip" and
          gzip.decompress(body) == (html_root / "assets" / asset).read_bytes(),
          "asset gzip-compressed, decompresses to the file")
    check("javascript" in headers.get("content-type", ""), "asset has a JavaScript type")
    check(headers.get("content-security-policy") == expected["content-security-policy"],
          "asset carries the CSP too")
    status, _, _ = request("GET", "/assets/does-not-exist-0000.js")
    check(status == 404, "missing asset is 404, not the SPA")

    print("- /api proxy")
    status, headers, body = request("GET", "/api/health?x=1",
                                    {"X-Forwarded-For": "198.51.100.9", "Host": "media.test"})
    seen = json.loads(body) if status == 200 else {}
    seen_headers = {k.lower(): v for k, v in seen.get("headers", {}).items()}
    check(status == 200 and seen.get("path") == "/api/health?x=1", "GET /api/… reaches the API")
    client = "198.51.100.9" if args.trusted_proxy else "127.0.0.1"
    check(seen_headers.get("x-forwarded-for") == client,
          f"X-Forwarded-For is exactly the client ({client}; "
          f"{'from the trusted proxy' if args.trusted_proxy else 'a forged one is dropped'})")
    check(seen_headers.get("x-real-ip") == client, "X-Real-IP set")
    check(seen_headers.get("x-forwarded-proto") == "http", "X-Forwarded-Proto set")
    check(seen_headers.get("host") == "media.test" and
          seen_headers.get("x-forwarded-host") == "media.test", "Host passed through")
    check("content-security-policy" not in headers and "cache-control" not in headers,
          "nginx adds no headers to API responses (the API sets its own)")
    status, _, body = request("GET", "/api/health", {"X-Forwarded-Proto": "https"})
    check(status == 200 and json.loads(body)["headers"].get("X-Forwarded-Proto") == "https",
          "X-Forwarded-Proto https from a TLS proxy is kept")
    status, _, body = request("GET", "/api")
    check(status == 200 and json.loads(body)["path"] == "/api", "/api itself goes to the API")

    print("- /v1 proxy (the OpenAI-compatible API)")
    status, headers, body = request("GET", "/v1/models", {"X-Forwarded-For": "198.51.100.9"})
    seen = json.loads(body) if status == 200 else {}
    check(status == 200 and seen.get("path") == "/v1/models",
          "GET /v1/… reaches the API, not the web app")
    check(seen.get("headers", {}).get("X-Forwarded-For") == client,
          f"/v1: X-Forwarded-For is exactly the client ({client})")
    check("content-security-policy" not in headers, "/v1: nginx adds no headers")
    boundary = "mediahubprobe"
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
            f"whisper-1\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f'filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n').encode()
    form += b"w" * (args.max_upload - 4096) + f"\r\n--{boundary}--\r\n".encode()
    started = time.monotonic()
    status, _, body = request("POST", "/v1/audio/transcriptions",
                              {"Content-Type": f"multipart/form-data; boundary={boundary}"}, form)
    waited = time.monotonic() - started
    check(status == 200 and json.loads(body)["body_bytes"] == len(form) and
          waited >= StubAPI.sync_delay_s,
          f"POST /v1/audio/transcriptions: {len(form)}-byte multipart reaches the API whole; "
          f"an answer after {StubAPI.sync_delay_s:.0f} s of silence is relayed")
    status, _, _ = request("POST", "/v1/audio/transcriptions",
                           {"Content-Type": "application/octet-stream"},
                           b"x" * (args.max_upload + 2 * 1024 * 1024))
    check(status == 413, "/v1: upload over the limit refused by nginx (413)")

    print("- uploads")
    limit = args.max_upload
    size = limit + 512 * 1024  # over MAX_UPLOAD_BYTES but within the framing allowance
    status, _, body = request("POST", "/api/media", {"Content-Type": "application/octet-stream"},
                              b"x" * size)
    check(status == 200 and json.loads(body)["body_bytes"] == size,
          f"{size}-byte upload reaches the API whole (the API enforces the exact limit)")
    too_big = limit + 2 * 1024 * 1024
    status, _, _ = request("POST", "/api/media", {"Content-Type": "application/octet-stream"},
                           b"x" * too_big)
    check(status == 413, f"{too_big}-byte upload refused by nginx (413)")
    # Streaming: with request buffering off nginx forwards a chunked body as it arrives.
    conn = http.client.HTTPConnection(*NGINX, timeout=20)
    conn.putrequest("POST", "/api/media")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    for _ in range(4):
        conn.send(b"10000\r\n" + b"y" * 0x10000 + b"\r\n")
    conn.send(b"0\r\n\r\n")
    resp = conn.getresponse()
    got = json.loads(resp.read()) if resp.status == 200 else {}
    conn.close()
    check(resp.status == 200 and got.get("body_bytes") == 4 * 0x10000 and
          got["headers"].get("Transfer-Encoding") == "chunked",
          "chunked upload streamed to the API unbuffered (still chunked upstream)")

    print("- WebSocket /api/ws")
    sock = socket.create_connection(NGINX, timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /api/ws HTTP/1.1\r\nHost: media.test\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()  # noqa: S324
    check(head.startswith(b"HTTP/1.1 101") and accept.encode() in head,
          "upgrade answered 101 with the API's Sec-WebSocket-Accept")
    while len(rest) < 2 or len(rest) < 2 + rest[1]:
        chunk = sock.recv(4096)
        if not chunk:
            break
        rest += chunk
    frame = json.loads(rest[2:2 + rest[1]]) if len(rest) >= 2 else {}
    sock.close()
    check(str(frame.get("connection", "")).lower() == "upgrade",
          "frame relayed from the API; the API saw Connection: upgrade")


def main() -> int:
    """Start the stub API and nginx, probe, stop both."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--conf", required=True)
    parser.add_argument("--pid", required=True)
    parser.add_argument("--max-upload", type=int, required=True)
    parser.add_argument("--frame-ancestors", required=True)
    parser.add_argument("--script-sources", required=True)
    parser.add_argument("--html-root", default="/usr/share/nginx/html")
    parser.add_argument("--trusted-proxy", action="store_true")
    args = parser.parse_args()

    stub = ThreadingHTTPServer(STUB, StubAPI)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    log = open(Path(args.pid).with_suffix(".log"), "w")  # noqa: SIM115
    nginx = subprocess.Popen(
        ["nginx", "-c", args.conf, "-g", f"daemon off; pid {args.pid};"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        if not wait_for(NGINX):
            check(False, "nginx starts and listens on 8080")
        else:
            check(True, "nginx starts and listens on 8080")
            probe(args, Path(args.html_root))
    except Exception as exc:  # noqa: BLE001 - report, then fail
        check(False, f"probe crashed: {type(exc).__name__}: {exc}")
    finally:
        nginx.terminate()
        try:
            nginx.wait(10)
        except subprocess.TimeoutExpired:
            nginx.kill()
        stub.shutdown()
        log.close()
    if failures:
        print(Path(args.pid).with_suffix(".log").read_text()[-3000:])
        print(f"{len(failures)} nginx check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
