"""The answer pipeline's word lists (lexicon.yaml), the fact-key registry (keys.yaml) and the fact intents
(intents.yaml), loaded once and validated against each other."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.danish import fold
from assistant.errors import CorpusError

RULES_DIR = Path(__file__).resolve().parent
QUESTION_TYPES = (
    "when",
    "how_much",
    "how_many",
    "how_long",
    "who",
    "may",
    "what",
    "how",
    "todo",
    "why",
    "yesno",
    "contact",
    "define",
)
KINDS = ("datetime", "date", "amount", "hours", "percent", "count", "months", "period", "text")
# facts.yaml `type` → registry `kind`
FACT_TYPE_KIND = {
    "money": "amount",
    "datetime": "datetime",
    "date": "date",
    "hours": "hours",
    "percent": "percent",
    "count": "count",
    "months": "months",
    "period": "period",
    "text": "text",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FactKey(_Frozen):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: str
    label: str
    label_en: str
    answers: tuple[str, ...]
    per_round: bool = False
    # The value names who may apply ("kommuner", "frivillige organisationer, foreninger …"): a question that
    # names the asker's kind ("Vi er en boligforening – kan vi søge?") gets a yes or no from it.
    lists_applicants: bool = False
    # The value is the least number of this thing that is required ("mindst tre forskellige regioner": region):
    # a question that says how many the asker has gets whether that meets it.
    minimum_of: str | None = None


class IntentSpec(_Frozen):
    name: str
    keys: tuple[str, ...] = Field(min_length=1)
    topic: tuple[str, ...] = Field(min_length=1)
    covers: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    # Terms that name the topic only together with a question type the key answers (not what/may/yes-no):
    # "sende ansøgningen" is a deadline question only as "hvornår skal vi sende ansøgningen?".
    topic_with_type: tuple[str, ...] = ()
    # The question types a `topic_with_type` term needs, where fewer than all its keys answer: "hvor mange
    # budgetposter … i projektet" counts something else than the project's months.
    with_types: tuple[str, ...] = ()
    # Terms that say only where ("i puljen", "in the pool"): they name the intent when no other intent's own
    # topic term stands in the question — "sign on fee i puljen" asks for the fee, not for the pool's total.
    topic_weak: tuple[str, ...] = ()
    # Terms that ask "still …?": topic terms, unless the message says before them what the asker lacks or is
    # not — then "still" means "despite that" ("Vi har ingen frivillige – kan vi stadig søge?").
    topic_still: tuple[str, ...] = ()
    # Terms that name the topic only where the question (or the turn before it) tells an amount in kroner: "på
    # halv tid" asks what the post costs when a salary is told, not how many days off a part-timer has.
    topic_with_amount: tuple[str, ...] = ()
    calculator: str | None = None
    with_keys: tuple[str, ...] = ()
    # Facts that frame the answer when the pool does not state the one asked for: "oplyser ikke et maksimalt
    # beløb pr. tilskud" is told beside the pool's total, labelled as the total.
    context_keys: tuple[str, ...] = ()
    # Only with a question word that its key answers; "Må vi købe en computer?" is not a cap question.
    needs_type: bool = False

    @field_validator("excludes", mode="before")
    @classmethod
    def _flatten(cls, terms):
        """A list shared between intents through a YAML anchor (`*spending`) stands as one item: spread it."""
        return [t for item in terms for t in (item if isinstance(item, list) else [item])]


class ApplicantKind(_Frozen):
    group: str  # kinds of one group stand in for each other: a list naming none of the group excludes it
    terms: tuple[str, ...]


class OutOfScope(_Frozen):
    terms: tuple[str, ...]
    answer: str
    # The same in English, said first to an English question (the Danish follows for staff who read it aloud).
    answer_en: str = ""
    # Phrases that make the question one the guidelines answer after all ("hvornår får vi pengene udbetalt?"
    # asks how a grant is paid, not about one's own case).
    excludes: tuple[str, ...] = ()


class FollowUpWords(_Frozen):
    anaphora: tuple[str, ...]
    openers: tuple[str, ...]
    same_again: tuple[str, ...] = ()


class Lexicon(_Frozen):
    question_types: dict[str, tuple[str, ...]]
    qualifiers: dict[str, tuple[str, ...]]
    out_of_scope: dict[str, OutOfScope]
    follow_up: FollowUpWords
    contrast: tuple[str, ...]
    compare: tuple[str, ...]
    background: tuple[str, ...]
    funding: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # whom a question may ask about who are not the applicant
    person_groups: dict[str, tuple[str, ...]] = {}  # group → its words; a rule said of one is not said of another
    applicant_kinds: dict[str, ApplicantKind] = {}
    # Things a question may name one by one rather than count ("Region Midtjylland" is one region).
    named_members: dict[str, tuple[str, ...]] = {}


@lru_cache(maxsize=512)
def _pattern(terms: tuple[str, ...], inside_words: bool) -> re.Pattern:
    parts = []
    # A term written "-posten" is the last part of a compound only ("transportposten", "lønposten"), never the word
    # alone ("sende med posten").
    entries = {(fold(t), t.lstrip().startswith("-")) for t in terms if fold(t)}
    for term, tail in sorted(entries, key=lambda entry: len(entry[0]), reverse=True):
        # A topic "pengene bruges" is also in "pengene så bruges": with `inside_words` (topics), one filler
        # word may stand between the words of a term.
        joiner = r" (?:\w+ )?" if inside_words else " "
        body = joiner.join(re.escape(w) for w in term.split())
        if tail:
            parts.append(rf"(?<=\w\w\w){body}")
        elif len(term) <= 3:
            parts.append(rf"\b{body}\b")
        elif inside_words and " " not in term and len(term) >= 5:
            parts.append(body)  # the head of a compound: "frist" in "ansoegningsfristen"
        else:
            parts.append(rf"\b{body}")
    return re.compile("|".join(parts) if parts else r"(?!)")


def term_pattern(terms: tuple[str, ...] | list[str], inside_words: bool = False) -> re.Pattern:
    """One regex for folded terms: a term matches at the start of a word; a short term (three letters or
    fewer, "su", "den", "it") only as a whole word. With `inside_words`, a one-word term of five letters
    or more also matches inside a compound, as Danish writes them."""
    return _pattern(tuple(terms), inside_words)


def find_terms(terms: tuple[str, ...] | list[str], folded: str) -> list[str]:
    return [m.group(0) for m in term_pattern(terms).finditer(folded)]


def _load_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: kan ikke læses: {exc}") from None


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    return 0


@lru_cache(maxsize=4)
def load_keys(path: Path = RULES_DIR / "keys.yaml") -> dict[str, FactKey]:
    keys: dict[str, FactKey] = {}
    for raw in _load_yaml(path) or []:
        try:
            entry = FactKey.model_validate(raw)
        except ValidationError as exc:
            raise CorpusError(f"{path}:{_line_of(path, str(raw.get('key', '')))}: ugyldig nøgle: {exc}") from None
        if entry.kind not in KINDS or set(entry.answers) - set(QUESTION_TYPES):
            raise CorpusError(f"{path}:{_line_of(path, entry.key)}: ukendt kind eller spørgsmålstype i {entry.key!r}")
        if entry.key in keys:
            raise CorpusError(f"{path}:{_line_of(path, entry.key)}: nøglen {entry.key!r} står to gange")
        keys[entry.key] = entry
    return keys


@lru_cache(maxsize=4)
def load_intents(
    path: Path = RULES_DIR / "intents.yaml", keys_path: Path = RULES_DIR / "keys.yaml"
) -> tuple[IntentSpec, ...]:
    keys = load_keys(keys_path)
    intents = []
    for raw in _load_yaml(path) or []:
        name = raw.get("name", "") if isinstance(raw, dict) else ""
        try:
            intent = IntentSpec.model_validate(raw)
        except ValidationError as exc:
            raise CorpusError(f"{path}:{_line_of(path, name)}: ugyldig intent: {exc}") from None
        unknown = [k for k in (*intent.keys, *intent.with_keys, *intent.context_keys) if k not in keys]
        if unknown:
            raise CorpusError(
                f"{path}:{_line_of(path, 'name: ' + intent.name)}: ukendt nøgle "
                f"{', '.join(unknown)} (ikke i {keys_path.name})"
            )
        intents.append(intent)
    return tuple(intents)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = RULES_DIR / "lexicon.yaml") -> Lexicon:
    try:
        lexicon = Lexicon.model_validate(_load_yaml(path))
    except ValidationError as exc:
        raise CorpusError(f"{path}: ugyldigt leksikon: {exc}") from None
    unknown = set(lexicon.question_types) - set(QUESTION_TYPES)
    if unknown:
        raise CorpusError(f"{path}: ukendte spørgsmålstyper {sorted(unknown)}")
    return lexicon


# A deadline key may be stated as a bare date where a document gives no time of day.
# A deadline may also be "oplyses på puljens side" (text) where the vejledning gives no date.
_COMPATIBLE = {"datetime": {"datetime", "date", "text"}}


def check_fact_keys(pool: str, entries, keys: dict[str, FactKey], path: Path) -> list[str]:
    """Every fact's key must be in the registry, with a type of the registry's kind."""
    problems = []
    for entry in entries:
        where = f"{path}:{_line_of(path, 'key: ' + entry.key)}"
        if entry.key not in keys:
            problems.append(f"{where}: ukendt nøgle {entry.key!r} (ikke i rules/keys.yaml)")
        elif FACT_TYPE_KIND.get(entry.type) not in _COMPATIBLE.get(keys[entry.key].kind, {keys[entry.key].kind}):
            problems.append(f"{where}: {entry.key} har type {entry.type}, men registret siger {keys[entry.key].kind}")
    return problems
