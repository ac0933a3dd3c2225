"""The public pages: the applicant page at "/" and the accessibility statement."""

from __future__ import annotations

import json
import logging
from datetime import date
from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from assistant.web import render
from assistant.web.deps import Service, base_path

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)

# When the accessibility statement was last reviewed (Digitaliseringsstyrelsen asks for the date).
STATEMENT_PREPARED = date(2026, 12, 1)


def load_examples() -> dict[str, list[str]]:
    """The example questions per pool ("" for all pools) from assistant/web/examples.json."""
    try:
        data = json.loads((files("assistant.web") / "examples.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.warning("assistant/web/examples.json is missing or invalid; no example questions shown")
        return {}
    return {k: [str(q) for q in v] for k, v in data.items() if not k.startswith("_") and isinstance(v, list)}


@router.get("/", response_class=HTMLResponse)
async def applicant_page(
    request: Request, service: Service, pulje: Annotated[str | None, Query(max_length=100)] = None
) -> HTMLResponse:
    pools = await run_in_threadpool(service.pools) if service.ready else []
    known = {p.pool for p in pools}
    examples = {k: v for k, v in load_examples().items() if k == "" or k in known}
    page = render.render(
        "applicant.html.j2",
        base=base_path(request),
        site=render.site_values(service.settings),
        pools=pools,
        selected=pulje if pulje in known else None,
        examples=examples,
    )
    return HTMLResponse(page)


@router.get("/tilgaengelighed", response_class=HTMLResponse)
async def accessibility_statement(request: Request, service: Service) -> HTMLResponse:
    page = render.render(
        "accessibility.html.j2",
        base=base_path(request),
        site=render.site_values(service.settings),
        prepared=f"{STATEMENT_PREPARED.day}. december {STATEMENT_PREPARED.year}",
    )
    return HTMLResponse(page)
