"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.web.deps import Service
from assistant.web.errors import NOT_READY
from assistant.web.responses import NOT_READY as NOT_READY_RESPONSE

router = APIRouter(tags=["drift"])


@router.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", responses=NOT_READY_RESPONSE)
async def readyz(service: Service) -> dict:
    if not service.ready:
        raise NOT_READY
    return {"status": "ready", "chunks": len(service.assistant.index.chunks)}
