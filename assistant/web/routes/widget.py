"""The embeddable widget, its demo host page, the service's icon and the whitelisted static assets."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from assistant.web import render
from assistant.web.errors import ApiError

router = APIRouter(include_in_schema=False)

STATIC_DIR = files("assistant.web") / "static"
STATIC_ASSETS = {
    "site.css": "text/css; charset=utf-8",
    "page.js": "text/javascript; charset=utf-8",
    "staff.js": "text/javascript; charset=utf-8",
    "widget.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}


def asset(name: str, max_age: int | None = None) -> FileResponse:
    headers = {"Cache-Control": f"public, max-age={max_age}"} if max_age is not None else None
    return FileResponse(str(STATIC_DIR / name), media_type=STATIC_ASSETS[name], headers=headers)


@router.get("/widget.js")
async def widget() -> FileResponse:
    return asset("widget.js", max_age=300)


@router.get("/favicon.ico")
async def favicon() -> FileResponse:
    # The service's own icon also where a page names none (browsers ask for /favicon.ico); SVG is fine here.
    return asset("favicon.svg", max_age=86400)


@router.get("/demo", response_class=HTMLResponse)
async def demo() -> HTMLResponse:
    return HTMLResponse(render.render("demo.html.j2"))


@router.get("/ui/{name}")
async def static_asset(name: str) -> FileResponse:
    if name not in STATIC_ASSETS:
        raise ApiError(404, "not_found", "Filen findes ikke.", "Not found.")
    return asset(name)
