"""The ASGI application: API, pages, health, metrics, and the embedded background work."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from linli.api import api
from linli.core import error_handlers
from linli.core import redis as core_redis
from linli.core.body_limit import BodyLimit
from linli.core.broker.relay import Relay
from linli.core.headers import SecurityHeaders
from linli.core.jobs import Scheduler
from linli.core.observability import RequestContextMiddleware, configure_logging
from linli.core.outbox import Dispatcher
from linli.core.runtime import get_runtime
from linli.events import build_registry
from linli.flashsale.fastlane import SoldOutLane
from linli.schedule import DUE_JOBS


def create_app(background: bool | None = None) -> FastAPI:
    """background: run the outbox dispatcher and scheduler in this process (default from settings)."""
    rt = get_runtime()
    run_background = rt.settings.embedded_worker if background is None else background

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        workers: list[Dispatcher | Scheduler] = []
        if run_background:
            registry = build_registry()
            # with a broker, this process only relays its events to it; `linli worker`s handle them
            relay = Relay(rt.db, registry, rt.settings) if rt.settings.broker_url else None
            workers = [Dispatcher(rt.db, registry, rt.settings.dispatch_interval_seconds,
                                  step=relay.step if relay else None),
                       Scheduler(rt.db, DUE_JOBS, registry, rt.settings.scheduler_interval_seconds)]
            for w in workers:
                w.start()
        yield
        for w in workers:
            w.stop()

    app = FastAPI(title="linli 邻里", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="社区团购与社区商城私域运营平台 — community group-buying platform API")
    from linli.web.origin import SameOriginForms

    app.add_middleware(SameOriginForms)  # the pages' cookie-authenticated form posts (behind the fast lane)
    app.add_middleware(SoldOutLane)  # inside the request context: its answers are logged and counted too
    app.add_middleware(BodyLimit, max_bytes=rt.settings.max_body_bytes,
                       max_json_bytes=rt.settings.max_json_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestContextMiddleware)
    error_handlers.install(app)
    app.include_router(api)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    def readyz() -> JSONResponse:
        """Ready when the database answers, and Redis too when it is configured; a 503 names what is down."""
        body: dict[str, str] = {"status": "ok", "database": rt.db.dialect}
        try:
            with rt.db.engine.connect() as conn:
                conn.execute(text("select 1"))
        except Exception as exc:
            body.update(database="unavailable", reason=type(exc).__name__)
        redis_up = core_redis.ping()
        if redis_up is not None:
            body["redis"] = "ok" if redis_up else "unavailable"
        if "unavailable" in body.values():
            body["status"] = "unavailable"
            return JSONResponse(body, status_code=503)
        return JSONResponse(body)

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    from linli.web import mount as mount_pages

    mount_pages(app)
    return app


def asgi() -> FastAPI:
    """Factory for uvicorn/granian workers."""
    rt = get_runtime()
    configure_logging(rt.settings.log_level, rt.settings.log_json)
    app = create_app()
    # Everything built so far (modules, routes, schemas) lives as long as the worker. Frozen, it is left out
    # of every garbage collection: a full collection over it paused a worker for 140-240 ms under load.
    gc.collect()
    gc.freeze()
    return app
