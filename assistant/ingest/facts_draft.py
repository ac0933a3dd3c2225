"""A pool's documents → drafted facts: for every registry key a sentence states, the value, the section and the
verbatim sentence, as `status: draft` entries of facts.yaml (cues in draft_cues.yaml, keys in rules/keys.yaml)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from assistant.corpus import Corpus
from assistant.danish import MONTHS, parse_amounts, parse_dates, parse_number
from assistant.index import section_sentences
from assistant.models import Document
from assistant.rules.facts import NUMBER_WORDS, FactEntry, FactType, check_entry
from assistant.rules.lexicon import FactKey, check_fact_keys, load_keys

CUES_PATH = Path(__file__).with_name("draft_cues.yaml")

_MONTH = "(?:" + "|".join(MONTHS) + ")"
_BLOCKS = {
    "date": rf"\d{{1,2}}\.\s*{_MONTH}\s+\d{{4}}",
    "datetime": rf"\d{{1,2}}\.\s*{_MONTH}\s+\d{{4}},?\s*kl\.\s*\d{{1,2}}[.:]\d{{2}}",
    # "12,9 mio. kr.", "100.000 kr." — a bare number is not an amount here ("§ 15.75.78.10", "2025").
    "amount": r"\d+(?:,\d+)?\s*(?:mio\.|mia\.|millioner|milliarder)\s*(?:kr\.?)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?\s*kr\.?"
              r"|\d+\s*kr\.",
    "count": r"(?:\d+|" + "|".join(NUMBER_WORDS) + ")",
    "percent": r"\d+(?:,\d+)?\s*(?:pct\.|procent|%)",
}


class Cue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    type: FactType
    sentence: str
    value: str
    section: str | None = None
    unless: str | None = None


@lru_cache(maxsize=1)
def registry() -> dict[str, FactKey]:
    return load_keys()


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    """The cues of draft_cues.yaml; a key missing from the registry is an error naming the entry."""
    raw = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    loaded = tuple(Cue.model_validate(item) for item in raw)
    unknown = [c.key for c in loaded if c.key not in registry()]
    if unknown:
        raise ValueError(f"{CUES_PATH.name}: nøgler, der ikke står i rules/keys.yaml: {', '.join(unknown)}")
    return loaded


def _compile(pattern: str) -> re.Pattern[str]:
    for name, block in _BLOCKS.items():
        pattern = pattern.replace("{" + name + "}", f"(?:{block})")
    return re.compile(pattern, re.IGNORECASE)


class Candidate(BaseModel):
    model_config = ConfigDict(frozen=True)

    doc_id: str
    section: str
    section_title: str
    sentence: str
    order: int


def _candidates(documents: list[Document]) -> list[Candidate]:
    """Every sentence of the documents, in reading order, as the quote builder splits them."""
    found: list[Candidate] = []
    for doc in documents:
        for section in doc.sections:
            for sentence in section_sentences(section):
                if sentence.quotable:
                    found.append(Candidate(doc_id=doc.meta.doc_id, section=section.section,
                                           section_title=section.title, sentence=sentence.text, order=len(found)))
    return found


def parse_value(kind: FactType, display: str) -> Any:
    """The typed value a display writes, or None when it does not parse to exactly one of its kind."""
    if kind in ("datetime", "date"):
        found = parse_dates(display)
        wanted = datetime if kind == "datetime" else date
        return found[0] if len(found) == 1 and type(found[0]) is wanted else None
    if kind == "period":
        found = parse_dates(display)
        if len(found) == 2 and not any(isinstance(d, datetime) for d in found) and found[0] <= found[1]:
            return {"start": found[0], "end": found[1]}
        return None
    if kind == "text":
        return display.strip() or None
    if kind == "money":
        amounts = parse_amounts(display)
        return int(amounts[0]) if len(amounts) == 1 and amounts[0] == int(amounts[0]) else None
    numbers = [parse_number(n) for n in re.findall(r"\d+(?:[.,]\d+)*", display)]
    numbers += [Decimal(NUMBER_WORDS[w.lower()]) for w in re.findall(r"\w+", display) if w.lower() in NUMBER_WORDS]
    if len(numbers) != 1:
        return None
    return int(numbers[0]) if numbers[0] == int(numbers[0]) else float(numbers[0])


def draft_entries(documents: list[Document]) -> list[FactEntry]:
    """One draft per registry key the documents state: the first cue of the key that finds a sentence wins;
    among its sentences those in a matching section come first, then reading order."""
    candidates = _candidates(documents)
    drafts: dict[str, FactEntry] = {}
    for cue in cues():
        if cue.key in drafts:
            continue
        sentence_re, value_re = _compile(cue.sentence), _compile(cue.value)
        unless_re = _compile(cue.unless) if cue.unless else None
        section_re = _compile(cue.section) if cue.section else None
        ranked = sorted(candidates, key=lambda c: (not (section_re and section_re.search(c.section_title)), c.order))
        for candidate in ranked:
            text = candidate.sentence
            if not sentence_re.search(text) or (unless_re and unless_re.search(text)):
                continue
            match = value_re.search(text)
            value = parse_value(cue.type, match["v"]) if match else None
            if value is None:
                continue
            label = registry()[cue.key].label
            drafts[cue.key] = FactEntry(
                key=cue.key, type=cue.type, value=value, display=match["v"].strip(),
                label=label[:1].upper() + label[1:], doc_id=candidate.doc_id, section=candidate.section,
                quote=text, status="draft",
            )
            break
    return list(drafts.values())


def draft_facts(corpus: Corpus, pool: str, *, verify: bool = False) -> tuple[list[FactEntry], list[str]]:
    """Drafts for one pool of `corpus`, each checked as `load_facts` will check it; returns (entries, problems).

    An entry that fails the check is left out and named in the problems. With `verify` (`pool add --yes`) the
    entries whose sentence stands verbatim in its section are marked verified.
    """
    documents = [d for d in corpus.documents if d.meta.pool == pool]
    entries: list[FactEntry] = []
    problems: list[str] = []
    for entry in draft_entries(documents):
        # The same checks `load_facts` makes: the sentence and the value, and the key's kind in the registry.
        found = check_entry(corpus, pool, entry) + check_fact_keys(pool, [entry], registry(), CUES_PATH)
        if found:
            problems += [f"{entry.key}: {p}" for p in found]
            continue
        if verify and corpus.text_contains(entry.doc_id, entry.section, entry.quote):
            entry = entry.model_copy(update={"status": "verified"})
        entries.append(entry)
    return entries, problems


def facts_yaml(pool: str, entries: list[FactEntry], source: str) -> str:
    """facts.yaml text for staff to review: a header saying where it came from, then the entries."""
    rows = [{k: v for k, v in entry.model_dump(mode="python").items()
             if not (k == "note" and v is None) and not (k == "provisional" and v is False)} for entry in entries]
    header = (
        f"# Drafted by `assistant pool add` from {source}: each fact with the verbatim sentence that states it.\n"
        "# status: draft is never shown as a fact until staff verify it (set status: verified, or «Godkend»).\n"
    )
    body = yaml.safe_dump({"pool": pool, "facts": rows}, allow_unicode=True, sort_keys=False, width=120)
    return header + body
