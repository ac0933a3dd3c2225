"""Facts per pool from corpus/<pool>/facts.yaml, each checked against its verbatim source sentence."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.corpus import Corpus, corpus_digest
from assistant.danish import parse_amounts, parse_dates, parse_number
from assistant.errors import FactDrift, UnknownSection
from assistant.models import Fact
from assistant.rules.lexicon import check_fact_keys, load_keys

logger = logging.getLogger(__name__)

FactType = Literal["datetime", "date", "money", "percent", "hours", "count", "months", "period", "text"]

# The same number pattern the answer check uses, so "10" is not found inside "100.000".
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# English writes the thousands and decimal marks the other way round ("DKK 12.9 million", "100,000").
_ENGLISH_TO_DANISH_MARKS = str.maketrans(",.", ".,")
# Counts the documents write as words ("to lokale partnerskaber", "tre projekter", "ét projekt pr. kommune").
# "en"/"et" are left out: as articles they stand in nearly every sentence.
NUMBER_WORDS = {
    "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9,
    "ti": 10, "elleve": 11, "tolv": 12,
}
_NUMBER_WORD = re.compile(r"(?<!\w)(" + "|".join(NUMBER_WORDS) + r")(?!\w)", re.IGNORECASE)
_ITEM_MARKER = re.compile(r"^\d{1,2}\)\s")
_FIX = "ret facts.yaml eller korpus"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Period(_Frozen):
    start: date
    end: date


class FactEntry(_Frozen):
    """One hard number (or short text) a pool's documents state, with the sentence that states it."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    round: str | None = Field(default=None, pattern=r"^\d{4}$")  # a pool announced in rounds: "2022" / "2024"
    type: FactType
    # Datetimes are Europe/Copenhagen wall-clock times (naive); money is whole kroner.
    value: datetime | date | int | float | str | Period
    display: str = Field(min_length=1)
    label: str = Field(min_length=1)
    doc_id: str
    section: str
    quote: str = Field(min_length=1)
    note: str | None = None
    # A text fact said in English for English questions (curated like `display`; its numbers are the quote's).
    display_en: str | None = None
    # The note said in English: an English reader gets the condition too ("a one-off sum for the whole period").
    note_en: str | None = None
    provisional: bool = False
    # Drafted by `assistant pool add` → "draft" until staff verify it; drafts are never shown as facts.
    status: Literal["draft", "verified"] = "verified"

    def to_fact(self) -> Fact:
        value: Any = self.value
        if isinstance(value, Period):
            value = {"start": value.start.isoformat(), "end": value.end.isoformat()}
        return Fact(key=self.key, label=self.label, value=value, display=self.display, doc_id=self.doc_id,
                    section=self.section, quote=self.quote)


class PoolFacts(_Frozen):
    pool: str
    # Names live in pool.yaml; these old header fields are still read so that older files load.
    name: str = ""
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    applicants: str = ""
    facts: tuple[FactEntry, ...] = ()

    def all(self, key: str) -> tuple[FactEntry, ...]:
        """Every entry for a key, one per round (a pool announced in rounds) or just one."""
        return tuple(f for f in self.facts if f.key == key)

    def get(self, key: str, round: str | None = None) -> FactEntry | None:
        """The entry for (key, round). With round=None and no round-free entry, the key's only entry if it
        is stated for a single round; None when several rounds state it (never one round picked silently)."""
        entries = self.all(key)
        exact = next((f for f in entries if f.round == round), None)
        if exact is not None or round is not None:
            return exact
        return entries[0] if len(entries) == 1 else None

    @property
    def rounds(self) -> tuple[str, ...]:
        return tuple(sorted({f.round for f in self.facts if f.round}))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.key for f in self.facts))


# ---------------------------------------------------------------------------------------------------
# Loading and checking


def load_facts(corpus: Corpus, corpus_dir: Path | None = None) -> dict[str, PoolFacts]:
    """Read `corpus_dir/<pool>/facts.yaml` for every pool of the corpus and check each entry against the
    corpus; raise FactDrift listing every problem at once.

    `corpus_dir` defaults to the settings' corpus_dir (document paths in a Corpus are relative). Wherever the
    files come from, every quote is checked against `corpus` itself, so a fact is never shown unchecked.
    """
    if corpus_dir is None:
        from assistant.settings import get_settings

        corpus_dir = get_settings().corpus_dir
        if corpus_dir.is_dir() and corpus_digest(corpus_dir) != corpus.digest:
            logger.warning("load_facts: the corpus was not loaded from %s (or has changed since); "
                           "pass corpus_dir to read its own facts.yaml files", corpus_dir)
    corpus_dir = Path(corpus_dir)

    problems: list[str] = []
    loaded: dict[str, PoolFacts] = {}
    for pool in corpus.pools:
        path = corpus_dir / pool / "facts.yaml"
        pool_facts, pool_problems = _load_pool(corpus, pool, path)
        problems += pool_problems
        if pool_facts is not None:
            loaded[pool] = pool_facts
    if problems:
        lines = "\n".join(f"- {p}" for p in problems)
        raise FactDrift(f"{len(problems)} problem(er) mellem facts.yaml og korpus – {_FIX}:\n{lines}")
    return loaded


def _load_pool(corpus: Corpus, pool: str, path: Path) -> tuple[PoolFacts | None, list[str]]:
    where = f"{pool} ({path.name})"
    if not path.is_file():
        return None, [f"{where}: filen {path} mangler"]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return None, [f"{where}: ugyldig YAML: {exc}"]
    if not isinstance(raw, dict):
        return None, [f"{where}: skal være en YAML-mapping med pool, name, … og facts"]

    problems: list[str] = []
    if raw.get("pool") != pool:
        problems.append(f"{where}: pool er {raw.get('pool')!r}, men filen ligger i puljemappen {pool!r}")
    entries: list[FactEntry] = []
    raw_facts = raw.get("facts")
    if not isinstance(raw_facts, list) or not raw_facts:
        problems.append(f"{where}: 'facts' skal være en ikke-tom liste")
        raw_facts = []
    for i, item in enumerate(raw_facts, start=1):
        key = item.get("key", f"#{i}") if isinstance(item, dict) else f"#{i}"
        try:
            entry = FactEntry.model_validate(item)
        except ValidationError as exc:
            problems.append(f"{pool} / {key}: ugyldig post: {_brief(exc)}")
            continue
        problems += [f"{pool} / {_name(entry)}: {p}" for p in check_entry(corpus, pool, entry)]
        entries.append(entry)

    problems += check_fact_keys(pool, entries, load_keys(), path)
    seen: set[tuple[str, str | None]] = set()
    for entry in entries:
        if (entry.key, entry.round) in seen:
            problems.append(f"{pool} / {_name(entry)}: (pulje, key, round) findes flere gange")
        seen.add((entry.key, entry.round))

    header = {k: v for k, v in raw.items() if k != "facts"}
    try:
        pool_facts = PoolFacts.model_validate({**header, "facts": tuple(entries)})
    except ValidationError as exc:
        return None, problems + [f"{where}: ugyldigt hoved: {_brief(exc)}"]
    problems += [f"{where}: alias {a!r} skal skrives med små bogstaver" for a in pool_facts.aliases if a != a.lower()]
    return pool_facts, problems


def check_entry(corpus: Corpus, pool: str, entry: FactEntry) -> list[str]:
    """Everything wrong with one entry, as one Danish phrase each (empty list: the entry holds)."""
    problems: list[str] = []
    where = f"{entry.doc_id} afsnit {entry.section}"
    try:
        doc = corpus.document(entry.doc_id)
        corpus.section(entry.doc_id, entry.section)
    except UnknownSection as exc:
        return [str(exc)]
    if doc.meta.pool != pool:
        problems.append(f"dokumentet {entry.doc_id!r} hører til puljen {doc.meta.pool!r}, ikke {pool!r}")
    if "**" in entry.quote or _ITEM_MARKER.match(entry.quote):
        problems.append("citatet skal stå uden **-markering og uden punktnummer «N) »")
    if not corpus.text_contains(entry.doc_id, entry.section, entry.quote):
        problems.append(f"citatet findes ikke ordret i {where}: {entry.quote!r}")

    quoted = _tokens(entry.quote)
    missing = [t for t in _tokens(entry.display) if t not in quoted]
    if missing:
        problems.append(f"visningen {entry.display!r} har tal, der ikke står i citatet: {', '.join(missing)}")
    # Labels and notes are shown next to the display; a number in them must be a sourced one too.
    for field_name in ("label", "note", "display_en", "note_en"):
        text = getattr(entry, field_name) or ""
        if field_name.endswith("_en"):
            text = text.translate(_ENGLISH_TO_DANISH_MARKS)  # "100,000" is the quote's "100.000"
        stray = [t for t in _NUMBER.findall(text) if t not in quoted and t not in _tokens(entry.display)]
        if stray:
            problems.append(f"{field_name} har tal, der hverken står i citatet eller visningen: {', '.join(stray)}")

    problem = _check_value(entry)
    if problem:
        problems.append(problem)
    if entry.provisional and entry.type != "money":
        problems.append("provisional bruges kun ved beløb")
    return problems


def _check_value(entry: FactEntry) -> str | None:
    """Whether the typed value equals what the display parses to."""
    value, display, kind = entry.value, entry.display, entry.type
    mismatch = f"værdien {_show(value)} svarer ikke til visningen {display!r}"
    if kind in ("datetime", "date"):
        found = parse_dates(display)
        wanted_type = datetime if kind == "datetime" else date
        if type(value) is not wanted_type:
            return f"type {kind} kræver en {wanted_type.__name__}-værdi, fik {_show(value)}"
        if len(found) != 1 or type(found[0]) is not wanted_type or found[0] != value:
            return mismatch + f" (visningen giver {found})"
        return None
    if kind == "period":
        if not isinstance(value, Period):
            return f"type period kræver {{start, end}}, fik {_show(value)}"
        found = parse_dates(display)
        if value.start > value.end:
            return f"perioden slutter før den begynder: {_show(value)}"
        if found != [value.start, value.end] or any(isinstance(d, datetime) for d in found):
            return mismatch + f" (visningen giver {found})"
        return None
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            return f"type text kræver en tekstværdi, fik {_show(value)}"
        return None
    # money, percent, hours, count, months: a number
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"type {kind} kræver et tal, fik {_show(value)}"
    if kind == "money":
        if not isinstance(value, int):
            return f"beløb skrives som hele kroner, fik {_show(value)}"
        found = parse_amounts(display)
    else:
        found = _numbers(display)
    if len(found) != 1 or found[0] != Decimal(str(value)):
        return mismatch + f" (visningen giver {[_show(n) for n in found]})"
    return None


def _tokens(text: str) -> list[str]:
    """The numbers a text writes: digit groups as written ("1.649", "12,9") and number words ("tre")."""
    return _NUMBER.findall(text) + [w.lower() for w in _NUMBER_WORD.findall(text)]


def _numbers(text: str) -> list[Decimal]:
    found = [(m.start(), parse_number(m.group())) for m in _NUMBER.finditer(text)]
    found += [(m.start(), Decimal(NUMBER_WORDS[m.group().lower()])) for m in _NUMBER_WORD.finditer(text)]
    return [n for _, n in sorted(found)]


def _name(entry: FactEntry) -> str:
    return f"{entry.key} (runde {entry.round})" if entry.round else entry.key


def _show(value: object) -> str:
    if isinstance(value, Period):
        return f"{{start: {value.start}, end: {value.end}}}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return repr(value) if isinstance(value, str) else str(value)


def _brief(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '-'}: {e['msg']}" for e in exc.errors())
