"""HTTP edge: the FastAPI app factory — JSON API, source view, staff hotline view, embeddable widget and the
gradio applicant page, all calling one in-process Assistant."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import importlib.resources
import json
import logging
import os
import re
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from contextlib import asynccontextmanager
from string import Template
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import quote as urlquote
from zoneinfo import ZoneInfo


from fastapi import FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import (AssistantError, IndexMissing, IndexStale, InvalidQuestion, UnknownAnswer, UnknownPool,
                              UnknownSection)
from assistant.models import Answer, Citation, Fact, PoolInfo, Section
from assistant.settings import PROJECT_ROOT, Settings, get_settings
from assistant.storage import Gap, Storage

if TYPE_CHECKING:
    from assistant.assistant import Assistant

logger = logging.getLogger(__name__)

UI_DIR = PROJECT_ROOT / "ui"
STAFF_COOKIE = "tilskud_staff"
STAFF_SESSION_SECONDS = 12 * 3600
ALL_POOLS = "alle"  # the applicant page's "Alle puljer" choice
MAX_HISTORY = 20  # messages a client may send, and messages a chat session keeps

# ---------------------------------------------------------------------------------------------------
# HTTP contract: one model per direction, built from the library's types so internals can change.
# ---------------------------------------------------------------------------------------------------


class ApiModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HistoryMessage(ApiModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=10_000)


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class AskRequest(ApiModel):
    # No min/max length here: the Assistant's own check gives the Danish message ("Spørgsmålet er tomt",
    # "for langt (2001 tegn); højst 2000 tegn"); the bound below only stops absurd payloads early.
    question: str = Field(max_length=20_000, description="Spørgsmålet på dansk (eller engelsk), højst 2000 tegn.",
                          examples=["Hvornår er ansøgningsfristen?"])
    pool: str | None = Field(default=None, description="Puljens id, fx saerligsoc-2025; udelades for alle puljer.",
                             examples=["saerligsoc-2025"])
    history: list[HistoryMessage] = Field(default_factory=list, max_length=MAX_HISTORY,
                                          description="Tidligere beskeder i samtalen, ældste først.")

    _pool = field_validator("pool", mode="before")(_blank_is_none)


class ChatRequest(ApiModel):
    question: str = Field(max_length=20_000, examples=["Hvem kan søge?"])
    pool: str | None = Field(default=None, examples=["saerligsoc-2025"])
    session_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]*$",
                                   description="Udelades i første besked; brug derefter det returnerede id.")

    _pool = field_validator("pool", "session_id", mode="before")(_blank_is_none)


class CitationOut(ApiModel):
    doc_id: str
    section: str
    title: str
    label: str
    quote: str
    item: int | None = None
    score: float
    url: str = Field(description="Kildevisningen med citatet fremhævet (relativ til serveren).")

    @classmethod
    def from_citation(cls, c: Citation) -> "CitationOut":
        return cls(doc_id=c.doc_id, section=c.section, title=c.title, label=c.label or c.title, quote=c.quote,
                   item=c.item, score=c.score, url=source_path(c.doc_id, c.section, c.quote))


class FactOut(ApiModel):
    key: str
    label: str = Field(description="Hvad faktummet er, på dansk.")
    value: Any = None
    display: str
    doc_id: str
    section: str
    quote: str
    source_label: str
    url: str

    @classmethod
    def from_fact(cls, f: Fact, label: Callable[[str, str], str]) -> "FactOut":
        name = f.label or f.key.replace("_", " ").capitalize()
        return cls(key=f.key, label=name, value=f.value, display=f.display, doc_id=f.doc_id, section=f.section, quote=f.quote,
                   source_label=label(f.doc_id, f.section), url=source_path(f.doc_id, f.section, f.quote))


class AskResponse(ApiModel):
    answer_id: str = Field(description="Bruges til POST /api/feedback.")
    question: str
    pool: str | None
    answer: str
    citations: list[CitationOut]
    facts: list[FactOut]
    abstained: bool
    clarification: str | None = None

    @classmethod
    def from_answer(cls, answer: Answer, answer_id: str, label: Callable[[str, str], str]) -> "AskResponse":
        return cls(answer_id=answer_id, question=answer.question, pool=answer.pool, answer=answer.answer,
                   citations=[CitationOut.from_citation(c) for c in answer.citations],
                   facts=[FactOut.from_fact(f, label) for f in answer.facts], abstained=answer.abstained,
                   clarification=answer.clarification)


class ChatResponse(AskResponse):
    session_id: str


class PoolOut(ApiModel):
    pool: str
    name: str
    short_name: str
    documents: list[str]
    deadline: FactOut | None = None
    deadline_passed: bool | None = None
    open: bool | None = Field(default=None, description="Om puljen kan søges nu (fristen er ikke udløbet).")


class ItemOut(ApiModel):
    number: int
    text: str


class DocumentOut(ApiModel):
    doc_id: str
    title: str
    short_title: str
    kind: str
    pool: str | None
    year: int
    publisher: str


class SectionOut(ApiModel):
    doc_id: str
    section: str
    title: str
    level: int
    label: str
    paragraphs: list[str]
    items: list[ItemOut]
    pool: str | None
    kind: str
    url: str
    document: DocumentOut


class FeedbackRequest(ApiModel):
    answer_id: str = Field(min_length=1, max_length=64)
    vote: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)


class FeedbackResponse(ApiModel):
    ok: bool = True
    feedback_id: int


class GapsResponse(ApiModel):
    items: list[Gap]


class StaffAskRequest(ApiModel):
    question: str = Field(max_length=20_000)
    pool: str | None = None

    _pool = field_validator("pool", mode="before")(_blank_is_none)


class StaffAskResponse(ApiModel):
    answer: AskResponse
    pool: str | None = Field(description="Puljen, som fakta og FAQ er hentet fra.")
    sections: list[SectionOut] = Field(description="Hele afsnittene bag hver kilde.")
    faq: list[SectionOut] = Field(description="Relaterede spørgsmål og svar fra puljens FAQ.")
    facts: list[FactOut]
    reply_da: str = Field(description="Et færdigt svar til ansøgeren med kilder.")


class ErrorDetail(ApiModel):
    code: str
    message_da: str
    message_en: str


class ErrorResponse(ApiModel):
    error: ErrorDetail


def source_path(doc_id: str, section: str, quote: str | None = None) -> str:
    path = f"/sources/{urlquote(doc_id, safe='')}/{urlquote(section, safe='')}"
    return f"{path}?quote={urlquote(quote, safe='')}#citat" if quote else path


# ---------------------------------------------------------------------------------------------------
# Errors: every failure leaves as {"error": {code, message_da, message_en}}; traces stay in the log.
# ---------------------------------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status: int, code: str, message_da: str, message_en: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message_en)
        self.status, self.code, self.message_da, self.message_en, self.headers = (
            status, code, message_da, message_en, headers)


INTERNAL_DA = "Der skete en uventet fejl hos Tilskudsassistenten. Prøv igen om lidt."
INTERNAL_EN = "An unexpected error occurred. Please try again later."
NOT_READY = ApiError(503, "not_ready", "Tilskudsassistenten starter op. Prøv igen om et øjeblik.",
                     "The assistant is starting; try again in a moment.")


def error_json(status: int, code: str, message_da: str, message_en: str,
               headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorDetail(code=code, message_da=message_da, message_en=message_en))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _split_bilingual(message: str) -> tuple[str, str]:
    # The library writes "Dansk besked. / English message." (assistant.validate_question and friends).
    if " / " in message:
        da, en = message.rsplit(" / ", 1)
        return da.strip(), en.strip()
    return message, message


def assistant_error(exc: AssistantError) -> ApiError:
    if isinstance(exc, InvalidQuestion):
        return ApiError(422, "invalid_question", *_split_bilingual(str(exc)))
    if isinstance(exc, UnknownPool):
        return ApiError(404, "unknown_pool", str(exc), "Unknown pool; GET /api/pools lists the known pools.")
    if isinstance(exc, UnknownSection):
        return ApiError(404, "unknown_section", str(exc), "Unknown document or section.")
    if isinstance(exc, UnknownAnswer):
        return ApiError(404, "unknown_answer", str(exc), "Unknown answer_id; feedback must refer to a given answer.")
    if isinstance(exc, (IndexMissing, IndexStale)):
        return ApiError(503, "index_unavailable", "Søgeindekset er ikke klar. Prøv igen om lidt.",
                        "The search index is not available.")
    return ApiError(500, "internal_error", INTERNAL_DA, INTERNAL_EN)


def _validation_message_da(error: dict) -> str:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header")]
    field = f"Feltet »{'.'.join(loc)}«" if loc else "Forespørgslen"
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"{field} mangler."
    if kind == "json_invalid":
        return "Forespørgslen er ikke gyldig JSON."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "Forespørgslen skal være et JSON-objekt."
    if kind == "extra_forbidden":
        return f"{field} kendes ikke og må ikke sendes med."
    if kind in ("string_too_long", "too_long"):
        return f"{field} er for langt: højst {ctx.get('max_length', '?')} " + (
            "tegn." if kind == "string_too_long" else "elementer.")
    if kind in ("string_too_short", "too_short"):
        return f"{field} er for kort eller tomt."
    if kind == "literal_error":
        return f"{field} skal være en af: {ctx.get('expected', '')}."
    if kind == "string_pattern_mismatch":
        return f"{field} har et ugyldigt format."
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{field} har en forkert type."
    return f"{field} er ugyldigt."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_json(exc.status, exc.code, exc.message_da, exc.message_en, exc.headers)

    @app.exception_handler(AssistantError)
    async def _assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        mapped = assistant_error(exc)
        if mapped.status >= 500:
            logger.error("%s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
        return error_json(mapped.status, mapped.code, mapped.message_da, mapped.message_en)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        message_en = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}" for e in errors[:3])
        return error_json(422, "invalid_request", _validation_message_da(first), message_en or "Invalid request.")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        texts = {404: ("not_found", "Siden eller ressourcen findes ikke.", "Not found."),
                 405: ("method_not_allowed", "Metoden er ikke tilladt her.", "Method not allowed.")}
        code, da, en = texts.get(exc.status_code, ("http_error", "Forespørgslen kunne ikke behandles.",
                                                   str(exc.detail)))
        return error_json(exc.status_code, code, da, en, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_json(500, "internal_error", INTERNAL_DA, INTERNAL_EN)


# ---------------------------------------------------------------------------------------------------
# The in-process service that routes and the gradio page share.
# ---------------------------------------------------------------------------------------------------


class ChatSessions:
    """Server-side chat history: bounded in sessions (least recently used dropped), messages and age."""

    def __init__(self, max_sessions: int = 2000, max_messages: int = MAX_HISTORY, ttl_seconds: int = 6 * 3600):
        self._sessions: OrderedDict[str, tuple[float, list[dict]]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_sessions, self.max_messages, self.ttl = max_sessions, max_messages, ttl_seconds

    def history(self, session_id: str | None) -> tuple[str, list[dict]]:
        """The session's messages; an unknown or expired id starts a new session with a fresh id."""
        now = time.monotonic()
        with self._lock:
            entry = self._sessions.get(session_id) if session_id else None
            if entry is None or now - entry[0] > self.ttl:
                if entry is not None:
                    del self._sessions[session_id]
                return secrets.token_urlsafe(16), []
            return session_id, list(entry[1])

    def append(self, session_id: str, *messages: dict) -> None:
        with self._lock:
            _, history = self._sessions.pop(session_id, (0.0, []))
            history = (history + list(messages))[-self.max_messages:]
            self._sessions[session_id] = (time.monotonic(), history)
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)

    def __len__(self) -> int:
        return len(self._sessions)


class WebService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.assistant: Assistant | None = None
        self.storage: Storage | None = None
        self.sessions = ChatSessions()
        # One question at a time: ask() is CPU-bound (2 cores) and the embedding engine is not documented
        # as thread-safe, so the threadpool keeps the event loop free while this lock keeps ask() serial.
        self._ask_lock = threading.Lock()

    def start(self) -> None:
        from assistant.assistant import Assistant

        self.storage = Storage.from_settings(self.settings)
        self.assistant = Assistant.load(self.settings)
        if self.settings.staff_token.get_secret_value() in ("", "skift-mig"):
            logger.warning("ASSISTANT_STAFF_TOKEN is the default; set a secret token before going live")

    def stop(self) -> None:
        if self.storage is not None:
            self.storage.close()

    @property
    def ready(self) -> bool:
        return self.assistant is not None and self.storage is not None

    def _require(self) -> tuple["Assistant", Storage]:
        if self.assistant is None or self.storage is None:
            raise NOT_READY
        return self.assistant, self.storage

    def label(self, doc_id: str, section: str) -> str:
        try:
            return self.assistant.corpus.citation_label(doc_id, section) if self.assistant else section
        except UnknownSection:
            return f"{doc_id}, {section}"

    def ask(self, question: str, pool: str | None, history: list[dict] | None, channel: str) -> AskResponse:
        assistant, storage = self._require()
        with self._ask_lock:
            answer = assistant.ask(question, pool=pool, history=history or None)
        response = AskResponse.from_answer(answer, uuid.uuid4().hex, self.label)
        try:
            storage.log_question(answer_id=response.answer_id, question=answer.question, pool=answer.pool or pool,
                                 channel=channel, answer=answer.answer, abstained=answer.abstained,
                                 citations=[c.label for c in response.citations])
        except Exception:  # the applicant still gets the answer; only its feedback link is lost
            logger.exception("could not log question %s", response.answer_id)
        return response

    def chat(self, question: str, pool: str | None, session_id: str | None, channel: str) -> ChatResponse:
        session_id, history = self.sessions.history(session_id)
        response = self.ask(question, pool, history, channel)
        self.sessions.append(session_id, {"role": "user", "content": question},
                             {"role": "assistant", "content": response.answer})
        return ChatResponse(**response.model_dump(), session_id=session_id)

    def feedback(self, answer_id: str, vote: Literal["up", "down"], comment: str | None) -> int:
        _, storage = self._require()
        return storage.add_feedback(answer_id=answer_id, vote=vote, comment=comment)

    def pools(self) -> list[PoolOut]:
        assistant, _ = self._require()
        return [self._pool_out(p) for p in assistant.pools()]

    def _pool_out(self, info: PoolInfo) -> PoolOut:
        deadline = FactOut.from_fact(info.deadline, self.label) if info.deadline else None
        is_open = None if info.deadline_passed is None else not info.deadline_passed
        return PoolOut(pool=info.pool, name=info.name, short_name=info.short_name, documents=list(info.documents),
                       deadline=deadline, deadline_passed=info.deadline_passed, open=is_open)

    def facts(self, pool: str) -> list[FactOut]:
        assistant, _ = self._require()
        return [FactOut.from_fact(f, self.label) for f in assistant.facts(pool)]

    def section(self, doc_id: str, section: str) -> SectionOut:
        assistant, _ = self._require()
        sec: Section = assistant.corpus.section(doc_id, section)
        meta = assistant.corpus.document(doc_id).meta
        return SectionOut(doc_id=sec.doc_id, section=sec.section, title=sec.title, level=sec.level,
                          label=assistant.corpus.citation_label(doc_id, section), paragraphs=list(sec.paragraphs),
                          items=[ItemOut(number=i.number, text=i.text) for i in sec.items], pool=sec.pool,
                          kind=sec.kind, url=source_path(doc_id, section),
                          document=DocumentOut(doc_id=meta.doc_id, title=meta.title, short_title=meta.short_title,
                                               kind=meta.kind, pool=meta.pool, year=meta.year,
                                               publisher=meta.publisher))

    def gaps(self, pool: str | None, limit: int) -> list[Gap]:
        _, storage = self._require()
        return storage.gaps(pool=pool, limit=limit)

    def staff_ask(self, question: str, pool: str | None, base_url: str) -> StaffAskResponse:
        assistant, _ = self._require()
        answer = self.ask(question, pool, None, channel="staff")
        focus = pool or answer.pool or next(
            (s.pool for c in answer.citations if (s := assistant.corpus.sections.get((c.doc_id, c.section)))
             and s.pool), None)
        seen: set[tuple[str, str]] = set()
        sections = []
        for c in answer.citations:
            if (c.doc_id, c.section) not in seen:
                seen.add((c.doc_id, c.section))
                sections.append(self.section(c.doc_id, c.section))
        faq: list[SectionOut] = []
        if focus is not None:
            with self._ask_lock:
                hits = assistant.retriever.search(
                    answer.question, allowed=lambda c: c.kind == "faq" and c.pool in (focus, None), limit=10)
            for hit in hits:
                key = (hit.chunk.doc_id, hit.chunk.section)
                if key not in seen and len(faq) < 3:
                    seen.add(key)
                    faq.append(self.section(*key))
        facts = self.facts(focus) if focus is not None else []
        return StaffAskResponse(answer=answer, pool=focus, sections=sections, faq=faq, facts=facts,
                                reply_da=compose_reply(answer, base_url))


def compose_reply(answer: AskResponse, base_url: str) -> str:
    """A reply the hotline can paste into an e-mail: the answer, then numbered sources with links."""
    base = base_url.rstrip("/")
    if answer.abstained:
        body = ("Vejledningerne til puljen besvarer ikke dit spørgsmål direkte. [Skriv dit svar her, eller "
                "henvis til det relevante afsnit i vejledningen.]")
    else:
        body = answer.answer
    lines = ["Kære ansøger", "", "Tak for dit spørgsmål.", "", body]
    if answer.clarification:
        lines += ["", answer.clarification]
    if answer.citations:
        lines += ["", "Kilder:"]
        lines += [f"{i}. {c.label}: {base}{source_path(c.doc_id, c.section)}"
                  for i, c in enumerate(answer.citations, 1)]
    lines += ["", "Svaret bygger på de offentliggjorte vejledninger til puljen. Læs altid hele vejledningen, "
                  "før du søger.", "", "Med venlig hilsen", "", "[Navn]", "Social- og Boligstyrelsen"]
    return "\n".join(lines)


def sentence_pieces(text: str) -> list[str]:
    """The answer in sentence-sized pieces that concatenate back to exactly the answer."""
    parts = re.split(r"(?<=[.!?)»])(\s+)", text)
    pieces = [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    return [p for p in pieces if p]


def sse(event: str, data: Any) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"event: {event}\ndata: {payload}\n\n".encode()


# ---------------------------------------------------------------------------------------------------
# Staff authentication: a bearer token, or a login form that sets an HttpOnly cookie holding an HMAC
# of an expiry time (never the token itself).
# ---------------------------------------------------------------------------------------------------


def _cookie_value(token: str, expires: int) -> str:
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
        return hmac.compare_digest(cookie.encode(), _cookie_value(token, int(expires)).encode())
    return False


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


# ---------------------------------------------------------------------------------------------------
# Server-rendered HTML (source view, staff view): templates in ui/, every value escaped here.
# ---------------------------------------------------------------------------------------------------

esc = html.escape


def render_template(name: str, **values: str) -> str:
    return Template((UI_DIR / name).read_text(encoding="utf-8")).safe_substitute(values)


def _quote_fragments(quote: str) -> list[str]:
    text = re.sub(r"\s+", " ", quote.replace("**", "")).strip()
    # A quote joins the section's best sentences, which need not stand next to each other: look for the
    # whole quote and for each sentence ("7. august", "kl. 23:59" are not sentence ends).
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«»\"(])", text)
    return [text] + [f for f in sentences if len(f) >= 3 and f != text]


def highlight_paragraph(paragraph: str, fragments: list[str]) -> tuple[str, bool]:
    """A paragraph as HTML: escaped, **bold** kept, every quoted fragment in <mark>. Returns (html, found)."""
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
    found = False
    for fragment in fragments:
        start = text.find(fragment)
        while start >= 0:
            found = True
            for i in range(start, start + len(fragment)):
                marked[i] = True
            start = text.find(fragment, start + len(fragment))
    for gap in re.finditer(r"\s+", text):  # one <mark> across the space between two quoted sentences
        if gap.start() > 0 and gap.end() < len(text) and marked[gap.start() - 1] and marked[gap.end()]:
            marked[gap.start():gap.end()] = [True] * (gap.end() - gap.start())
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and (bold[j], marked[j]) == (bold[i], marked[i]):
            j += 1
        piece = esc(text[i:j])
        if bold[i]:
            piece = f"<strong>{piece}</strong>"
        if marked[i]:
            piece = f"<mark>{piece}</mark>"
        out.append(piece)
        i = j
    return "".join(out), found


def render_source_page(service: WebService, doc_id: str, section: str, quote: str | None, base: str) -> str:
    assistant, _ = service._require()
    out = service.section(doc_id, section)
    fragments = _quote_fragments(quote) if quote else []
    body: list[str] = []
    first_mark = True
    any_found = False
    for paragraph in out.paragraphs:
        rendered, found = highlight_paragraph(paragraph, fragments)
        if found and first_mark:
            # The first highlighted paragraph is the jump target of the "#citat" in every source link.
            body.append(f'<p id="citat" tabindex="-1">{rendered}</p>')
            first_mark = False
        else:
            body.append(f"<p>{rendered}</p>")
        any_found |= found
    if not out.paragraphs:
        body.append('<p class="meta">Afsnittet har ingen tekst ud over underafsnittene nedenfor.</p>')
    if quote and any_found:
        note = ('<p class="note">Det citerede tekststykke er <mark>fremhævet</mark>. '
                '<a href="#citat">Gå til citatet</a>.</p>')
    elif quote:
        note = ('<p class="note">Det citerede tekststykke blev ikke fundet ordret i afsnittet; '
                'hele afsnittet vises.</p>')
    else:
        note = ""
    doc = assistant.corpus.document(doc_id)
    children = [s for s in doc.sections if s.section.startswith(section + ".") and s.level == out.level + 1]
    children_html = ""
    if children:
        links = "".join(f'<li><a href="{esc(base + source_path(doc_id, s.section))}">{esc(s.title)}</a></li>'
                        for s in children)
        children_html = f'<nav aria-labelledby="under"><h2 id="under">Underafsnit</h2><ul>{links}</ul></nav>'
    return render_template(
        "source.html", base=esc(base), page_title=esc(out.label), document_title=esc(out.document.title),
        heading=esc(out.title), label=esc(out.label), publisher=esc(out.document.publisher),
        year=str(out.document.year), quote_note=note, body="\n".join(body), children=children_html)


def render_not_found_page(base: str, message: str) -> str:
    return render_template(
        "source.html", base=esc(base), page_title="Ikke fundet", document_title="", heading="Afsnittet findes ikke",
        label="–", publisher="–", year="–", quote_note=f'<p class="error">{esc(message)}</p>',
        body=f'<p><a href="{esc(base)}/">Tilbage til Tilskudsassistenten</a></p>', children="")


def render_staff_page(service: WebService, base: str) -> str:
    pools = service.pools()
    names = {p.pool: p.name for p in pools}
    options = "\n".join(f'<option value="{esc(p.pool)}">{esc(p.name)}</option>' for p in pools)
    gaps = service.gaps(pool=None, limit=200)
    zone = ZoneInfo(service.settings.timezone)
    if not gaps:
        gaps_html = '<p class="meta">Ingen ubesvarede eller dårligt bedømte spørgsmål endnu.</p>'
    else:
        groups: OrderedDict[str | None, list[Gap]] = OrderedDict()
        for gap in gaps:  # newest first overall, so each pool's group is newest first too
            groups.setdefault(gap.pool, []).append(gap)
        parts = []
        for pool, items in groups.items():
            title = names.get(pool, pool) if pool else "Ingen pulje valgt"
            rows = []
            for g in items:
                when = g.created_at.astimezone(zone)
                tag = ("Ubesvaret", "abstained") if g.reason == "abstained" else ("Tommel ned", "thumbs_down")
                comment = f'<br><span class="meta">Kommentar: {esc(g.comment)}</span>' if g.comment else ""
                rows.append(f'<li><time datetime="{when.isoformat()}">{when:%d.%m.%Y %H:%M}</time> '
                            f'<span class="tag {tag[1]}">{tag[0]}</span> '
                            f'<span class="meta">({esc(g.channel)})</span><br>{esc(g.question)}{comment}</li>')
            parts.append(f"<h3>{esc(title)} <span class=\"meta\">({len(items)})</span></h3>"
                         f'<ul class="gaps">{"".join(rows)}</ul>')
        gaps_html = "\n".join(parts)
    return render_template("staff.html", base=esc(base), pool_options=options, gaps=gaps_html)


# ---------------------------------------------------------------------------------------------------
# Headers: frame protection on the staff view, and the gradio page's <html lang="da">.
# ---------------------------------------------------------------------------------------------------

_HTML_LANG = re.compile(rb'<html(\s+)lang="[^"]*"')
STAFF_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


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


# ---------------------------------------------------------------------------------------------------
# Applicant page (gradio): calls the same WebService in-process.
# ---------------------------------------------------------------------------------------------------

APPLICANT_CSS = """
.gradio-container { max-width: 52rem !important; margin: 0 auto !important; }
#intro h1 { font-size: 1.6rem; margin: .25rem 0 .5rem; }
#intro p { margin: .25rem 0; }
.ta-note { background: #f5f7fa; border-left: 4px solid #0b5cad; padding: .5rem .75rem; color: #1d2330; }
.svar p { margin: 0 0 .6rem; }
.svar mark { background: #fff1a8; color: inherit; padding: 0 .15em; border-radius: .15em; }
.svar .kilder, .svar .fakta { margin-top: .5rem; }
.svar .kildekort { border: 1px solid #d6dae1; border-radius: .4rem; padding: .4rem .6rem; margin: .35rem 0;
  list-style: none; background: #fff; }
.svar ol { padding-left: 0; margin: .25rem 0; }
.svar .citat { display: block; color: #4b5563; font-size: .92em; margin-top: .2rem; }
.brugertekst { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
#eksempler-titel h2, #feedback-titel p { font-size: 1rem; margin: .5rem 0 0; }
#status p { margin: .25rem 0; }
button:focus-visible, a:focus-visible, textarea:focus-visible, input:focus-visible {
  outline: 3px solid #f59e0b !important; outline-offset: 2px; }
@media (max-width: 480px) {
  .gradio-container { padding: 0 .4rem !important; }
  #intro h1 { font-size: 1.3rem; }
}
"""

INTRO_HTML = (
    '<div id="intro"><h1>Tilskudsassistenten</h1>'
    "<p>Stil spørgsmål om Social- og Boligstyrelsens ansøgningspuljer, fx om frist, ansøgerkreds og "
    "udgifter. Du får et kort svar med henvisning til det afsnit i vejledningen, svaret bygger på.</p>"
    '<p class="ta-note"><strong>Bemærk:</strong> Assistenten svarer kun ud fra de offentliggjorte vejledninger '
    "og kan ikke give en bindende vurdering af din ansøgning. Skriv ikke CPR-nummer eller andre "
    "personoplysninger.</p></div>"
)


# gradio labels each chat message with aria-label="user's message: <raw content>", so a screen reader would
# read our HTML source aloud, and it names its own controls in English. This swaps in Danish names and drops
# the per-message labels (each message starts with a visually hidden "Du skrev:" / "svarer:" instead),
# and keeps the page's language Danish.
APPLICANT_HEAD_JS = """<script>
(function () {
  var names = {"chatbot conversation": "Samtale", "Clear": "Ryd samtalen"};
  function fix() {
    document.querySelectorAll('[data-testid="user"][aria-label], [data-testid="bot"][aria-label]')
      .forEach(function (el) { el.removeAttribute("aria-label"); });
    document.querySelectorAll("[aria-label]").forEach(function (el) {
      var name = names[el.getAttribute("aria-label")];
      if (name) { el.setAttribute("aria-label", name); if (el.title) el.title = name; }
    });
  }
  new MutationObserver(fix).observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"]});
  // gradio's i18n sets <html lang> to its own locale ("en": it has no Danish); the page is Danish.
  // (gradio may add this script after its own start-up, so fix what is already there, then watch.)
  var root = document.documentElement;
  function danish() { if (root.lang !== "da") root.lang = "da"; }
  new MutationObserver(danish).observe(root, {attributes: true, attributeFilter: ["lang"]});
  danish();
  fix();
  document.addEventListener("DOMContentLoaded", fix);
})();
</script>"""


def user_message_html(text: str) -> str:
    # User text is escaped and put in an HTML block, so neither HTML nor Markdown in it is interpreted.
    return f'<p class="brugertekst"><span class="sr-only">Du skrev: </span>{esc(text)}</p>'


def text_blocks_html(text: str, highlight: re.Pattern | None = None) -> str:
    """Answer text as escaped HTML: blank lines part paragraphs, runs of "- " lines become a list."""
    def line_html(line: str) -> str:
        escaped = esc(line)
        return highlight.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped) if highlight else escaped

    out: list[str] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{'<br>'.join(paragraph)}</p>")
            paragraph.clear()
        if bullets:
            out.append(f"<ul>{''.join(f'<li>{b}</li>' for b in bullets)}</ul>")
            bullets.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            if paragraph:
                flush()
            continue
        if stripped.startswith(("- ", "• ")):
            if paragraph:
                flush()
            bullets.append(line_html(stripped[2:]))
        else:
            if bullets:
                flush()
            paragraph.append(line_html(stripped))
    flush()
    return "".join(out)


def answer_html(response: AskResponse) -> str:
    """An answer for the chat: text with its facts highlighted, then fact chips and source cards. Built on
    one line (no blank lines) so the chat's Markdown renderer keeps it as one HTML block."""
    displays = sorted({f.display for f in response.facts if f.display}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(esc(d)) for d in displays)) if displays else None
    parts = ['<div class="svar"><span class="sr-only">Tilskudsassistenten svarer: </span>']
    parts.append(text_blocks_html(response.answer, pattern))
    if response.clarification:
        parts.append(f"<p><em>{esc(response.clarification)}</em></p>")
    if response.facts:
        items = "".join(f'<li><mark>{esc(f.display)}</mark> – <a href="{esc(f.url)}" target="_blank" '
                        f'rel="noopener">{esc(f.source_label)}</a></li>' for f in response.facts)
        parts.append(f'<div class="fakta"><p><strong>Fakta</strong></p><ul>{items}</ul></div>')
    if response.citations:
        cards = "".join(f'<li class="kildekort"><a href="{esc(c.url)}" target="_blank" rel="noopener">'
                        f'{esc(c.label)}</a><span class="citat">»{esc(c.quote)}«</span></li>'
                        for c in response.citations)
        parts.append(f'<div class="kilder"><p><strong>Kilder</strong></p><ol>{cards}</ol></div>')
    parts.append("</div>")
    return "".join(parts)


def load_examples() -> dict[str, list[str]]:
    try:
        data = json.loads((UI_DIR / "examples.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.warning("ui/examples.json is missing or invalid; no example questions shown")
        return {}
    return {k: [str(q) for q in v] for k, v in data.items() if not k.startswith("_") and isinstance(v, list)}


def build_applicant_page(service: WebService):
    import gradio as gr

    examples = load_examples()
    n_examples = 4

    def pool_of(choice: str | None) -> str | None:
        return None if not choice or choice == ALL_POOLS else choice

    def pool_note(choice: str | None) -> str:
        pool = pool_of(choice)
        if not service.ready:
            return '<p role="status">Assistenten starter op …</p>'
        if pool is None:
            return ("<p>Du spørger om alle puljer. Vælg en pulje for kun at få svar fra dens vejledning.</p>")
        info = next((p for p in service.pools() if p.pool == pool), None)
        if info is None or info.deadline is None:
            return ""
        state = " – fristen er udløbet" if info.deadline_passed else ""
        return f"<p><strong>Ansøgningsfrist:</strong> {esc(info.deadline.display)}{esc(state)}</p>"

    def example_updates(choice: str | None) -> list:
        questions = examples.get(pool_of(choice) or "", [])[:n_examples]
        return [gr.Button(value=questions[i], visible=True) if i < len(questions) else gr.Button(visible=False)
                for i in range(n_examples)]

    def on_load():
        choices = [("Alle puljer", ALL_POOLS)]
        if service.ready:
            choices += [(p.name, p.pool) for p in service.pools()]
        return [gr.Dropdown(choices=choices, value=ALL_POOLS), pool_note(ALL_POOLS), *example_updates(ALL_POOLS)]

    def on_pool(choice: str | None):
        return [pool_note(choice), *example_updates(choice)]

    def status_html(text: str, error: bool = False) -> str:
        return f'<p role="{"alert" if error else "status"}">{esc(text)}</p>'

    def respond(question: str, choice: str | None, chat: list | None, history: list | None):
        chat, history = list(chat or []), list(history or [])
        question = question or ""
        if not question.strip():
            return (question, chat, history, gr.skip(), gr.skip(), gr.skip(),
                    status_html("Skriv et spørgsmål først.", error=True))
        try:
            response = service.ask(question, pool_of(choice), history, channel="web")
        except ApiError as exc:
            return question, chat, history, gr.skip(), gr.skip(), gr.skip(), status_html(exc.message_da, True)
        except AssistantError as exc:
            mapped = assistant_error(exc)
            if mapped.status >= 500:
                logger.error("applicant page: %s", type(exc).__name__, exc_info=exc)
            return question, chat, history, gr.skip(), gr.skip(), gr.skip(), status_html(mapped.message_da, True)
        except Exception:
            logger.exception("applicant page: unexpected error")
            return question, chat, history, gr.skip(), gr.skip(), gr.skip(), status_html(INTERNAL_DA, True)
        chat += [{"role": "user", "content": user_message_html(question)},
                 {"role": "assistant", "content": answer_html(response)}]
        history = (history + [{"role": "user", "content": question},
                              {"role": "assistant", "content": response.answer}])[-MAX_HISTORY:]
        done = "Svaret er klar. Kilderne står under svaret." if not response.abstained else \
            "Svaret blev ikke fundet i vejledningerne."
        return ("", chat, history, response.answer_id, gr.Button(interactive=True), gr.Button(interactive=True),
                status_html(done))

    def vote(answer_id: str | None, direction: Literal["up", "down"]):
        if not answer_id:
            return status_html("Stil et spørgsmål, før du vurderer svaret.", True), gr.skip(), gr.skip()
        try:
            service.feedback(answer_id, direction, None)
        except (ApiError, AssistantError):
            return status_html("Vurderingen kunne ikke gemmes.", True), gr.skip(), gr.skip()
        return (status_html("Tak for din vurdering. Den hjælper os med at forbedre vejledningerne."),
                gr.Button(interactive=False), gr.Button(interactive=False))

    def reset():
        return [], [], None, gr.Button(interactive=False), gr.Button(interactive=False), status_html(
            "Ny samtale startet.")

    with gr.Blocks(title="Tilskudsassistenten – spørg om puljernes vejledninger", analytics_enabled=False,
                   fill_width=False) as page:
        gr.HTML(INTRO_HTML)
        pool = gr.Dropdown(label="Pulje", choices=[("Alle puljer", ALL_POOLS)], value=ALL_POOLS,
                           elem_id="pulje", interactive=True, filterable=False)
        note = gr.HTML(elem_id="puljeinfo")
        chatbot = gr.Chatbot(label="Samtale med Tilskudsassistenten", elem_id="samtale", height=460,
                             feedback_options=None, buttons=[], latex_delimiters=[], sanitize_html=True,
                             render_markdown=True, group_consecutive_messages=False,
                             placeholder="Svarene vises her med kilder fra vejledningerne.")
        # lines=1: Enter sends (gradio's multi-line boxes send on Shift+Enter); the box grows to max_lines.
        question = gr.Textbox(label="Dit spørgsmål", elem_id="spoergsmaal", lines=1, max_lines=6, max_length=2000,
                              placeholder="Skriv dit spørgsmål, fx: Hvornår er ansøgningsfristen?",
                              info="Tryk Enter eller knappen for at sende.")
        with gr.Row():
            send = gr.Button("Send spørgsmål", variant="primary", elem_id="send")
            new = gr.Button("Ny samtale", variant="secondary", elem_id="ny-samtale")
        status = gr.HTML(elem_id="status")
        gr.HTML("<p>Hjalp det seneste svar?</p>", elem_id="feedback-titel")
        with gr.Row():
            up = gr.Button("👍 Ja, svaret hjalp", elem_id="tommel-op", interactive=False, size="sm")
            down = gr.Button("👎 Nej, svaret hjalp ikke", elem_id="tommel-ned", interactive=False, size="sm")
        gr.HTML('<h2>Eksempler på spørgsmål</h2>', elem_id="eksempler-titel")
        with gr.Row(elem_id="eksempler"):
            example_buttons = [gr.Button(f"Eksempel {i + 1}", size="sm", variant="secondary", visible=False,
                                         elem_classes=["eksempel"]) for i in range(n_examples)]
        history = gr.State([])
        answer_id = gr.State(None)

        private = {"api_visibility": "private"}
        outputs = [question, chatbot, history, answer_id, up, down, status]
        page.load(on_load, outputs=[pool, note, *example_buttons], **private)
        pool.change(on_pool, inputs=[pool], outputs=[note, *example_buttons], **private)
        send.click(respond, inputs=[question, pool, chatbot, history], outputs=outputs, **private)
        question.submit(respond, inputs=[question, pool, chatbot, history], outputs=outputs, **private)
        for button in example_buttons:
            button.click(respond, inputs=[button, pool, chatbot, history], outputs=outputs, **private)
        up.click(lambda a: vote(a, "up"), inputs=[answer_id], outputs=[status, up, down], **private)
        down.click(lambda a: vote(a, "down"), inputs=[answer_id], outputs=[status, up, down], **private)
        new.click(reset, outputs=[chatbot, history, answer_id, up, down, status], **private)
        chatbot.clear(reset, outputs=[chatbot, history, answer_id, up, down, status], **private)
    return page


# ---------------------------------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------------------------------

UI_ASSETS = {"site.css": "text/css; charset=utf-8", "staff.js": "text/javascript; charset=utf-8",
             "widget.js": "text/javascript; charset=utf-8"}


def create_app(settings: Settings | None = None, *, with_gradio: bool = True) -> FastAPI:
    settings = settings or get_settings()
    service = WebService(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await run_in_threadpool(service.start)
        logger.info("web service ready")
        try:
            yield
        finally:
            service.stop()

    app = FastAPI(title="Tilskudsassistenten", version="0.1.0", lifespan=lifespan, docs_url=None,
                  description="Svar med kilder fra vejledningerne til Social- og Boligstyrelsens ansøgningspuljer. "
                              "Fejl har formen {\"error\": {code, message_da, message_en}}.",
                  responses={422: {"model": ErrorResponse}})
    app.state.service = service
    install_error_handlers(app)
    app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                       allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Accept"], max_age=600)
    app.add_middleware(WebHeadersMiddleware)

    def base(request: Request) -> str:
        return request.scope.get("root_path", "").rstrip("/")

    # Swagger UI 5 (OpenAPI 3.1) from the fastapi-offline package instead of a CDN: /docs must work offline.
    docs_assets = importlib.resources.files("fastapi_offline") / "static"
    app.mount("/docs-static", StaticFiles(directory=str(docs_assets)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = base(request)
        return get_swagger_ui_html(openapi_url=f"{root}{app.openapi_url}", title="Tilskudsassistenten – API",
                                   swagger_js_url=f"{root}/docs-static/swagger-ui-bundle.js",
                                   swagger_css_url=f"{root}/docs-static/swagger-ui.css",
                                   swagger_favicon_url="data:,")

    errors = {404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}

    # -- health -------------------------------------------------------------------------------------

    @app.get("/healthz", tags=["drift"])
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["drift"], responses={503: {"model": ErrorResponse}})
    async def readyz() -> dict:
        if not service.ready:
            raise NOT_READY
        return {"status": "ready", "chunks": len(service.assistant.index.chunks)}

    # -- questions ----------------------------------------------------------------------------------

    @app.post("/api/ask", response_model=AskResponse, tags=["spørgsmål"], responses=errors)
    async def ask(body: AskRequest) -> AskResponse:
        history = [m.model_dump() for m in body.history]
        return await run_in_threadpool(service.ask, body.question, body.pool, history, "api")

    @app.post("/api/chat", response_model=ChatResponse, tags=["spørgsmål"], responses=errors)
    async def chat(body: ChatRequest) -> ChatResponse:
        return await run_in_threadpool(service.chat, body.question, body.pool, body.session_id, "chat")

    @app.post("/api/chat/stream", tags=["spørgsmål"], response_class=StreamingResponse,
              responses={**errors, 200: {"content": {"text/event-stream": {}},
                                         "description": "Hændelser: meta, delta (tekststykker), answer "
                                                        "(hele svaret som JSON), done."}})
    async def chat_stream(body: ChatRequest) -> StreamingResponse:
        # The answer is composed before the stream starts, so a bad question still gets a 4xx JSON body.
        response = await run_in_threadpool(service.chat, body.question, body.pool, body.session_id, "chat")

        async def events():
            yield sse("meta", {"session_id": response.session_id, "answer_id": response.answer_id})
            for piece in sentence_pieces(response.answer):
                yield sse("delta", {"text": piece})
                await asyncio.sleep(0)
            yield sse("answer", response.model_dump(mode="json"))
            yield sse("done", {})

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @app.post("/api/feedback", response_model=FeedbackResponse, tags=["spørgsmål"], responses=errors)
    async def feedback(body: FeedbackRequest) -> FeedbackResponse:
        # Answered only after the row is committed (fsynced on SQLite): a 200 means it is stored.
        feedback_id = await run_in_threadpool(service.feedback, body.answer_id, body.vote, body.comment)
        return FeedbackResponse(feedback_id=feedback_id)

    # -- pools and sources --------------------------------------------------------------------------

    @app.get("/api/pools", response_model=list[PoolOut], tags=["puljer"])
    async def pools() -> list[PoolOut]:
        return await run_in_threadpool(service.pools)

    @app.get("/api/pools/{pool}/facts", response_model=list[FactOut], tags=["puljer"], responses=errors)
    async def facts(pool: str) -> list[FactOut]:
        return await run_in_threadpool(service.facts, pool)

    @app.get("/api/sources/{doc_id}/{section}", response_model=SectionOut, tags=["kilder"], responses=errors)
    async def source(doc_id: str, section: str) -> SectionOut:
        return service.section(doc_id, section)

    @app.get("/sources/{doc_id}/{section}", response_class=HTMLResponse, tags=["kilder"])
    async def source_page(request: Request, doc_id: str, section: str,
                          quote: Annotated[str | None, Query(max_length=5000)] = None) -> HTMLResponse:
        try:
            page = render_source_page(service, doc_id, section, quote, base(request))
        except UnknownSection as exc:
            return HTMLResponse(render_not_found_page(base(request), str(exc)), status_code=404)
        return HTMLResponse(page)

    # -- staff ----------------------------------------------------------------------------------------

    def require_staff(request: Request) -> None:
        if not staff_authorized(request, settings):
            raise ApiError(401, "unauthorized", "Kun for medarbejdere: log ind eller send en gyldig adgangsnøgle.",
                           "Staff only: send 'Authorization: Bearer <token>' or log in.",
                           headers={"WWW-Authenticate": "Bearer"})

    def login_page(request: Request, error: str = "", status_code: int = 401) -> HTMLResponse:
        message = f'<p class="error" role="alert">{esc(error)}</p>' if error else ""
        return HTMLResponse(render_template("staff_login.html", base=esc(base(request)), error=message),
                            status_code=status_code, headers={"WWW-Authenticate": "Bearer"})

    @app.get("/staff", response_class=HTMLResponse, tags=["medarbejdere"],
             responses={401: {"model": ErrorResponse}})
    async def staff(request: Request) -> Response:
        if not staff_authorized(request, settings):
            if wants_json(request):
                require_staff(request)
            return login_page(request)
        page = await run_in_threadpool(render_staff_page, service, base(request))
        return HTMLResponse(page)

    @app.post("/staff/login", include_in_schema=False)
    async def staff_login(request: Request, token: Annotated[str, Form(max_length=500)] = "") -> Response:
        expected = settings.staff_token.get_secret_value()
        if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
            await asyncio.sleep(0.5)  # slows down guessing
            return login_page(request, "Forkert adgangsnøgle. Prøv igen.")
        expires = int(time.time()) + STAFF_SESSION_SECONDS
        response = RedirectResponse(f"{base(request)}/staff", status_code=303)
        response.set_cookie(STAFF_COOKIE, _cookie_value(expected, expires), max_age=STAFF_SESSION_SECONDS,
                            httponly=True, samesite="strict", secure=request.url.scheme == "https",
                            path="/")
        return response

    @app.post("/staff/logout", include_in_schema=False)
    async def staff_logout(request: Request) -> Response:
        response = RedirectResponse(f"{base(request)}/staff", status_code=303)
        response.delete_cookie(STAFF_COOKIE, path="/")
        return response

    @app.get("/api/staff/gaps", response_model=GapsResponse, tags=["medarbejdere"],
             responses={401: {"model": ErrorResponse}})
    async def staff_gaps(request: Request, pool: str | None = None,
                         limit: Annotated[int, Query(ge=1, le=500)] = 100) -> GapsResponse:
        require_staff(request)
        return GapsResponse(items=await run_in_threadpool(service.gaps, pool or None, limit))

    @app.post("/api/staff/ask", response_model=StaffAskResponse, tags=["medarbejdere"],
              responses={401: {"model": ErrorResponse}, **errors})
    async def staff_ask(request: Request, body: StaffAskRequest) -> StaffAskResponse:
        require_staff(request)
        return await run_in_threadpool(service.staff_ask, body.question, body.pool, str(request.base_url))

    # -- widget and static assets -----------------------------------------------------------------------

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> FileResponse:
        return FileResponse(UI_DIR / "widget.js", media_type=UI_ASSETS["widget.js"],
                            headers={"Cache-Control": "public, max-age=300"})

    @app.get("/demo", response_class=HTMLResponse, include_in_schema=False)
    async def demo() -> FileResponse:
        return FileResponse(UI_DIR / "demo.html", media_type="text/html; charset=utf-8")

    @app.get("/ui/{name}", include_in_schema=False)
    async def ui_asset(name: str) -> FileResponse:
        if name not in UI_ASSETS:
            raise ApiError(404, "not_found", "Filen findes ikke.", "Not found.")
        return FileResponse(UI_DIR / name, media_type=UI_ASSETS[name])

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def api_not_found(rest: str) -> None:
        # Without this, unknown /api/ paths would fall through to the gradio app mounted at "/".
        raise ApiError(404, "not_found", "Adressen findes ikke i API'et. Se /docs.", "No such API endpoint; see /docs.")

    if with_gradio:
        mount_applicant_page(app, service)
    return app


def mount_applicant_page(app: FastAPI, service: WebService) -> None:
    # gradio's launch-time lookups of remote hosts stay off (see shared/FINDINGS.md).
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    theme = gr.themes.Default(font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Arial", "sans-serif"],
                              font_mono=["ui-monospace", "monospace"])
    theme = theme.set(button_primary_background_fill="#0b5cad", button_primary_background_fill_hover="#084a8c",
                      button_primary_text_color="#ffffff", button_primary_border_color="#0b5cad")
    head = ('<meta name="description" content="Tilskudsassistenten svarer på spørgsmål om Social- og '
            'Boligstyrelsens ansøgningspuljer ud fra de offentliggjorte vejledninger.">' + APPLICANT_HEAD_JS)
    gr.mount_gradio_app(app, build_applicant_page(service), path="/", footer_links=[], run_history=False,
                        show_error=False, theme=theme, css=APPLICANT_CSS, head=head, ssr_mode=False,
                        mcp_server=False, enable_monitoring=False, pwa=False)
