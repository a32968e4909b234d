"""Rendition throughput: `render()` against plain Pillow on 12-megapixel JPEGs, same run.

Generates N camera-sized JPEGs (4000x3000, gradients + blotches + grain, quality 90) in a
temporary directory, then times, interleaved photo by photo (order alternating so neither
side always gets a warm cache):

- baseline: `Image.open → thumbnail((1440, 1440)) → save WebP`, then again for 256 px
  (Pillow defaults: WebP quality 80, method 4 — what a first implementation would do);
- ours: `render()` — one shrink-on-load decode, preview, thumbnail from the preview,
  ThumbHash, metadata.

Prints photos/second for each and the ratio (target >= 1.5), and with --webp-methods the
encode time and size of a 1440 px preview for every libwebp method.

    nice -n 10 uv run python bench/renditions.py [--count 8] [--rounds 3] [--webp-methods]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageFilter

from mediahub.media.renditions import render

WIDTH, HEIGHT = 4000, 3000
TARGET_RATIO = 1.5


def make_photo(rng: random.Random) -> Image.Image:
    """A synthetic 12 MP 'photo': gradients, blotches, grain (~3.5 MB at quality 90)."""
    horizontal = Image.linear_gradient("L").rotate(rng.choice([90, 270])).resize((WIDTH, HEIGHT))
    vertical = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    radial = Image.radial_gradient("L").resize((WIDTH, HEIGHT))
    base = Image.merge("RGB", (horizontal, vertical, radial))
    blotches = Image.merge("RGB", [
        Image.effect_noise((WIDTH // 50, HEIGHT // 50), 60).resize(
            (WIDTH, HEIGHT), Image.Resampling.BICUBIC)
        for _ in range(3)
    ])
    detail = Image.effect_noise((WIDTH // 4, HEIGHT // 4), 70).resize(
        (WIDTH, HEIGHT), Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(1))
    grain = Image.effect_noise((WIDTH, HEIGHT), 40)
    texture = Image.blend(detail, grain, 0.3).convert("RGB")
    return Image.blend(Image.blend(base, blotches, rng.uniform(0.3, 0.5)), texture, 0.4)


def make_photos(directory: Path, count: int) -> list[Path]:
    """Write `count` quality-90 JPEGs and return their paths."""
    rng = random.Random(8)
    paths = []
    for i in range(count):
        path = directory / f"photo-{i}.jpg"
        make_photo(rng).save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def baseline(source: Path, out: Path) -> None:
    """The plain way: decode for each size, Pillow's thumbnail(), WebP with defaults."""
    for size, name in ((1440, "preview.webp"), (256, "thumb.webp")):
        with Image.open(source) as image:
            image.thumbnail((size, size))
            image.save(out / name, "WEBP", quality=80)


def ours(source: Path, out: Path) -> None:
    """The module under test."""
    render(source, out)


def timed(run: Callable[[Path, Path], None], source: Path, out: Path) -> float:
    started = time.perf_counter()
    run(source, out)
    return time.perf_counter() - started


def compare(photos: list[Path], out: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds per photo for each side, interleaved and alternating which goes first."""
    sides: dict[str, Callable[[Path, Path], None]] = {"pillow baseline": baseline,
                                                     "render()": ours}
    for run in sides.values():  # warm-up: plugin imports, allocator, page cache
        run(photos[0], out)
    times: dict[str, list[float]] = {name: [] for name in sides}
    for round_no in range(rounds):
        for i, photo in enumerate(photos):
            order = list(sides) if (i + round_no) % 2 == 0 else list(reversed(sides))
            for name in order:
                times[name].append(timed(sides[name], photo, out))
    return times


def webp_methods(photo: Path) -> None:
    """Encode time and size of the 1440 px preview for each libwebp method."""
    with Image.open(photo) as image:
        image.thumbnail((1440, 1440))
        preview = image.copy()
    print("\nlibwebp method, 1440 px preview, quality 80 (best of 3)")
    print(f"{'method':>6} {'ms':>8} {'KiB':>8}")
    for method in range(7):
        best, size = float("inf"), 0
        for _ in range(3):
            buffer = io.BytesIO()
            started = time.perf_counter()
            preview.save(buffer, "WEBP", quality=80, method=method)
            best = min(best, time.perf_counter() - started)
            size = buffer.tell()
        print(f"{method:>6} {best * 1000:>8.1f} {size / 1024:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8, help="photos to generate")
    parser.add_argument("--rounds", type=int, default=3, help="passes over all photos")
    parser.add_argument("--webp-methods", action="store_true", help="also compare methods")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mediahub-bench-") as tmp:
        directory = Path(tmp)
        out = directory / "out"
        out.mkdir()
        print(f"generating {args.count} photos of {WIDTH}x{HEIGHT} ...", flush=True)
        photos = make_photos(directory, args.count)
        mean_size = statistics.mean(p.stat().st_size for p in photos) / 1e6
        print(f"mean JPEG size {mean_size:.1f} MB; {args.rounds} rounds, interleaved\n")

        times = compare(photos, out, args.rounds)
        print(f"{'':16} {'photos/s':>9} {'median ms':>10} {'p90 ms':>8}")
        rate = {}
        for name, samples in times.items():
            rate[name] = len(samples) / sum(samples)
            p90 = statistics.quantiles(samples, n=10)[-1]
            print(f"{name:16} {rate[name]:>9.2f} {statistics.median(samples) * 1000:>10.0f}"
                  f" {p90 * 1000:>8.0f}")
        ratio = rate["render()"] / rate["pillow baseline"]
        verdict = "ok" if ratio >= TARGET_RATIO else "BELOW TARGET"
        print(f"\nratio render()/baseline: {ratio:.2f}x (target >= {TARGET_RATIO}x) {verdict}")
        if args.webp_methods:
            webp_methods(photos[0])


if __name__ == "__main__":
    main()
