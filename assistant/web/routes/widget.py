"""The embeddable widget, its demo host page and the whitelisted static assets."""

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
}


@router.get("/widget.js")
async def widget() -> FileResponse:
    return FileResponse(
        str(STATIC_DIR / "widget.js"),
        media_type=STATIC_ASSETS["widget.js"],
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get("/demo", response_class=HTMLResponse)
async def demo() -> HTMLResponse:
    return HTMLResponse(render.render("demo.html.j2"))


@router.get("/ui/{name}")
async def static_asset(name: str) -> FileResponse:
    if name not in STATIC_ASSETS:
        raise ApiError(404, "not_found", "Filen findes ikke.", "Not found.")
    return FileResponse(str(STATIC_DIR / name), media_type=STATIC_ASSETS[name])
