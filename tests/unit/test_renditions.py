"""Renditions: orientation, metadata, colour modes, formats, placeholder, and bad input."""

from __future__ import annotations

import io
import os
import random
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw, features

from mediahub.media import renditions
from mediahub.media.renditions import ImageRejected, placeholder_to_image, render

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)
EXIF_IFD, GPS_IFD = 0x8769, 0x8825


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Canon\x00\x00  "
    exif[0x0110] = "  Canon  EOS R5 "
    exif[0x0132] = "2030:01:01 00:00:00"  # DateTime: must lose to DateTimeOriginal
    exif.get_ifd(EXIF_IFD).update({0x9003: "2024:05:17 14:03:22", 0x9011: "+03:00",
                                   0x9291: "25"})
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)})
    return exif


def _assert_clean_webp(path: Path) -> Image.Image:
    """The rendition is WebP and carries no EXIF, GPS, XMP or ICC profile at all."""
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    for chunk in (b"EXIF", b"XMP ", b"ICCP"):
        assert chunk not in data
    image = Image.open(path)
    assert image.format == "WEBP"
    assert not image.getexif()
    assert not image.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "icc_profile", "xmp"} & image.info.keys()
    return image


@pytest.fixture(scope="module")
def camera_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 12-megapixel JPEG stored sideways (orientation 6) with a red top-left corner."""
    image = Image.new("RGB", (4000, 3000), (40, 90, 160))
    ImageDraw.Draw(image).rectangle((0, 0, 999, 749), fill=RED)
    path = tmp_path_factory.mktemp("jpeg") / "upload.bin"  # the extension means nothing
    image.save(path, "JPEG", quality=90, exif=_camera_exif(orientation=6))
    return path


def test_camera_jpeg_is_oriented_sized_and_stripped(camera_jpeg: Path, tmp_path: Path) -> None:
    result = render(camera_jpeg, tmp_path)

    assert (result.width, result.height) == (3000, 4000)
    assert result.orientation_applied
    assert result.taken_at == datetime(2024, 5, 17, 14, 3, 22, 250_000,
                                       tzinfo=timezone(timedelta(hours=3)))
    assert (result.camera_make, result.camera_model) == ("Canon", "Canon EOS R5")
    assert result.camera == "Canon EOS R5"

    assert (result.preview.width, result.preview.height) == (1080, 1440)
    assert (result.thumb.width, result.thumb.height) == (256, 341)
    for file in (result.preview, result.thumb):
        assert file.mime == "image/webp" and file.path.suffix == ".webp"
        assert file.path.parent == tmp_path and file.size == file.path.stat().st_size
        with _assert_clean_webp(file.path) as image:
            assert image.size == (file.width, file.height)

    decoded = placeholder_to_image(result.placeholder)
    assert decoded.height > decoded.width  # hashed from the upright thumbnail

    with Image.open(result.preview.path) as preview:
        rgb = preview.convert("RGB")
        # Rotated 90° clockwise for display: the stored top-left is now the top-right.
        assert _close(rgb.getpixel((1070, 10)), RED)
        assert _close(rgb.getpixel((10, 10)), (40, 90, 160))


def _close(pixel: object, expected: tuple[int, ...], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


def test_capture_time_without_offset_is_wall_clock_utc(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0132] = "2023:12:31 23:59:59"  # only DateTime, no offset
    source = _write(tmp_path, "a", _encode(Image.new("RGB", (64, 48)), "JPEG", exif=exif))

    result = render(source, tmp_path)

    assert result.taken_at == datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert result.camera_make is None and result.camera is None
    assert not result.orientation_applied


@pytest.mark.parametrize("value", ["0000:00:00 00:00:00", "    :  :     :  :  ", "garbage", ""])
def test_unusable_capture_time_is_none(tmp_path: Path, value: str) -> None:
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[0x9003] = value
    exif.get_ifd(EXIF_IFD)[0x9011] = "+99:99"
    source = _write(tmp_path, "a", _encode(Image.new("RGB", (64, 48)), "JPEG", exif=exif))

    assert render(source, tmp_path).taken_at is None


def test_png_alpha_is_kept_and_opaque_alpha_dropped(tmp_path: Path) -> None:
    image = Image.new("RGBA", (400, 200), (*GREEN, 255))
    ImageDraw.Draw(image).rectangle((0, 0, 199, 199), fill=(0, 0, 0, 0))
    result = render(_write(tmp_path, "alpha", _encode(image, "PNG")), tmp_path)

    with _assert_clean_webp(result.preview.path) as preview:
        assert preview.mode == "RGBA"
        assert preview.getpixel((50, 100))[3] == 0  # type: ignore[index]
        assert preview.getpixel((350, 100))[3] == 255  # type: ignore[index]

    opaque = _write(tmp_path, "opaque", _encode(Image.new("RGBA", (40, 20), (*RED, 255)), "PNG"))
    with Image.open(render(opaque, tmp_path).preview.path) as preview:
        assert preview.mode == "RGB"


def test_animated_gif_renders_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (120, 80), color).convert("P") for color in (RED, BLUE)]
    data = _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100,
                   loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 2

    result = render(_write(tmp_path, "anim", data), tmp_path)

    with _assert_clean_webp(result.preview.path) as preview:
        assert not getattr(preview, "is_animated", False)
        assert _close(preview.convert("RGB").getpixel((60, 40)), RED)


def test_transparent_palette_gif_keeps_transparency(tmp_path: Path) -> None:
    image = Image.new("P", (60, 60), 0)
    image.putpalette([*RED, *BLUE] + [0] * 762)
    ImageDraw.Draw(image).rectangle((30, 0, 59, 59), fill=1)
    result = render(_write(tmp_path, "t", _encode(image, "GIF", transparency=1)), tmp_path)

    with Image.open(result.preview.path) as preview:
        assert preview.mode == "RGBA"
        assert preview.getpixel((45, 30))[3] == 0  # type: ignore[index]
        assert _close(preview.getpixel((10, 30)), (*RED, 255))


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    cmyk = Image.new("CMYK", (300, 200), (0, 255, 255, 0))  # full magenta + yellow = red
    result = render(_write(tmp_path, "cmyk", _encode(cmyk, "JPEG", quality=95)), tmp_path)

    with _assert_clean_webp(result.preview.path) as preview:
        assert preview.mode == "RGB"
        assert _close(preview.getpixel((150, 100)), RED, tolerance=60)


@pytest.mark.parametrize(("mode", "fmt"), [("I;16", "PNG"), ("I;16B", "TIFF")])
def test_16_bit_grey_is_scaled_not_clipped(tmp_path: Path, mode: str, fmt: str) -> None:
    data = _encode(Image.new(mode, (200, 100), 32768), fmt)  # half of 16-bit full scale
    assert Image.open(io.BytesIO(data)).mode == mode

    result = render(_write(tmp_path, "deep", data), tmp_path)

    with Image.open(result.preview.path) as preview:
        red, green, blue = preview.convert("RGB").getpixel((100, 50))  # type: ignore[misc]
        assert abs(red - 128) <= 4 and red == green == blue


def test_tiny_image_is_not_upscaled(tmp_path: Path) -> None:
    result = render(_write(tmp_path, "tiny", _encode(Image.new("RGB", (10, 10), RED), "PNG")),
                    tmp_path)

    assert (result.width, result.height) == (10, 10)
    assert (result.preview.width, result.preview.height) == (10, 10)
    assert (result.thumb.width, result.thumb.height) == (10, 10)


def test_panorama_thumbnail_is_cropped_to_three_to_one(tmp_path: Path) -> None:
    source = _write(tmp_path, "pano", _encode(Image.new("RGB", (6000, 500), BLUE), "JPEG"))

    result = render(source, tmp_path)

    assert (result.preview.width, result.preview.height) == (1440, 120)
    assert (result.thumb.width, result.thumb.height) == (360, 120)  # short side 120 < 256


def test_custom_sizes_and_landscape_thumb(tmp_path: Path) -> None:
    source = _write(tmp_path, "land", _encode(Image.new("RGB", (1600, 1200), RED), "JPEG"))

    result = render(source, tmp_path, thumb_size=100, preview_size=800)

    assert (result.preview.width, result.preview.height) == (800, 600)
    assert (result.thumb.width, result.thumb.height) == (133, 100)


def _icc_with_red_and_green_swapped() -> bytes:
    """A matrix/TRC RGB profile whose red colorant is sRGB's green and vice versa."""

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + struct.pack(">3i", *(round(v * 65536) for v in (x, y, z)))

    text = b"swapped primaries\0"
    tags = {
        b"desc": b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + bytes(12 + 67),
        b"wtpt": xyz(0.9642, 1.0, 0.8249),
        b"rXYZ": xyz(0.3851, 0.7169, 0.0971),  # sRGB's green (D50)
        b"gXYZ": xyz(0.4361, 0.2225, 0.0139),  # sRGB's red (D50)
        b"bXYZ": xyz(0.1431, 0.0606, 0.7141),
        b"rTRC": b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0233) + b"\0\0",  # gamma 2.2
    }
    tags[b"gTRC"] = tags[b"bTRC"] = tags[b"rTRC"]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags.items():
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = struct.pack(">I4sI4s4s4s12s4s4sI4s4s8sI12s4s44s", size, b"none", 0x02100000,
                         b"mntr", b"RGB ", b"XYZ ", bytes(12), b"acsp", b"APPL", 0, b"none",
                         b"none", bytes(8), 0, xyz(0.9642, 1.0, 0.8249)[8:], b"none",
                         bytes(44))
    return header + struct.pack(">I", len(tags)) + table + body


def test_embedded_profile_is_converted_to_srgb_and_not_carried(tmp_path: Path) -> None:
    profile = _icc_with_red_and_green_swapped()
    ImageCms.ImageCmsProfile(io.BytesIO(profile))  # the test's own profile must be valid
    data = _encode(Image.new("RGB", (64, 64), RED), "PNG", icc_profile=profile)

    result = render(_write(tmp_path, "icc", data), tmp_path)

    with _assert_clean_webp(result.preview.path) as preview:
        assert _close(preview.getpixel((32, 32)), GREEN, tolerance=50)


def test_srgb_profile_is_dropped_without_changing_pixels(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = _encode(Image.new("RGB", (64, 64), (200, 120, 40)), "JPEG", icc_profile=srgb)

    result = render(_write(tmp_path, "srgb", data), tmp_path)

    with _assert_clean_webp(result.preview.path) as preview:
        assert _close(preview.getpixel((32, 32)), (200, 120, 40), tolerance=8)


@pytest.mark.parametrize(("fmt", "mime"), [("TIFF", "image/tiff"), ("WEBP", "image/webp"),
                                           ("AVIF", "image/avif")])
def test_other_formats(tmp_path: Path, fmt: str, mime: str) -> None:
    if fmt == "AVIF" and not features.check("avif"):
        pytest.skip("this Pillow cannot encode AVIF")
    image = Image.new("RGB", (300, 200), BLUE)
    exif = Image.Exif()
    exif[0x0112] = 8
    result = render(_write(tmp_path, "x", _encode(image, fmt, exif=exif)), tmp_path)

    assert (result.width, result.height) == (200, 300)
    assert result.orientation_applied
    with _assert_clean_webp(result.preview.path) as preview:
        assert preview.size == (200, 300)
        assert _close(preview.getpixel((100, 150)), BLUE, tolerance=50)


def test_heic_from_a_phone(tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    if not pillow_heif.libheif_info()["encoders"]:
        pytest.skip("libheif has no HEVC encoder here")
    image = Image.new("RGB", (640, 480), RED)
    ImageDraw.Draw(image).rectangle((0, 0, 99, 99), fill=BLUE)
    heif_file = pillow_heif.from_pillow(image)
    heif_file.info["exif"] = _camera_exif(orientation=6).tobytes()
    out = io.BytesIO()
    heif_file.save(out, quality=90)

    result = render(_write(tmp_path, "IMG_0001", out.getvalue()), tmp_path)

    assert (result.width, result.height) == (480, 640)
    assert result.orientation_applied  # libheif rotated it while decoding
    assert result.camera_make == "Canon"
    assert result.taken_at is not None and result.taken_at.utcoffset() == timedelta(hours=3)
    with _assert_clean_webp(result.preview.path) as preview:
        assert preview.size == (480, 640)
        assert _close(preview.convert("RGB").getpixel((470, 10)), BLUE, tolerance=60)


def test_placeholder_is_short_and_keeps_aspect_and_colour(tmp_path: Path) -> None:
    source = _write(tmp_path, "p", _encode(Image.new("RGB", (1600, 900), RED), "JPEG"))

    placeholder = render(source, tmp_path).placeholder

    assert len(placeholder) < 40
    decoded = placeholder_to_image(placeholder)
    assert decoded.width > decoded.height
    assert abs(decoded.width / decoded.height - 16 / 9) < 0.3
    assert _close(decoded.getpixel((decoded.width // 2, decoded.height // 2)), (*RED, 255),
                  tolerance=50)


def test_placeholder_of_transparent_image_has_alpha(tmp_path: Path) -> None:
    image = Image.new("RGBA", (100, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((25, 75, 75, 125), fill=(*BLUE, 255))

    placeholder = render(_write(tmp_path, "a", _encode(image, "PNG")), tmp_path).placeholder

    assert len(placeholder) < 48
    decoded = placeholder_to_image(placeholder)
    assert decoded.height > decoded.width
    assert decoded.getpixel((0, 0))[3] < 128  # type: ignore[index]


def test_jpeg_fallback_when_webp_is_unavailable(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(renditions, "_WEBP_AVAILABLE", False)
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    source = _write(tmp_path, "a", _encode(image, "PNG"))

    result = render(source, tmp_path, max_pixels=10_000)

    assert result.preview.mime == "image/jpeg" and result.preview.path.suffix == ".jpg"
    with Image.open(result.preview.path) as preview:
        assert preview.format == "JPEG"
        assert _close(preview.getpixel((25, 25)), (255, 255, 255), tolerance=5)


# --- bad input ----------------------------------------------------------------------------


def test_truncated_jpeg_is_rejected(camera_jpeg: Path, tmp_path: Path) -> None:
    data = camera_jpeg.read_bytes()
    source = _write(tmp_path, "cut.jpg", data[: len(data) // 2])

    with pytest.raises(ImageRejected, match="truncated"):
        render(source, tmp_path)


def test_png_header_with_random_bytes_is_rejected(tmp_path: Path) -> None:
    source = _write(tmp_path, "x.png", b"\x89PNG\r\n\x1a\n" + os.urandom(4096))

    with pytest.raises(ImageRejected, match="cannot decode image"):
        render(source, tmp_path)


def test_corrupt_pixel_data_is_rejected(tmp_path: Path) -> None:
    data = bytearray(_encode(Image.new("RGB", (64, 64), RED), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 8 : idat + 24] = b"\xff" * 16  # zlib stream garbage, CRC now wrong too

    with pytest.raises(ImageRejected):
        render(_write(tmp_path, "bad.png", bytes(data)), tmp_path)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_declared_giant_png_is_rejected_before_decoding(tmp_path: Path) -> None:
    ihdr = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + _png_chunk(b"IEND", b""))
    assert len(data) < 200

    with pytest.raises(ImageRejected, match="too large"):
        render(_write(tmp_path, "bomb.png", data), tmp_path)


def test_image_over_max_pixels_is_rejected_with_its_size(tmp_path: Path) -> None:
    source = _write(tmp_path, "big", _encode(Image.new("RGB", (300, 200)), "JPEG"))

    with pytest.raises(ImageRejected, match="image is too large: 300×200 pixels"):
        render(source, tmp_path, max_pixels=50_000)
    assert not list(tmp_path.glob("*.webp"))


@pytest.mark.parametrize(
    "data",
    [
        b"hello, this is a text file named photo.jpg\n" * 20,
        b"",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a=1;alert(document.cookie)//" + b" " * 64,  # GIF header, script body
        b"\xff\xd8\xff" + b"\x00" * 32,  # a JPEG signature and nothing else
    ],
    ids=["text", "empty", "svg", "gif-script-polyglot", "jpeg-signature-only"],
)
def test_non_images_are_rejected(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ImageRejected):
        render(_write(tmp_path, "photo.jpg", data), tmp_path)


def test_valid_gif_with_trailing_script_renders_harmlessly(tmp_path: Path) -> None:
    payload = b"<script>alert(document.cookie)</script>"
    data = _encode(Image.new("P", (40, 30), 1), "GIF") + payload

    result = render(_write(tmp_path, "poly.gif", data), tmp_path)

    for file in (result.preview, result.thumb):
        assert payload not in file.path.read_bytes()
        _assert_clean_webp(file.path).close()


def _samples_with_metadata() -> dict[str, bytes]:
    image = Image.new("RGB", (48, 32), (200, 30, 30))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    extra = {"exif": _camera_exif(orientation=6), "icc_profile": srgb}
    return {
        "jpeg": _encode(image, "JPEG", **extra),
        "png": _encode(image, "PNG", **extra),
        "webp": _encode(image, "WEBP", **extra),
        "tiff": _encode(image, "TIFF", compression="tiff_lzw", exif=extra["exif"]),
        "gif": _encode(image.convert("P"), "GIF"),
    }


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the corrupt EXIF
def test_mutated_files_only_ever_raise_image_rejected(tmp_path: Path) -> None:
    rng = random.Random(20261122)  # fixed: a failure must reproduce
    outcomes = {"rendered": 0, "rejected": 0}
    for data in _samples_with_metadata().values():
        for _ in range(60):
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 6)):
                position = rng.randrange(len(mutated))
                if rng.random() < 0.7:
                    mutated[position] = rng.randrange(256)
                else:
                    del mutated[position : position + rng.randint(1, 48)]
            try:
                render(_write(tmp_path, "m", bytes(mutated)), tmp_path)
                outcomes["rendered"] += 1
            except ImageRejected:
                outcomes["rejected"] += 1
    assert outcomes["rendered"] and outcomes["rejected"]


def test_concurrent_renders_in_threads(tmp_path: Path) -> None:
    """The worker runs render() in threads; colour transforms must not leak between them."""
    image = Image.new("RGB", (900, 600), RED)
    wide_gamut = {"icc_profile": _icc_with_red_and_green_swapped()}
    payloads = [_encode(image, "JPEG"), _encode(image, "PNG", **wide_gamut),
                _encode(image, "WEBP")] * 3
    sources = [_write(tmp_path, f"s{i}", data) for i, data in enumerate(payloads)]
    workdirs = [tmp_path / f"w{i}" for i in range(len(sources))]
    for workdir in workdirs:
        workdir.mkdir()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(render, sources, workdirs))

    assert [(r.preview.width, r.preview.height) for r in results] == [(900, 600)] * 9
    for i, result in enumerate(results):
        assert result.preview.path.parent == workdirs[i]
        with Image.open(result.preview.path) as preview:
            expected = GREEN if i % 3 == 1 else RED  # the PNGs carry the swapped profile
            assert _close(preview.getpixel((450, 300)), expected, tolerance=50)


def test_missing_source_is_not_blamed_on_the_uploader(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        render(tmp_path / "gone", tmp_path)
