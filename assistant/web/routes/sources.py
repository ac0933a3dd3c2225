"""Pools, their facts and the source view (JSON and the HTML page with the quote highlighted)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote as urlquote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from assistant.errors import UnknownSection
from assistant.web import render
from assistant.web.deps import Service, base_path
from assistant.web.responses import ERRORS
from assistant.web.schemas import FactOut, PoolOut, SectionOut, source_path

router = APIRouter()


@router.get("/api/pools", response_model=list[PoolOut], tags=["puljer"])
async def pools(service: Service) -> list[PoolOut]:
    return await run_in_threadpool(service.pools)


@router.get("/api/pools/{pool}/facts", response_model=list[FactOut], tags=["puljer"], responses=ERRORS)
async def facts(pool: str, service: Service) -> list[FactOut]:
    return await run_in_threadpool(service.facts, pool)


@router.get("/api/sources/{doc_id}/{section}", response_model=SectionOut, tags=["kilder"], responses=ERRORS)
async def source(doc_id: str, section: str, service: Service) -> SectionOut:
    return service.section(doc_id, section)


@router.get("/sources/{doc_id}/{section}", response_class=HTMLResponse, tags=["kilder"])
async def source_page(
    request: Request,
    doc_id: str,
    section: str,
    service: Service,
    quote: Annotated[str | None, Query(max_length=5000)] = None,
) -> HTMLResponse:
    base = base_path(request)
    site = render.site_values(service.settings)
    try:
        out = service.section(doc_id, section)
    except UnknownSection as exc:
        return HTMLResponse(render.not_found_page(base, str(exc), site), status_code=404)
    children = service.subsections(doc_id, out)
    document = f"/sources/{urlquote(doc_id, safe='')}"
    return HTMLResponse(render.source_page(out, children, quote, base, site, document_url=document))


@router.get("/sources/{doc_id}", response_class=HTMLResponse, tags=["kilder"])
async def document_page(request: Request, doc_id: str, service: Service) -> HTMLResponse:
    """The whole document as a table of contents: the "original document" a source page links to."""
    base = base_path(request)
    site = render.site_values(service.settings)
    try:
        doc = service.assistant.corpus.document(doc_id)
    except (UnknownSection, KeyError):
        message = f"Dokumentet {doc_id!r} findes ikke."
        return HTMLResponse(render.not_found_page(base, message, site), status_code=404)
    sections = [{"title": s.title, "level": s.level, "url": source_path(s.doc_id, s.section)} for s in doc.sections]
    meta = doc.meta
    page = render.render(
        "document.html.j2",
        base=base,
        site=site,
        title=meta.title,
        publisher=meta.publisher,
        year=meta.year,
        sections=sections,
    )
    return HTMLResponse(page)
