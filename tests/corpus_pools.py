"""The pools the tests use, found in corpus/: no test names a pool. Each `PoolCase` carries what a test needs
from the data — the pool's names, its vejledning, its verified deadline fact and the section that states it.

`PRIMARY` is the first pool (by id) whose vejledning states a dated deadline in a numbered section (the
authority's template); `SECOND` the next one. `faq_case()` is a pool with a question/answer document."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from assistant.corpus import Corpus, load_corpus
from assistant.corpus.pools import PoolSpec, load_pool_specs
from assistant.models import Document, Section
from assistant.rules.facts import FactEntry, PoolFacts, load_facts
from assistant.settings import get_settings

# Read once, at import: tests that point the settings at a temporary corpus copy do not change these pools.
CORPUS_DIR = get_settings().corpus_dir


@dataclass(frozen=True)
class PoolCase:
    spec: PoolSpec
    facts: PoolFacts
    documents: tuple[Document, ...]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def short_name(self) -> str:
        return self.spec.short_name

    @property
    def deadline(self) -> FactEntry | None:
        """The verified application deadline with a date and time, stated for no particular round."""
        entry = self.facts.get("ansoegningsfrist")
        if entry is None or entry.round is not None or entry.status != "verified" or entry.type != "datetime":
            return None
        return entry

    @property
    def deadline_date(self) -> str:
        """The deadline's date as the documents write it: "1. maj 2025" of "1. maj 2025 kl. 12:00"."""
        return self.deadline.display.split(" kl.")[0]

    @property
    def vejledning(self) -> Document:
        """The document that states the deadline."""
        return next(d for d in self.documents if d.meta.doc_id == self.deadline.doc_id)

    @property
    def doc_id(self) -> str:
        return self.vejledning.meta.doc_id

    @property
    def deadline_section(self) -> Section:
        return next(s for s in self.vejledning.sections if s.section == self.deadline.section)

    @property
    def source_path(self) -> str:
        """The source page of the section that states the deadline."""
        return f"/sources/{self.doc_id}/{self.deadline.section}"

    @property
    def missing_section(self) -> str:
        """A section number the vejledning does not have."""
        have = {s.section for s in self.vejledning.sections}
        return next(str(n) for n in range(99, 1000) if str(n) not in have)

    def examples(self) -> list[str]:
        """The applicant page's example questions for this pool (assistant/web/examples.json)."""
        return json.loads((files("assistant.web") / "examples.json").read_text(encoding="utf-8")).get(self.id, [])


@cache
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


@cache
def cases() -> tuple[PoolCase, ...]:
    found = corpus()
    specs = load_pool_specs(CORPUS_DIR, found.pools)
    facts = load_facts(found, CORPUS_DIR)
    return tuple(
        PoolCase(specs[pool], facts[pool], tuple(d for d in found.documents if d.meta.pool == pool))
        for pool in found.pools
    )


def case(pool: str) -> PoolCase:
    return next(c for c in cases() if c.id == pool)


@cache
def dated_cases() -> tuple[PoolCase, ...]:
    """Pools whose vejledning states a dated deadline in a numbered section."""
    return tuple(
        c for c in cases()
        if c.deadline is not None and re.fullmatch(r"\d+(\.\d+)*", c.deadline.section)
        and corpus().document(c.deadline.doc_id).meta.kind == "vejledning"
    )


def faq_case() -> tuple[PoolCase, Section]:
    """A pool with a question/answer document, and the first of its FAQ sections that a verified fact quotes."""
    for c in cases():
        faqs = {d.meta.doc_id for d in c.documents if d.meta.kind == "faq"}
        for fact in c.facts.facts:
            if fact.doc_id in faqs and fact.status == "verified":
                return c, corpus().section(fact.doc_id, fact.section)
    raise LookupError("no pool has an FAQ document that a verified fact quotes")


def faq_question(section: Section) -> str:
    """The applicant's question of an FAQ section («**Spørgsmål:** …»), without the marker."""
    paragraph = next(p for p in section.paragraphs if p.startswith("**Spørgsmål:**"))
    return paragraph.removeprefix("**Spørgsmål:**").strip()


def general_doc_ids() -> set[str]:
    """Documents that belong to no pool (background)."""
    return {d.meta.doc_id for d in corpus().documents if d.meta.pool is None}


def corpus_ids() -> set[str]:
    """Every pool id and document id in corpus/."""
    return set(corpus().pools) | {d.meta.doc_id for d in corpus().documents}


PRIMARY, SECOND = dated_cases()[:2]
