"""`mediahub transcribe`: the worker's engine on local files, no server needed."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from mediahub.config import EngineSettings


@dataclass(frozen=True)
class CliRequest:
    """What the command line asked for."""

    files: list[Path]
    output_dir: Path | None
    fmt: str
    language: str | None
    diarize: bool
    model: str | None
    min_speakers: int | None
    max_speakers: int | None


def _output_path(request: CliRequest, source: Path) -> Path:
    directory = request.output_dir or source.parent
    return directory / f"{source.stem}.{request.fmt}"


def run_cli(request: CliRequest, settings: EngineSettings) -> int:
    """Transcribe every file (one progress bar each); 0 if all succeeded, 1 otherwise."""
    from mediahub.transcription import export
    from mediahub.transcription.audio import MediaError
    from mediahub.transcription.engine import Engine, EngineConfig, TranscribeOptions
    from mediahub.transcription.modelstore import ModelUnavailable

    console = Console(stderr=True)
    engine = Engine(EngineConfig.from_settings(settings))
    options = TranscribeOptions(language=request.language, diarize=request.diarize,
                                model=request.model, min_speakers=request.min_speakers,
                                max_speakers=request.max_speakers)
    failures = 0
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[stage]}"), TimeElapsedColumn())
    with Progress(*columns, console=console) as bars:
        tasks = {path: bars.add_task(path.name, total=100, stage="waiting")
                 for path in request.files}
        for path, task in tasks.items():
            def report(stage: str, percent: float, task: int = task) -> None:
                bars.update(task, completed=percent, stage=stage)

            try:
                transcript = engine.run(path, options, progress=report)
            except (MediaError, ModelUnavailable, OSError) as exc:
                failures += 1
                bars.update(task, stage=f"[red]failed: {exc}")
                continue
            target = _output_path(request, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            if request.fmt == "json":
                target.write_text(json.dumps(transcript.as_dict(), ensure_ascii=False, indent=1))
            else:
                names = {label: f"Speaker {i + 1}" for i, label in enumerate(transcript.speakers)}
                target.write_bytes(export.export(transcript, request.fmt, speaker_names=names,
                                                 title=path.name))
            rtf = transcript.metrics.get("realtime_factor")
            bars.update(task, completed=100, stage=f"[green]{target} (RTF {rtf})")
    print(f"{len(request.files) - failures} of {len(request.files)} transcribed",
          file=sys.stderr)
    return 1 if failures else 0
