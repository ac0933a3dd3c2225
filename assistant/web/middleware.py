"""ASGI middleware (pure ASGI, so streams are never buffered): security headers on every response, and the
gradio index page's <html lang="da">."""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders

_HTML_LANG = re.compile(rb'<html(\s+)lang="[^"]*"')
STAFF_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class WebHeadersMiddleware:
    """Pure ASGI (no buffering of streams): adds security headers; rewrites lang on the gradio index page,
    whose template hard-codes lang="en"."""

    def __init__(self, app) -> None:
        self.app = app

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
            return headers

        if not (path == "/" and scope["method"] == "GET"):

            async def send_with_headers(message: dict) -> None:
                if message["type"] == "http.response.start":
                    add_headers(message)
                await send(message)

            await self.app(scope, receive, send_with_headers)
            return

        start: dict | None = None
        chunks: list[bytes] = []

        async def send_rewritten(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = add_headers(start)
            if headers.get("content-type", "").startswith("text/html") and "content-encoding" not in headers:
                body = _HTML_LANG.sub(rb'<html\1lang="da"', body, count=1)
                headers["content-length"] = str(len(body))
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_rewritten)
