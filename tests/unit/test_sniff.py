"""Content sniffing: real files recognised, lookalikes and non-media refused."""

from __future__ import annotations

import io
import struct
import wave

import pytest
from PIL import Image

from mediahub.media import sniff as s


def _image(fmt: str, **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, fmt, **save)
    return out.getvalue()


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x00" * 1600)
    return out.getvalue()


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + b"\x00" * 64


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_image("JPEG"), s.JPEG),
        (_image("PNG"), s.PNG),
        (_image("GIF"), s.GIF),
        (_image("WEBP"), s.WEBP),
        (_image("TIFF"), s.TIFF),
        (_wav(), s.WAV),
        (_ftyp(b"heic", b"mif1", b"heic"), s.HEIC),
        (_ftyp(b"mif1", b"mif1", b"heic"), s.HEIC),
        (_ftyp(b"mif1", b"mif1", b"miaf"), s.HEIF),
        (_ftyp(b"avif", b"avif", b"mif1"), s.AVIF),
        (_ftyp(b"mif1", b"avif"), s.AVIF),
        (_ftyp(b"isom", b"isom", b"avc1"), s.MP4),
        (_ftyp(b"M4A ", b"M4A ", b"mp42"), s.M4A),
        (_ftyp(b"qt  ", b"qt  "), s.MOV),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 32, s.WEBM),
        (b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska" + b"\x00" * 32, s.MKV),
        (b"fLaC\x00\x00\x00\x22" + b"\x00" * 40, s.FLAC),
        (b"OggS\x00\x02" + b"\x00" * 40, s.OGG),
        (b"ID3\x04\x00\x00" + b"\x00" * 40, s.MP3),
        (b"\xff\xfb\x90\x64" + b"\x00" * 40, s.MP3),
        (b"\xff\xf1\x50\x80" + b"\x00" * 40, s.AAC),
    ],
    ids=lambda v: v.extension if isinstance(v, s.Sniffed) else None,
)
def test_recognises_formats(data: bytes, expected: s.Sniffed) -> None:
    assert s.sniff(data[: s.HEAD_BYTES]) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<script>alert(1)</script>",
        b"%PDF-1.7\n",
        b"PK\x03\x04" + b"\x00" * 30,
        b"\x7fELF\x02\x01\x01",
        b"RIFF\x00\x00\x00\x00AVI ",
        b"\x00\x00\x00\x08ftyp",  # box too small to carry a brand
        b"\x00\x00\x00\x18ftypzzzz\x00\x00\x00\x00zzzzzzzz",
        b"\xff\xd8",  # truncated JPEG marker
        b"plain text, even if the client calls it photo.jpg",
    ],
)
def test_refuses_non_media(data: bytes) -> None:
    assert s.sniff(data) is None


def test_image_and_audio_video_sets_do_not_overlap() -> None:
    assert not s.IMAGE_FORMATS & s.AUDIO_VIDEO_FORMATS
    assert {f.kind for f in s.IMAGE_FORMATS} == {s.MediaKind.IMAGE}
