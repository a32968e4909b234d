"""The API process: a FastAPI app with every route under /api and the web app at /."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from mediahub import __version__
from mediahub.auth import router as auth_router
from mediahub.auth.service import Revocations
from mediahub.config import Settings, get_settings
from mediahub.core.db import create_engine, create_read_session_factory, create_session_factory
from mediahub.core.errors import UnexpectedErrorMiddleware, install_error_handlers
from mediahub.core.events import EventHub
from mediahub.core.gc_tuning import tune_for_serving
from mediahub.core.openapi import install_api_contract
from mediahub.core.queue import create_job_queue
from mediahub.core.ratelimit import RateLimiter
from mediahub.core.redis import create_pool, create_redis
from mediahub.core.request_guard import RequestGuardMiddleware
from mediahub.core.security import SecurityHeadersMiddleware
from mediahub.core.storage import build_object_store
from mediahub.db_migrations import head_revision
from mediahub.downloads import router as downloads_router
from mediahub.exchange import qr as exchange_qr
from mediahub.exchange import router as exchange_router
from mediahub.gallery import router as gallery_router
from mediahub.system import apidocs, health, live
from mediahub.transcription import openai_compat, voices_router
from mediahub.transcription import router as transcription_router
from mediahub.users import router as users_router
from mediahub.web import mount_web_app, resolve_dist

log = logging.getLogger(__name__)
SHUTDOWN_STEP_TIMEOUT_S = 5.0


def api_router() -> APIRouter:
    """Every API route, to be mounted under /api."""
    router = APIRouter()
    router.include_router(health.router)
    router.include_router(apidocs.router)
    router.include_router(auth_router.router)
    router.include_router(gallery_router.router)
    router.include_router(exchange_router.router)
    router.include_router(users_router.router)
    router.include_router(exchange_qr.router)
    router.include_router(live.router)
    router.include_router(downloads_router.router)
    router.include_router(transcription_router.router)
    router.include_router(transcription_router.models_router)
    router.include_router(voices_router.router)
    return router


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open shared connections once per process; close them on shutdown."""
    settings: Settings = app.state.settings
    engine = create_engine(settings)
    redis = create_redis(settings.redis_url, max_connections=settings.redis_max_connections)
    queue = create_job_queue(settings)
    hub = EventHub(create_redis(settings.redis_url, max_connections=4))  # one pub/sub reader
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    app.state.read_session_factory = create_read_session_factory(engine)
    app.state.redis = redis
    app.state.job_queue = queue
    app.state.object_store = build_object_store(settings)
    app.state.event_hub = hub
    app.state.rate_limiter = RateLimiter(
        settings.redis_url,
        pool=create_pool(settings.redis_url, max_connections=settings.redis_max_connections),
    )
    app.state.revocations = Revocations(redis, settings.access_token_ttl_seconds)
    await hub.start()
    try:
        yield
    finally:
        # Close everything even if a dependency is already gone (shutdown during an outage).
        for close in (hub.stop, queue.disconnect, redis.aclose, engine.dispose):
            try:
                await asyncio.wait_for(close(), SHUTDOWN_STEP_TIMEOUT_S)
            except Exception as exc:  # noqa: BLE001
                log.warning("error while closing %s: %r", close.__qualname__, exc)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API application (uvicorn calls this as a factory)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Mediahub",
        version=__version__,
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url=None,  # served by system/apidocs.py from this origin (the CSP blocks CDNs)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.schema_head = head_revision()
    install_error_handlers(app)
    app.add_middleware(RequestGuardMiddleware, settings=settings)
    app.add_middleware(UnexpectedErrorMiddleware)  # outside the guard: catches its failures too
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.include_router(api_router(), prefix="/api")
    # The hottest reads in front of their FastAPI routes, which still document them (ADR 0028).
    app.router.routes[:0] = gallery_router.lean_routes("/api")
    app.include_router(openai_compat.router)  # /v1/audio/transcriptions, as OpenAI's
    mount_web_app(app, resolve_dist(settings.web_dist_dir))
    install_api_contract(app)
    return app


def create_served_app() -> FastAPI:
    """The app as `mediahub api` serves it: built, then the collector tuned for serving.

    Uvicorn calls this factory in every worker process (`--workers N` spawns fresh
    interpreters), so each process freezes its own import-time objects.
    """
    app = create_app()
    tune_for_serving()
    return app
