"""Server-rendered HTML: Jinja2 templates with autoescaping; Python only decides which runs of text are
bold or highlighted, never writes markup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote as urlquote
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from assistant.settings import Settings
from assistant.storage import Gap
from assistant.web.schemas import AskResponse, PoolOut, SectionOut, source_path


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("assistant.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, **values) -> str:
    return environment().get_template(name).render(**values)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    marked: bool = False


def _runs(text: str, bold: list[bool], marked: list[bool]) -> list[Run]:
    out: list[Run] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and (bold[j], marked[j]) == (bold[i], marked[i]):
            j += 1
        out.append(Run(text[i:j], bold[i], marked[i]))
        i = j
    return out


def _mark(text: str, fragments: list[str], marked: list[bool]) -> bool:
    found = False
    for fragment in fragments:
        if not fragment:
            continue
        start = text.find(fragment)
        while start >= 0:
            found = True
            marked[start : start + len(fragment)] = [True] * len(fragment)
            start = text.find(fragment, start + len(fragment))
    return found


def quote_fragments(quote: str) -> list[str]:
    text = re.sub(r"\s+", " ", quote.replace("**", "")).strip()
    # A quote joins the section's best sentences, which need not stand next to each other: look for the
    # whole quote and for each sentence ("7. august", "kl. 23:59" are not sentence ends).
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«»\"(])", text)
    return [text] + [f for f in sentences if len(f) >= 3 and f != text]


def highlight_paragraph(paragraph: str, fragments: list[str]) -> tuple[list[Run], bool]:
    """A paragraph as runs: **bold** kept, every quoted fragment marked. Returns (runs, found)."""
    plain: list[str] = []
    bold: list[bool] = []
    inside = False
    for part in re.split(r"(\*\*)", paragraph):
        if part == "**":
            inside = not inside
            continue
        plain.extend(part)
        bold.extend([inside] * len(part))
    text = "".join(plain)
    marked = [False] * len(text)
    found = _mark(text, fragments, marked)
    for gap in re.finditer(r"\s+", text):  # one <mark> across the space between two quoted sentences
        if gap.start() > 0 and gap.end() < len(text) and marked[gap.start() - 1] and marked[gap.end()]:
            marked[gap.start() : gap.end()] = [True] * (gap.end() - gap.start())
    return _runs(text, bold, marked), found


def site_values(settings: Settings) -> dict:
    """What the public pages' header and footer say (service, authority, contact, retention)."""
    names = ("service_name", "authority", "contact_email", "contact_phone", "contact_hours", "retention_days")
    return {name: getattr(settings, name) for name in names}


def source_page(
    section: SectionOut, children: list, quote: str | None, base: str, site: dict, document_url: str | None = None
) -> str:
    fragments = quote_fragments(quote) if quote else []
    paragraphs = []
    any_found = False
    for paragraph in section.paragraphs:
        runs, found = highlight_paragraph(paragraph, fragments)
        # The first highlighted paragraph is the jump target of the "#citat" in every source link.
        paragraphs.append({"runs": runs, "target": found and not any_found})
        any_found |= found
    return render(
        "source.html.j2",
        base=base,
        page_title=section.label,
        document_title=section.document.title,
        heading=section.title,
        label=section.label,
        publisher=section.document.publisher,
        year=section.document.year,
        quote_state=("found" if any_found else "missing") if quote else None,
        error=None,
        paragraphs=paragraphs,
        empty=not section.paragraphs,
        children=[{"title": c.title, "url": source_path(c.doc_id, c.section)} for c in children],
        site=site,
        document_url=document_url,
        ask_url=ask_path(section),
    )


def ask_path(section: SectionOut) -> str:
    question = f"Om afsnittet »{section.title}« ({section.label}): "
    pool = f"pulje={urlquote(section.pool, safe='')}&" if section.pool else ""
    return f"/?{pool}spoerg={urlquote(question, safe='')}"


def not_found_page(base: str, message: str, site: dict) -> str:
    return render(
        "source.html.j2",
        base=base,
        page_title="Ikke fundet",
        document_title="",
        heading="Afsnittet findes ikke",
        label="–",
        publisher="–",
        year="–",
        quote_state=None,
        error=message,
        paragraphs=[],
        empty=False,
        children=[],
        site=site,
        document_url=None,
        ask_url=None,
    )


def staff_page(
    pools: list[PoolOut],
    gaps: list[Gap],
    zone: ZoneInfo,
    base: str,
    problem: str | None = None,
    erased: int | None = None,
    handled: int | None = None,
    filters: dict | None = None,
) -> str:
    names = {p.pool: p.name for p in pools}
    groups: dict[str | None, list[dict]] = {}
    for gap in gaps:  # newest first overall, so each pool's group is newest first too
        when: datetime = gap.created_at.astimezone(zone)
        groups.setdefault(gap.pool, []).append({**gap.model_dump(), "when": when})
    grouped = [
        {"title": names.get(pool, pool) if pool else "Ingen pulje valgt", "gaps": items}
        for pool, items in groups.items()
    ]
    return render(
        "staff.html.j2",
        base=base,
        pools=pools,
        groups=grouped,
        problem=problem,
        erased=erased,
        handled=handled,
        filters=filters or {"pool": "", "show": "aabne"},
    )


def pools_page(pools: list, base: str, csrf: str, restart_note: str, message: str = "", error: str = "") -> str:
    """The staff page «Puljer»: each pool's documents and facts, drafts with a «Godkend» form."""
    return render(
        "staff_pools.html.j2",
        base=base,
        pools=pools,
        csrf=csrf,
        restart_note=restart_note,
        message=message,
        error=error,
    )


def login_page(base: str, error: str = "", csrf: str = "") -> str:
    return render("staff_login.html.j2", base=base, error=error, csrf=csrf)


def user_message_html(text: str) -> str:
    # User text is escaped and put in an HTML block, so neither HTML nor Markdown in it is interpreted.
    return render("chat_user.html.j2", text=text).strip()


def _text_blocks(text: str, displays: list[str]) -> list[dict]:
    """Answer text as blocks: blank lines part paragraphs, runs of "- " lines become a list; facts marked."""

    def line_runs(line: str) -> list[Run]:
        marked = [False] * len(line)
        _mark(line, displays, marked)
        return _runs(line, [False] * len(line), marked)

    blocks: list[dict] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            if blocks and blocks[-1]["kind"] == "p":
                blocks.append({"kind": "break", "lines": []})
            continue
        kind = "ul" if stripped.startswith(("- ", "• ")) else "p"
        content = stripped[2:] if kind == "ul" else stripped
        if not blocks or blocks[-1]["kind"] != kind:
            blocks.append({"kind": kind, "lines": []})
        blocks[-1]["lines"].append(line_runs(content))
    return [b for b in blocks if b["kind"] != "break"]


def answer_html(response: AskResponse) -> str:
    """An answer for the chat: text with its facts highlighted, then fact chips and source cards. On one
    line (no blank lines) so the chat's Markdown renderer keeps it as one HTML block."""
    displays = sorted({f.display for f in response.facts if f.display}, key=len, reverse=True)
    html = render("chat_answer.html.j2", blocks=_text_blocks(response.answer, displays), response=response)
    return "".join(line.strip() for line in html.splitlines())
