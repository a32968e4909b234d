"""What a file is, decided by its first bytes — never by the client's name or content type.

Sniffing is the gate at upload time; the worker still decodes every file fully (a file
that looks right but is not is caught there and ends as `failed`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import StrEnum

HEAD_BYTES = 4096  # enough for every signature below, including ISO-BMFF brand lists


class MediaKind(StrEnum):
    """The family a file belongs to; each has its own processing job."""

    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"


@dataclass(frozen=True)
class Sniffed:
    """A recognised format."""

    mime: str
    kind: MediaKind
    extension: str


JPEG = Sniffed("image/jpeg", MediaKind.IMAGE, "jpg")
PNG = Sniffed("image/png", MediaKind.IMAGE, "png")
GIF = Sniffed("image/gif", MediaKind.IMAGE, "gif")
WEBP = Sniffed("image/webp", MediaKind.IMAGE, "webp")
TIFF = Sniffed("image/tiff", MediaKind.IMAGE, "tiff")
HEIC = Sniffed("image/heic", MediaKind.IMAGE, "heic")
HEIF = Sniffed("image/heif", MediaKind.IMAGE, "heif")
AVIF = Sniffed("image/avif", MediaKind.IMAGE, "avif")
WAV = Sniffed("audio/wav", MediaKind.AUDIO, "wav")
MP3 = Sniffed("audio/mpeg", MediaKind.AUDIO, "mp3")
AAC = Sniffed("audio/aac", MediaKind.AUDIO, "aac")
FLAC = Sniffed("audio/flac", MediaKind.AUDIO, "flac")
OGG = Sniffed("audio/ogg", MediaKind.AUDIO, "ogg")
M4A = Sniffed("audio/mp4", MediaKind.AUDIO, "m4a")
MP4 = Sniffed("video/mp4", MediaKind.VIDEO, "mp4")
MOV = Sniffed("video/quicktime", MediaKind.VIDEO, "mov")
WEBM = Sniffed("video/webm", MediaKind.VIDEO, "webm")
MKV = Sniffed("video/x-matroska", MediaKind.VIDEO, "mkv")

IMAGE_FORMATS = frozenset({JPEG, PNG, GIF, WEBP, TIFF, HEIC, HEIF, AVIF})
AUDIO_VIDEO_FORMATS = frozenset({WAV, MP3, AAC, FLAC, OGG, M4A, MP4, MOV, WEBM, MKV})

_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"}
_AVIF_BRANDS = {b"avif", b"avis"}
_HEIF_BRANDS = {b"mif1", b"msf1"}
_AUDIO_MP4_BRANDS = {b"M4A ", b"M4B ", b"F4A "}
_VIDEO_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
                     b"dash", b"M4V ", b"MSNV", b"3gp4", b"3gp5", b"3g2a", b"F4V "}


def sniff(head: bytes) -> Sniffed | None:
    """Identify a file from its first bytes (pass at least HEAD_BYTES when available)."""
    for check in (_simple_signatures, _riff, _iso_bmff, _matroska, _mpeg_audio):
        found = check(head)
        if found is not None:
            return found
    return None


def _simple_signatures(head: bytes) -> Sniffed | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"OggS"):
        return OGG
    return None


def _riff(head: bytes) -> Sniffed | None:
    if len(head) < 12 or not head.startswith(b"RIFF"):
        return None
    return {b"WEBP": WEBP, b"WAVE": WAV}.get(head[8:12])


def _iso_bmff(head: bytes) -> Sniffed | None:
    """MP4/MOV/HEIF/AVIF: an `ftyp` box with a major brand and compatible brands."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    size = struct.unpack(">I", head[:4])[0]
    if size < 16:
        return None
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    major = head[8:12]
    if major in _AVIF_BRANDS or (major in _HEIF_BRANDS and brands & _AVIF_BRANDS):
        return AVIF
    if major in _HEIC_BRANDS or (major in _HEIF_BRANDS and brands & _HEIC_BRANDS):
        return HEIC
    if major in _HEIF_BRANDS:
        return HEIF
    if major == b"qt  ":
        return MOV
    if major in _AUDIO_MP4_BRANDS:
        return M4A
    if major in _VIDEO_MP4_BRANDS or brands & _VIDEO_MP4_BRANDS:
        return MP4
    return None


def _matroska(head: bytes) -> Sniffed | None:
    if not head.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    # The EBML header names the document type; "webm" is the WebM subset of Matroska.
    return WEBM if b"webm" in head[:64] else MKV


def _mpeg_audio(head: bytes) -> Sniffed | None:
    if head.startswith(b"ID3"):
        return MP3
    if len(head) < 2 or head[0] != 0xFF:
        return None
    second = head[1]
    if second & 0xF6 == 0xF0:  # ADTS: sync word 0xFFF, layer bits 00
        return AAC
    if second & 0xE0 == 0xE0 and second & 0x06 != 0:  # MPEG audio frame sync, layer I-III
        return MP3
    return None
