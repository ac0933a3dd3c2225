"""FastAPI dependencies: the settings, the web service, the client's address, rate limits and staff."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from assistant.settings import Settings
from assistant.web.errors import ApiError, too_many_requests
from assistant.web.ratelimit import client_address
from assistant.web.service import WebService

STAFF_COOKIE = "tilskud_staff"


def get_service(request: Request) -> WebService:
    return request.app.state.service


def get_app_settings(request: Request) -> Settings:
    return request.app.state.service.settings


Service = Annotated[WebService, Depends(get_service)]
AppSettings = Annotated[Settings, Depends(get_app_settings)]


def base_path(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def client_of(request: Request, settings: Settings) -> str:
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), settings.trusted_proxies)


def rate_limited(request: Request, service: Service) -> str:
    """The per-client limit on the routes that cost an answer or a write (ASSISTANT_RATE_LIMIT); returns
    the client's key, which the answering slots use for fairness."""
    client = client_of(request, service.settings)
    retry_after = service.ask_limit.hit(client)
    if retry_after is not None:
        raise too_many_requests(retry_after)
    return client


RateLimited = Depends(rate_limited)
Client = Annotated[str, RateLimited]


# Staff: a bearer token (for scripts), or the login form's server-side session behind a signed cookie.


def staff_authorized(request: Request, service: WebService) -> bool:
    token = service.settings.staff_token.get_secret_value()
    auth = request.headers.get("authorization", "")
    if token and auth[:7].lower() == "bearer " and hmac.compare_digest(auth[7:].strip().encode(), token.encode()):
        return True
    return service.staff_sessions.valid(request.cookies.get(STAFF_COOKIE))


UNAUTHORIZED = ApiError(
    401,
    "unauthorized",
    "Kun for medarbejdere: log ind eller send en gyldig adgangsnøgle.",
    "Staff only: send 'Authorization: Bearer <token>' or log in.",
    headers={"WWW-Authenticate": "Bearer"},
)


def require_staff(request: Request, service: Service) -> None:
    if not staff_authorized(request, service):
        raise UNAUTHORIZED


Staff = Depends(require_staff)
