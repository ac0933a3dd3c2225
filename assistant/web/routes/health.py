"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from assistant.web.deps import Service
from assistant.web.errors import NOT_READY, ApiError
from assistant.web.responses import NOT_READY as NOT_READY_RESPONSE

router = APIRouter(tags=["drift"])


@router.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", responses=NOT_READY_RESPONSE)
async def readyz(service: Service) -> dict:
    """Ready when questions can be answered and the database takes writes; otherwise 503 with the reason."""
    if not service.ready:
        raise NOT_READY
    problem = await run_in_threadpool(service.storage.check)
    if problem is not None:
        raise ApiError(
            503,
            "database_unavailable",
            "Databasen er ikke tilgængelig eller tager ikke imod skrivninger; spørgsmål besvares stadig.",
            f"Database unavailable or read-only: {problem}",
        )
    return {"status": "ready", "chunks": len(service.assistant.index.chunks)}
