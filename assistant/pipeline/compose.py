"""Step 7 — → Answer: the direct answer first (one or two sentences: the fact with its condition, or the
sentence of the guideline that answers), then at most three quotes; each figure at most twice."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from wordfreq import zipf_frequency

from assistant.danish import MONTH_PATTERN, fold, parse_dates, split_sentences, stem
from assistant.glossary import document_terms, same_as_terms
from assistant.models import Answer, Citation, DocumentMeta, Fact
from assistant.pipeline.guard import CONTACT
from assistant.pipeline.quote import EMAIL, MAX_QUOTE_CHARS, PERCENT_FIGURE, PHONE, quote_pieces
from assistant.pipeline.retrieve import RARE_WORD_ZIPF, Passages, rare_words
from assistant.pipeline.rules import ASKS_PERCENT, FactAnswer, RuleResult, earlier_round_passed, local_deadline
from assistant.pipeline.scope import Scope
from assistant.pipeline.understand import (
    OPENING_VERBS,
    Query,
    counted_noun,
    mention_words,
    question_sentences,
    surface_word,
    without_joiner,
    without_mentions,
)
from assistant.retrieval import within_one_edit
from assistant.rules.facts import NUMBER_WORDS, FactEntry
from assistant.rules.lexicon import ApplicantKind, Lexicon, term_pattern

ABSTAIN_MESSAGE = (
    "Det kan jeg ikke finde svar på i de vejledninger, jeg kender. Jeg svarer kun ud fra de offentliggjorte "
    "vejledninger til Social- og Boligstyrelsens ansøgningspuljer. Kontakt Social- og Boligstyrelsen, "
    "som administrerer puljerne, hvis du har brug for hjælp."
)
ENGLISH_NOTE = "(The guidelines are in Danish; the quotes below are Danish.)"
ENGLISH_ABSTAIN = (
    "(English: the guidelines I know do not cover this. Please contact Social- og Boligstyrelsen, "
    "the Danish Agency for Social Services and Housing, which runs the grant pools.)"
)
NOT_STATED_EN = (
    "(English: the guideline, which is in Danish, does not state this. Please ask Social- og Boligstyrelsen.)"
)
BACKGROUND_NOT_A_POOL = (
    "Pjecen fra 2005 er baggrundsmateriale: den beskriver ikke en pulje, man kan søge i dag, og vejledningerne "
    "oplyser ikke, hvor man søger det, den nævner. Spørg jeres kommune eller Social- og Boligstyrelsen. Pjecen skrev:"
)
BACKGROUND_NOT_A_POOL_EN = (
    "The 2005 brochure is background only: it describes no pool you can apply to today, and the guidelines do not "
    "say where to apply for what it mentions. Please ask your municipality or Social- og Boligstyrelsen. It said:"
)
CPR_NOTE = "Du har skrevet et CPR-nummer. Det er fjernet og bliver ikke gemt – skriv aldrig CPR-numre her."
# Words that tell when something happens without a date ("senest ved projektstart", "løbende").
_TIME_WORDS = re.compile(
    r"\b(?:senest|inden|efter|før|ved|når|løbende|årligt|hver[t]?|måned\w*|uge\w*|dag\w*|"
    r"dato\w*|frist\w*|periode\w*|start\w*|slut\w*|primo|medio|ultimo|umiddelbart|hvis|såfremt|tilfælde\w*)\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
_FULL_DATE = re.compile(rf"\b\d{{1,2}}\. {MONTH_PATTERN} \d{{4}}\b")
_AMOUNT_FIGURE = r"\d[\d.,]*\s*(?:kr|mio|mia|pct|procent|%)"
# An amount or a date: what a how-much/how-many/when question would take for its answer.
_FIGURE_OF_KIND = re.compile(rf"{_AMOUNT_FIGURE}|\b\d{{1,2}}\. {MONTH_PATTERN}\b", re.I)
_AMOUNT = re.compile(rf"{_AMOUNT_FIGURE}|\bkroner\b", re.I)


@dataclass(frozen=True)
class CorpusLookup:
    """What composing asks of the corpus beyond the passages found."""

    section_text: Callable[[str, str], str]  # (doc, section) → its text
    speaks_of: Callable[[str, str], bool]  # (pool, word) → its documents use the word, in any inflection
    sentences_using: Callable[[str, str], list[tuple[str, str]]]  # (doc, word) → (section, sentence) using it
    widespread: Callable[[str | None, str], bool]  # (pool, word) → it starts words in many of the pool's sections
    meta: Callable[[str], DocumentMeta]  # doc → its metadata (kind, year)
    documents_of: Callable[[str | None], list[str]]  # pool → its documents
    quotable: Callable[[str], list[Citation]]  # doc → each sentence of its quotable text, as a quote
    # (pool, sentence) → the pool's verified limits (amounts, percentages) on a thing the sentence names
    limits: Callable[[str | None, str], list[tuple[FactAnswer, Citation]]] = lambda pool, sentence: []
    # pool → its verified list of who may apply, with its citation; and the lexicon's applicant kinds
    applicants: Callable[[str | None], tuple[FactAnswer, Citation] | None] = lambda pool: None
    # quote → the verified facts whose own sentence it quotes, in the quote's order
    facts_stated_in: Callable[[Citation], list[FactAnswer]] = lambda citation: []
    # text → the documents' one-word forms of its separable verbs ("bygge lokalet om" → "ombygning")
    joined_verbs: Callable[[str], str] = lambda text: ""
    kinds: dict[str, ApplicantKind] = dataclasses.field(default_factory=dict)
    people: tuple[str, ...] = ()  # the lexicon's words for people who are not the applicant ("borgerne")
    person_groups: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # group → its words
    # word → the documents' word that is its last part, where they never use the compound ("biografgavekort")
    compound_head: Callable[[str], str | None] = lambda word: None


@dataclass(frozen=True)
class Names:
    short: dict[str, str]  # pool id → short name ("SærligSoc 2025")
    guided: frozenset[str] = frozenset()  # the pools with a vejledning among their documents

    def of(self, pool: str) -> str:
        return self.short.get(pool, pool)

    def source(self, pool: str | None) -> str:
        """What a pool's sources are called: a pool known from an FAQ and a partner's page has no "vejledning",
        and a hotline worker reading the answer aloud must not promise one."""
        return "vejledningen" if pool in self.guided else "materialet"

    def sources(self, pools: tuple[str, ...] | list[str]) -> str:
        if len(pools) > 1:  # the pools the asker named, said by name
            return "Kilderne om " + " og ".join(self.of(p) for p in pools)
        if not pools:
            return "Vejledningerne"
        source = self.source(pools[0])
        return f"{_cap(source)} {'for' if source == 'vejledningen' else 'om'} {self.of(pools[0])}"


def _fact_note(entry: FactEntry, english: bool) -> str:
    """The fact's condition as a sentence; in English its curated translation, else the Danish said as Danish."""
    if not english:
        return _sentence(f"Bemærk: {entry.note}")
    return _sentence(f"Note: {entry.note_en}") if entry.note_en else _sentence(f"Note (in Danish): {entry.note}")


def _aside_note(entry: FactEntry, english: bool) -> str:
    """The fact's condition in brackets after its value, in the asker's language where it is curated."""
    note = entry.note_en if english else entry.note
    return f" ({note})" if note else ""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", ")")) else text + "."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def quote_line(citation: Citation) -> str:
    return f"«{citation.quote}» ({citation.label})"


def fact_citation(fa: FactAnswer, label: str, title: str) -> Citation:
    return Citation(
        doc_id=fa.entry.doc_id, section=fa.entry.section, title=title, quote=fa.entry.quote, score=1.0, label=label
    )


def to_fact(fa: FactAnswer) -> Fact:
    return fa.entry.to_fact()


def _round(fa: FactAnswer) -> str:
    return f" (runden {fa.entry.round})" if fa.entry.round else ""


def _round_en(fa: FactAnswer) -> str:
    return f" ({fa.entry.round} round)" if fa.entry.round else ""


def direct_fact_line(fa: FactAnswer, names: Names, english: bool, now: datetime | None = None) -> str:
    if earlier_round_passed(fa, now):
        # "Hvornår er fristen?" of a pool whose material only tells of a past round: there is no current one.
        if english:
            return (
                f"The material on {names.of(fa.pool)} does not state {fa.key.label_en} for a current round; the latest "
                f"it mentions, {fa.entry.display} (round {fa.entry.round}), has passed. Please ask Social- og "
                "Boligstyrelsen."
            )
        return (
            f"{names.sources([fa.pool])} oplyser ikke {fa.key.label} for en aktuel runde. Den seneste, der "
            f"nævnes, var {fa.entry.display} (runden {fa.entry.round}), og den er passeret. {CONTACT}"
        )
    if english:
        line = _sentence(f"{_cap(fa.key.label_en)} for {names.of(fa.pool)}{_round_en(fa)} is {english_value(fa.entry)}")
    else:
        line = _sentence(f"{_cap(fa.key.label)} for {names.of(fa.pool)}{_round(fa)} er {fa.entry.display}")
    if fa.entry.note:
        # The condition or caveat of the fact ("foreløbigt acontobeløb …").
        line += " " + _fact_note(fa.entry, english)
    value = fa.entry.value
    if now is not None and fa.key.key != "ansoegningsfrist" and isinstance(value, (date, datetime)):
        if local_deadline(value, now) < now:
            # A date that has passed is history, not an instruction: say so.
            line += " (Datoen er passeret.)" if not english else " (That date has passed.)"
    return line


# The Danish display is the value alone ("14,6 mio. kr.", "10 pct.", "1.649 timer"): English says it all.
_BARE_DISPLAY = re.compile(
    rf"^(?:[\d.,]+\s*(?:mio\.\s*)?(?:kr\.|pct\.|timer|måneder)|\d{{1,2}}\. {MONTH_PATTERN} \d{{4}}.*)$"
)


# Words after which, within APPLICANT_REACH words, a kind of applicant is the asker ("vi er en almen
# boligforening", "kan vores forening", "can our municipality"); after a preposition it is someone else
# ("sammen med kommunen").
# ("re", "m": "we're", "I'm" folded)
_ASKER_MARKERS = {"er", "som", "vores", "kan", "maa", "our", "as", "can", "may", "is", "are", "re", "m"}
_NOT_ASKER = {"med", "til", "for", "hos", "fra", "af", "i", "paa", "with", "to", "from", "for", "by", "in", "at", "on"}
# (Five: "vi er en mindre, lokal forening", "we are a small private NGO" – the words that describe the body stand
# between the asker's "we are" and its kind.)
APPLICANT_REACH = 5
# Where the asker says what they are ("Vi er en privat forening", "Som kommune …", "Vores forening …"), not
# what they ask about ("Kan en virksomhed i partnerskabet få …?" asks of a company, it is none).
_SELF_MARKERS = {"er", "som", "vores", "our", "as", "is", "are", "re", "m"}
# Verbs that say the asker speaks for the body named after them, whatever preposition follows ("for", "i", "hos").
_WORKS_AT = {"arbejder", "ansat", "repraesenterer", "work", "works", "working", "employed", "represent"}
# So do the words for a part of it, after the asker's "we are" ("Vi er en psykiatrisk afdeling i en region", "We're a
# department in one of the Danish Regions"): the body it is part of is the asker's kind.
_PART_OF = {"afdeling", "enhed", "forvaltning", "department", "unit", "division"}
# After a verb of working, these make the body one worked beside ("working closely with volunteer centres").
_WORKED_BESIDE = {"med", "with", "sammen", "together"}
# Between a part's word and the body, these, too, make the body another ("vores afdeling samarbejder med en kommune").
_BESIDE = _WORKED_BESIDE | {
    "samarbejder",
    "samarbejde",
    "cooperate",
    "cooperates",
    "collaborate",
    "collaborates",
    "for",
    "til",
    "to",
    "og",
    "and",
}
# How far before a kind a part's word may stand ("a department in one of the Danish Regions").
PART_OF_REACH = 6
# How far before the part's word the asker's "we are" stands ("vi er en afdeling"): close, for "vi er en
# landsforening med lokalafdelinger i to regioner" tells of the association's branches, not of a region's part.
PART_MARKER_REACH = 3
_FIRST_PERSON = {"vi", "jeg", "vores", "min", "mit", "we", "i", "our", "my"}
# Words that count the bodies named after them: "i flere kommuner", "in one municipality", "across all regions".
_COUNTING = {
    "one",
    "two",
    "three",
    "several",
    "many",
    "multiple",
    "all",
    "each",
    "every",
    "flere",
    "alle",
    "hver",
    "hele",
    "tre",
    "fire",
    "enkelt",
    "single",
    "eneste",
}
# A list of who may apply that sets conditions ("…, der er landsdækkende", "med et socialt formål").
# How many words before its modal a sentence names whom it says may or may not ("Kommuner og regioner kan …").
SUBJECT_REACH = 5
_CONDITIONED = re.compile(r"\b(?:der|som|med|hvis|saafremt|forudsat)\b")


def _kinds_in(
    text: str, kinds: dict[str, ApplicantKind], asker: bool = False, markers: set[str] = _ASKER_MARKERS
) -> dict[str, str]:
    """Kind → the word that names it in the folded text; with `asker`, only where it names the asker (a word of
    `markers` shortly before it). A kind named inside a longer one's words ("association" in "housing
    association") is not named."""
    spans = []  # (start, end, kind)
    for kind, spec in kinds.items():
        for match in term_pattern(spec.terms).finditer(text):
            end = text.find(" ", match.end())
            spans.append((match.start(), len(text) if end < 0 else end, kind))
    found: dict[str, str] = {}
    for start, end, kind in spans:
        if any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans):
            continue
        before = text[:start].split()[-APPLICANT_REACH:]
        # "jeg arbejder i en kommune", "I work for a council", "vi er en afdeling i en region"
        reach = text[:start].split()[-PART_OF_REACH - APPLICANT_REACH :]
        part_of = any(
            any(p in w for p in _PART_OF)
            and n >= len(reach) - PART_OF_REACH  # the part's word near the body, the asker's "we are" before it
            and _SELF_MARKERS & set(reach[max(0, n - PART_MARKER_REACH) : n])
            and not _BESIDE & set(reach[n + 1 :])
            for n, w in enumerate(reach)
        )
        # ("working closely with volunteer centres" works beside them, not in one)
        works_there = (bool(_WORKS_AT & set(before)) and not _WORKED_BESIDE & set(before)) or part_of
        if asker and before[-1:] and before[-1] in _COUNTING:
            continue  # "we only work in one municipality" counts where they work: it is no kind of applicant
        if asker and not works_there and (not markers & set(before) or _NOT_ASKER & set(before)):
            continue
        found.setdefault(kind, text[start:end])
    return found


def applicant_verdict(query: Query, fa: FactAnswer, kinds: dict[str, ApplicantKind], names: Names) -> str | None:
    """Yes or no to "can we apply?" where the question names the asker's kind and the fact lists who may apply:
    yes where the list names that kind, no where it names no kind of the asker's group at all ("kommuner" for a
    housing association), nothing in between (a "frivilligcenter" beside "frivillige organisationer, foreninger")."""
    if not fa.key.lists_applicants or not set(query.types) & {"may", "yesno", "who"}:
        return None
    # A pool's name is no asker ("lokale partnerskaber").
    askers = _kinds_in(without_mentions(query.folded, query.mentions), kinds, asker=True)
    if len(askers) != 1:
        return None
    ((kind, word),) = askers.items()
    listed = _kinds_in(fold(fa.entry.quote), kinds)
    who = " ".join(surface_word(query.text, w) for w in word.split())
    pool = names.of(fa.pool)
    if kind in listed:
        if _CONDITIONED.search(fold(fa.entry.quote)):
            # "foreninger med et socialt formål, der er landsdækkende …": whether this asker meets it, the list
            # alone does not say ("en lokal forening i Aarhus" does not); the list is shown, no yes.
            return None
        if query.english:
            return (
                f"Yes – as a {_one_of(who)} you may apply for {pool} if you meet who it is for: "
                f"{english_value(fa.entry)}."
            )
        return _sentence(f"Ja – som {who} kan I søge {pool}, hvis I opfylder ansøgerkredsen: {fa.entry.display}")
    if listed and kinds[kind].group not in {kinds[k].group for k in listed}:
        return _cannot_apply(query, fa, who, pool)
    return None


def _one_of(who: str) -> str:
    """An English kind as one of them: "one of the Danish Regions" → "region", "municipalities" → "municipality"."""
    who = who.lower()
    return who[:-3] + "y" if who.endswith("ies") else who[:-1] if who.endswith("s") and not who.endswith("ss") else who


def _cannot_apply(query: Query, fa: FactAnswer, who: str, pool: str, told_now: bool = True) -> str:
    """`told_now`: the asker said what they are in this turn. Told in the turn before, this turn asks something
    else ("Do we have to use the budget template?"), and a "No –" before it would read as the answer to that."""
    if query.english:
        who = _one_of(who)
        # The list is Danish text (a summary, not a quote: no «»), after the English answer.
        return (
            f"{'No –' if told_now else 'Note:'} as a {who} you cannot apply for {pool}: its guideline names who may "
            f"apply – {fa.entry.display_en or fa.entry.display} – and a {who} is not among them "
            f"(in Danish: {fa.entry.display})."
        )
    lead = "Nej –" if told_now else "Bemærk:"
    return _sentence(f"{lead} ansøgerkredsen for {pool} er {fa.entry.display}, så som {who} kan I ikke søge")


def self_described(query: Query, kinds: dict[str, ApplicantKind]) -> tuple[str, str] | None:
    """(kind, the word naming it) where the asker says what kind of body they are, in the question or the turn
    before ("Vi er en privat forening", "Som kommune …"); None where they do not, or name several."""
    askers: dict[str, str] = {}
    current = without_mentions(query.folded, query.mentions)
    for text in (current, fold(query.previous or "")):
        if _FIRST_PERSON & set(text.split()):
            askers = askers or _kinds_in(text, kinds, asker=True, markers=_SELF_MARKERS)
        elif text is current and _kinds_in(current, kinds, asker=True, markers=_SELF_MARKERS):
            break  # this turn puts another body in the asker's place ("og hvis det er en kommune, der søger?")
    return next(iter(askers.items())) if len(askers) == 1 else None


def kinds_named(text: str, kinds: dict[str, ApplicantKind]) -> set[str]:
    """The applicant kinds the folded text names."""
    return set(_kinds_in(text, kinds))


def asker_outside(
    query: Query, fa: FactAnswer, kinds: dict[str, ApplicantKind], names: Names, as_note: bool = False
) -> str | None:
    """Whatever was asked of a pool, where the asker says what kind of body they are (in the question or the
    turn before: "Vi er en privat forening – …" / "Gælder det også for viceværterne?") and the pool's list of
    who may apply names no kind of that group ("kommuner" to an association): the answer is moot for them, and
    that comes first. `as_note`: said as a note ("Bemærk: …"), as for a kind told in the turn before, where the
    line follows an answer to something else."""
    if not fa.key.lists_applicants:
        return None
    described = self_described(query, kinds)
    listed = kinds_named(fold(fa.entry.quote), kinds)
    if described is None or not listed:
        return None
    kind, word = described
    if kinds[kind].group in {kinds[k].group for k in listed}:
        return None
    told_now = word in fold(query.text)
    source = query.text if told_now else query.previous or ""
    who = " ".join(surface_word(source, w) for w in word.split())
    return _cannot_apply(query, fa, who, names.of(fa.pool), told_now and not as_note)


def english_value(entry) -> str:
    """A fact's value said in English from its type (Babel's CLDR data for dates and numbers); where the
    Danish display says more than the value ("mindst tre forskellige regioner", "50.000 kr. pr. projektår"),
    that wording follows in the guideline's Danish."""
    value, kind = entry.value, entry.type
    if kind == "money":
        said = (
            f"DKK {format_decimal(value / 1_000_000, locale='en_GB')} million"
            if value >= 1_000_000
            else f"DKK {format_decimal(value, locale='en_GB')}"
        )
    elif kind == "datetime":
        said = format_datetime(value, "d MMMM y 'at' HH:mm", locale="en_GB")
    elif kind == "date":
        said = format_date(value, "d MMMM y", locale="en_GB")
    elif kind == "period":
        said = f"{format_date(value.start, 'd MMMM y', locale='en_GB')} to {format_date(value.end, 'd MMMM y', locale='en_GB')}"
    elif kind == "percent":
        said = f"{format_decimal(value, locale='en_GB')} per cent"
    elif kind == "hours":
        said = f"{format_decimal(value, locale='en_GB')} hours"
    elif kind == "months":
        said = f"{value} months"
    elif kind == "count":
        said = str(value)
    else:
        # No quotation marks: the display is the fact's curated wording, not the guideline's own; a quote mark
        # would promise words that stand in the document. A curated English wording goes first where there is one.
        return (
            f"{entry.display_en} (in Danish: {entry.display})" if entry.display_en else f"{entry.display} (in Danish)"
        )
    bare = _BARE_DISPLAY.match(entry.display) and kind != "count"
    return said if bare else f"{said} (in Danish: {entry.display})"


def silent_pools(scope: Scope, ruled: RuleResult) -> list[str]:
    """No pool named, and these pools' documents do not state what was asked: one pool's rule is never the
    answer for the others ("Hvornår udbetales tilskuddet?"), so the answer goes pool by pool."""
    stating = {f.pool for f in ruled.facts}
    return [p for p in ruled.missing if not scope.pools and p not in stating]


def fact_lead(
    query: Query, scope: Scope, ruled: RuleResult, names: Names, kinds: dict[str, ApplicantKind] | None = None
) -> str | None:
    """The text a one-pool fact answer (`compose_facts`) starts with — notes, the direct fact line (or the
    yes/no to "can we apply?"), the English note — known before any passage is retrieved. None when the answer
    goes pool by pool (it leads otherwise)."""
    if len({f.pool for f in ruled.facts}) != 1 or silent_pools(scope, ruled):
        return None
    fa = ruled.facts[0]
    if leading := _leading(ruled):
        return with_notes(query, leading[0])  # the asker's own case goes first (compose_facts)
    line = applicant_verdict(query, fa, kinds or {}, names)
    if not line and (short := _falls_short(ruled)):
        return with_notes(query, short)
    line = line or direct_fact_line(fa, names, query.english, query.now)
    return with_notes(query, f"{line}\n\n{ENGLISH_NOTE}" if query.english else line)


def _leading(ruled: RuleResult) -> list[str]:
    """The calculations on the asker's own case, which go before the rules they rest on."""
    return [c.text for c in ruled.calculations if c.leads]


def _falls_short(ruled: RuleResult) -> str | None:
    """ "Nej – med …" where what the asker told falls short of a least number the rules require."""
    short = next((c for c in ruled.calculations if c.meets is False), None)
    return f"Nej – {short.text[:1].lower()}{short.text[1:]}" if short else None


def compose_out_of_scope(query: Query, scope: Scope, lexicon: Lexicon) -> Answer:
    # Every kind it names is answered: "Kan jeg som enlig mor søge, og skal jeg betale skat?" asks two.
    text = (
        " ".join(lexicon.out_of_scope[name].answer for name in scope.out_of_scope)
        + " Spørgsmål om puljerne kan du stille til Social- og Boligstyrelsen."
    )
    if query.english:
        # The asker's language first; the Danish after it is what staff read aloud.
        english = " ".join(lexicon.out_of_scope[name].answer_en for name in scope.out_of_scope)
        text = f"{english} Questions about the pools can be put to Social- og Boligstyrelsen.\n\n{text}"
    return Answer(question=query.text, pool=None, answer=with_notes(query, text), abstained=True)


def compose_unknown_pool(query: Query, scope: Scope) -> Answer:
    if scope.unknown_pool.startswith("§"):
        # Support named by a law's section is a scheme of its own (often the municipality's), not one of these pools.
        text = (
            f"”{scope.unknown_pool}” er ikke en af de puljer, jeg har vejledningerne til, så jeg kan ikke svare på, "
            "hvordan man søger den, eller på dens frister og beløb. Spørg den myndighed, der giver støtten – fx "
            "jeres kommune – eller Social- og Boligstyrelsen."
        )
    else:
        # The asker's own spelling ("bekæmpelse"), not the folded form matching works on ("bekaempelse").
        as_written = " ".join(surface_word(query.text, w) for w in scope.unknown_pool.split())
        text = (
            f"Jeg har ikke vejledningen for ”{as_written}” og kan derfor ikke svare på den puljes regler, "
            f"frister eller beløb. {CONTACT}"
        )
    if query.english:
        # The asker's language first; the Danish after it names the pool as they wrote it.
        text = (
            "I do not have the guidelines for that pool, so I cannot answer about its rules, deadlines or "
            f"amounts; please contact Social- og Boligstyrelsen.\n\n{text}"
        )
    return Answer(question=query.text, pool=None, answer=with_notes(query, text), abstained=True)


def compose_facts(
    query: Query,
    scope: Scope,
    ruled: RuleResult,
    passages: Passages | None,
    names: Names,
    label_of,
    title_of,
    threshold: float,
    kinds: dict[str, ApplicantKind] | None = None,
    section_text: Callable[[str, str], str] | None = None,
) -> Answer:
    facts = list(ruled.facts)
    pools = list(dict.fromkeys(f.pool for f in facts))
    citations: list[Citation] = []
    for fa in facts:
        c = fact_citation(fa, label_of(fa.entry.doc_id, fa.entry.section), title_of(fa.entry.doc_id, fa.entry.section))
        if all((x.doc_id, x.section, x.quote) != (c.doc_id, c.section, c.quote) for x in citations):
            citations.append(c)
    lines: list[str] = []
    verdicts: list[str | None] = []
    unnamed = silent_pools(scope, ruled)
    if len(pools) > 1 or unnamed:
        # Each fact the same in every pool that states it ("100.000 kr." for both vejledninger): said once, for all
        # of them; a pool that is silent on it is said to be, and no question back is needed.
        by_key: dict[str, list[FactAnswer]] = {}
        for fa in facts:
            by_key.setdefault(fa.key.key, []).append(fa)
        alike = len(pools) > 1 and all(
            len({(f.entry.display, f.entry.note) for f in fs}) == 1 for fs in by_key.values()
        )
        if alike:
            both = (" and " if query.english else " og ").join(names.of(p) for p in pools)
            judged = {k for c in ruled.calculations if c.leads for k in c.judges}
            leading = _leading(ruled)  # the asker's own case first
            if leading and len(pools) > 1:
                same = f"The rule is the same for {both}." if query.english else f"Reglen er den samme for {both}."
                leading.append(same)
            lines += leading
            for fs in by_key.values():
                fa = fs[0]
                if fa.key.key in judged:
                    continue  # the calculation says its figure
                label = fa.key.label_en if query.english else fa.key.label
                line = (
                    _sentence(f"{_cap(label)} er {fa.entry.display} for {both}")
                    if not query.english
                    else _sentence(f"{_cap(label)} is {english_value(fa.entry)} for {both}")
                )
                note = _fact_note(fa.entry, query.english) if fa.entry.note else ""
                lines.append(f"{line} {note}".strip())
            lines += [c.text for c in ruled.calculations if not c.leads]
            lines.append(quote_line(citations[0]))
            if query.english and unnamed:
                what = ruled.missing_key.label_en if ruled.missing_key else ruled.missing_what
                lines += [f"The material on {names.of(p)} does not state {what}." for p in unnamed]
                lines.append(NOT_STATED_EN)
            else:
                lines += [f"{_cap(names.sources([p]))} oplyser ikke {ruled.missing_what}." for p in unnamed]
                lines += [CONTACT] if unnamed else []
        else:
            lines.append("Det afhænger af puljen:" if not query.english else "It depends on the pool:")
            # Each fact with its own source: `citations` holds each quote once, so it does not line up with `facts`.
            for fa in facts:
                label = label_of(fa.entry.doc_id, fa.entry.section)
                status = ""
                if fa.key.kind in ("datetime", "date") and isinstance(fa.entry.value, (date, datetime)):
                    passed = query.now >= local_deadline(fa.entry.value, query.now)
                    status = " – fristen er overskredet" if passed else ""
                    if earlier_round_passed(fa, query.now):
                        status = " – en tidligere runde, og materialet nævner ingen aktuel frist"
                note = _aside_note(fa.entry, query.english)
                lines.append(f"- {names.of(fa.pool)}{_round(fa)}: {fa.entry.display}{note}{status} ({label})")
            lines += [f"- {names.of(p)}: {names.source(p)} oplyser ikke {ruled.missing_what}" for p in unnamed]
            lines += [c.text for c in ruled.calculations]  # one rule for every pool that states it
            lines += [CONTACT] if unnamed else []
            answer = Answer(
                question=query.text,
                pool=None,
                answer=with_notes(query, "\n".join(lines)),
                citations=citations[:6],
                facts=[to_fact(f) for f in facts],
                # The pools the asker named are the pools asked about: nothing to ask back.
                clarification=None
                if len(scope.pools) > 1
                else "Hvilken pulje spørger du om? Vælg en af: "
                + ", ".join(names.of(p) for p in (*pools, *unnamed))
                + ".",
            )
            return answer
    else:
        # Another round's entry is said only where its value differs: a figure stands at most twice. The facts
        # that complete the answer (the intent's `with_keys`: the cap beside the percentage, the regions and
        # years beside who may apply) follow it, each once.
        extra_keys = set(ruled.intent.with_keys) if ruled.intent else set()
        main = [f for f in facts if f.key.key not in extra_keys]
        extras = list({f.key.key: f for f in reversed(facts) if f.key.key in extra_keys}.values())[::-1]
        shown = main[:1] + [f for f in main[1:2] if f.entry.display != main[0].entry.display] + extras
        verdicts = [applicant_verdict(query, fa, kinds or {}, names) for fa in shown]
        if any(v and v.startswith(("Nej", "No")) for v in verdicts):
            # Not among those who may apply: the conditions for those who are (regions, years) do not concern them.
            verdicts, shown = verdicts[: len(main[:1])], shown[: len(main[:1])]
        # A calculation that judges a fact says its figure: the fact's own line would say it again.
        judged_keys = {k for c in ruled.calculations for k in (c.key, *c.judges) if k}
        lines += [
            v or direct_fact_line(fa, names, query.english, query.now)
            for v, fa in zip(verdicts, shown)
            if v or fa.key.key not in judged_keys
        ]
        falls_short = _falls_short(ruled)
        if falls_short:
            lines.insert(0, falls_short)  # "Nej – med to regioner opfylder I ikke …" answers before the rules
        lines[:0] = _leading(ruled)  # "… er I ikke landsdækkende …; om I kan søge, afhænger af …:" before the rules
        lines += [c.text for c in ruled.calculations if not c.leads and (not falls_short or c.meets is not False)]
        lines += [quote_line(c) for c in citations[: len(shown)]]
    for pool in ruled.missing:
        if pool in scope.pools:
            lines.append(f"{names.sources([pool])} oplyser ikke {ruled.missing_what}.")
    # The question's own topic may be a passage beside the fact ("Hvad gør vi, hvis portalen går ned lige før
    # fristen?"), or the condition that decides it in the fact's own section ("… mindst tre regioner"): when
    # the best passage says something the fact's sentence does not, it follows the fact — never repeating a
    # figure the answer already gave.
    # A calculation on the asker's own figures ("Et tilskud på 80.000 kr. er ikke over 100.000 kr. …") is the answer
    # to their case; a passage beside it states the general rule ("Der kan ydes tilskud til … revisor"), which read
    # after it contradicts it for them.
    judged = bool(ruled.calculations) and ruled.intent is not None and ruled.intent.calculator != "days_left"
    if passages and passages.best and scope.single and passages.quotes and not any(verdicts) and not judged:
        # (A yes or no to "can we apply?" is the whole answer: a passage beside it would only distract.)
        lead = passages.quotes[0]
        # The fact's own section found first confirms the topic as well as the relevance score does.
        confirmed = passages.relevance >= threshold or any(
            (lead.doc_id, lead.section) == (f.entry.doc_id, f.entry.section) for f in facts
        )
        figures = {w for f in facts for w in f.entry.display.split() if any(ch.isdigit() for ch in w)}
        new = all(lead.quote not in c.quote and c.quote not in lead.quote for c in citations)
        # (An example project is no rule beside the fact: "Gruppeforløb for anbragte unge i efterværn …" shares the
        # setting's words, and read after the fact it reads as a condition of it.)
        example = section_text is not None and any(
            from_examples(lead.model_copy(update={"quote": piece}), section_text(lead.doc_id, lead.section))
            for piece in quote_pieces(lead.quote)
        )
        if (
            confirmed
            and new
            and not example
            and not any(w in lead.quote for w in figures)
            and _shares_topic(query, lead.quote)
        ):
            lines.append("Se også: " + quote_line(lead))
            citations.append(lead)
    if query.english:
        lines.insert(1 if lines else 0, ENGLISH_NOTE)  # the answer first, then that the sources are Danish
    return Answer(
        question=query.text,
        pool=scope.single,
        answer=with_notes(query, "\n\n".join(lines)),
        citations=citations[:3],
        facts=[to_fact(f) for f in facts],
    )


def compose_not_stated(
    query: Query,
    scope: Scope,
    what: str,
    passages: Passages | None,
    names: Names,
    threshold: float,
    lookup: CorpusLookup,
    context: tuple[tuple[FactAnswer, Citation], ...] = (),
) -> Answer:
    lines = [f"{names.sources(scope.pools)} oplyser ikke {what}. {CONTACT}"]
    if query.english:
        lines.insert(0, NOT_STATED_EN)  # the asker's language first
    citations: list[Citation] = []
    for fa, citation in context:
        # What it does state, labelled as what it is (the pool's total, not a grant's maximum).
        note = _aside_note(fa.entry, query.english)
        said = (
            f"It does state {fa.key.label_en}{_round_en(fa)}: {english_value(fa.entry)}{note}"
            if query.english
            else f"Den oplyser {fa.key.label}{_round(fa)}: {fa.entry.display}{note}"
        )
        lines.append(_sentence(said) + " " + quote_line(citation))
        citations.append(citation)
    if context:
        passages = None  # the framing fact is the closest the guideline comes
    nearest = passages.quotes[0] if passages and passages.quotes and passages.relevance >= threshold else None
    if nearest and set(query.types) & {"how_much", "how_many", "when"} and _FIGURE_OF_KIND.search(nearest.quote):
        # Beside "oplyser ikke et maksimalt beløb", another rule's amount ("dog maksimalt 100.000 kr.") would be
        # read as the answer: the gap is not filled with a nearby figure.
        nearest = None
    noun = counted_noun(query.folded) if "how_many" in query.types else None
    if nearest and noun and not _names_word(nearest.quote, noun):
        # "Hvor mange kommuner …?" beside "Hvor mange borgere … forventes at deltage": a count of another thing
        # is no nearest answer.
        nearest = None
    meta = lookup.meta(nearest.doc_id) if nearest else None
    asker_words = {fold(t) for kind in lookup.kinds.values() for t in kind.terms}
    if nearest and not _shares_topic(
        query, nearest.quote, lambda w: lookup.widespread(meta.pool, w) or w in asker_words
    ):
        # A passage that shares none of the question's own words, or only words that stand all over the pool's
        # documents ("hvornår får *kommunerne* svar?" beside the caretaker's work with the *kommune*), or only
        # the asker's kind ("kan én *organisation* søge …" beside how organisations are assessed), is no
        # nearest answer, only noise.
        nearest = None
    if nearest:
        citations = [nearest]
        source = "vejledningen" if meta.kind == "vejledning" else "materialet"
        # A question about one round ("2024-runden") met by a document of another year says which year it is.
        asked_years = set(re.findall(r"\b(?:19|20)\d\d\b", query.folded))
        year = f" (i en tekst fra {meta.year})" if asked_years - {str(meta.year)} else ""
        lines.append(f"Det nærmeste, {source} siger{year}, er: " + quote_line(nearest))
    return Answer(
        question=query.text,
        pool=scope.single,
        answer=with_notes(query, "\n\n".join(lines)),
        citations=citations,
        abstained=not citations,
    )


# How many letters of a question word a passage must share to be about it at all.
SHARED_PREFIX = 6
# A word whose start stands in at least this share of a pool's sections tells nothing of what a passage is about.
WIDESPREAD_SHARE = 0.25


def _shares_topic(query: Query, text: str, widespread: Callable[[str], bool] | None = None) -> bool:
    """The text uses one of the question's own topic words (or the document term it stands for), leaving out
    the words `widespread` says stand everywhere."""
    asked = set(fold(question_sentences(query.text)).split())
    words = [w for w in query.topic if w in asked and len(w) >= 4]
    words += [fold(t) for w in words for t in document_terms(w).split()]
    if widespread:
        words = [w for w in words if not widespread(w)] or ["\0"]  # only widespread words: nothing is shared
    return not words or any(uses_word(text, w) for w in words)


def _lacks_answer_kind(
    query: Query,
    quotes: list[Citation],
    section_text,
    things: tuple[str, ...] = (),
    widespread: Callable[[str], bool] | None = None,
) -> str | None:
    """What kind of fact a question asks for that none of the cited passages gives, if any.

    Checked on what the answer shows where that can be decided there: an amount asked for must stand in the
    quotes (the section's other amounts belong to other rules), a count asked for must stand beside the
    thing counted ("mindst tre regioner", "1.649 timer"), and a document or event the rules could not
    answer for, or a document the question names ("slutevalueringen"), must be named in the cited sections
    at all (or a document term it stands for: "slutrapport" is "afrapportering")."""
    text = " ".join(section_text(c.doc_id, c.section) for c in quotes)
    shown = " ".join(c.quote for c in quotes)
    types = set(query.types)
    for thing in things if "when" in types else ():
        if not any(_names_word(text, w) for w in (thing, *document_terms(thing).split())):
            return f"et tidspunkt for {surface_word(query.text, thing)}"
    if "contact" in types:
        # A phone number asked for is not answered by an e-mail address, nor the other way round.
        phone = any(w in query.folded for w in ("telefon", "phone", "nummer", "ringe"))
        if not (PHONE if phone else EMAIL).search(shown):
            return "et telefonnummer" if phone else "en mailadresse"
    if "when" in types and not _DIGIT.search(text) and not _TIME_WORDS.search(text):
        return "et tidspunkt for det"
    noun = counted_noun(query.folded)
    if noun:
        # "Hvor mange viceværter må der højst være?" counts viceværter: "højst" does not make it an amount,
        # nor does "skal vi" make it a may-question.
        per = _PER_PERIOD.search(query.folded)
        period = stem(per.group("period"))[:4] if per else None
        asked = f"{surface_word(query.text, noun)}{' ' + per.group(0) if per else ''}"
        return None if _counts(text, noun, period) else f"et antal {asked}"
    if "how_much" in types and ASKS_PERCENT.search(query.folded) and not PERCENT_FIGURE.search(shown):
        return "en procentsats for det"
    if "how_much" in types and (not (types & {"may", "how", "who", "yesno"}) or query.leading_type == "how_much"):
        if not _AMOUNT.search(shown):
            return "et beløb for det"
        # The amount stands in a sentence about what was asked: "dog maksimalt 100.000 kr." caps what may be carried
        # over, not what a municipality may apply for. Only the question's own telling words count (not those all
        # over the pool's documents: "kommune", "tilskud"); a question with none ("Hvor meget kan vi få?") is
        # answered by any amount the passage found for it gives.
        # (A follow-up may name the thing only in the turn before: "Og hvor meget er loftet der?")
        telling = [] if query.follow_up else telling_words(query, widespread)
        # (Or the document term the asking sentences stand for, however widespread: "omrokere i budgettet" is met
        # by "budgetændringer på op til 10 pct.")
        termed = [fold(t) for t in document_terms(question_sentences(query.text)).split() if len(t) >= 4]
        amounts = [x for x in split_sentences(shown) if _AMOUNT.search(x)]
        if telling and not any(uses_word(x, w) for x in amounts for w in (*telling, *termed)):
            return "et beløb for det"
    if "how_many" in types and not (types & {"may", "how", "who", "how_much"}) and not _DIGIT.search(text):
        return "et antal for det"
    return None


def telling_words(query: Query, widespread: Callable[[str], bool] | None) -> list[str]:
    """The asking sentences' own topic words (and the document terms they stand for) that few of the pool's
    sections use: what tells a passage about the thing asked from one about its neighbours."""
    sentences = question_sentences(query.text)
    asked = set(fold(sentences).split())
    # Everyday words ("søger", "enkelt") say how it is asked, not what about.
    words = [
        w
        for w in query.topic
        if w in asked and len(w) >= 4 and zipf_frequency(surface_word(query.text, w), "da") < RARE_WORD_ZIPF
    ]
    words += [fold(t) for w in words for t in document_terms(w).split()]
    # The document terms a phrase of it stands for too ("ekstra penge" → "tillæg til tilskuddet").
    words += [w for w in fold(document_terms(sentences)).split() if len(w) >= 4]
    return [w for w in dict.fromkeys(words) if not (widespread and widespread(w))]


def shared_root(word: str) -> str:
    """The start two words share when they are about the same thing: the first part of a compound is enough
    ("finanslovskonto" is met by "finansloven"; "maksimum" by "maksimalt"), and "svar" is not "ansvar"."""
    return stem(word)[:SHARED_PREFIX]


def uses_word(text: str, word: str) -> bool:
    """The text has a word that starts with the word's shared root."""
    root = shared_root(word)
    return any(u.startswith(root) for u in fold(text).split())


# "én"/"ét" fold to the articles "en"/"et": only the number words that stay themselves count.
_NUMBER_TOKEN = re.compile(r"^(?:\d[\d.,]*|" + "|".join(w for w in NUMBER_WORDS if fold(w) == w) + r")$")
# How far before the thing it counts a number may stand: two words between ("tre forskellige regioner").
COUNT_WINDOW = 3
_NOT_A_COUNT = {"pct", "procent", "%", "kr", "mio", "mia"}


def _names_word(text: str, word: str) -> bool:
    """The text uses the word, in any inflection or as the last part of a compound."""
    root = stem(fold(word))
    return any(root in w for w in fold(text).split())


def _counts(text: str, noun: str, per: str | None = None) -> bool:
    """A count stands before the noun, at most two words from it ("tre forskellige regioner", "1.649 timer",
    "30 foreninger"); a share or an amount ("75 pct. af deltagerne") is no count of them. A count asked per
    period ("timer om ugen") needs that period in the same sentence: a yearly norm is no weekly count."""
    root = stem(noun)
    for sentence in split_sentences(text):
        words = [w.strip(".,") for w in re.findall(r"[\w.,%]+", fold(sentence))]
        if per and not any(w.startswith(per) for w in words):
            continue
        for i, w in enumerate(words):
            if w.startswith(root) or within_one_edit(stem(w), root):  # "forreninger" is "foreninger" misspelt
                for j in range(max(0, i - COUNT_WINDOW), i):
                    if _NUMBER_TOKEN.match(words[j]) and words[j + 1] not in _NOT_A_COUNT:
                        return True
    return False


# "timer om ugen", "møder pr. måned": the period a count is asked per (folded), and the stem it stands as.
_PER_PERIOD = re.compile(
    r"\b(?:om|pr|per|i|hver)\.? (?P<period>ugen|uge|maaneden|maaned|aaret|aar|dagen|dag|kvartalet|kvartal)\b"
)


# How many of the best passages are looked through for one that gives the kind of fact asked (an amount, a count).
GIVING_CANDIDATES = 2
# A second section this close to the first is shown whatever the first quote's length.
CLOSE_SECOND_RATIO = 0.98
# Below this length a quote leaves room for a second one in an answer read on a phone.
SHORT_QUOTE_CHARS = 220
# An FAQ answer up to this long is shown beside a close first one (a sentence or two).
SHORT_FAQ_ANSWER_CHARS = 300
# An FAQ answer that opens with its yes or no.
_BARE_VERDICT = re.compile(r"^\s*(?:Ja|Nej|Yes|No)\b")
# Another pool's passage this close to the best one means the answer depends on the pool.
PER_POOL_RATIO = 0.85


# What a pool's sources are silent on, where nothing found answers.
_SILENT_ON_IT = "ikke noget om det, du spørger om"


def compose_passages(
    query: Query,
    scope: Scope,
    passages: Passages,
    names: Names,
    threshold: float,
    lookup: CorpusLookup,
    things: tuple[str, ...] = (),
) -> Answer:
    nothing = not passages.quotes or passages.relevance < threshold
    if nothing:
        if scope.pools:
            # The pool is known, the guideline is silent: say so plainly, with where to ask.
            text = f"{names.sources(scope.pools)} oplyser {_SILENT_ON_IT}. {CONTACT}"
            text += " " + NOT_STATED_EN if query.english else ""
        else:
            # The asker's language first; the Danish after it is what staff read aloud.
            text = f"{ENGLISH_ABSTAIN}\n\n{ABSTAIN_MESSAGE}" if query.english else ABSTAIN_MESSAGE
        return Answer(question=query.text, pool=scope.single, answer=with_notes(query, text), abstained=True)
    quotes = list(passages.quotes)
    gaps = [
        _lacks_answer_kind(
            query, [c], lookup.section_text, things, lambda w, c=c: lookup.widespread(lookup.meta(c.doc_id).pool, w)
        )
        for c in quotes[:GIVING_CANDIDATES]
    ]
    giving = next((i for i, gap in enumerate(gaps) if not gap), None)
    if gaps[0] and giving:
        # A passage just below the best gives what was asked (the amount, the count) and the best does not: it
        # leads ("kan man få sign on fee som forening og hvor meget": the FAQ answer on who may get it ranks
        # above the one with the amount).
        order = [giving, *(i for i in range(len(quotes)) if i != giving)]
        quotes = [quotes[i] for i in order]
        ranked = tuple(passages.ranked[i] for i in order if i < len(passages.ranked))
        passages = dataclasses.replace(passages, ranked=ranked, quotes=tuple(quotes))
    missing = gaps[0] if giving is None else None
    if missing:
        # The best passage is about the topic but does not give what was asked (a count, an amount, the
        # document's own date): said plainly, the passage shown only as the nearest, never as the answer.
        return compose_not_stated(query, scope, missing, passages, names, threshold, lookup)
    pools = {c.doc_id: p.chunk.pool for c, p in zip(quotes, passages.ranked, strict=False)}
    top = passages.ranked[0].score
    close_pools = list(
        dict.fromkeys(
            p.chunk.pool for p in passages.ranked[: len(quotes)] if p.chunk.pool and p.score >= PER_POOL_RATIO * top
        )
    )
    if not scope.pools and len(close_pools) >= 2:
        # No pool named, but the question uses an uncommon word that one close pool's documents use and the
        # others' never do ("almene familieboliger"): it is about that pool.
        theirs = [w for w in rare_words(query) if any(lookup.speaks_of(p, w) for p in close_pools)]
        kept = [p for p in close_pools if all(lookup.speaks_of(p, w) for w in theirs)]
        if len(kept) == 1:
            close_pools = kept
            quotes = [c for c in quotes if pools.get(c.doc_id) in (kept[0], None)]
    if not scope.pools and len(close_pools) >= 2:
        # A pool whose best passage shares none of the question's own words (beyond those all over its documents)
        # is not answering it ("moms" beside a partnership's sign-on fee): it is left out, not listed as an answer.
        about = [
            p
            for p in close_pools
            if _shares_topic(
                query,
                next(c.quote for c in quotes if pools.get(c.doc_id) == p),
                lambda w, p=p: lookup.widespread(p, w),
            )
        ]
        if len(about) >= 2 and len(about) < len(close_pools):
            close_pools = about
            quotes = [c for c in quotes if pools.get(c.doc_id) in (*about, None)]
    if not scope.pools and len(close_pools) >= 2:
        # A pool whose best passage does not give what was asked ("Hvor mange regioner …?" beside a passage on
        # involving actors "inden for regioner") is not answering it where another pool's passage does.
        giving = [
            p
            for p in close_pools
            if not _lacks_answer_kind(
                query, [next(c for c in quotes if pools.get(c.doc_id) == p)], lookup.section_text, things
            )
        ]
        if giving and len(giving) < len(close_pools):
            close_pools = giving
            quotes = [c for c in quotes if pools.get(c.doc_id) in (*giving, None)]
    named = [p for p in scope.pools if any(pools.get(c.doc_id) == p for c in quotes)]
    if len(scope.pools) > 1 and len(named) > 1:
        # "… i begge puljer?", "forskellen på X og Y": the asker named the pools; each one's passage is said under
        # its name (one pool's rule is no answer for the other), and no question back.
        close_pools = named
    if (not scope.pools or close_pools == named) and len(close_pools) >= 2:
        # No pool named and the pools' passages answer alike: one quote per pool, and a question back.
        lines = ["Det afhænger af puljen:" if not query.english else "It depends on the pool (quotes in Danish):"]
        shown = []
        for pool in close_pools[:3]:
            c = next(c for c in quotes if pools.get(c.doc_id) == pool)
            shown.append(c)
            lines.append(f"- {names.of(pool)}: «{c.quote}» ({c.label})")
        common, extra = _shared_rule(shown)
        if common is not None:
            # The vejledninger share a template: where the pools' rules are word for word the same, it does not
            # depend on the pool — the rule is said once, for each of them; a sentence one pool adds is said as its
            # own, after it.
            both = (" and " if query.english else " og ").join(names.of(p) for p in close_pools[:3])
            lead = f"Det samme gælder for {both}:" if not query.english else f"The same applies to {both} (in Danish):"
            labels = "; ".join(c.label for c in shown)
            text = f"{lead}\n\n«{common}» ({labels})"
            if extra:
                citation, added = extra
                also = "står der desuden" if not query.english else "the guideline adds"
                text += f"\n\nFor {names.of(pools[citation.doc_id])} {also}: «{added}»"
            return Answer(question=query.text, pool=None, answer=with_notes(query, text), citations=shown)
        ask = "Hvilken pulje spørger du om? Vælg en af: " + ", ".join(names.of(p) for p in close_pools[:3]) + "."
        return Answer(
            question=query.text,
            pool=None,
            answer=with_notes(query, "\n".join(lines)),
            citations=shown,
            clarification=None if scope.pools else ask,
        )
    shown = quotes[:1]
    # A second section when the first quote is short and the next scores close to it: the rule and its
    # exception often stand in two sections. Two close answers of one FAQ are both shown: a later answer
    # often qualifies an earlier one ("bred mobilisering … 30 foreninger" / "Der er ikke krav om … 30
    # foreninger"). The rest stay among the sources, not in the text.
    faq_pair = (
        len(quotes) > 1
        and passages.ranked[0].chunk.kind == passages.ranked[1].chunk.kind == "faq"
        and len(quotes[1].quote) <= SHORT_FAQ_ANSWER_CHARS
    )
    # Never a pool's rule beside the 2005 pjece's advice (or the reverse): side by side, one reads as the other.
    alike = len(quotes) > 1 and (passages.ranked[0].chunk.kind == "pjece") == (passages.ranked[1].chunk.kind == "pjece")
    close = alike and passages.ranked[1].score >= 0.9 * top
    # A near tie: which of the two answers, the ranking cannot tell; both are shown, however long the first.
    tied = alike and passages.ranked[1].score >= CLOSE_SECOND_RATIO * top and len(quotes[0].quote) <= MAX_QUOTE_CHARS
    # An FAQ answer that opens with its yes or no ("Ja, hvis disse er meningsgivende …") answers its own question:
    # beside the best quote it reads as a yes or no to this one.
    own_verdict = (
        passages.ranked[1].chunk.kind == "faq" and bool(_BARE_VERDICT.match(quotes[1].quote)) if close else False
    )
    if close and (len(quotes[0].quote) < SHORT_QUOTE_CHARS or faq_pair or tied) and not own_verdict:
        shown.append(quotes[1])
    elif close and not own_verdict and _exception_beside(query, quotes[0], quotes[1], lookup):
        shown.append(quotes[1])
    # The passage that decides a yes/no question may rank second or third ("Generelle kursusaktiviteter" under
    # "Ikke tilskudsberettigede udgifter" below a section on guidance): the verdict is looked for among the
    # sources of the shown quote's pool, and the quote that gives it is the one shown.
    pool = lookup.meta(shown[0].doc_id).pool
    candidates = [shown[0], *(c for c in quotes[1:3] if c not in shown), *shown[1:]]
    candidates = [c for c in candidates if lookup.meta(c.doc_id).pool == pool]
    excluded = next(((v, c) for c in candidates if (v := excluded_verdict(query, c, lookup))), None)
    verdict = excluded[0] if excluded else None
    if excluded and excluded[1] is not shown[0]:
        shown = [excluded[1]]
    mixed = None if excluded else next(((c, m) for c in candidates if (m := mixed_verdict(query, c, lookup))), None)
    if mixed:
        # What is allowed, then what is not: both are the answer.
        excluding, (verdict, allowing) = mixed
        shown = [allowing, excluding]
        quotes = [allowing, excluding, *(c for c in quotes if c is not allowing and c is not excluding)]
    saying = [c for c in candidates if requirement_verdict(query, [c])] if not verdict else []
    elsewhere = None if verdict or saying else not_required_elsewhere(query, shown, lookup)
    if saying:
        # The no is said with the quote that says it; a quote beside it with the rule's own wording
        # ("… skal mobilisere 30 foreninger eller flere") would read as contradicting it, and stays a source.
        verdict = requirement_verdict(query, saying)
        shown = saying
    if elsewhere:
        # "Skal partnerskabet have 30 foreninger med?": a rule's wording ("skal mobilisere 30 foreninger") and
        # the FAQ answer that says it is no requirement stand in different sections; the no leads, with its
        # sentence, and the wording that would be read as the rule stays among the sources.
        verdict = requirement_verdict(query, [elsewhere])
        shown = [elsewhere]
        quotes = [elsewhere, *quotes]
    stated = None
    facts: list[Fact] = []
    # "… i begge puljer?": one pool's sentence is no yes or no for another named beside it ("budgetteres i det
    # kvartal" is SærligSoc's; the caretakers' budget goes by project year).
    several = len(scope.pools) > 1
    if not verdict and not several and (denied := kind_denied(query, candidates, lookup)):
        # "Kan en virksomhed få sign on fee?" / "Det kan ikke tildeles virksomheder": the no for the kind asked of.
        verdict, citation = denied
        shown = [citation, *(c for c in shown if c is not citation)]
        quotes = [citation, *(c for c in quotes if c is not citation)]
    if not verdict and not several:
        stated = stated_verdict(query, candidates, lookup)
        if stated:
            verdict, citation = stated
            # The quote that says it comes first, under the yes or no, and first among the sources.
            shown = [citation, *(c for c in shown if c is not citation)]
            quotes = [citation, *(c for c in quotes if c is not citation)]
        elif drawn := applicants_verdict(query, candidates, lookup, names):
            # The quote that says it comes first, under the yes or no (it may rank below the one shown).
            verdict, applicants, citation, saying = drawn
            shown = [saying]
            facts.append(to_fact(applicants))
            quotes = [saying, *(c for c in quotes if c is not saying)][:2] + [citation]
    # The quotes shown, once chosen; a sentence found outside the sources (`elsewhere`) is shown without the
    # passed-date note, as it always was.
    lines = [quote_line(c) for c in shown] + ([] if elsewhere else _passed_dates(query, shown))
    example = next((c for c in shown if from_examples(c, lookup.section_text(c.doc_id, c.section))), None)
    if example is not None and not verdict:
        # "Hvor tit skal gruppen mødes?" quoted from "Eksempler på støtteegnede projekter: 1) … Gruppen mødes hver
        # anden uge …": an example, which a reader takes for the rule unless told.
        lines.insert(lines.index(quote_line(example)) + 1, EXAMPLE_NOTE_EN if query.english else EXAMPLE_NOTE)
    if stated and stated[0].startswith("Ja"):
        # (Danish only: an English limit is said in English figures, "DKK 50,000", which the guard checks
        # against the sources the rules step lists; this path has none.)
        # "Må vi købe computere?" – yes, and the rules layer's limit on the same thing ("mindre
        # materielanskaffelser indtil 50.000 kr. pr. projektår") belongs to the yes: without it the answer is
        # incomplete. The question names what the limit is on, as its label says ("loftet for materiel"), in its
        # own words or the document terms they stand for: "projektår" or "udgifter" in a sentence on budgeting by
        # quarter brings no limit on equipment.
        pool = lookup.meta(stated[1].doc_id).pool
        asked = question_sentences(query.text)
        asked_words = fold(f"{asked} {document_terms(asked)}").split()
        limits = [
            (fa, c)
            for fa, c in lookup.limits(pool, stated[1].quote)
            if any(
                a.startswith(w[:LIMIT_LABEL_PREFIX])
                for w in fold(fa.key.label).split()
                if len(w) >= LIMIT_LABEL_PREFIX and not lookup.widespread(pool, w)
                for a in asked_words
            )
        ]
        for fa, citation in limits[:1]:
            lines.insert(1, direct_fact_line(fa, names, query.english, query.now))  # after the quote it follows
            quotes = [*quotes[:2], citation]
            facts.append(to_fact(fa))
    if query.asks_funding and passages.ranked[0].chunk.kind == "pjece":
        # "Pjecen nævner §115-støtte – hvordan søger vi det?": the 2005 pjece tells of schemes of its time; it
        # is no pool one can apply to, and where one applies today is not in the documents.
        verdict = BACKGROUND_NOT_A_POOL_EN if query.english else BACKGROUND_NOT_A_POOL
    if query.english and not verdict and not several:
        # The quote is Danish; where it is a fact's own sentence, the fact's curated English reading of it (its
        # value, and the condition in its note) leads: "The cap on the sign-on fee … is DKK 30,000. Note: a one-off
        # sum for the whole project period, not a yearly sum".
        # Only a fact of the kind asked ("what can the grant not be spent on?" asks no count of grants per
        # municipality), or asked yes or no of.
        glossing = [
            fa
            for fa in lookup.facts_stated_in(shown[0])
            if query.types and set(query.types) <= {"yesno", "may", *fa.key.answers}
        ]
        for fa in glossing[:1]:
            verdict = direct_fact_line(fa, names, True, query.now)
            facts.append(to_fact(fa))
    if query.english and not verdict and shown:
        # No sentence of ours says the answer in English: the reader is told where the guideline says it, so the
        # answer opens in their language with something they can act on (and read out to staff).
        verdict = f"Here is what the guideline says ({shown[0].label}), quoted below."
    if verdict:
        lines.insert(0, verdict)
    if query.english:
        lines.insert(0 if not verdict else 1, ENGLISH_NOTE)
    answered_for = {lookup.meta(c.doc_id).pool for c in shown}
    # (A pool found from the question's own words — "sign on fee" only one pool's documents use — is no pool the
    # asker named, chose or spoke of before.)
    unnamed = not scope.pools or not (scope.named_in_question or query.chosen_pool or query.history_pool)
    if unnamed and len(answered_for) == 1 and None not in answered_for and len(names.short) > 1:
        # No pool named, and the passage is one pool's rule: which pool it is said in words, for another pool's
        # rule may differ ("Do the agreements have to be signed before we apply?").
        (pool,) = answered_for
        first_quote = next((i for i, line in enumerate(lines) if line.startswith("«")), len(lines) - 1)
        lines.insert(
            first_quote + 1,  # right after the quote it is about
            f"This is the rule for {names.of(pool)}; if you mean another pool, please name it."
            if query.english
            else f"Svaret gælder {names.of(pool)}. Spørger du om en anden pulje, så nævn den.",
        )
    # The sources listed are those of the pool the answer is for: another pool's passage (or the 2005 pjece
    # beside a pool's rule) among them reads as part of the answer, for a pool it does not speak of.
    sources = [c for c in quotes if lookup.meta(c.doc_id).pool in answered_for]
    return Answer(
        question=query.text,
        pool=scope.single,
        answer=with_notes(query, "\n\n".join(lines)),
        citations=sources[:3],
        facts=facts,
    )


EXAMPLE_NOTE = "Bemærk: det citerede står blandt vejledningens eksempler – det er et eksempel, ikke et krav."
EXAMPLE_NOTE_EN = "Note: the quote is one of the guideline's examples – an example, not a requirement."
# A paragraph that introduces examples: "Eksempler på støtteegnede projekter:", "… fx:".
_EXAMPLES_LEAD = re.compile(r"(?mi)^[^\n]*\b(?:eksempl\w*|for eksempel|fx)\b[^\n]*:[ \t]*$")
_LIST_ITEM = re.compile(r"\s*(?:\d{1,2}[.)]|[-*])\s")


def from_examples(citation: Citation, section_text: str) -> bool:
    """The quote stands in the list a paragraph introduces as examples ("Eksempler på støtteegnede projekter:")."""
    pieces = [" ".join(p.split()) for p in quote_pieces(citation.quote)]
    for lead in _EXAMPLES_LEAD.finditer(section_text):
        items = []
        for paragraph in re.split(r"\n\s*\n", section_text[lead.end() :].strip()):
            if not _LIST_ITEM.match(paragraph):
                break
            items.append(" ".join(paragraph.split()))
        listed = " ".join(items)
        if items and all(p in listed for p in pieces):
            return True
    return False


def quoted_sentences(quote: str) -> list[str]:
    """The sentences of a quote, never across a "…": the text on either side of it is not one sentence ("Der kan
    ydes tilskud til eksterne konsulenter. … og må ikke inkluderes under andre budgetposter")."""
    return [sentence for piece in quote_pieces(quote) for sentence in split_sentences(piece)]


def _shared_rule(shown: list[Citation]) -> tuple[str | None, tuple[Citation, str] | None]:
    """The quote the pools share word for word, and the sentences one of them adds after it ("… Udgiften skal
    beskrives i en note til budgettet."), with that pool's citation; (None, None) where the rules differ."""
    texts = [" ".join(c.quote.split()) for c in shown]
    if len(set(t.casefold() for t in texts)) == 1:
        return shown[0].quote, None
    shortest = min(texts, key=len)
    longer = [(c, t) for c, t in zip(shown, texts, strict=True) if t != shortest]
    if len(longer) == 1 and len(texts) - 1 == texts.count(shortest) and longer[0][1].startswith(shortest):
        added = longer[0][1][len(shortest) :].strip()
        if added and added[0].isupper():  # whole sentences added, not a word more of the same one
            return shortest, (longer[0][0], added)
    return None, None


# What makes an excluded item conditional ("Køb af materiel for over 50.000 kr.", "fuldt ud finansieret"):
# then it is no plain no, and the quote says where the line goes.
_CONDITIONAL = re.compile(r"\d|\b(?:over|mere end|ud over|udover|fuldt ud|medmindre|dog|undtagen|kun)\b", re.I)


# A sentence that says something is not required ("Der er ikke krav om, at …", "Det er ikke et krav, at …").
_NOT_REQUIRED = re.compile(r"\b(?:ikke (?:et )?krav|ikke noget krav|stilles ikke krav|ingen (?:\w+ )?krav)\b", re.I)
# A question whether something is required: "skal vi …", "er det et krav …", "do we need …".
_ASKS_REQUIRED = re.compile(
    r"\b(?:skal|krav\w*|kraeve\w*|noedt|must|need|needed|required|requirement|have to|has to|"
    # "Er vi så udelukket?": excluded for lacking it is asked as whether it is required
    r"udelukke\w*|excluded|ruled out|disqualified)\b"
)
# A common word this long still says what a requirement is about ("foreninger", "underskrevet").
REQUIREMENT_WORD_CHARS = 6
# How many of the question's own words (or figures) a "not required" sentence must share to answer it.
REQUIREMENT_SHARED_WORDS = 2


# Question types that ask for a thing, a time or a figure: a question with one of them is no yes/no question,
# whatever "skal vi"/"må vi" stands in it ("Hvor mange år skal vi levere data?").
WH_TYPES = frozenset({"who", "what", "how", "todo", "when", "why", "how_many", "how_much", "how_long"})


def asks_only_yes_or_no(query: Query) -> bool:
    """A may- or yes/no question that asks nothing else: "Hvad skal vi huske …?" wants a thing, not a no."""
    types = set(query.types)
    return bool(types & {"may", "yesno"}) and not types & WH_TYPES


def requirement_verdict(query: Query, shown: list[Citation]) -> str | None:
    """A plain no where a yes/no question asks whether something is required and a quoted sentence says it is
    not, about the same things: it shares at least two of the question's own words or figures ("skal vi have
    mindst 30 foreninger med i partnerskabet?" / "Der er ikke krav om, at et lokalt partnerskab skal
    mobilisere 30 foreninger eller flere")."""
    if not asks_only_yes_or_no(query) or not _ASKS_REQUIRED.search(query.folded):
        return None
    # An asking sentence that leans on what the message told ("… skal mobilisere 30 foreninger, men vi kan samle
    # 15-20. Er vi så udelukket?") asks of the setting's words.
    leans = query.reads_setting
    asked = fold(query.text if leans else question_sentences(query.text))
    # Uncommon or long words only ("form" stands in "i form af"; "foreninger" is common but says what is
    # counted), with the Danish terms an English word stands for, never the words that ask for a requirement.
    rare = set(rare_words(query))
    named = mention_words(query.mentions)  # a pool's name says nothing of the rule
    own = {
        w
        for w in asked.split()
        if (w in rare or len(w) >= REQUIREMENT_WORD_CHARS) and not _ASKS_REQUIRED.search(w) and w not in named
    }
    own |= set(re.findall(r"\d+", asked))
    # Each question word counts once, met as itself or as one of the Danish terms it stands for: "partnership"
    # standing for "lokale partnerskaber" is one word shared, not two.
    forms = {w: [w] if w.isdigit() else [w, *(fold(t) for t in document_terms(w).split())] for w in own}
    for citation in shown:
        for sentence in quoted_sentences(citation.quote):
            if not _NOT_REQUIRED.search(sentence) or _requires_too(sentence):
                continue
            folded = fold(sentence)
            shared = [
                w
                for w, alternatives in forms.items()
                if any(
                    (f if f.isdigit() else stem(f)[:SHARED_PREFIX]) in folded.split()
                    or (not f.isdigit() and stem(f)[:SHARED_PREFIX] in folded)
                    for f in alternatives
                )
            ]
            # "ingen krav til samarbejdsaftalens form": what is free is a property of the thing asked, not the thing.
            of_it = [m.group(1) for m in re.finditer(r"krav (?:til|om) (\w+s) \w+", folded)]
            if any(any(g.startswith(stem(w)[:SHARED_PREFIX]) for g in of_it) for w in shared):
                continue
            if len(shared) >= REQUIREMENT_SHARED_WORDS:
                # "Kan vi søge alligevel?" of a setting that told the thing asks may: not required is its yes.
                may = leans and not _ASKS_REQUIRED.search(fold(question_sentences(query.text)))
                if query.english:
                    return f"{'Yes' if may else 'No'} – it is not a requirement; the guideline says (in Danish):"
                return f"{'Ja' if may else 'Nej'} – det er ikke et krav; sådan står det:"
    return None


_NEGATION = re.compile(r"\b(?:ikke|ingen|aldrig|not)\b", re.I)


def _requires_too(sentence: str) -> bool:
    """The sentence also says, without a negation beside it, that something must be ("Der skal være et samarbejde
    med kommunen, men der er ingen formaliserede krav til omfanget"): it is no plain "not required"."""
    folded = fold(sentence)
    free = _NOT_REQUIRED.search(folded)
    # (A "skal" after "ikke krav om, at …" is the very thing not required.)
    words = folded[: free.start()].split() if free else folded.split()
    return any(
        w == "skal" and not _NEGATIONS & set(words[max(0, i - NEGATION_REACH) : i + NEGATION_REACH + 1])
        for i, w in enumerate(words)
    )


def _exception_beside(query: Query, first: Citation, second: Citation, lookup: CorpusLookup) -> bool:
    """A yes/no question's second passage, in another section of the same pool, that denies something ("… vil det
    ikke kunne være en begrundelse, at gruppeforløbet ikke er blevet gennemført …") about the thing both passages
    and the question name ("projektforlængelse" / "forlænget"): the exception to the rule the first states, which
    may be what decides the asker's case."""
    if query.english or not {"may", "yesno"} & set(query.types) or first.section == second.section:
        return False
    if lookup.meta(first.doc_id).pool != lookup.meta(second.doc_id).pool or not lookup.meta(first.doc_id).pool:
        return False
    if not _NEGATIONS & set(fold(second.quote).split()):
        return False
    pool = lookup.meta(first.doc_id).pool
    # The question's uncommon words, as the start of a word or inside a compound: two of them in the exception (one
    # word in common is another thing: "dækning" of VAT and of gift cards), one of those in the rule as well.
    stems = {long_prefix(w) for w in rare_words(query) if len(long_prefix(w)) >= 6 and not lookup.widespread(pool, w)}

    def used_in(citation: Citation) -> set[str]:
        return {s for s in stems if any(s in u for u in fold(citation.quote).split())}

    in_second = used_in(second)
    return len(in_second) >= VERDICT_SHARED_WORDS and bool(in_second & used_in(first))


def not_required_elsewhere(query: Query, shown: list[Citation], lookup: CorpusLookup) -> Citation | None:
    """A sentence of the shown pool's documents, outside the shown quotes, that says what the question asks
    about is not required ("Der er ikke krav om, at et lokalt partnerskab skal mobilisere 30 foreninger"),
    about the same things as requirement_verdict asks; as a quote of its own."""
    if not asks_only_yes_or_no(query) or not _ASKS_REQUIRED.search(query.folded):
        return None
    pool = lookup.meta(shown[0].doc_id).pool
    for doc in lookup.documents_of(pool):
        for citation in lookup.quotable(doc):
            if not _NOT_REQUIRED.search(citation.quote) or any(citation.quote in c.quote for c in shown):
                continue
            if requirement_verdict(query, [citation]):
                return citation
    return None


# What a yes/no question asks (folded): whether something must be done, or whether it may be.
_ASKS_MUST = re.compile(r"^(?:skal|krav\w*|kraeve\w*|noedt\w*|paakraevet|obligatorisk|must|need|needed|required?)$")
# "Would that qualify?", "Is it ok to …?": whether the asker's case is one the pool supports is a may.
_ASKS_MAY = re.compile(
    r"^(?:kan|maa|kunne|tilladt|muligt|ok|okay|can|could|may|allowed|possible|qualify|qualifies|kvalificere\w*)$"
)
# What a guideline sentence says must be, or may be, done (folded words).
_SAYS_MUST = re.compile(r"^(?:skal|krav|kraeves|paakraevet|obligatorisk)$")
_SAYS_MAY = re.compile(
    r"^(?:kan|maa|ydes|gives|tildeles|stoettes|tilskudsberettiget|tilskudsberettigede|tilladt|muligt)$"
)
_SAYS_MUST_OR_MAY = re.compile(f"{_SAYS_MUST.pattern}|{_SAYS_MAY.pattern}")
# A sentence that limits or conditions what it says ("kun", "hvis", "dog", a figure) is no plain yes or no: the
# quote says where the line goes.
_LIMITED = re.compile(
    r"\b(?:hvis|naar|medmindre|saafremt|forudsat|kun|dog|undtagen|hoejst|maksimalt|mindst|men|"
    r"afhaengig\w*|udgangspunkt\w*|saerlige tilfaelde|vurdering\w*|vurderes|"
    # a circumstance the rule is for ("… grundet it-tekniske problemer … ikke kan indsende")
    r"grundet|pga|paa grund af|i tilfaelde af)\b|\d"
)
_NEGATIONS = {"ikke", "ingen", "intet", "aldrig", "hverken"}
# How much of a limit's label word ("materiel" in "loftet for materiel") a question word must start with to name it.
LIMIT_LABEL_PREFIX = 7
# How many of the question's own words a sentence must use to be the one that answers it.
VERDICT_SHARED_WORDS = 2
# How far from its modal a negation may stand and still deny it ("kan der ikke", "ikke et krav").
NEGATION_REACH = 3


# "Kan vi få tilskud til moms, eller skal budgettet være uden moms?": a second clause after ", eller" + a verb is
# the alternative the asker sets against the first; the yes or no answers the first clause.
_ALTERNATIVE = re.compile(r",\s*(?:eller|or)\s+(?:kan|skal|maa|må|er|har|skulle|can|must|may|is|are|should)\b", re.I)
# "Må vi sende den på mail i stedet for at bruge portalen?": what follows replaces the first, and where it is
# what must be done, the first is a no.
_INSTEAD_OF = re.compile(r"\s(?:i stedet for|istedet for|frem for|fremfor|instead of|rather than)\s", re.I)


def _first_alternative(text: str) -> tuple[str, str, bool]:
    """The asking text up to an alternative set against it, that alternative ("" if none), and whether it is
    one the first would replace ("i stedet for")."""
    for pattern in (_INSTEAD_OF, _ALTERNATIVE):
        first, *rest = pattern.split(text, maxsplit=1)
        if rest:
            return first, " ".join(rest), pattern is _INSTEAD_OF
    return text, "", False


def _own_words(query: Query, asked_text: str | None = None) -> list[str]:
    """The asking sentence's topic words, and the Danish document terms an English one stands for."""
    # A question that points to the setting told before it ("… Kan vi få støtte til det?") asks about its words.
    asked = set(fold(query.text if query.asks_of_setting else asked_text or question_sentences(query.text)).split())
    words = [w for w in query.topic if w in asked]
    # A short word counts through the document term it stands for ("VAT" → "moms"), not as itself.
    terms = [fold(t) for w in words for t in document_terms(w).split()]
    return list(dict.fromkeys([*(w for w in words if len(w) >= 4), *terms]))


def stated_verdict(query: Query, shown: list[Citation], lookup: CorpusLookup) -> tuple[str, Citation] | None:
    """A plain yes or no to a yes/no question, where one quoted sentence uses the question's own words (one of
    them not a word that stands all over the pool's documents) and says the same modal without a condition:
    "Skal vi have udlejningsaftaler på plads?" / "Ansøger skal have indgået … udlejningsaftaler" → yes;
    "Kan vi X?" / "X kan ikke …" → no. None where the sentence limits what it says ("kun", "hvis", "dog", a
    figure), where another quoted sentence on the question's words says the opposite ("Sign-on fees kan
    tildeles frivillige foreninger … Det kan ikke tildeles virksomheder"), where the question is itself
    negated, or where a may-sentence would answer a must-question: the quote stands alone."""
    if not asks_only_yes_or_no(query):
        return None
    asked_text, alternative, replaced = _first_alternative(question_sentences(query.text))
    asked = fold(asked_text).split()
    if _NEGATIONS & set(asked) or "not" in asked:
        return None
    must = any(_ASKS_MUST.match(w) for w in asked)
    if not must and not any(_ASKS_MAY.match(w) for w in asked):
        return None
    # The document phrase an everyday phrase of the asking text says the same as ("ekstra penge" → "tillæg til
    # tilskuddet") is the asker's words too, and as telling as an uncommon word of their own.
    phrased = [w for w in fold(same_as_terms(asked_text)).split() if len(w) >= 4]
    own = [
        w
        for w in dict.fromkeys([*_own_words(query, asked_text), *phrased])
        if not _ASKS_MUST.match(w) and not _ASKS_MAY.match(w)
    ]
    rare = set(rare_words(query)) | set(phrased)
    # A must-sentence implies a may, unless the must is the alternative the asker set against the may.
    modal = _SAYS_MUST if must else _SAYS_MAY if alternative else _SAYS_MUST_OR_MAY
    readings = []  # (shared words, about the same things, polarity or None, citation, the sentence's words)
    asked_groups = groups_named(fold(asked_text), lookup.person_groups)
    # "a tenant's rent arrears", "en beboers husleje": a person's own cost, which a sentence on the project's costs
    # ("… leje af lokale og husleje") says nothing of.
    owned = owned_by_person(fold(asked_text), lookup.person_groups)
    told = _told_words(query)
    for citation in shown:
        if lookup.meta(citation.doc_id).kind == "pjece":
            continue  # the 2005 pjece is background: its sentences give no yes or no to a question of today
        pool = lookup.meta(citation.doc_id).pool
        # The question's uncommon words that do not stand all over the pool's documents say what it is about.
        distinctive = [w for w in own if w in rare and not lookup.widespread(pool, w)]
        for sentence in quoted_sentences(citation.quote):
            said_of = groups_named(fold(sentence), lookup.person_groups)
            if (asked_groups and said_of and not asked_groups & said_of) or (owned and not said_of):
                continue  # said of other people than those asked about: no yes or no for them
            used = fold(sentence).split()
            shared = [w for w in own if any(u.startswith(long_prefix(w)) for u in used)]
            # A denial whose condition the asker's own message tells ("Our project mainly aims to help young
            # people into jobs" / "Der tildeles ikke støtte til projekter, hvis primære formål … er …
            # beskæftigelse") is a plain no for them, and about their case however common its words — also where
            # the asking sentence shares none of them ("Can we get funding?"). A yes stays limited: one told word
            # of its condition is not all the condition asks.
            rest, condition, told_in_condition = _told_condition(sentence, told)
            if shared or (condition and told_in_condition >= VERDICT_SHARED_WORDS):
                polarity = _polarity(rest, modal)
                if condition == "fails" and polarity is True:
                    # "Moms er en tilskudsberettiget omkostning, hvis ansøger ikke er omfattet af en
                    # momskompensationsordning" to one who is: not for them.
                    polarity = False
                elif condition != "holds" or polarity is not False:
                    polarity, condition = _polarity(used, modal), ""
                condition_told = bool(condition)
                # The asker's words for the condition stand in the sentence, as words of theirs.
                count = len(shared) + (told_in_condition if condition_told else 0)
                # Two of them (or the only one), or one beside two more of its words: one verb in common
                # ("indeholde") is not the same question.
                common = len(set(shared) & set(distinctive))
                about = (
                    common >= min(2, len(distinctive)) > 0
                    or (common and len(shared) >= 3)
                    or (condition_told and count >= VERDICT_SHARED_WORDS)
                )
                readings.append((count, about, polarity, citation, used))
    # The alternative's own words, and the document terms they stand for ("portalen" → "tilskudsportal").
    set_against = [
        w
        for w in fold(f"{alternative} {document_terms(alternative) if alternative else ''}").split()
        if len(w) >= 4 and not any(a.startswith(long_prefix(w)) or w.startswith(long_prefix(a)) for a in asked)
    ]
    picked = _plain_reading(readings, set_against)
    if picked is None and replaced and set_against:
        # "Må vi sende ansøgningen på mail i stedet for at bruge portalen?" / "Offentlige myndigheder … skal
        # indgive ansøgning … ved anvendelse af … Tilskudsportal": the alternative set against the first is what
        # must be done, so the first is a no.
        # Only the alternative's uncommon words tell what it is ("portalen", not "bruge").
        named = [w for w in set_against if zipf_frequency(w, "da") < RARE_WORD_ZIPF]
        pool_words = {c.doc_id: lookup.meta(c.doc_id).pool for c in shown}
        picked = _required_instead(
            shown,
            named,
            lambda c: [w for w in own if not lookup.widespread(pool_words[c.doc_id], w)],
            lambda c: lookup.section_text(c.doc_id, c.section),
        )
    if picked is None:
        return None
    yes, citation = picked
    if query.english:
        return ("Yes" if yes else "No") + " – the guideline says (in Danish):", citation
    return ("Ja" if yes else "Nej") + " – sådan står det:", citation


# "… ligesom foreningerne", "like the associations": the kind compared with is not the one asked of (folded).
_COMPARED = re.compile(r"\b(?:ligesom|like|som for|as with|as for)\s+(?:(?:de|den|det|the|vores|our)\s+)?(\w+)")
# A sentence that opens with a pronoun speaks of the sentence before's subject ("Sign-on fees kan tildeles frivillige
# foreninger … Det kan ikke tildeles virksomheder").
_OPENS_WITH_PRONOUN = re.compile(r"^(?:det|den|de|dette|denne|disse)$")


def kind_denied(query: Query, shown: list[Citation], lookup: CorpusLookup) -> tuple[str, Citation] | None:
    """A plain no where a may-question asks whether a kind of body ("en virksomhed", or "de" for the company the
    message told of) may get a thing, and a quoted sentence says it cannot be given to that kind ("Det kan ikke
    tildeles virksomheder", its "Det" the sentence before's "Sign-on fees"): the rule names the kind asked of.
    A kind the asker compares with ("… ligesom foreningerne") is not asked of."""
    if not asks_only_yes_or_no(query) or not {"may", "yesno"} & set(query.types):
        return None
    asked = fold(query.text if query.asks_of_setting else question_sentences(query.text))
    compared = {m.group(1) for m in _COMPARED.finditer(asked)}
    kinds = {k for k, word in _kinds_in(asked, lookup.kinds).items() if word.split()[-1] not in compared}
    own = [w for w in _own_words(query) if not any(w in lookup.kinds[k].terms for k in lookup.kinds)]
    if len(kinds) != 1 or not own:
        return None
    for citation in shown:
        subject: list[str] = []
        for sentence in quoted_sentences(citation.quote):
            used = fold(sentence).split()
            named = kinds_named(" ".join(used), lookup.kinds)
            about = [*subject, *used] if used and _OPENS_WITH_PRONOUN.match(used[0]) else used
            modal = next((n for n, w in enumerate(used) if _SAYS_MAY.match(w)), None)
            subject = used[:modal] if modal is not None else used
            if named != kinds or _polarity(used, _SAYS_MAY) is not False or _LIMITED.search(" ".join(used)):
                continue
            if _uses_any(own, about):
                return ("No – the guideline says (in Danish):" if query.english else "Nej – sådan står det:"), citation
    return None


def _uses_any(words: list[str], used: list[str]) -> bool:
    return any(u.startswith(long_prefix(w)) for w in words for u in used)


def _plain_reading(readings: list, set_against: list[str]) -> tuple[bool, Citation] | None:
    """The yes or no of the sentence sharing most of the question's words (of equals, one that says it plainly),
    where it is about the same things and no other such sentence says the opposite."""
    best = max(readings, key=lambda r: (r[0], r[2] is not None), default=None)
    if best is None or best[0] < VERDICT_SHARED_WORDS or not best[1] or best[2] is None:
        return None
    if "ikke" in fold(best[3].title).split():
        return None  # the section lists what is not given: excluded_verdict decides there
    if any(r[1] and r[2] is not None and r[2] != best[2] for r in readings):
        return None
    # "Skal budgettet opdeles i kvartaler, eller er det nok at fordele udgifterne på år?": a sentence using the
    # alternative's own words ("Udgifterne skal periodiseres … i det projektår") says the alternative, not the first.
    if _uses_any(set_against, best[4]):
        return None
    return best[2], best[3]


def _required_instead(
    shown: list[Citation],
    set_against: list[str],
    own_in: Callable[[Citation], list[str]],
    section_text: Callable[[Citation], str],
) -> tuple[bool, Citation] | None:
    """A no to "X instead of Y?": a plain must-sentence on Y's own words that names nothing of X — unless a
    sentence of a cited section says plainly that X may be done ("Private ansøgere kan … indsende … med post")."""
    if not set_against:
        return None
    for citation in shown:
        paragraphs = section_text(citation).split("\n\n")
        for sentence in (s for paragraph in paragraphs for s in split_sentences(paragraph)):
            used = fold(sentence).split()
            if _uses_any(own_in(citation), used) and _polarity(used, _SAYS_MAY) is True:
                return None
    for citation in shown:
        for sentence in quoted_sentences(citation.quote):
            used = fold(sentence).split()
            if _uses_any(set_against, used) and not _uses_any(own_in(citation), used):
                if _polarity(used, _SAYS_MUST) is True:
                    return False, citation
    return None


def applicants_verdict(
    query: Query, shown: list[Citation], lookup: CorpusLookup, names: Names
) -> tuple[str, FactAnswer, Citation, Citation] | None:
    """A yes or no drawn from two things the sources say: who may apply for the pool (only kinds of one group,
    "kommuner") and a quoted sentence that says, plainly, what those kinds may or may not have ("Kommuner og
    regioner kan ikke få tilskud til dækning af moms") and uses a word of the question. "Kan vi få dækket
    moms?" asked of a pool only municipalities may apply for is then a no, though the rule's first sentence
    ("Moms er en tilskudsberettiget omkostning, hvis …") reads as a yes."""
    if not asks_only_yes_or_no(query) or not lookup.kinds or _asked_of_others(query, lookup.people):
        return None
    own = [w for w in _own_words(query) if not _ASKS_MUST.match(w) and not _ASKS_MAY.match(w)]
    for citation in shown:
        found = lookup.applicants(lookup.meta(citation.doc_id).pool)
        if found is None or _CONDITIONED.search(fold(found[0].entry.quote)):
            continue
        fa = found[0]
        listed = kinds_named(fold(fa.entry.quote), lookup.kinds)
        if not listed or len({lookup.kinds[k].group for k in listed}) != 1:
            continue
        # The word shared must say what the sentence is about: "tilskud" stands all over the pool's documents, and
        # "… en el-ladcykel … Kan vi få den med i tilskuddet?" is not asked of "tilskud til dækning af moms".
        telling = [w for w in own if not lookup.widespread(fa.pool, w)]
        for sentence in quoted_sentences(citation.quote):
            used = fold(sentence).split()
            # The kinds are what the sentence says may or may not ("Kommuner og regioner kan ikke få …"), named
            # right before its modal: named after it, they are whom something else serves ("… kan sociale
            # viceværter understøtte samarbejdet mellem kommune og boligorganisation").
            modal = next((n for n, w in enumerate(used) if _SAYS_MAY.match(w)), None)
            subject = used[max(0, modal - SUBJECT_REACH) : modal] if modal is not None else []
            if not listed <= set(_kinds_in(" ".join(subject), lookup.kinds)):
                continue
            if not any(u.startswith(long_prefix(w)) for w in telling for u in used):
                continue
            polarity = _polarity(used, _SAYS_MAY)
            if polarity is None:
                continue
            pool = names.of(fa.pool)
            if query.english:
                yes = "Yes" if polarity else "No"
                return (
                    f"{yes} – {pool} is open to {english_value(fa.entry)}, and of them the guideline says:",
                    *found,
                    citation,
                )
            yes = "Ja" if polarity else "Nej"
            return f"{yes} – ansøgerkredsen for {pool} er {fa.entry.display}, og om dem står der:", *found, citation
    return None


def owned_by_person(folded: str, groups: dict[str, tuple[str, ...]]) -> bool:
    """The folded text names something of a person's own: a group word in the genitive ("beboers", "borgernes",
    "tenant s" for "tenant's")."""
    words = sorted({fold(w) for terms in groups.values() for w in terms if " " not in w}, key=len, reverse=True)
    genitive = rf"\b(?:{'|'.join(map(re.escape, words))})(?:s|es|ens|ers|erens|ernes|nes| s)\b"
    return bool(words) and bool(re.search(genitive, folded))


def groups_named(folded: str, groups: dict[str, tuple[str, ...]]) -> set[str]:
    """The groups of people a folded text names ("frivillige", "projektets medarbejdere")."""
    return {group for group, words in groups.items() if term_pattern(words).search(folded)}


def _asked_of_others(query: Query, people: tuple[str, ...]) -> bool:
    """The yes/no question asks what other people than the applicant may, must or are: its opening verb's subject
    is one of them ("Skal borgerne være anvist bolig af kommunen?", "Can the participants …?"). What the
    applicants may have ("Kommuner … kan ikke få tilskud til …") answers no such question."""
    words = fold(question_sentences(query.text)).split()
    at = next((n for n, w in enumerate(words[:-1]) if w in OPENING_VERBS), None)
    if at is None or not people:
        return False
    subject = " ".join(w for w in words[at + 1 : at + 3] if w not in {"de", "den", "det", "en", "et", "the", "a"})
    return bool(term_pattern(people).match(subject))


def long_prefix(word: str) -> str:
    """All of a word's stem but its last two letters, at least SHARED_PREFIX: what a yes or no rests on must be
    the same word ("underskrevet" is not "understøtte", though both start "unders")."""
    root = stem(word)
    return root[: max(SHARED_PREFIX, len(root) - 2)]


# A condition clause: from its word to the sentence's end, or, where the sentence opens with it, to the first comma.
_CONDITION_WORD = re.compile(r"\b(?:hvis|når|naar|såfremt|saafremt|forudsat)\b", re.I)
# Of a condition's words, those at least this long say what it is about ("beskæftigelse", not "eller").
CONDITION_WORD_CHARS = 6
# How long the part an asker's word shares with a longer condition word must be to name it.
TOLD_PREFIX_CHARS = 10


def _told_words(query: Query) -> list[str]:
    """The folded words of the whole message, and the document terms they stand for ("jobs" → beskæftigelse); a
    pool's name ("SærligSoc") tells nothing of the asker's case."""
    told = without_mentions(fold(query.text), query.mentions)
    return fold(f"{told} {document_terms(told)}").split()


def _told_condition(sentence: str, told: list[str]) -> tuple[list[str], str, int]:
    """The sentence's folded words less its condition clause, and what the asker's message tells of that condition:
    "holds" where it tells the condition (one of its uncommon long words is the asker's), "fails" where the condition
    is that something is not so and the message tells it is ("hvis ansøger ikke er omfattet af en
    momskompensationsordning" / "we are covered by momskompensation"), "" where it tells neither (the words are then
    the whole sentence's); and how many of its words the asker told."""
    match = _CONDITION_WORD.search(sentence)
    if match is None:
        return fold(sentence).split(), "", 0
    before, after = sentence[: match.start()], sentence[match.end() :]
    if before.strip():
        clause, rest = after, ""
    else:
        clause, _, rest = after.partition(",")
    # Its uncommon long words only ("særlige betingelser" is said of many things, "beskæftigelse" of one), and not
    # what the rule itself is about ("Moms er …, hvis … afløftet momsen").
    subject = fold(rest if not before.strip() else before).split()
    words = [
        fold(w)
        for w in re.findall(r"\w+", clause.lower())
        if len(w) >= CONDITION_WORD_CHARS
        and zipf_frequency(w, "da") < RARE_WORD_ZIPF
        and not any(u.startswith(long_prefix(fold(w))) for u in subject)
    ]

    def named(w: str) -> bool:
        return any(
            t.startswith(long_prefix(w))
            # the asker's shorter form of a long compound ("momskompensation" / "momskompensationsordning"), as
            # long as what they share is itself a long word ("projekter" shares only "proje" with a compound)
            or (len(long_prefix(t)) >= TOLD_PREFIX_CHARS and w.startswith(long_prefix(t)))
            for t in told
        )

    telling = [w for w in words if named(w)]
    if not telling:
        return fold(sentence).split(), "", 0
    remaining = fold(f"{before} {rest}").split()
    clause_words = fold(clause).split()
    # (The last told word is the condition's own: "ansøger" before "ikke er omfattet af en momskompensationsordning"
    # names who, not what.)
    last = max((i for i, u in enumerate(clause_words) if u in telling), default=0)
    denied = any(w in _NEGATIONS for w in clause_words[:last])
    if denied and not _NEGATIONS & set(told) and "not" not in told:
        return remaining, "fails", len(telling)
    return remaining, "" if denied else "holds", len(telling)


# Words by which a message tells the asker lacks something ("ikke en egentlig udlejningsaftale", "uden at være med
# i evalueringen", "mangler"), and how many words after it name what.
_LACKS = re.compile(r"^(?:ikke|ingen|intet|uden|mangler|manglende|without|no|not|lack\w*)$")
LACK_REACH = 5
# A negation that says a thing is not done yet ("… ikke skrevet under endnu", "isn't signed yet"): the thing
# lacked stands before it, or in the clause before where a pronoun stands for it ("…, men den er ikke …").
_NOT_DONE = re.compile(
    r"^(?:(?:er|var|blevet|bliver)\s+)*(?:underskrevet|skrevet under|paa plads|indgaaet|faerdig\w*|godkendt|klar|"
    r"signed|in place|finished|ready|done)\b|\b(?:endnu|yet)\b"
)
# Where a question offers alternatives: "…, eller skal man …?", "… or can we …?".
_ALTERNATIVES = re.compile(
    r",?\s+(?:eller|or)\s+(?=(?:\w+\s+){0,2}?(?:skal|kan|maa|er|bliver|must|can|may|is|are|do|does|should)\b)"
)
# A sentence that sets a requirement on the applicant ("Ansøger skal have indgået …", folded).
_APPLICANT_MUST = re.compile(r"\bansoeger (?:skal|er forpligtet)\b|\bdet er et krav\b")


def lacked_requirement(query: Query, candidates: list[Citation], lookup: CorpusLookup) -> list[Citation]:
    """The sentences among the candidates that require of the applicant a thing the asker's message tells they lack
    ("… kun en mundtlig aftale – ikke en egentlig udlejningsaftale. Kan vi søge alligevel?" / "Ansøger skal have
    indgået én eller flere udlejningsaftaler …"): the rule that decides their case."""
    spans = []
    previous: list[str] = []
    # Within its clause: "We have no local branches, but our groups …" lacks branches, not groups.
    for clause in re.split(r"[,.;:?!–]|\b(?:men|but)\b", query.text):
        # (Folded, "don't" reads "don t".)
        words = re.sub(r"\b(?:don|doesn|haven|hasn|aren|isn|didn|won|can) t\b", "not", fold(clause)).split()
        for n, word in enumerate(words):
            if not _LACKS.match(word):
                continue
            after = words[n + 1 : n + 1 + LACK_REACH]
            spans.append(" ".join(after))
            if _NOT_DONE.search(" ".join(after)):
                # "Udlejningsaftalen er ikke underskrevet endnu", "… om en udlejningsaftale, men den er ikke skrevet
                # under endnu": not done, the thing before it is lacked.
                spans.append(" ".join([*previous, *words[max(0, n - LACK_REACH) : n]]))
        previous = words or previous  # (", men" leaves an empty piece between)
    return applicant_requirement(spans, candidates, lookup)


def asked_requirement(query: Query, candidates: list[Citation], lookup: CorpusLookup) -> list[Citation]:
    """The sentences among the candidates that require of the applicant the thing a must-question asks about ("Do
    we need letting agreements … before we apply?" / "Ansøger skal have indgået én eller flere udlejningsaftaler")."""
    asked = fold(question_sentences(query.text))
    # Of alternatives ("Hører vi under ansøgerkredsen, eller skal man være en landsorganisation?") the one that
    # asks must is the thing: a requirement naming the other ("… hører inden for ansøgerkredsen") is no yes to it.
    musts = [a for a in _ALTERNATIVES.split(asked) if any(_ASKS_MUST.match(w) for w in a.split())]
    if not musts:
        return []
    return applicant_requirement(musts, candidates, lookup)


def applicant_requirement(spans: list[str], candidates: list[Citation], lookup: CorpusLookup) -> list[Citation]:
    """The candidates' plain requirements on the applicant that name a thing of the spans, prose first: their uncommon words, and
    the documents' words their phrases stand for ("letting agreements" → "udlejningsaftaler"), not those all over
    the pool's documents ("apply" → "ansøgning"). None where a section that names the thing says it is not required
    ("Det er ikke et krav, at den er indgået ved ansøgningstidspunktet"): it may be done later."""
    pool = lookup.meta(candidates[0].doc_id).pool if candidates else None
    things = {
        w
        for span in spans
        for w in (*span.split(), *fold(document_terms(span)).split())
        if len(w) >= CONDITION_WORD_CHARS
        and zipf_frequency(w, "da") < RARE_WORD_ZIPF
        and not _ASKS_MUST.match(w)
        and not lookup.widespread(pool, w)
    }
    if not things:
        return []

    def names(text: str) -> bool:
        return any(u.startswith(long_prefix(w)) for w in things for u in fold(text).split())

    sections = {(c.doc_id, c.section) for c in candidates}
    if any(_NOT_REQUIRED.search(fold(t)) and names(t) for t in (lookup.section_text(d, s) for d, s in sections)):
        return []

    def plain_requirement(quote: str) -> bool:
        # Not one limited to a case or a route ("mindst …", "hvis …", "for at kunne kategoriseres som landsdækkende"):
        # one who lacks it may qualify another way. (Figures of a table row's number are no limit.)
        folded = fold(quote)
        limited = _LIMITED.search(re.sub(r"\d", " ", folded)) or re.search(r"\bfor at\b", folded)
        return bool(_APPLICANT_MUST.search(folded)) and not limited and not _NEGATIONS & set(folded.split())

    # A sentence of prose before a table's row that says it again ("Udlejningsaftaler … – Ansøger skal …": its cells
    # joined by a dash).
    return sorted(
        (c for c in candidates if plain_requirement(c.quote) and names(c.quote)), key=lambda c: " – " in c.quote
    )


# Words of giving support (folded): "tildeles", "ydes", "gives", "opnås", "støtte", "tilskud".
_GRANTS = re.compile(r"\b(?:tildel\w*|ydes|gives|opnaa\w*|stoette\w*|tilskud\w*)\b")


def told_denial(query: Query, candidates: list[Citation]) -> Citation | None:
    """The sentence among the candidates that denies support on a condition the asker's message tells, in at least
    VERDICT_SHARED_WORDS of its uncommon words ("… hvor hovedmålet er, at de kommer i job eller uddannelse" / "Der tildeles
    ikke støtte til projekter, hvis primære formål i projektperioden fx er integration, uddannelse, beskæftigelse
    …"): the rule that decides the asker's case, however little the asking sentence names ("Passer det ind?")."""
    told = _told_words(query)
    best: tuple[int, Citation] | None = None
    for citation in candidates:
        if not _CONDITION_WORD.search(citation.quote):
            continue
        rest, condition, count = _told_condition(citation.quote, told)
        grants = _GRANTS.search(" ".join(rest))  # denies support, not some step ("… ikke er muligt at indgive …")
        if condition == "holds" and count >= VERDICT_SHARED_WORDS and grants and _polarity(rest, _SAYS_MAY) is False:
            if best is None or count > best[0]:
                best = (count, citation)
    return best[1] if best else None


def _polarity(words: list[str], modal: re.Pattern) -> bool | None:
    """True where the sentence says the modal plainly, False where a negation right beside it denies it, None
    where it says neither, or limits what it says."""
    if _LIMITED.search(" ".join(words)):
        return None
    modals = [i for i, w in enumerate(words) if modal.match(w)]
    negated = [i for i, w in enumerate(words) if w in _NEGATIONS]
    if not modals:
        return None
    if not negated:
        return True
    if len(negated) == 1 and any(0 < abs(n - m) <= NEGATION_REACH for n in negated for m in modals):
        return False  # "der kan ikke", "kan således ikke", "ikke et krav"
    return None


def mixed_verdict(query: Query, citation: Citation, lookup: CorpusLookup) -> tuple[str, Citation] | None:
    """ "Kan vi få betalt kurser til frivillige?": where a may-question's uncommon word stands in an unconditioned
    item of a section of what is not given ("Generelle uddannelses- og kursusaktiviteter for frivillige") and, in
    another section, in a plain sentence that shares the question's words ("Udgifter til specifikke uddannelses-
    og kursusaktiviteter for frivillige af begrænset omfang"), the answer is neither yes nor no: both are shown,
    the one that allows first. Returns the lead and the allowing sentence's quote."""
    if not set(query.types) & {"may", "yesno"} or citation.item is None:
        return None
    if "ikke" not in fold(citation.title).split() or _CONDITIONAL.search(citation.quote):
        return None
    quoted = fold(citation.quote)
    own = _own_words(query)

    def shared(text: str) -> set[str]:
        used = fold(text).split()
        return {w for w in own if any(u.startswith(long_prefix(w)) for u in used)}

    for word in (w for w in rare_words(query) if stem(w) in quoted):
        for section, sentence in lookup.sentences_using(citation.doc_id, word):
            if section == citation.section or _NEGATION.search(sentence):
                continue
            # Both speak of the same things ("kursusaktiviteter for frivillige"), one allowing, one not: an item
            # that shares only a word of it ("dækning" of vouchers beside "dækning af moms") is another thing.
            allowed = shared(sentence)
            if len(allowed) < VERDICT_SHARED_WORDS or not allowed <= shared(citation.quote):
                continue
            allowing = next(
                (c for c in lookup.quotable(citation.doc_id) if c.section == section and c.quote in sentence), None
            )
            if allowing is None or "ikke" in fold(allowing.title).split():
                continue
            title = re.sub(r"^[\d.]+\s+", "", citation.title)
            if query.english:
                return f"Partly – the guideline allows some of it and lists some under «{title}»:", allowing
            return f"Delvist – vejledningen tillader noget af det og nævner andet under «{title}»:", allowing
    return None


# How long an everyday word of the question must be to name a thing an excluded item may be about ("uddannelse").
EXCLUDED_WORD_CHARS = 7


def excluded_words(query: Query, lookup: CorpusLookup) -> list[str]:
    """The question's words an excluded item may name: its uncommon words; the documents' one word for a verb the
    asker writes apart ("bygge lokalet om" → "ombygning"); the last part of a compound they never use
    ("biografgavekort" is a "gavekort"); and an everyday word of an asking sentence that asks for money ("Kan vi få
    dækket en uddannelse …?") — that one only where no other section speaks of it without a negation, as
    `excluded_verdict` asks of them all. ("Skal viceværten være uddannet …?" asks for no money.)"""
    joined = fold(lookup.joined_verbs(question_sentences(query.text))).split()
    rare = rare_words(query)
    heads = [h for w in rare if (h := lookup.compound_head(w))]
    asking = set(fold(question_sentences(query.text)).split())
    everyday = [w for w in query.topic if len(w) >= EXCLUDED_WORD_CHARS and w in asking] if query.asks_funding else []
    # The documents' word for what the asking sentence says in everyday words ("sætte lejligheden i stand" →
    # "renovering"), where it asks for money.
    mapped = (
        [w for w in fold(document_terms(question_sentences(query.text))).split() if len(w) >= EXCLUDED_WORD_CHARS]
        if query.asks_funding
        else []
    )
    return list(dict.fromkeys([*rare, *heads, *joined, *everyday, *mapped]))


def excluded_verdict(
    query: Query, citation: Citation, lookup: CorpusLookup, words: list[str] | None = None
) -> str | None:
    """A plain no, where a may-question's own uncommon word ("gavekort") stands in an item of a section whose
    title says what is not given ("Ikke tilskudsberettigede udgifter"), the item sets no condition, and no
    other section of the document speaks of it without a negation ("Generelle … kursusaktiviteter" is
    excluded, "specifikke … kursusaktiviteter" eligible: that is no plain no). `words`: `excluded_words`, where the
    caller asks of many items."""
    if not set(query.types) & {"may", "yesno"} or citation.item is None:
        return None
    if "ikke" not in fold(citation.title).split() or _CONDITIONAL.search(citation.quote):
        return None
    quoted = fold(citation.quote)
    word = next(
        (
            w
            for w in (excluded_words(query, lookup) if words is None else words)
            if stem(w) in quoted
            and not any(
                section != citation.section and not _NEGATION.search(sentence)
                for section, sentence in lookup.sentences_using(citation.doc_id, w)
            )
        ),
        None,
    )
    if word is None:
        return None
    title = re.sub(r"^[\d.]+\s+", "", citation.title)  # "11 Ikke tilskudsberettigede udgifter": the number is no title
    if query.english:
        return f"No – the guideline lists it under «{title}» (what the grant does not cover)."
    return f"Nej – det står under «{title}» i vejledningen."


def _passed_dates(query: Query, quotes: list[Citation]) -> list[str]:
    """A full date in a quote that lies before `now` is history, not a rule to follow: say so once."""
    passed = []
    for c in quotes:
        for match in _FULL_DATE.finditer(c.quote):
            found = parse_dates(match.group(0))
            if found and local_deadline(found[0], query.now) < query.now and match.group(0) not in passed:
                passed.append(match.group(0))
    if not passed:
        return []
    return [
        f"Bemærk: {', '.join(passed)} er passeret." if not query.english else f"Note: {', '.join(passed)} has passed."
    ]


def with_notes(query: Query, text: str) -> str:
    return "\n\n".join([*query.notes, text])


def merge_answers(question: str, answers: list[Answer]) -> Answer:
    """One answer to a message that asks several questions: each part's answer in turn, the sources of
    all of them. A part that repeats the facts an earlier part gave, or that finds nothing while another
    part does, is left out; a paragraph (a quote) already said is not said again."""
    # A part that finds nothing is left out beside one that does; a part out of scope is kept ("… og skal
    # jeg betale skat af det?" is told where to ask).
    useful = [a for a in answers if not (a.abstained and a.answer.startswith(ABSTAIN_MESSAGE))] or answers[:1]
    kept: list[Answer] = []
    for answer in useful:
        said = {(f.doc_id, f.key) for k in kept for f in k.facts}
        told = {p for k in kept for p in k.answer.split("\n\n")}
        # (Its own reckoning with the same fact — "… og hvad bliver lønudgiften på halv tid?" — is no repeat.)
        reckons = any(p not in told and not p.startswith("«") for p in answer.answer.split("\n\n")[1:])
        if kept and answer.facts and {(f.doc_id, f.key) for f in answer.facts} <= said and not reckons:
            continue
        kept.append(answer)
    kept = unsaid_quotes(kept)
    # "… hvem skal skrive under og hvad skal der stå i den?" after a part that quoted the agreement's rules: "oplyser
    # ikke noget om det, du spørger om" would read as saying the quotes above are not there. What is not said is
    # what these parts ask beyond them, said once for all of them. (The asker's words, without «»: those marks
    # promise text that stands in the sources.)
    silent = [
        n for n, a in enumerate(kept) if n and _SILENT_ON_IT in a.answer and any("«" in k.answer for k in kept[:n])
    ]
    if silent:
        asked = "; ".join(" ".join(without_joiner(kept[n].question).split()).rstrip("?") for n in silent)
        beyond = f"ikke mere end det ovenstående om dit spørgsmål: {asked}"
        first = kept[silent[0]]
        kept[silent[0]] = first.model_copy(update={"answer": first.answer.replace(_SILENT_ON_IT, beyond)})
        kept = [a for n, a in enumerate(kept) if n not in silent[1:]]
    paragraphs: list[str] = []
    for answer in kept:
        # Also one said inside another ("Det nærmeste, materialet siger, er: «…» (…)" holds the quote line).
        paragraphs += [p for p in answer.answer.split("\n\n") if not any(p in q for q in paragraphs)]
    citations = list({(c.doc_id, c.section, c.quote): c for a in kept for c in a.citations}.values())
    facts = list({(f.doc_id, f.key, f.display): f for a in kept for f in a.facts}.values())
    pools = {a.pool for a in kept}
    return Answer(
        question=question,
        pool=kept[0].pool if len(pools) == 1 else None,
        answer="\n\n".join(paragraphs),
        citations=citations,
        facts=facts,
        abstained=all(a.abstained for a in kept),
        clarification=next((a.clarification for a in kept if a.clarification), None),
    )


def _said_sentences(citation: Citation) -> set[tuple[str, str]]:
    """The quote's sentences, each with its document: the same sentence in another pool's guideline is that pool's
    rule, said again for it."""
    return {(citation.doc_id, " ".join(sentence.split())) for sentence in quoted_sentences(citation.quote)}


def _unsaid(citation: Citation, said: set[tuple[str, str]]) -> str:
    """The quote without the sentences already said: the runs of sentences left, each verbatim, "…" between."""
    runs: list[str] = []
    for piece in quote_pieces(citation.quote):
        run: list[str] = []
        for sentence in split_sentences(piece):
            if (citation.doc_id, " ".join(sentence.split())) in said:
                runs += [" ".join(run)] if run else []
                run = []
            else:
                run.append(sentence)
        runs += [" ".join(run)] if run else []
    return " … ".join(runs)


def unsaid_quotes(answers: list[Answer]) -> list[Answer]:
    """Each part's answer without the quoted sentences an earlier part — or an earlier quote of the same answer —
    showed ("… og i hvor lang tid?" quoting the same passage again; the target group's sentence that sections 4
    and 8 both say): what is left of a quote stays, "…" where sentences were left out; a quote with nothing new
    goes, with its paragraph."""
    said: set[tuple[str, str]] = set()
    result = []
    for answer in answers:
        text, citations = answer.answer, []
        own: set[str] = set()  # this answer's quotes so far: one shown quote may stand for two pools' citations
        for c in answer.citations:
            if c.quote in own:
                citations.append(c)
                continue
            own.add(c.quote)
            shown = f"«{c.quote}»" in text
            left = _unsaid(c, said) if shown and said else c.quote
            if left != c.quote:
                if left:
                    text = text.replace(f"«{c.quote}»", f"«{left}»")
                else:
                    text = "\n\n".join(p for p in text.split("\n\n") if f"«{c.quote}»" not in p)
                    continue
                c = c.model_copy(update={"quote": left})
            citations.append(c)
            if f"«{c.quote}»" in text:
                said |= _said_sentences(c)
        result.append(answer.model_copy(update={"answer": text, "citations": citations}))
    return result
