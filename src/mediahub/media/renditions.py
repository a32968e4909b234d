"""Renditions of an uploaded photo: a preview, a thumbnail, a ThumbHash placeholder and the
few facts we keep (size, capture time, camera). Decisions: docs/decisions/0008-renditions.md.

Pure and synchronous — no database, storage or event loop; the worker runs `render` in a
thread. The decoder is chosen by the file's first bytes (`sniff`), never by its name, and
the image is decoded once, already shrunk where the format allows (JPEG DCT scaling).
"""

from __future__ import annotations

import base64
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

import thash
from PIL import Image, features

from mediahub.media import exif
from mediahub.media.sniff import (
    AVIF,
    GIF,
    HEAD_BYTES,
    HEIC,
    HEIF,
    JPEG,
    PNG,
    TIFF,
    WEBP,
    Sniffed,
    sniff,
)

try:  # Pillow may be built without LittleCMS; then profiles are dropped, not converted.
    from PIL import ImageCms
except ImportError:  # pragma: no cover - every wheel we install ships LittleCMS
    ImageCms = None  # type: ignore[assignment]

WEBP_QUALITY = 80
# libwebp's method (0-6) trades encode time for size. Measured (ADR 0008): 1 encodes a
# 1440 px preview 3-4x faster than the default 4; files are within ±6% at the same quality.
WEBP_METHOD = 1
JPEG_QUALITY = 85
MAX_THUMB_ASPECT = 3  # longer thumbnail side at most 3x the shorter; panoramas are cropped
PLACEHOLDER_SAMPLE = 32  # ThumbHash keeps <= 7 frequencies per axis; 32 px is plenty

# Pillow decoders allowed for each sniffed format: exactly one is tried, so a polyglot
# can't be routed to an unexpected plugin (EPS would even start Ghostscript).
_PIL_FORMATS: dict[Sniffed, tuple[str, ...]] = {
    JPEG: ("JPEG", "MPO"),  # phones write MPO (JPEG + depth/preview frames)
    PNG: ("PNG",),
    GIF: ("GIF",),
    WEBP: ("WEBP",),
    TIFF: ("TIFF",),
    HEIC: ("HEIF",),
    HEIF: ("HEIF",),
    AVIF: ("AVIF",),  # Pillow's own plugin (libavif is in its wheels since 11.3)
}

# What a corrupt or hostile file makes Pillow's plugins raise while opening or decoding.
_DECODE_ERRORS = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,  # Pillow's plugins signal malformed headers with it
    ValueError,
    TypeError,
    EOFError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    RuntimeError,  # libheif errors
    struct.error,
)

# ImageOps.exif_transpose's table; applied by hand so it runs on the shrunk image.
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_WEBP_AVAILABLE = features.check("webp")
_heif_lock = threading.Lock()
_heif_registered = False


class ImageRejected(Exception):
    """The file is not an image we can render; the message is safe to show the uploader."""


@dataclass(frozen=True)
class RenditionFile:
    """One written rendition."""

    path: Path
    mime: str
    width: int
    height: int
    size: int


@dataclass(frozen=True)
class Renditions:
    """What `render` produced and learned about the photo."""

    width: int  # of the original, after EXIF orientation
    height: int
    taken_at: datetime | None  # always aware; UTC wall clock when the camera gave no offset
    camera_make: str | None
    camera_model: str | None
    orientation_applied: bool
    placeholder: str  # ThumbHash, standard base64
    thumb: RenditionFile
    preview: RenditionFile

    @property
    def camera(self) -> str | None:
        """Make and model as one label, without repeating the make ("Canon Canon EOS R5")."""
        make, model = self.camera_make, self.camera_model
        if make and model and model.lower().startswith(make.split()[0].lower()):
            return model
        return " ".join(part for part in (make, model) if part) or None


@dataclass(frozen=True)
class _Decoded:
    image: Image.Image  # decoded, possibly already shrunk on load; not yet oriented
    width: int  # of the original file, before orientation
    height: int
    exif: Image.Exif
    icc_profile: bytes | None
    pre_oriented: bool  # the decoder itself applied an orientation (TIFF, HEIF)


def render(source: Path, workdir: Path, *, thumb_size: int = 256, preview_size: int = 1440,
           max_pixels: int = 100_000_000) -> Renditions:
    """Decode `source` once and write `preview` and `thumb` renditions into `workdir`."""
    decoded = _decode(source, preview_size, max_pixels)
    orientation = exif.orientation(decoded.exif)
    with _rejecting_bad_input():  # e.g. a colour mode no conversion exists for
        preview = _preview(decoded, orientation, preview_size)
    thumb = _thumbnail(preview, thumb_size)
    width, height = decoded.width, decoded.height
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    camera_make, camera_model = exif.camera(decoded.exif)
    return Renditions(
        width=width,
        height=height,
        taken_at=exif.taken_at(decoded.exif),
        camera_make=camera_make,
        camera_model=camera_model,
        orientation_applied=decoded.pre_oriented or orientation in _TRANSPOSE,
        placeholder=_placeholder(thumb),
        thumb=_save(thumb, workdir / "thumb"),
        preview=_save(preview, workdir / "preview"),
    )


def placeholder_to_image(placeholder: str, size: int = 32) -> Image.Image:
    """Decode a ThumbHash placeholder to a small RGBA image (for tests and tooling)."""
    width, height, rgba = thash.thumb_hash_to_rgba(base64.b64decode(placeholder),
                                                   base_size=size)
    return Image.frombytes("RGBA", (width, height), rgba)


# --- decoding -------------------------------------------------------------------------


def _decode(source: Path, preview_size: int, max_pixels: int) -> _Decoded:
    """Open by sniffed format, refuse bombs before decoding, decode once (shrunk on load)."""
    with source.open("rb") as fh:  # a missing file is our problem, not the uploader's
        formats = _pil_formats(fh.read(HEAD_BYTES))
        fh.seek(0)
        with _rejecting_bad_input():
            image = Image.open(fh, formats=formats)
            width, height = image.size
            if width * height > max_pixels:
                raise ImageRejected(f"image is too large: {width}×{height} pixels")
            # JPEG decodes at 1/2, 1/4 or 1/8 scale for free; draft never goes below the
            # requested size, so the preview is still downscaled, never upscaled.
            image.draft(None, _fit_size(width, height, preview_size))
            pre_oriented = _decoder_orients(image)
            image.load()
        return _Decoded(image, width, height, exif.read_exif(image), image.info.get("icc_profile"),
                        pre_oriented)


def _decoder_orients(image: Image.Image) -> bool:
    """Whether decoding will orient the pixels itself (and then drop the orientation tag)."""
    if image.format == "TIFF":  # Pillow transposes in load() and reports the upright size
        return image.tag_v2.get(exif.ORIENTATION_TAG) in _TRANSPOSE  # type: ignore[attr-defined]
    # pillow-heif: libheif applies irot/imir and the tag is reset to 1.
    return image.info.get("original_orientation") in _TRANSPOSE


def _pil_formats(head: bytes) -> tuple[str, ...]:
    """The Pillow decoder(s) for this file's signature; anything else is rejected."""
    sniffed = sniff(head)
    if sniffed not in _PIL_FORMATS:
        raise ImageRejected("not a supported image (JPEG, PNG, GIF, WebP, TIFF, HEIC, AVIF)")
    if sniffed in (HEIC, HEIF):
        _register_heif()
    return _PIL_FORMATS[sniffed]


def _register_heif() -> None:
    """Teach Pillow HEIC/HEIF once, when the first such file arrives (thread-safe)."""
    global _heif_registered
    with _heif_lock:
        if not _heif_registered:
            import pillow_heif

            pillow_heif.register_heif_opener()
            _heif_registered = True


@contextmanager
def _rejecting_bad_input() -> Iterator[None]:
    """Turn whatever a decoder raises on a bad file into ImageRejected with a readable reason."""
    try:
        yield
    except ImageRejected:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageRejected(f"image is too large: {exc}") from exc
    except _DECODE_ERRORS as exc:
        reason = str(exc).strip() or type(exc).__name__
        if "truncated" in reason:
            reason = "the file is truncated"
        raise ImageRejected(f"cannot decode image: {reason}") from exc


# --- pixels ---------------------------------------------------------------------------


def _preview(decoded: _Decoded, orientation: int, box: int) -> Image.Image:
    """Shrink, orient and colour-convert the decoded image; frees the full decode early."""
    preview = _fit(_working_mode(decoded.image), box)
    # convert/resize copy `info` (EXIF, ICC, XMP); drop it so nothing downstream — a saver,
    # thash's own exif_transpose — reads the original's metadata again.
    preview.info = {}
    if preview is not decoded.image:
        decoded.image.close()  # free the full decode now, not when render returns
    if orientation in _TRANSPOSE:
        preview = preview.transpose(_TRANSPOSE[orientation])  # cheaper after the shrink
    return _final_mode(_to_srgb(preview, decoded.icc_profile))


def _fit_size(width: int, height: int, box: int) -> tuple[int, int]:
    """Size that fits in a `box`-square keeping aspect; never larger than the input."""
    scale = min(1.0, box / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _fit(image: Image.Image, box: int) -> Image.Image:
    """Downscale into a `box`-square (the box is square, so orientation does not matter)."""
    size = _fit_size(*image.size, box)
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _working_mode(image: Image.Image) -> Image.Image:
    """Bring exotic modes to one that resizes well; RGB(A), L(A) and CMYK pass unchanged."""
    mode = image.mode
    if mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return image
    if mode in ("P", "PA", "RGBa", "La"):
        return image.convert("RGBA")  # palette transparency becomes real alpha
    if mode.startswith("I;16"):  # convert("L") would clip at 255, not scale
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if mode in ("I", "F"):  # no fixed range (scientific TIFFs): stretch what is there
        low, high = image.getextrema()  # type: ignore[misc]
        if high > low:
            return image.point(lambda v: (v - low) * (255 / (high - low))).convert("L")
        return image.convert("L")
    return image.convert("RGB")  # 1, RGBX, YCbCr, LAB, HSV, ...


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert pixels from the embedded profile to sRGB, since renditions carry no profile."""
    if icc_profile and ImageCms is not None and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
            if not _is_srgb(source):
                mode = "RGBA" if image.mode == "RGBA" else "RGB"
                return ImageCms.profileToProfile(image, source, _srgb(), outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile is dropped: colours as stored beat a failed upload
    if image.mode == "CMYK":
        return image.convert("RGB")  # no usable profile: Pillow's naive CMYK inversion
    return image


def _srgb() -> ImageCms.ImageCmsProfile:
    """The target profile, built per call so no LittleCMS handle is shared between threads."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    """Skip the (no-op) transform for the ubiquitous camera sRGB profile."""
    description = ImageCms.getProfileDescription(profile) or ""
    return description.strip().lower().startswith("srgb")


def _final_mode(image: Image.Image) -> Image.Image:
    """RGB, or RGBA only when some pixel is actually transparent (smaller WebP otherwise)."""
    if image.mode in ("RGBA", "LA"):
        if image.getchannel("A").getextrema()[0] < 255:  # type: ignore[index]
            return image.convert("RGBA")
        return image.convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def _thumbnail(preview: Image.Image, size: int) -> Image.Image:
    """Short side `size` (never upscaled), panoramas centre-cropped to MAX_THUMB_ASPECT:1."""
    width, height = preview.size
    scale = min(1.0, size / min(width, height))
    thumb = preview
    if scale < 1:
        target = (max(1, round(width * scale)), max(1, round(height * scale)))
        # reducing_gap=2: a box pre-shrink first, then Lanczos; visually the same, 2x faster.
        thumb = preview.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
    return _crop_panorama(thumb)


def _crop_panorama(image: Image.Image) -> Image.Image:
    """Centre-crop the long side to MAX_THUMB_ASPECT x the short one: grid cells stay sane."""
    width, height = image.size
    limit = min(width, height) * MAX_THUMB_ASPECT
    if width > limit:
        left = (width - limit) // 2
        return image.crop((left, 0, left + limit, height))
    if height > limit:
        top = (height - limit) // 2
        return image.crop((0, top, width, top + limit))
    return image


def _placeholder(thumb: Image.Image) -> str:
    """ThumbHash of the thumbnail, base64: ~25-35 characters, decodable in the browser."""
    sample = thumb.convert("RGBA")
    sample.thumbnail((PLACEHOLDER_SAMPLE, PLACEHOLDER_SAMPLE), Image.Resampling.BOX)
    hashed = thash.rgba_to_thumb_hash(sample.width, sample.height, list(sample.tobytes()))
    return base64.b64encode(bytes(hashed)).decode("ascii")


def _save(image: Image.Image, stem: Path) -> RenditionFile:
    """Write WebP (JPEG only if this Pillow lacks WebP) with no metadata at all."""
    image.info = {}  # belt and braces: some savers default to the image's own metadata
    if _WEBP_AVAILABLE:
        path, mime = stem.with_suffix(".webp"), WEBP.mime
        image.save(path, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    else:
        path, mime = stem.with_suffix(".jpg"), JPEG.mime
        _flatten(image).save(path, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return RenditionFile(path, mime, image.width, image.height, path.stat().st_size)


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no alpha: composite onto white rather than let transparent pixels go black."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background
