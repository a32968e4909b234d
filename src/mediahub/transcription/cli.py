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
    task: str = "transcribe"


def _output_path(request: CliRequest, source: Path) -> Path:
    directory = request.output_dir or source.parent
    return directory / f"{source.stem}.{request.fmt}"


def choose_model(request: CliRequest, settings: EngineSettings) -> tuple[str | None, str]:
    """(language, model) by the API's rule (catalog.choose) over the models installed here;
    an explicit model that is not installed is left to the engine's clearer message."""
    from mediahub.transcription import catalog
    from mediahub.transcription.modelstore import PACKAGED_MODELS
    from mediahub.transcription.schemas import SubmitOptions

    language = SubmitOptions.model_validate({"language": request.language or ""}).language
    names = [settings.asr_model, *PACKAGED_MODELS, *([request.model] if request.model else [])]
    models = catalog.inventory(names, allow_download=settings.allow_model_download)
    if request.model and request.model not in {m.name for m in models}:
        models.append(catalog.describe(request.model))
    return language, catalog.choose(models, requested=request.model, language=language,
                                    task=request.task, default_model=settings.asr_model)


def run_cli(request: CliRequest, settings: EngineSettings) -> int:
    """Transcribe every file (one progress bar each); 0 if all succeeded, 1 otherwise;
    2 for options that cannot work (a model that cannot do the language)."""
    from pydantic import ValidationError

    from mediahub.core.errors import AppError
    from mediahub.transcription import export
    from mediahub.transcription.audio import MediaError
    from mediahub.transcription.engine import Engine, EngineConfig, TranscribeOptions
    from mediahub.transcription.modelstore import ModelUnavailable

    console = Console(stderr=True)
    try:
        language, model = choose_model(request, settings)
    except (AppError, ValidationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = Engine(EngineConfig.from_settings(settings))
    options = TranscribeOptions(language=language, diarize=request.diarize, model=model,
                                min_speakers=request.min_speakers,
                                max_speakers=request.max_speakers, task=request.task)
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
