"""ASGI middleware (pure ASGI, so streams are never buffered): request-body limit and read timeout, an
access log without query strings, and security headers on every response."""

from __future__ import annotations

import asyncio
import logging
import time

from fastapi import HTTPException
from starlette.datastructures import MutableHeaders

from assistant.web.errors import HTTP_TEXTS, error_json

access_log = logging.getLogger("assistant.web.access")


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413)


class BodyTimeout(HTTPException):
    def __init__(self) -> None:
        super().__init__(408)


def _error_response(status: int):
    code, da, en = HTTP_TEXTS[status]
    return error_json(status, code, da, en, {"Connection": "close"})


class BodyLimitMiddleware:
    """Refuses bodies over `max_bytes` with 413 before anything parses them (at once when Content-Length
    says so, else as soon as the count passes it), and a body that does not arrive in time with 408."""

    def __init__(self, app, max_bytes: int, timeout: float) -> None:
        self.app, self.max_bytes, self.timeout = app, max_bytes, timeout

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length and (not length.isdigit() or int(length) > self.max_bytes):
            await _error_response(413)(scope, receive, send)
            return
        deadline = time.monotonic() + self.timeout
        received = 0
        body_done = False

        async def limited_receive():
            nonlocal received, body_done
            if body_done:  # after the body only disconnects come; streams may wait on them for long
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise BodyTimeout() from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
                body_done = not message.get("more_body", False)
            return message

        started = False

        async def watch(message):
            nonlocal started
            started |= message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watch)
        except (BodyTooLarge, BodyTimeout) as exc:
            if started:
                raise
            await _error_response(exc.status_code)(scope, receive, send)


class AccessLogMiddleware:
    """One line per request: method, path (never the query string: it may carry a question), status, time."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def watch(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            ms = (time.perf_counter() - started) * 1000
            access_log.info("%s %s %d %.0f ms", scope["method"], scope["path"], status, ms)


STAFF_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
# Inline scripts and styles are allowed (Swagger UI at /docs starts with one; 'unsafe-eval' served the earlier
# gradio page and can go after a review of every page); nothing from elsewhere is.
PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:; worker-src 'self' blob:; "
    "connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors {ancestors}"
)


class WebHeadersMiddleware:
    """Security headers on every response (CSP with frame-ancestors on every HTML page)."""

    def __init__(self, app, frame_ancestors: list[str] = ()) -> None:
        self.app = app
        self.page_csp = PAGE_CSP.format(ancestors=" ".join(["'self'", *frame_ancestors]))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        staff = path == "/staff" or path.startswith(("/staff/", "/api/staff"))

        def add_headers(message: dict) -> MutableHeaders:
            headers = MutableHeaders(scope=message)
            headers.setdefault("x-content-type-options", "nosniff")
            headers.setdefault("referrer-policy", "same-origin")
            if staff:
                headers["x-frame-options"] = "DENY"
                headers["content-security-policy"] = STAFF_CSP
                headers["cache-control"] = "no-store"
            elif headers.get("content-type", "").startswith("text/html"):
                headers.setdefault("content-security-policy", self.page_csp)
            return headers

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                add_headers(message)
            await send(message)

        await self.app(scope, receive, send_with_headers)
