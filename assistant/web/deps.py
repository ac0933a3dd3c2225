"""FastAPI dependencies: the settings, the web service and the staff check."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Annotated

from fastapi import Depends, Request

from assistant.settings import Settings
from assistant.web.errors import ApiError
from assistant.web.service import WebService

STAFF_COOKIE = "tilskud_staff"
STAFF_SESSION_SECONDS = 12 * 3600


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


# Staff authentication: a bearer token, or a login form that sets an HttpOnly cookie holding an HMAC
# of an expiry time (never the token itself).


def cookie_value(token: str, expires: int) -> str:
    signature = hmac.new(token.encode(), f"staff:{expires}".encode(), hashlib.sha256).hexdigest()
    return f"{expires}.{signature}"


def staff_authorized(request: Request, settings: Settings) -> bool:
    token = settings.staff_token.get_secret_value()
    if not token:
        return False
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer " and hmac.compare_digest(auth[7:].strip().encode(), token.encode()):
        return True
    cookie = request.cookies.get(STAFF_COOKIE, "")
    expires, _, _signature = cookie.partition(".")
    if expires.isdigit() and int(expires) > time.time():
        return hmac.compare_digest(cookie.encode(), cookie_value(token, int(expires)).encode())
    return False


UNAUTHORIZED = ApiError(
    401,
    "unauthorized",
    "Kun for medarbejdere: log ind eller send en gyldig adgangsnøgle.",
    "Staff only: send 'Authorization: Bearer <token>' or log in.",
    headers={"WWW-Authenticate": "Bearer"},
)


def require_staff(request: Request, settings: AppSettings) -> None:
    if not staff_authorized(request, settings):
        raise UNAUTHORIZED


Staff = Depends(require_staff)
