"""The hotline view for staff: login form, the page with the gap list, staff questions."""

from __future__ import annotations

import asyncio
import hmac
import time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.web import render
from assistant.web.deps import (
    STAFF_COOKIE,
    STAFF_SESSION_SECONDS,
    UNAUTHORIZED,
    AppSettings,
    Service,
    Staff,
    base_path,
    cookie_value,
    staff_authorized,
    wants_json,
)
from assistant.web.responses import ERRORS
from assistant.web.responses import UNAUTHORIZED as UNAUTHORIZED_RESPONSE
from assistant.web.schemas import GapsResponse, StaffAskRequest, StaffAskResponse

router = APIRouter(tags=["medarbejdere"])


def login_page(request: Request, error: str = "", status_code: int = 401) -> HTMLResponse:
    return HTMLResponse(
        render.login_page(base_path(request), error),
        status_code=status_code,
        headers={"WWW-Authenticate": "Bearer"},
    )


@router.get("/staff", response_class=HTMLResponse, responses=UNAUTHORIZED_RESPONSE)
async def staff(request: Request, service: Service, settings: AppSettings) -> Response:
    if not staff_authorized(request, settings):
        if wants_json(request):
            raise UNAUTHORIZED
        return login_page(request)
    pools = await run_in_threadpool(service.pools)
    gaps = await run_in_threadpool(service.gaps, None, 200)
    return HTMLResponse(render.staff_page(pools, gaps, ZoneInfo(settings.timezone), base_path(request)))


@router.post("/staff/login", include_in_schema=False)
async def staff_login(
    request: Request, settings: AppSettings, token: Annotated[str, Form(max_length=500)] = ""
) -> Response:
    expected = settings.staff_token.get_secret_value()
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        await asyncio.sleep(0.5)  # slows down guessing
        return login_page(request, "Forkert adgangsnøgle. Prøv igen.")
    expires = int(time.time()) + STAFF_SESSION_SECONDS
    response = RedirectResponse(f"{base_path(request)}/staff", status_code=303)
    response.set_cookie(
        STAFF_COOKIE,
        cookie_value(expected, expires),
        max_age=STAFF_SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/staff/logout", include_in_schema=False)
async def staff_logout(request: Request) -> Response:
    response = RedirectResponse(f"{base_path(request)}/staff", status_code=303)
    response.delete_cookie(STAFF_COOKIE, path="/")
    return response


@router.get("/api/staff/gaps", response_model=GapsResponse, responses=UNAUTHORIZED_RESPONSE, dependencies=[Staff])
async def staff_gaps(
    service: Service, pool: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> GapsResponse:
    return GapsResponse(items=await run_in_threadpool(service.gaps, pool or None, limit))


@router.post(
    "/api/staff/ask",
    response_model=StaffAskResponse,
    responses={**UNAUTHORIZED_RESPONSE, **ERRORS},
    dependencies=[Staff],
)
async def staff_ask(request: Request, body: StaffAskRequest, service: Service) -> StaffAskResponse:
    return await run_in_threadpool(service.staff_ask, body.question, body.pool, str(request.base_url))
