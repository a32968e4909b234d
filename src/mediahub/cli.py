"""The `mediahub` command: up, api, worker, migrate, selftest."""

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
) -> None:
    """Start everything: PostgreSQL, Redis, migrations, API, worker and the web app."""
    from mediahub.local.supervisor import UpOptions, run_up

    _configure_logging()
    code = run_up(UpOptions(host=host, port=port, data_dir=data_dir.resolve(), build_web=build_web))
    raise typer.Exit(code)


@app.command()
def api(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Uvicorn worker processes.", min=1)] = 1,
) -> None:
    """Serve the HTTP API (and the built web app) with Uvicorn."""
    import uvicorn

    _configure_logging()
    _settings()  # fail with a one-line message before uvicorn starts
    uvicorn.run(
        "mediahub.main:create_app", factory=True, host=host, port=port, workers=workers,
        proxy_headers=True, forwarded_allow_ips="127.0.0.1", log_level="info",
        ws_max_size=65536, timeout_graceful_shutdown=10,
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
    ok, message = asyncio.run(run_selftest(_settings(), timeout=timeout))
    typer.echo(message, err=not ok)
    raise typer.Exit(0 if ok else 1)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="mediahub")


if __name__ == "__main__":
    sys.exit(main())
