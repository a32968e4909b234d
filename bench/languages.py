"""Languages: Russian WER of the packaged multilingual model against bare WhisperX on the same
audio, the `translate` task, and the speed of tiny.en against base (the `relative_speed` of
GET /api/transcription-models).

Generates the 12-sentence script in Russian with espeak-ng (-v ru, two voices) and the
English one (tests/support/speech.py). Sides, in one process, models loaded before timing:

- bare: `whisperx.load_model(base, language="ru")` (its pyannote VAD) then
  `transcribe(batch_size=8)`; for translate, `load_model(..., task="translate")`;
- ours: `Engine(...).run(path, TranscribeOptions(language="ru", model=<catalog.choose>))`,
  diarization off (WER only), the worker's defaults otherwise.

Prints WER, word recall (script words found in order; a looping decoder's repeats do not
hide the rest) and seconds per side, and our / bare ratios.

    uv run python bench/languages.py [--threads 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support import speech  # noqa: E402 - needs the repo root on sys.path


def _bare(model_dir: Path, audio: Any, threads: int, task: str) -> tuple[str, float]:
    import whisperx

    model = whisperx.load_model(str(model_dir), "cpu", compute_type="int8", language="ru",
                                threads=threads, task=task)
    started = time.perf_counter()
    result = model.transcribe(audio, batch_size=8, language="ru", task=task)
    text = " ".join(s["text"].strip() for s in result["segments"])
    return text, time.perf_counter() - started


def _ours(engine: Any, path: Path, language: str | None, task: str,
          model: str) -> tuple[str, float]:
    from mediahub.transcription.engine import TranscribeOptions

    options = TranscribeOptions(language=language, model=model, diarize=False, task=task)
    engine.run(path, options)  # warm (model load is not timed)
    started = time.perf_counter()
    transcript = engine.run(path, options)
    return transcript.text, time.perf_counter() - started


def _row(name: str, script: str, text: str, seconds: float) -> dict[str, float]:
    wer, recall = speech.word_error_rate(script, text), speech.word_recall(script, text)
    print(f"{name:<28} WER {wer:5.3f}  recall {recall:5.3f}  {seconds:6.1f} s  "
          f"| {text[:70]!r}", flush=True)
    return {"wer": wer, "recall": recall, "seconds": seconds}


def main() -> None:
    """Run every side and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    from mediahub.transcription import catalog
    from mediahub.transcription.audio import decode
    from mediahub.transcription.engine import Engine, EngineConfig
    from mediahub.transcription.modelstore import resolve_model

    work = Path(tempfile.mkdtemp(prefix="bench-languages-"))
    russian = speech.make_recording(work / "ru.wav", speech.SENTENCES_RU, speech.VOICES_RU)
    english = speech.make_recording(work / "en.wav", speech.SENTENCES)
    engine = Engine(EngineConfig(cache_dir=work / "models", threads=args.threads))
    models = [catalog.describe("tiny.en"), catalog.describe("base")]
    chosen = catalog.choose(models, requested=None, language="ru", task="transcribe",
                            default_model="tiny.en")
    print(f"language=ru, no model chosen -> {chosen}; {russian.lines[-1].end:.0f} s of speech")
    base_dir = resolve_model("base", work / "models", allow_download=False)
    audio = decode(russian.path)
    rows = {
        "bare whisperx base ru": _row("bare whisperx base ru", russian.text,
                                      *_bare(base_dir, audio, args.threads, "transcribe")),
        "ours base ru": _row("ours base ru", russian.text,
                             *_ours(engine, russian.path, "ru", "transcribe", chosen)),
        "ours base ru auto-detect": _row("ours base ru auto-detect", russian.text,
                                         *_ours(engine, russian.path, None, "transcribe",
                                                chosen)),
    }
    print("translate ru -> en (scored against the English script):")
    _row("bare whisperx translate", english.text, *_bare(base_dir, audio, args.threads,
                                                        "translate"))
    _row("ours translate", english.text,
         *_ours(engine, russian.path, "ru", "translate", chosen))
    print("English script, speed of the packaged models:")
    tiny = _row("ours tiny.en en", english.text, *_ours(engine, english.path, "en",
                                                         "transcribe", "tiny.en"))
    base = _row("ours base en", english.text, *_ours(engine, english.path, "en",
                                                      "transcribe", "base"))
    bare, ours = rows["bare whisperx base ru"], rows["ours base ru"]
    print(f"ru WER ours/bare {ours['wer'] / bare['wer']:.2f}x, "
          f"time ours/bare {ours['seconds'] / bare['seconds']:.2f}x; "
          f"base speed relative to tiny.en {tiny['seconds'] / base['seconds']:.2f}")


if __name__ == "__main__":
    main()
