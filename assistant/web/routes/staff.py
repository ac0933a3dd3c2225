"""The hotline view for staff: login form (throttled per client), the page with the gap list, staff
questions, and erasure of one answer or conversation."""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.errors import DatabaseUnavailable
from assistant.ingest.fact_review import FactReviewError, review_pools, verify_fact
from assistant.ingest.pool_add import RESTART_NOTE
from assistant.web import render
from assistant.web.deps import (
    STAFF_COOKIE,
    UNAUTHORIZED,
    Service,
    Staff,
    base_path,
    client_of,
    staff_authorized,
    wants_json,
)
from assistant.web.errors import ApiError
from assistant.web.responses import ERRORS
from assistant.web.responses import UNAUTHORIZED as UNAUTHORIZED_RESPONSE
from assistant.web.schemas import ApiModel, GapsResponse, StaffAskRequest, StaffAskResponse
from assistant.web.service import WebService
from assistant.web.sessions import LOGIN_FORM_SECONDS

router = APIRouter(tags=["medarbejdere"])

LOGIN_COOKIE = "tilskud_login"
ACTION_COOKIE = "tilskud_action"
POOLS_PATH = "/staff/puljer"

ERASE_ID = r"^[A-Za-z0-9_-]{1,64}$"


class EraseResponse(ApiModel):
    ok: bool = True
    deleted: int


class HandledResponse(ApiModel):
    ok: bool = True


def _form_cookie(request: Request, response: Response, name: str, nonce: str, path: str) -> None:
    """The cookie half of a form's double-submit token (the signed half is the form's hidden field)."""
    response.set_cookie(
        name,
        nonce,
        max_age=LOGIN_FORM_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=path,
    )


def login_page(
    request: Request, service: WebService, error: str = "", status_code: int = 401, headers: dict | None = None
) -> HTMLResponse:
    nonce, field = service.staff_sessions.login_form()
    response = HTMLResponse(
        render.login_page(base_path(request), error, field),
        status_code=status_code,
        headers={"WWW-Authenticate": "Bearer", **(headers or {})},
    )
    _form_cookie(request, response, LOGIN_COOKIE, nonce, "/staff")
    return response


SHOW = {"aabne": False, "behandlede": True, "alle": None}  # the gap list's filter: open, handled, all


@router.get("/staff", response_class=HTMLResponse, responses=UNAUTHORIZED_RESPONSE)
async def staff(
    request: Request,
    service: Service,
    erased: int | None = None,
    handled: int | None = None,
    pulje: Annotated[str, Query(max_length=100)] = "",
    vis: Annotated[str, Query(max_length=20)] = "aabne",
) -> Response:
    if not await run_in_threadpool(staff_authorized, request, service):
        if wants_json(request):
            raise UNAUTHORIZED
        return login_page(request, service)
    pools = await run_in_threadpool(service.pools)
    pool = pulje if pulje in {p.pool for p in pools} else None
    show = vis if vis in SHOW else "aabne"
    try:
        gaps = await run_in_threadpool(service.gaps, pool, 200, SHOW[show])
        problem = None
    except DatabaseUnavailable:
        gaps, problem = [], "Databasen er ikke tilgængelig lige nu, så listen kan ikke vises."
    zone = ZoneInfo(service.settings.timezone)
    filters = {"pool": pool or "", "show": show}
    page = render.staff_page(
        pools, gaps, zone, base_path(request), problem=problem, erased=erased, handled=handled, filters=filters
    )
    return HTMLResponse(page)


def pools_page(
    request: Request, service: WebService, message: str = "", error: str = "", status_code: int = 200
) -> HTMLResponse:
    nonce, field = service.staff_sessions.action_form()
    pools = review_pools(service.settings.corpus_dir)
    page = render.pools_page(pools, base_path(request), field, RESTART_NOTE, message=message, error=error)
    response = HTMLResponse(page, status_code=status_code)
    _form_cookie(request, response, ACTION_COOKIE, nonce, POOLS_PATH)
    return response


@router.get(POOLS_PATH, response_class=HTMLResponse, include_in_schema=False)
async def staff_pools(
    request: Request, service: Service, godkendt: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    if not await run_in_threadpool(staff_authorized, request, service):
        return login_page(request, service)
    message = f"Godkendt: {godkendt}." if godkendt else ""
    return await run_in_threadpool(pools_page, request, service, message)


@router.post(f"{POOLS_PATH}/godkend", include_in_schema=False, dependencies=[Staff])
async def staff_verify_fact(
    request: Request,
    service: Service,
    pulje: Annotated[str, Form(max_length=100)],
    key: Annotated[str, Form(pattern=r"^[a-z][a-z0-9_]*$", max_length=100)],
    round: Annotated[str, Form(pattern=r"^(\d{4})?$")] = "",
    csrf: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    """«Godkend»: marks one draft fact verified in corpus/<pool>/facts.yaml (a restart makes it reach answers)."""
    if not service.staff_sessions.action_form_valid(request.cookies.get(ACTION_COOKIE), csrf):
        error = "Siden er udløbet eller kom ikke herfra. Prøv igen fra denne side."
        return await run_in_threadpool(pools_page, request, service, "", error, 400)
    try:
        await run_in_threadpool(verify_fact, service.settings.corpus_dir, pulje, key, round or None)
    except FactReviewError as exc:
        return await run_in_threadpool(pools_page, request, service, "", str(exc), 409)
    done = urlencode({"godkendt": f"{pulje} / {key}" + (f" ({round})" if round else "")})
    return RedirectResponse(f"{base_path(request)}{POOLS_PATH}?{done}", status_code=303)


@router.post("/staff/handled", include_in_schema=False, dependencies=[Staff])
async def staff_handled_form(
    request: Request,
    service: Service,
    answer_id: Annotated[str, Form(pattern=ERASE_ID)],
    pulje: Annotated[str, Form(max_length=100)] = "",
    vis: Annotated[str, Form(max_length=20)] = "aabne",
) -> Response:
    marked = await run_in_threadpool(service.mark_handled, answer_id)
    query = urlencode({"pulje": pulje, "vis": vis if vis in SHOW else "aabne", "handled": int(marked)})
    return RedirectResponse(f"{base_path(request)}/staff?{query}", status_code=303)


@router.post(
    "/api/staff/gaps/{answer_id}/handled",
    response_model=HandledResponse,
    responses={**UNAUTHORIZED_RESPONSE, **ERRORS},
    dependencies=[Staff],
)
async def staff_handled(service: Service, answer_id: Annotated[str, Path(pattern=ERASE_ID)]) -> HandledResponse:
    """Marks a gap as handled, so it leaves the list of open gaps (it is kept until the retention ends)."""
    if not await run_in_threadpool(service.mark_handled, answer_id):
        raise ApiError(404, "unknown_answer", "Svaret findes ikke (længere).", "Unknown answer_id.")
    return HandledResponse()


@router.post("/staff/login", include_in_schema=False)
async def staff_login(
    request: Request,
    service: Service,
    token: Annotated[str, Form(max_length=500)] = "",
    csrf: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    retry_after = service.login_limit.hit(client_of(request, service.settings))
    if retry_after is not None:
        message = f"For mange forsøg. Vent {retry_after} sekunder, og prøv igen."
        return login_page(request, service, message, 429, {"Retry-After": str(retry_after)})
    if not service.staff_sessions.login_form_valid(request.cookies.get(LOGIN_COOKIE), csrf):
        return login_page(request, service, "Siden er udløbet eller kom ikke herfra. Log ind igen.", 400)
    expected = service.settings.staff_token.get_secret_value()
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return login_page(request, service, "Forkert adgangsnøgle. Prøv igen.")
    try:
        cookie = await run_in_threadpool(service.staff_sessions.start)
    except DatabaseUnavailable:
        message = "Databasen er ikke tilgængelig lige nu, så du kan ikke logge ind. Prøv igen om lidt."
        return login_page(request, service, message, 503)
    response = RedirectResponse(f"{base_path(request)}/staff", status_code=303)
    response.set_cookie(
        STAFF_COOKIE,
        cookie,
        max_age=service.staff_sessions.max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/staff/logout", include_in_schema=False)
async def staff_logout(request: Request, service: Service) -> Response:
    try:
        await run_in_threadpool(service.staff_sessions.end, request.cookies.get(STAFF_COOKIE))
    except DatabaseUnavailable:
        pass  # the cookie goes anyway; the session expires by itself
    response = RedirectResponse(f"{base_path(request)}/staff", status_code=303)
    response.delete_cookie(STAFF_COOKIE, path="/")
    return response


@router.post("/staff/erase", include_in_schema=False, dependencies=[Staff])
async def staff_erase_form(
    request: Request, service: Service, conversation: Annotated[str, Form(pattern=ERASE_ID)]
) -> Response:
    deleted = await run_in_threadpool(service.erase, conversation)
    return RedirectResponse(f"{base_path(request)}/staff?erased={deleted}", status_code=303)


@router.delete(
    "/api/staff/conversations/{conversation}",
    response_model=EraseResponse,
    responses={**UNAUTHORIZED_RESPONSE, **ERRORS},
    dependencies=[Staff],
)
async def staff_erase(service: Service, conversation: Annotated[str, Path(pattern=ERASE_ID)]) -> EraseResponse:
    """Deletes one answer (by answer_id) or a whole conversation (by session_id) with its feedback."""
    return EraseResponse(deleted=await run_in_threadpool(service.erase, conversation))


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
