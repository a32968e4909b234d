"""The `mediahub` command: up, api, worker, migrate, selftest, transcribe."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)

DEFAULT_DATA_DIR = Path(".mediahub")


def _configure_logging() -> None:
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def _settings():  # noqa: ANN202 - returns Settings; import kept lazy for fast --help
    from pydantic import ValidationError

    from mediahub.config import get_settings

    try:
        return get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())).upper() or "settings"
        typer.echo(f"error: invalid setting {where}: {first['msg']}", err=True)
        raise typer.Exit(2) from None


@app.command()
def up(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port.", min=1, max=65535)] = 8000,
    data_dir: Annotated[
        Path, typer.Option(help="Where data, logs and secrets live.", envvar="MEDIAHUB_DATA_DIR")
    ] = DEFAULT_DATA_DIR,
    build_web: Annotated[bool, typer.Option(help="Build the web app if missing.")] = True,
    api_workers: Annotated[int, typer.Option(
        envvar="API_WORKERS", min=1, help="API processes (each serves HTTP and WebSockets).",
    )] = 1,
) -> None:
    """Start everything: PostgreSQL, Redis, migrations, API, worker and the web app."""
    from mediahub.local.supervisor import UpOptions, run_up

    _configure_logging()
    code = run_up(UpOptions(host=host, port=port, data_dir=data_dir.resolve(), build_web=build_web,
                           api_workers=api_workers))
    raise typer.Exit(code)


@app.command()
def api(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Uvicorn worker processes.", min=1)] = 1,
    forwarded_allow_ips: Annotated[str, typer.Option(
        envvar="FORWARDED_ALLOW_IPS",
        help="Proxies trusted for X-Forwarded-For/-Proto: comma-separated IPs or CIDRs, or *.",
    )] = "127.0.0.1",
) -> None:
    """Serve the HTTP API (and the built web app) with Uvicorn."""
    import uvicorn

    _configure_logging()
    _settings()  # fail with a one-line message before uvicorn starts
    uvicorn.run(
        # The factory tunes the garbage collector in each process (core/gc_tuning.py).
        "mediahub.main:create_served_app", factory=True, host=host, port=port, workers=workers,
        proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips, log_level="info",
        # No permessage-deflate: events are a few hundred bytes, and compressing each one per
        # socket was ~40 % of the API's fan-out CPU (bench/load.py, docs/decisions/0014).
        ws_max_size=65536, ws_per_message_deflate=False, timeout_graceful_shutdown=10,
        http="mediahub.core.http_protocol:GuardedHttpToolsProtocol",
    )


@app.command()
def worker() -> None:
    """Run background jobs from the Redis queue until stopped."""
    from mediahub.worker import run_worker

    _configure_logging()
    try:
        run_worker(_settings())
    except RuntimeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


@app.command()
def migrate() -> None:
    """Apply database migrations up to the newest revision."""
    from mediahub.db_migrations import upgrade_to_head

    _configure_logging()
    upgrade_to_head(_settings().database_url)
    typer.echo("database is at the newest revision")


@app.command()
def selftest(
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the job.")] = 60,
) -> None:
    """Run the self-test job through the queue and a worker; exit 0 when it succeeds."""
    import asyncio

    from mediahub.system.selftest import run_selftest

    _configure_logging()
    ok, message = asyncio.run(run_selftest(_settings(), wait_s=timeout))
    typer.echo(message, err=not ok)
    raise typer.Exit(0 if ok else 1)


@app.command("dev-initdata")
def dev_initdata(
    user_id: Annotated[int, typer.Option(help="MAX user id to sign in as.", min=1)] = 1001,
    first_name: Annotated[str, typer.Option()] = "Dev",
    username: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str, typer.Option()] = "en",
    data_dir: Annotated[
        Path, typer.Option(help="Data dir of `mediahub up` (for its bot token).",
                           envvar="MEDIAHUB_DATA_DIR")
    ] = DEFAULT_DATA_DIR,
) -> None:
    """Print MAX launch data signed with this server's bot token (sign in without MAX)."""
    from mediahub.auth.initdata import make_test_init_data
    from mediahub.local.secrets import load_or_create_local_secrets

    token = os.environ.get("MAX_BOT_TOKEN")
    if not token:
        if not (data_dir / "secrets.json").exists():
            typer.echo("error: set MAX_BOT_TOKEN or point --data-dir at a mediahub up data dir",
                       err=True)
            raise typer.Exit(2)
        token = load_or_create_local_secrets(data_dir)["MAX_BOT_TOKEN"]
    typer.echo(make_test_init_data(token, user_id=user_id, first_name=first_name,
                                   username=username, language_code=language))


@app.command()
def transcribe(
    files: Annotated[list[Path], typer.Argument(help="Audio or video files.", exists=True,
                                                dir_okay=False, readable=True)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="srt, vtt, txt or json.")] = "srt",
    output_dir: Annotated[Path | None, typer.Option(
        "--output-dir", "-o", help="Where to write results (default: next to each file).")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Language code; detected if unset.")]
    = None,
    diarize: Annotated[bool, typer.Option(help="Tell speakers apart.")] = True,
    model: Annotated[str | None, typer.Option(help="Model name or directory (ASR_MODEL).")]
    = None,
    min_speakers: Annotated[int | None, typer.Option(min=1, max=20)] = None,
    max_speakers: Annotated[int | None, typer.Option(min=1, max=20)] = None,
    translate: Annotated[bool, typer.Option(
        help="English text whatever the spoken language (Whisper's translate task).")] = False,
) -> None:
    """Transcribe files locally with the worker's engine (no server needed). With no --model,
    the default for the language: ASR_MODEL if it can, else a multilingual model (base)."""
    from mediahub.config import EngineSettings
    from mediahub.transcription.cli import CliRequest, run_cli

    if fmt not in ("srt", "vtt", "txt", "json"):
        typer.echo(f"error: --format must be srt, vtt, txt or json, not {fmt!r}", err=True)
        raise typer.Exit(2)
    request = CliRequest(files=files, output_dir=output_dir, fmt=fmt, language=language,
                         diarize=diarize, model=model, min_speakers=min_speakers,
                         max_speakers=max_speakers,
                         task="translate" if translate else "transcribe")
    raise typer.Exit(run_cli(request, EngineSettings()))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="mediahub")


if __name__ == "__main__":
    sys.exit(main())
