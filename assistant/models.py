"""Boundary types shared by every layer (frozen pydantic models)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["vejledning", "faq", "webside", "pjece"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DocumentMeta(Frozen):
    """A curated document's YAML front matter."""

    doc_id: str
    pool: str | None
    title: str
    short_title: str
    kind: Kind
    year: int
    issued: date | None = None
    publisher: str
    source: str
    # The section numbers of the document's own table of contents; `corpus check` requires each of them.
    contents: tuple[str, ...] = ()


class Item(Frozen):
    """A numbered point inside a section ("afsnit 10, pkt. 12")."""

    number: int
    text: str


class Section(Frozen):
    doc_id: str
    section: str  # the document's own id: "10", "9.2.1", "spm-27", "formaal"
    title: str
    level: int
    paragraphs: tuple[str, ...]
    items: tuple[Item, ...] = ()
    pool: str | None
    kind: Kind

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


class Document(Frozen):
    meta: DocumentMeta
    sections: tuple[Section, ...]
    path: str


class Chunk(Frozen):
    """The unit that is embedded and searched; it never crosses a section boundary."""

    chunk_id: str
    doc_id: str
    section: str
    title: str
    pool: str | None
    kind: Kind
    text: str


class Hit(Frozen):
    chunk: Chunk
    score: float  # fused relevance, higher is better
    dense: float | None = None  # cosine similarity, when the dense retriever found it
    lexical: float | None = None
    exact: float = 0.0  # how many of the question's rare words it uses, where few chunks use them
    restated: bool = False  # the FAQ answer whose question the user's question restates


class Citation(Frozen):
    doc_id: str
    section: str
    title: str
    quote: str
    score: float
    item: int | None = None
    label: str = ""  # as users read it: "Vejledning til SærligSoc 2025, afsnit 10, pkt. 1"


class Fact(Frozen):
    key: str
    label: str = ""  # what the number is, in Danish ("Ansøgningsfrist")
    value: str | int | float | date | datetime | dict | None
    display: str
    doc_id: str
    section: str
    quote: str


class Message(Frozen):
    role: Literal["user", "assistant"]
    content: str


class Answer(Frozen):
    question: str
    pool: str | None
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    abstained: bool = False
    clarification: str | None = None


class PoolInfo(Frozen):
    """A pool as the UI lists it: names, its documents, and its deadline with open/closed state."""

    pool: str
    name: str
    short_name: str
    documents: list[str]
    deadline: Fact | None = None
    deadline_passed: bool | None = None
