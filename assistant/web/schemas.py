"""The HTTP contract: one frozen model per direction, built from the library's types so internals can change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import quote as urlquote

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.models import Answer, Citation, Fact
from assistant.storage import Gap

MAX_HISTORY = 20  # messages a client may send, and messages a chat session keeps


def source_path(doc_id: str, section: str, quote: str | None = None) -> str:
    path = f"/sources/{urlquote(doc_id, safe='')}/{urlquote(section, safe='')}"
    return f"{path}?quote={urlquote(quote, safe='')}#citat" if quote else path


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
    question: str = Field(
        max_length=20_000,
        description="Spørgsmålet på dansk (eller engelsk), højst 2000 tegn.",
        examples=["Hvornår er ansøgningsfristen?"],
    )
    pool: str | None = Field(
        default=None,
        description="Puljens id, fx groen-2026; udelades for alle puljer.",
        examples=["groen-2026"],
    )
    history: list[HistoryMessage] = Field(
        default_factory=list, max_length=MAX_HISTORY, description="Tidligere beskeder i samtalen, ældste først."
    )

    _pool = field_validator("pool", mode="before")(_blank_is_none)


class ChatRequest(ApiModel):
    question: str = Field(max_length=20_000, examples=["Hvem kan søge?"])
    pool: str | None = Field(default=None, examples=["groen-2026"])
    session_id: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]*$",
        description="Udelades i første besked; brug derefter det returnerede id.",
    )

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
    def from_citation(cls, c: Citation) -> CitationOut:
        return cls(
            doc_id=c.doc_id,
            section=c.section,
            title=c.title,
            label=c.label or c.title,
            quote=c.quote,
            item=c.item,
            score=c.score,
            url=source_path(c.doc_id, c.section, c.quote),
        )


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
    def from_fact(cls, f: Fact, label: Callable[[str, str], str]) -> FactOut:
        name = f.label or f.key.replace("_", " ").capitalize()
        return cls(
            key=f.key,
            label=name,
            value=f.value,
            display=f.display,
            doc_id=f.doc_id,
            section=f.section,
            quote=f.quote,
            source_label=label(f.doc_id, f.section),
            url=source_path(f.doc_id, f.section, f.quote),
        )


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
    def from_answer(cls, answer: Answer, answer_id: str, label: Callable[[str, str], str]) -> AskResponse:
        return cls(
            answer_id=answer_id,
            question=answer.question,
            pool=answer.pool,
            answer=answer.answer,
            citations=[CitationOut.from_citation(c) for c in answer.citations],
            facts=[FactOut.from_fact(f, label) for f in answer.facts],
            abstained=answer.abstained,
            clarification=answer.clarification,
        )


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
