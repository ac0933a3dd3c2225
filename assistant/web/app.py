"""The FastAPI app factory: JSON API, the applicant page and accessibility statement, source view, staff
hotline view and embeddable widget, all calling one in-process WebService. (gradio is not mounted here: it
is a local console, assistant/web/console.py.)"""

from __future__ import annotations

import asyncio
import importlib.resources
import logging
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from assistant.errors import AssistantError
from assistant.settings import Settings, get_settings
from assistant.web.deps import base_path
from assistant.web.errors import ApiError, install_error_handlers
from assistant.web.middleware import AccessLogMiddleware, BodyLimitMiddleware, WebHeadersMiddleware
from assistant.web.routes import ask, health, pages, sources, staff, widget
from assistant.web.schemas import ErrorResponse
from assistant.web.service import WebService

logger = logging.getLogger(__name__)

THREADS = 200  # waiting requests hold a thread each (blocked, no CPU)

DESCRIPTION = (
    "Svar med kilder fra vejledningerne til Social- og Boligstyrelsens ansøgningspuljer. "
    'Fejl har formen {"error": {code, message_da, message_en}}.'
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    service = WebService(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Requests wait for an answering slot in a thread; with anyio's default of 40 threads a crowd would
        # queue for threads first, in an order the fair slots do not control.
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        await run_in_threadpool(service.start)
        # The purge at start runs before the first request is served: what the retention says is gone is gone
        # from then on (as a background task it could lose the race with a quick start and stop).
        await _purge_once(service)
        logger.info("web service ready")
        housekeeping = asyncio.create_task(daily_purge(service))
        try:
            yield
        finally:
            housekeeping.cancel()
            service.stop()

    app = FastAPI(
        title="Tilskudsassistenten",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        description=DESCRIPTION,
        responses={422: {"model": ErrorResponse}},
    )
    app.state.service = service
    install_error_handlers(app)
    # Outermost last: the access log sees everything; headers and CORS also go on the body limit's 413.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, timeout=settings.request_timeout_seconds)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Accept"],
        max_age=600,
    )
    app.add_middleware(WebHeadersMiddleware, frame_ancestors=list(settings.cors_origins))
    app.add_middleware(AccessLogMiddleware)
    install_docs(app)
    for module in (health, ask, pages, sources, staff, widget):
        app.include_router(module.router)

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def api_not_found(rest: str) -> None:
        # An API client gets the JSON error, not the pages' HTML 404.
        raise ApiError(404, "not_found", "Adressen findes ikke i API'et. Se /docs.", "No such API endpoint; see /docs.")

    return app


def install_docs(app: FastAPI) -> None:
    # Swagger UI 5 (OpenAPI 3.1) from the fastapi-offline package instead of a CDN: /docs must work offline.
    docs_assets = importlib.resources.files("fastapi_offline") / "static"
    app.mount("/docs-static", StaticFiles(directory=str(docs_assets)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = base_path(request)
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title="Tilskudsassistenten – API",
            swagger_js_url=f"{root}/docs-static/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/docs-static/swagger-ui.css",
            swagger_favicon_url="data:,",
        )


PURGE_INTERVAL_SECONDS = 24 * 3600


async def _purge_once(service: WebService) -> None:
    try:
        await run_in_threadpool(service.purge)
    except AssistantError as exc:  # a database that is down is retried tomorrow (or at the next start)
        logger.warning("purge skipped: %s", type(exc).__name__)


async def daily_purge(service: WebService) -> None:
    """Retention: deletes what is older than ASSISTANT_RETENTION_DAYS once a day (the lifespan purges at start)."""
    while True:
        await asyncio.sleep(PURGE_INTERVAL_SECONDS)
        await _purge_once(service)
