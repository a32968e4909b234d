"""Hostile files: pixel and decompression bombs through a real worker, polyglot uploads.

Bombs must end as `failed` with a reason (never a crashed or swollen worker, never stored
renditions). Polyglots (a real image with HTML/JS appended) are stored as the image they
start with and only ever served with the sniffed image type plus `nosniff`; an HTML file
that merely claims to be a JPEG is refused.
"""

from __future__ import annotations

import io
import struct
import zlib

import psutil
import pytest
from PIL import Image

from tests.support.accounts import user
from tests.support.photos import jpeg, wait_until_processed

pytestmark = pytest.mark.slow

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(width: int, height: int, idat: bytes, extra: bytes = b"", depth: int = 8,
         color: int = 2) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + extra + _chunk(b"IDAT", idat)
            + _chunk(b"IEND", b""))


def _declared_giant_png() -> bytes:
    """50,000 × 50,000 declared in 100 bytes (7.5 GB of RGB if decoded)."""
    return _png(50_000, 50_000, zlib.compress(b"\0" * 1024))


def _real_1bit_bomb() -> bytes:
    """A genuinely decodable 1-bit 20,000 × 20,000 PNG: 400 MP, ~50 kB compressed."""
    row = b"\0" + b"\0" * (20_000 // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(20_000)) + compressor.flush()
    return _png(20_000, 20_000, data, depth=1, color=0)


def _text_chunk_bomb() -> bytes:
    """A small, valid 64 × 64 PNG carrying a zTXt chunk that inflates to 200 MB."""
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(out, "PNG")
    png = out.getvalue()
    compressor = zlib.compressobj(9)
    blob = b"".join(compressor.compress(b"A" * 1024 * 1024) for _ in range(200))
    ztxt = _chunk(b"zTXt", b"Comment\0\0" + blob + compressor.flush())
    return png[:33] + ztxt + png[33:]  # right after IHDR


def _giant_jpeg_header() -> bytes:
    """A real JPEG whose SOF0 claims 65,000 × 65,000."""
    data = bytearray(jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", 65_000, 65_000)
    return bytes(data)


def _giant_gif() -> bytes:
    """A GIF whose logical screen and one frame claim 65,535 × 65,535."""
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", 65_535, 65_535)
    image_descriptor = data.index(b"\x2c")
    data[image_descriptor + 5:image_descriptor + 9] = struct.pack("<HH", 65_535, 65_535)
    return bytes(data)


async def test_bombs_fail_cleanly_in_a_real_worker(client, start_worker) -> None:  # noqa: ANN001
    worker = start_worker()
    auth = await user(client, "bomber")
    bombs = {"declared-giant.png": _declared_giant_png(), "1bit-400mp.png": _real_1bit_bomb(),
             "giant.jpg": _giant_jpeg_header(), "giant.gif": _giant_gif()}
    ids = {}
    for i, (name, data) in enumerate(bombs.items()):
        response = await client.post("/api/photos", headers=auth, data={"description": str(i)},
                                     files={"file": (name, data, "application/octet-stream")})
        assert response.status_code == 201, (name, response.text)  # sniffed as an image
        ids[name] = response.json()["id"]
    peak = 0
    for name, photo_id in ids.items():
        done = await wait_until_processed(client, auth, photo_id, timeout=90)
        assert done["status"] == "failed", (name, done)
        assert done["error"] and ("too large" in done["error"] or "decode" in done["error"]), \
            (name, done["error"])
        assert done["urls"]["thumb"] is None and done["urls"]["preview"] is None
        peak = max(peak, _tree_rss(worker.pid))
    assert worker.proc.poll() is None, worker.output()[-3000:]
    assert peak < 1_500 * 1024**2, f"worker RSS reached {peak / 1024**2:.0f} MiB"


async def test_text_chunk_bomb_is_bounded(client, start_worker) -> None:  # noqa: ANN001
    """Pillow caps decompressed PNG text chunks (MAX_TEXT_CHUNK): the photo renders fine."""
    worker = start_worker()
    auth = await user(client, "texter")
    data = _text_chunk_bomb()
    assert len(data) < 1024 * 1024
    response = await client.post("/api/photos", headers=auth,
                                 files={"file": ("text.png", data, "image/png")})
    assert response.status_code == 201, response.text
    done = await wait_until_processed(client, auth, response.json()["id"], timeout=90)
    assert done["status"] in ("ready", "failed"), done
    assert worker.proc.poll() is None
    assert _tree_rss(worker.pid) < 1_500 * 1024**2


def _tree_rss(pid: int) -> int:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


@pytest.mark.parametrize(("payload", "mime"), [
    (jpeg() + HTML, "image/jpeg"),
    (jpeg() + b"PK\x03\x04" + HTML, "image/jpeg"),  # JPEG + zip (a "GIFAR"-style polyglot)
])
async def test_image_with_html_appended_is_served_only_as_the_image(client, payload: bytes,
                                                                     mime: str) -> None:
    auth = await user(client, "polyglot")
    response = await client.post("/api/photos", headers=auth,
                                 files={"file": ("evil.html", payload, "text/html")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["mime"] == mime
    assert body["original_filename"] == "evil.html"  # display metadata only
    served = await client.get(body["urls"]["original"])
    assert served.status_code == 200 and served.content == payload
    assert served.headers["content-type"] == mime
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "html" not in served.headers["content-type"]
    disposition = served.headers.get("content-disposition", "")
    assert ".html" not in disposition or "attachment" in disposition, disposition


@pytest.mark.parametrize("payload", [
    HTML,
    b"\xef\xbb\xbf" + HTML,  # BOM first
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
], ids=["html", "html-bom", "svg"])
async def test_html_or_script_named_jpg_is_refused(client, payload: bytes) -> None:
    auth = await user(client, "renamer")
    response = await client.post("/api/photos", headers=auth,
                                 files={"file": ("cat.jpg", payload, "image/jpeg")})
    assert response.status_code in (400, 415), response.text
    assert (await client.get("/api/photos/mine", headers=auth)).json()["items"] == []


@pytest.mark.parametrize(("payload", "mime"), [
    (b"GIF89a/*" + b"\0" * 8 + b"*/=1;alert(1)//", "image/gif"),  # GIF magic, JavaScript body
    (b"\xff\xd8\xff", "image/jpeg"),  # a JPEG signature and nothing else
], ids=["gif-js", "jpeg-magic-only"])
async def test_image_signature_with_script_body_is_never_served_as_script(
        client, payload: bytes, mime: str) -> None:
    """Upload sniffs the signature only (the worker's decode then fails it); what is stored
    is served with the image type and nosniff, so a browser never runs it as a script."""
    auth = await user(client, "sigonly")
    response = await client.post("/api/photos", headers=auth,
                                 files={"file": ("x.js", payload, "application/javascript")})
    assert response.status_code == 201, response.text
    served = await client.get(response.json()["urls"]["original"])
    assert served.headers["content-type"] == mime
    assert served.headers["x-content-type-options"] == "nosniff"
