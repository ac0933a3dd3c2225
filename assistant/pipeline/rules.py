"""Step 3 — Query + Scope → RuleResult: the verified facts the question asks for, per pool in scope, and
calculations on them — only when the question's type and qualifiers fit the fact (rules/intents.yaml)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from assistant.corpus.pools import POOL_WORDS
from assistant.danish import MONTH_NUMBER, MONTH_PATTERN, fold, format_date, money_spans, parse_money
from assistant.pipeline.scope import Scope
from assistant.pipeline.understand import PLAIN_TYPES, Query, counted_noun, question_sentences, without_mentions
from assistant.rules import calculators
from assistant.rules.facts import NUMBER_WORDS, FactEntry, PoolFacts
from assistant.rules.lexicon import FactKey, IntentSpec, Lexicon, term_pattern

# A year the question asks about ("fristen for 2026", "i 2026"); a year inside a date it quotes
# ("1. januar 2030") is not one.
_YEAR = re.compile(
    r"(?<!januar )(?<!februar )(?<!marts )(?<!april )(?<!maj )(?<!juni )(?<!juli )(?<!august )"
    r"(?<!september )(?<!oktober )(?<!november )(?<!december )\b(20\d\d)\b"
)
# A year said relative to today (folded): "sidste år", "i fjor", "last year" (-1); "næste år", "next year" (+1).
_RELATIVE_YEARS = {
    -1: re.compile(r"\b(?:sidste aar|forrige aar|i fjor|sidste runde|last year|previous year|last round)\b"),
    1: re.compile(r"\b(?:naeste aar|kommende aar|til aaret|naeste runde|next year|coming year|next round)\b"),
}


# An amount told as what is left of the grant.
# ("55.000 kr. tilbage", "40.000 kr. uforbrugt", "DKK 30,000 left over"; folded, "55.000" reads "55 000").
_LEFT_OVER = re.compile(
    r"\d(?:[\d ]*\d)?(?: ?(?:kr|kroner|dkk|mio|millioner))?\.?(?: \w+){0,2} "
    r"(?:tilbage|uforbrugt\w*|ubrugt\w*|til overs|left|leftover|unspent|remaining)\b"
)
# "siden 2019", "since 2019" right before a year: how long something has been, not a round asked about.
_SINCE = re.compile(r"\b(?:siden|since|fra og med)\s*$")


def asked_years(query: Query) -> list[str]:
    """The years the question asks about, as written ("fristen for 2026") or said relative to `now` ("sidste år"
    in June 2025 is 2024): a fact of another round is no answer."""
    # Only where it asks: "sidste år holdt vi to arrangementer i Aarhus. Er vi landsdækkende?" tells of last year
    # and asks of this round; "Vi har haft lokalgrupper siden 2019" tells how long, of no round.
    asked = fold(question_sentences(query.text))
    years = [m.group(0) for m in _YEAR.finditer(asked) if not _SINCE.search(asked[: m.start()])]
    if query.now is not None:
        years += [str(query.now.year + shift) for shift, said in _RELATIVE_YEARS.items() if said.search(asked)]
    return years or list(query.message_years)


# "38.000 kr. om måneden", "32.500 om md.", "kr. 41.250,- pr. md.", "månedsløn": a monthly amount.
# "plus 12 % pension", "pension på 12 pct.", "12 procent i pension" (folded: "%" is gone, "420.000" is "420 000").
_PENSION = re.compile(
    r"\b(?P<pct>\d{1,2}(?:,\d+)?) ?(?:%|pct|procent)?\.? (?:i |til |af )?(?:arbejdsgiver)?pension"
    r"|\bpension(?:sbidrag)?(?: paa| af| er)? (?P<pct2>\d{1,2}(?:,\d+)?)(?: ?(?:%|pct|procent))?(?!\s?\d)"
)
# How much of a full-time post: "halv tid", "75 %-stilling". Hours a week ("30 timer om ugen") tell no share: how
# many hours a full-time week has, the sources do not state, and no number is assumed.
_HALF_TIME = re.compile(r"\bhal(?:v|vt) ?tid|\bhalvtid|\bhalf ?time")
_SHARE_OF_POST = re.compile(
    r"\b(?P<pct>\d{2})(?: ?%| pct| procent)?[ -]?(?:s )?(?:stilling|deltid|tid|post|position|job)\b"
    r"|\b(?:part ?time|deltid)\w*(?: \w+){0,2} (?:at|paa) (?P<pct3>\d{2})\b(?! ?(?:timer|hours|uger|weeks))"
)


# A day the asker names, with or without its year: "den 8. august", "d. 6. aug. 2025" (as written, lower case), or
# in figures: "25/6", "25/6-2025".
_NAMED_DAY = re.compile(
    rf"\b(?P<day>\d{{1,2}})\.\s*(?P<month>{MONTH_PATTERN})\b(?:\s+(?P<year>\d{{4}}))?"
    r"|\b(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:[-/](?P<y>\d{4}))?\b"
)
# The same in English ("8 August", "August 10th", "on 8th August 2025"), the month names from Babel's CLDR data.
_ENGLISH_MONTH = {name.lower(): n for n, name in get_month_names("wide", locale="en").items()}
_ENGLISH_MONTHS = "(?:" + "|".join(_ENGLISH_MONTH) + ")"
_NAMED_DAY_EN = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_ENGLISH_MONTHS})"
    rf"|(?P<month2>{_ENGLISH_MONTHS})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)\b(?:,?\s+(?P<year>\d{{4}}))?"
)


def proposed_dates(query: Query, default_year: int) -> list[date]:
    """The days the asker's own sentences name ("vi sender den 8. august"), in the deadline's year where no year is
    given. Only in a message that tells of the asker ("vi", "we"): a date in "Er fristen den 7. august?" is the
    rule asked about, and is checked as such by the guard."""
    if not _FIRST_PERSON & set(query.folded.split()):
        return []
    text = query.text.lower()
    named = [  # (year, month, day) as written
        (
            m.group("year") or m.group("y"),
            MONTH_NUMBER[m.group("month")] if m.group("month") else int(m.group("m")),
            m.group("day") or m.group("d"),
        )
        for m in _NAMED_DAY.finditer(text)
    ] + [
        (m.group("year"), _ENGLISH_MONTH[m.group("month") or m.group("month2")], m.group("day") or m.group("day2"))
        for m in (_NAMED_DAY_EN.finditer(text) if query.english else ())
    ]
    found = []
    for year, month, day_of_month in named:
        try:
            day = date(int(year or default_year), month, int(day_of_month))
        except ValueError:
            continue  # "31. juni" is no day
        if day != query.now.date():  # "i dag mandag d. 16. juni" tells today, not a day they propose
            found.append(day)
    return list(dict.fromkeys(found))


# A share of a budget line, as written: "30 % af lønposten", "ca. 15 procent af budgetposten".
_SHARE_OF_LINE = re.compile(r"\b(?P<pct>\d{1,2}(?:,\d)?) ?(?:%|pct\.?|procent) af (?:\w+ )?\w*post\w*", re.I)
# A year as written ("i 2026", "2025-puljen"), not followed by kroner.
_YEAR_NOT_MONEY = re.compile(r"\b(?:19|20)\d\d\b(?!\s*(?:kr|kroner|dkk|,-))", re.I)


def _without_years(text: str) -> str:
    """The text with its years blanked out, each character a space: no year is read as an amount, and the
    amounts keep their places in the text."""
    return _YEAR_NOT_MONEY.sub(lambda m: " " * len(m.group(0)), text)


# An amount the text names as the grant: "tilskud på 900.000 kr.", "et tilskud er 80.000 kr.", "fået 300.000 kr. i
# tilskud", "a grant of DKK 80,000" (as written: the amount's own characters, then up to three words either side).
_GRANT_WORD = re.compile(r"\b(?:tilskud\w*|bevilling\w*|bevilget|grant\w*|award\w*)\b", re.I)
GRANT_REACH_WORDS = 3


# What a rent is told to hold besides the rent itself ("aconto varme og vand", "forbrug", "utilities").
_CONSUMPTION_WORD = re.compile(
    r"^(?:aconto|conto|forbrug\w*|varme|vand|el|fjernvarme|utilities|heating|water|electricity)$", re.I
)
# Before a part of an amount: it is in the amount ("5.400 kr., hvoraf 600 kr. …", "inkl. 400 kr.").
# (Words are read without their punctuation: "inkl." as "inkl".)
_INCLUDED_WORD = re.compile(r"^(?:hvoraf|heraf|hvor|inkl|inklusive|inklusiv|including|incl|which|whereof)$", re.I)
# Consumption told as included, with no amount of its own: "5.500 kr. om måneden inkl. varme og vand".
_CONSUMPTION_INCLUDED = re.compile(
    r"\b(?:inkl|inklusive|inklusiv|incl|including)\b\.?\s+(?:\w+\s+){0,2}?"
    r"(?:aconto|conto|forbrug\w*|varme|vand|el|fjernvarme|utilities|heating|water|electricity)\b",
    re.I,
)
# Before a part told beside an amount: it comes on top ("plus ca. 600 kr. aconto", "ekskl. 600 kr. til varme").
_ON_TOP_WORD = re.compile(r"^(?:plus|\+|oveni|derudover|udover|ekskl|eksklusive|excluding|excl)$", re.I)
# An amount told as spent already: "har brugt 470.000 kr.", "forbrugt", "spent DKK 470,000".
_SPENT_WORD = re.compile(r"\b(?:brugt|forbrugt|anvendt|afholdt|spent|used)\b", re.I)


def _amounts_near(
    text: str, words: re.Pattern, before_only: bool = False, reach: int = GRANT_REACH_WORDS
) -> list[Decimal]:
    """The amounts with a word of `words` within `reach` words of them (before them only, if asked)."""
    found: list[Decimal] = []
    for start, end, amounts in money_spans(text):
        amounts = [a for a in amounts if a >= 100]
        if not amounts:
            continue
        before = text[:start].split()[-reach:]
        after = [] if before_only else text[end:].split()[:reach]
        if any(words.search(w.strip(".,;:!?()")) for w in (*before, *after)):
            found += amounts
    return found


def grant_amounts(text: str) -> list[Decimal]:
    """The amounts the text names as the grant itself, by a grant word within GRANT_REACH_WORDS words."""
    return _amounts_near(text, _GRANT_WORD)


# What a budget line is to be, told beside the amount ("vi regner nu med at bruge 92.000 kr.", "hæve den til
# 92.000 kr.", "from DKK 80,000 to DKK 92,000"): a new total, not the change itself.
_NEW_TOTAL_WORD = re.compile(
    r"^(?:bruge|bruger|nu|bliver|blive|forventer|forventet|ender|ende|lander|lande|spend|spending|now|become|"
    r"becomes|expect|end|ends)$",
    re.I,
)
# The budget line as it stands, told before its amount ("budgetposten til transport er 40.000 kr.", "lønposten på
# 300.000 kr.", "our activities budget line is DKK 100,000").
_LINE_WORD = re.compile(r"(?:post|posten|poster|line)$", re.I)
LINE_REACH_WORDS = 5
# A sum told as moved or added ("flytte 30.000 kr.", "øge den med 5.000 kr.", "move DKK 5,000"): the change itself.
_CHANGE_WORD = re.compile(
    r"^(?:flytte|flytter|flyttes|overføre|overfører|rykke|ekstra|mere|yderligere|tilføre|med|move|moving|shift|"
    r"transfer|extra|more|additional|by)$",
    re.I,
)
# "fra 50.000 kr. til 54.000 kr.": the text between two amounts that makes the second the first's new size.
_FROM_TO = re.compile(r"^\s*(?:til|to)\s*$", re.I)
_FROM = re.compile(r"\b(?:fra|from)\s*$", re.I)


def new_totals(text: str) -> list[Decimal]:
    """The amounts told as what a budget line is to be: beside a word for it, or the second of "fra X til Y", or
    — told beside the line as it stands and larger than it — the amount no word tells as a sum moved ("Budgetposten
    til transport er 40.000 kr. Vi har brug for 45.000 kr.": 45.000 kr. is no change of 40.000 kr. larger than the
    line itself)."""
    found = _amounts_near(text, _NEW_TOTAL_WORD, before_only=True)
    spans = money_spans(text)
    for (start, end, _), (next_start, _, amounts) in zip(spans, spans[1:]):
        if _FROM.search(text[:start]) and _FROM_TO.match(text[end:next_start]):
            found += amounts
    told = {a for _, _, amounts in spans for a in amounts if a >= 100}
    lines = set(_amounts_near(text, _LINE_WORD, before_only=True, reach=LINE_REACH_WORDS))
    if not found and len(told) == 2 and len(lines & told) == 1:
        (line,) = lines & told
        (other,) = told - lines
        if other > line and other not in moved_sums(text):
            found.append(other)
    return found


def moved_sums(text: str) -> list[Decimal]:
    """The amounts told as a sum moved or added ("flytte 30.000 kr.", "øge den med 50.000 kr.")."""
    return _amounts_near(text, _CHANGE_WORD, before_only=True)


def change_of(amounts: list[Decimal], new_totals: list[Decimal], moved: list[Decimal] = ()) -> tuple[Decimal, Decimal]:
    """The change and the budget line it is of. Two amounts, one told as the line's new total and the other not:
    the change is their difference, of the other (80.000 kr. now to be 92.000 kr.: a change of 12.000 kr.). One
    told as a sum moved or added and the other not: that sum, of the other, whichever is larger ("øge posten på
    40.000 kr. med 50.000 kr."). Else the smaller is the change, of the larger."""
    told = set(amounts)
    told_new = [a for a in told if a in new_totals]
    if len(told) == 2 and len(told_new) == 1:
        new = told_new[0]
        line = next(a for a in told if a != new)
        return abs(new - line), line
    told_moved = [a for a in told if a in moved]
    if len(told) == 2 and len(told_moved) == 1:
        return told_moved[0], next(a for a in told if a != told_moved[0])
    return min(amounts), max(amounts)


def unspent_of(amounts: list[Decimal], spent: list[Decimal]) -> Decimal | None:
    """What is left of the year's grant (the largest amount): the other amount, or — where the other is told as
    spent ("har brugt 470.000 kr.") — the grant less it."""
    if len(set(amounts)) < 2:
        return None
    grant, other = max(amounts), min(amounts)
    return grant - other if other in spent else other


def part_time_share(folded: str) -> Decimal | None:
    """The share of a full-time post the question tells, if it tells one."""
    if _HALF_TIME.search(folded):
        return Decimal("0.5")
    if found := _SHARE_OF_POST.search(folded):
        pct = Decimal(found.group("pct") or found.group("pct3"))
        return pct / 100 if 0 < pct < 100 else None
    return None


_MONTHLY = re.compile(r"\b(?:om|pr|per|i|a) (?:maaned\w*|md|mdr|month)\b|\bmaanedsloen|\bkr md\b|\bmonthly\b")


@dataclass(frozen=True)
class FactAnswer:
    pool: str
    entry: FactEntry
    key: FactKey


@dataclass(frozen=True)
class RuleResult:
    intent: IntentSpec | None = None
    facts: tuple[FactAnswer, ...] = ()
    missing: tuple[str, ...] = ()  # pools in scope whose documents do not state what was asked
    missing_what: str = ""  # the label of what they do not state
    missing_key: FactKey | None = None
    calculations: tuple[calculators.Calculation, ...] = ()
    blocked_by: str | None = None  # the qualifier that kept a fact out ("slutrapport")
    year: str | None = None  # a year the question asks about

    @property
    def answered(self) -> bool:
        return bool(self.facts)


@dataclass
class RuleContext:
    facts: dict[str, PoolFacts]
    keys: dict[str, FactKey]
    lexicon: Lexicon
    doc_years: dict[str, set[str]] = field(default_factory=dict)  # pool → years its documents are about


# A question for a share in per cent ("hvor stor en procentdel", "what percentage"): a percentage answers it, not an
# amount in kroner beside it.
# ("12 procent i pension" tells a share: a number before the word.)
ASKS_PERCENT = re.compile(r"(?<!\d )(?<!\d)\b(?:procent\w*|percent\w*|per cent)")
# A yes/no question that asks whether a thing exists at all ("Er der …", "Findes der …", "Is there …").
_ASKS_WHETHER_THERE_IS = re.compile(r"(?:.*[,:;] )?(?:er der|findes der|gives der|is there|are there)\b")


def type_fits(query: Query, intent: IntentSpec, keys: dict[str, FactKey]) -> bool:
    answers = {t for k in intent.keys for t in keys[k].answers}
    if counted_noun(query.folded) and "how_many" not in answers:
        return False  # "hvor mange budgetposter kræver I?" counts budget lines: no percentage answers it
    if ASKS_PERCENT.search(query.folded) and not any(keys[k].kind == "percent" for k in intent.keys):
        return False  # "Hvor mange procent af budgettet må gå til sign on fee?": no amount in kroner answers it
    if intent.calculator and parse_money(_without_years(query.text)):
        # "Kan vi købe en computer til 12.000 kr.?", "Huslejen er 5.600 kr. inkl. forbrug. Er boligen egnet?": an
        # amount to check against the rule, whatever the question's type.
        return True
    if not query.types:
        return not intent.needs_type
    if "yesno" in query.types and not intent.needs_type and _ASKS_WHETHER_THERE_IS.match(query.folded):
        return True  # "Er der et minimumsbeløb?", "Is there a deadline?": the fact itself answers whether there is one
    if intent.needs_type:
        return bool(set(query.types) & answers - {"what", "yesno", "may"})
    return bool(set(query.types) & answers)


def named_documents(query: Query, lexicon: Lexicon) -> tuple[str, ...]:
    """The documents a question names, as whole words ("slutevalueringen", "revisorerklæringen" folded)."""
    return tuple(
        dict.fromkeys(
            re.match(r"\w+", query.folded[query.folded.rfind(" ", 0, m.start()) + 1 :]).group(0)
            for m in term_pattern(lexicon.qualifiers.get("document", ()), inside_words=True).finditer(query.folded)
        )
    )


# English nouns naming a pool ("apply for this scheme"): what is applied for is the pool, not another thing. (A pool's
# own name is left out before the check, with any article before it left standing.)
_POOL_NOUNS = ("pool", "scheme", "programme", "program", "fund")
# "søge om X" / "apply for X": what is applied for (folded).
# (The pool may stand between: "søge puljen om penge til depositum".)
_APPLIED_FOR = re.compile(
    r"\b(?:an)?soeg\w* (?:puljen |midlerne |tilskuddet )?om (?:et |en |at )?(?P<thing>\w+(?: \w+){0,2})"
    r"|\bapply(?:ing)? for (?:a |an |the )?(?P<en>\w+(?: \w+){0,2})"
)
# "søge løn til hende", "søge penge til husleje", "apply for money for rent": money, or a cost, for a thing — what
# the grant may pay for, not who may apply.
_APPLIED_FOR_A_THING = re.compile(
    r"\b(?:an)?soeg\w* (?:puljen )?(?:om )?(?P<thing>\w+) til |\bapply(?:ing)? for \w+ for "
)


def applies_for_another_thing(query: Query, lexicon: Lexicon) -> bool:
    """The question applies for something that is not money from the pool ("søge om sign on fee", "søge om
    forlængelse"): who may apply for the grant answers it not. Money words (lexicon: funding) are the grant."""
    # Money, or the pool itself under any name ("the caretaker scheme", "puljen"), is the grant.
    grant = term_pattern((*lexicon.funding, *POOL_WORDS, *_POOL_NOUNS))
    # (The pool's name is what is applied to: "apply for the social caretaker grant".)
    folded = without_mentions(query.folded, query.mentions)
    for match in _APPLIED_FOR.finditer(folded):
        words = (match.group("thing") or match.group("en")).split()
        pronoun = words[0] in {"det", "den", "dem", "it", "them", "this", "that", "the", "a", "an"}
        if not pronoun and not any(grant.match(w) for w in words):
            return True
    # (Not the pool itself: "søge puljen til sociale viceværter" names what is applied to.)
    pool = term_pattern((*POOL_WORDS, *_POOL_NOUNS))
    return any(not (m.group("thing") and pool.match(m.group("thing"))) for m in _APPLIED_FOR_A_THING.finditer(folded))


def blocking_qualifier(
    query: Query, intent: IntentSpec, lexicon: Lexicon, keys: dict[str, FactKey] | None = None
) -> str | None:
    """A thing the question names that this fact is not about ("fristen for *slutrapporten*"). A fact that
    lists who may apply is about every kind of applicant ("Can our company apply?")."""
    topic_spans = [
        m.span() for m in term_pattern((*intent.topic, *intent.topic_still), inside_words=True).finditer(query.folded)
    ]
    covers = list(intent.covers)
    if any(keys[k].lists_applicants for k in intent.keys if keys and k in keys):
        covers += [fold(t) for kind in lexicon.applicant_kinds.values() for t in kind.terms]
    texts = [(query.folded, topic_spans)]
    if query.follow_up and query.previous and not topic_spans:
        # "Kan vi få forlænget projektet? … Og hvornår skal vi søge om det?": the fact is named only by an action
        # several facts share ("søge"), and what it is done to stands in the turn before.
        texts.append((fold(query.previous), []))
    for text, spans in texts:
        for terms in lexicon.qualifiers.values():
            for match in term_pattern(terms, inside_words=True).finditer(text):
                if any(a <= match.start() < b for a, b in spans):
                    continue  # "samarbejdsaftale" names the samarbejdsaftale intent's own topic
                start = text.rfind(" ", 0, match.start()) + 1
                word = re.match(r"\w+", text[start:]).group(0)
                if any(c in word for c in covers):
                    continue
                return word
    return None


def verified_facts(pool_facts: PoolFacts, key: str, year: str | None) -> list[FactEntry]:
    entries = [f for f in pool_facts.all(key) if f.status == "verified"]
    if year and any(f.round for f in entries):
        entries = [f for f in entries if f.round == year or f.round is None]
    # Newest round first: a later round's rule before an earlier one.
    return sorted(entries, key=lambda f: f.round or "", reverse=True)


def apply_rules(query: Query, scope: Scope, ctx: RuleContext) -> RuleResult:
    pools = scope.pools or tuple(ctx.facts)
    # The intent whose fact answers the question's pointed type first ("hvor meget kan vi søge" asks an
    # amount, not who may apply).
    pointed = set(query.types) - PLAIN_TYPES
    ranked = sorted(query.intents, key=lambda i: not (pointed & {t for k in i.keys for t in ctx.keys[k].answers}))
    for intent in ranked:
        if not type_fits(query, intent, ctx.keys):
            continue
        if any(ctx.keys[k].lists_applicants for k in intent.keys) and applies_for_another_thing(query, ctx.lexicon):
            continue  # "Hvem kan søge om sign on fee?" asks who may get the fee, not who may apply for the grant
        blocker = blocking_qualifier(query, intent, ctx.lexicon, ctx.keys)
        if blocker:
            return RuleResult(intent=intent, blocked_by=blocker)
        years = asked_years(query)
        year = years[-1] if years and ctx.keys[intent.keys[0]].per_round else None
        found: list[FactAnswer] = []
        missing: list[str] = []
        for pool in pools:
            if pool not in ctx.facts:
                missing.append(pool)
                continue
            if year and year not in ctx.doc_years.get(pool, set()):
                missing.append(pool)  # "fristen for 2026" in a 2025 vejledning: not stated
                continue
            # The first key that the pool states, a key that answers the question's pointed type first
            # ("fra hvornår?" of the project length asks its dates, not its months).
            keys = sorted(intent.keys, key=lambda k: not (pointed & set(ctx.keys[k].answers)))
            for key in keys:
                entries = verified_facts(ctx.facts[pool], key, year)
                if entries:
                    found += [FactAnswer(pool, e, ctx.keys[key]) for e in entries]
                    for extra in intent.with_keys:
                        found += [
                            FactAnswer(pool, e, ctx.keys[extra]) for e in verified_facts(ctx.facts[pool], extra, year)
                        ]
                    break
            else:
                missing.append(pool)
        if not found and not scope.pools:
            missing = list(pools)  # no pool states it: "vejledningerne oplyser ikke …"
        missing_what = ctx.keys[intent.keys[0]].label
        if not found:
            # "Er der et mindste beløb, eller et loft for hvor meget man kan få?": where the pools state none of
            # the things asked, each is said not to be stated, not the first alone.
            also = [
                ctx.keys[other.keys[0]].label
                for other in ranked[ranked.index(intent) + 1 :]
                if type_fits(query, other, ctx.keys)
                and not blocking_qualifier(query, other, ctx.lexicon, ctx.keys)
                and not any(p in ctx.facts and verified_facts(ctx.facts[p], k, year) for p in pools for k in other.keys)
            ]
            missing_what = " eller ".join(dict.fromkeys([missing_what, *also]))
        return RuleResult(
            intent=intent,
            facts=tuple(found),
            missing=tuple(missing),
            missing_what=missing_what,
            missing_key=ctx.keys[intent.keys[0]],
            calculations=tuple(_calculations(query, intent, found, ctx.lexicon)),
            year=year,
        )
    return RuleResult()


# A number that counts the thing after it ("to regioner", "12 foreninger", "one region"); "en"/"et" are articles
# ("vi er en forening"), so only "én"/"ét" count one.
_COUNTS = {**NUMBER_WORDS, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_FIRST_PERSON = {"vi", "vores", "jeg", "min", "mit", "mine", "we", "our"}
# Words that say the things named are all the asker has ("kun i Region Midtjylland").
_ALL_OF_IT = {"kun", "alle", "alt", "udelukkende", "bare", "only", "all"}


class Told(NamedTuple):
    words: str  # the asker's own words ("to regioner", "Region Midtjylland")
    count: int
    every: bool  # they say that is all they have
    named: bool  # the things are named one by one, not counted


def told_count(question: str, noun: str, members: tuple[str, ...]) -> Told | None:
    """What the asker says they have, how many, and whether that is all, where a sentence about the asker ("vi",
    "vores", "we") says how many of the thing they have: a number before it ("vores aktiviteter er i to
    regioner": all) or its members by name ("vores deltagere er fra Region Midtjylland": all only where a word
    says so — "kun", "alle", "udelukkende"). A sentence without the asker restates the rule ("skal man være i
    tre regioner?"), which tells nothing of them."""
    number = "|".join(_COUNTS)
    for sentence in re.split(r"(?<=[.?!])\s+", question):
        folded = set(fold(sentence).split())
        if not _FIRST_PERSON & folded:
            continue
        said = re.search(rf"(?<!\w)(\d{{1,3}}|{number})\s+(?:\w+\s+)?{noun}\w*", sentence, re.I)
        if said:
            n = said.group(1).lower()
            return Told(said.group(0), int(n) if n.isdigit() else _COUNTS[n], True, False)
        named = {m.group(0).split()[0] for m in term_pattern(members).finditer(fold(sentence))} if members else set()
        if named:
            words = re.findall(rf"(?:{noun}\s+)?[\wæøåÆØÅ]+", sentence, re.I)
            shown = list(dict.fromkeys(w for w in words if fold(w).split()[-1] in named))
            listed = " og ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
            return Told(listed, len(named), bool(_ALL_OF_IT & folded), True)
    return None


# "Landsdækkende forstås som …", "Egnede boliger defineres som …": the sentence says what a term means.
_DEFINES = re.compile(r"^\s*(?:\d+\)\s*)?(?P<term>[A-ZÆØÅ][\wæøå -]{2,60}?) (?:forstås|defineres) (?:her )?som\b")


def defined_term(sentence: str) -> str | None:
    """The term a sentence defines, lower case, if it is a definition."""
    found = _DEFINES.match(sentence)
    return found.group("term").lower() if found else None


def _calculations(
    query: Query, intent: IntentSpec, found: list[FactAnswer], lexicon: Lexicon | None = None
) -> list[calculators.Calculation]:
    out: list[calculators.Calculation] = []
    for fa in found:
        if fa.key.minimum_of and isinstance(fa.entry.value, int) and not query.english:
            members = lexicon.named_members.get(fa.key.minimum_of, ()) if lexicon else ()
            told = told_count(query.text, fa.key.minimum_of, members)
            if told:
                judged = calculators.minimum_count(
                    *told, fa.entry.value, fa.entry.display, defines=defined_term(fa.entry.quote)
                )
                out.append(dataclasses.replace(judged, key=fa.key.key))
    pools = list(dict.fromkeys(f.pool for f in found))
    if len(pools) != 1 and len({f.entry.display for f in found}) != len({f.entry.key for f in found}):
        return out  # pools with different rules: no one calculation is right for all of them
    found = [f for f in found if f.pool == pools[0]] if pools else found
    entries = {f.entry.key: f.entry for f in found}
    if intent.calculator == "days_left" and len(pools) == 1:
        for fa in {f.entry.key: f for f in found}.values():
            entry = fa.entry
            if isinstance(entry.value, (date, datetime)):
                if earlier_round_passed(fa, query.now):
                    continue  # the answer says it has passed; no time is left to count
                deadline = local_deadline(entry.value, query.now)
                for proposed in proposed_dates(query, deadline.year):
                    # "Vi sender den 8. august – er det for sent?": their date against the deadline, first.
                    out.append(calculators.proposed_date(proposed, deadline, query.english))
                calc = calculators.time_left(deadline, query.now, query.english)
                out.append(dataclasses.replace(calc, derived=[*calc.derived, format_date(deadline)]))
        return out
    amounts, granted, others = _amounts_told(query.text)
    value = lambda key: Decimal(str(entries[key].value))  # noqa: E731
    share = part_time_share(query.folded)
    salaried = intent.calculator == "hourly_rate" and "aarsnorm_timer" in entries and share is not None
    if salaried and not amounts and query.follow_up and query.previous:
        # "Hun får 480.000 kr. om året … – og hvad bliver lønudgiften, hvis hun kun er på halv tid?": the share is
        # of the salary the turn (or part) before told.
        amounts, granted, others = _amounts_told(query.previous)
    if salaried and not amounts:
        # "ansat på halv tid – hvor mange timer om året?": the årsnorm is for a full-time post.
        out.append(calculators.part_time_hours(share, value("aarsnorm_timer"), entries["aarsnorm_timer"].display))
        return out
    told_share = _SHARE_OF_LINE.search(query.text)
    if intent.calculator == "budget_change" and told_share and "budgetaendring_tolerance" in entries and not amounts:
        # "flytte ca. 30 % af lønposten": the share of the line is told, no amounts are needed.
        share_told = Decimal(told_share.group("pct").replace(",", "."))
        tol = entries["budgetaendring_tolerance"]
        out.append(calculators.budget_change_share(share_told, value("budgetaendring_tolerance"), tol.display))
        return out
    if not amounts or intent.calculator is None:
        return out
    if intent.calculator == "hourly_rate" and "aarsnorm_timer" in entries:
        norm, display = value("aarsnorm_timer"), entries["aarsnorm_timer"].display
        pension = _PENSION.search(query.folded)
        on_top = Decimal((pension.group("pct") or pension.group("pct2")).replace(",", ".")) if pension else None
        if _MONTHLY.search(query.folded):
            out.append(calculators.hourly_rate_from_month(max(others), norm, display, on_top))
            annual = max(others) * 12
        else:
            out.append(calculators.hourly_rate(max(others), norm, display, on_top))
            annual = max(others)
        if share is not None:
            # "… og hvad bliver lønudgiften, hvis hun kun er på halv tid?": the post's hours at the full-time rate.
            cost = annual * (1 + on_top / 100) if on_top is not None else annual
            out.append(calculators.part_time_cost(share, cost, norm, display))
    elif intent.calculator == "audit" and "revision_graense" in entries:
        grant = max(granted) if granted else max(amounts)
        out.append(calculators.audit(grant, value("revision_graense"), entries["revision_graense"].display))
    elif intent.calculator == "rent_cap" and intent.keys[0] in entries and amounts:
        # "Huslejen er 5.400 kr. om måneden, hvoraf 600 kr. er aconto varme og vand": consumption told as part of
        # the rent ("hvoraf", "hvor de …", "inkl.") is taken off before the cap (set excluding it) is compared; told
        # on top of it ("plus ca. 600 kr. aconto"), the rent told is already without it; not said, both readings.
        cap = entries[intent.keys[0]]
        consumption = _amounts_near(query.text, _CONSUMPTION_WORD)
        # The rent is the largest amount told; the consumption, a smaller one told beside a word for it.
        rent = max(amounts)
        part = max((a for a in consumption if a < rent), default=None)
        included = (
            True
            if part in _amounts_near(query.text, _INCLUDED_WORD, before_only=True)
            or (part is None and _CONSUMPTION_INCLUDED.search(query.text))
            else False
            if part in _amounts_near(query.text, _ON_TOP_WORD, before_only=True)
            else None
        )
        out.append(calculators.rent_cap(rent, part, included, value(cap.key), cap.display, cap.key))
    elif intent.calculator == "materiel" and "materiel_loft" in entries:
        # The cap is for all purchases of a project year together: the asker's items are summed.
        items = priced_items(query.text)
        total = sum((n * price for n, price in items), Decimal(0)) if items else max(others)
        out.append(calculators.materiel(total, value("materiel_loft"), entries["materiel_loft"].display, items or None))
    elif (
        intent.calculator == "transfer"
        and {"overfoersel_procent", "overfoersel_maks"} <= set(entries)
        # One amount told as what is left ("Vi har 55.000 kr. tilbage") is no year's grant: the limit cannot be
        # reckoned without the grant, and the rule is said instead.
        and not (len(set(amounts)) == 1 and _LEFT_OVER.search(query.folded))
    ):
        pct, top = entries["overfoersel_procent"], entries["overfoersel_maks"]
        out.append(
            calculators.transfer(
                max(amounts),
                value("overfoersel_procent"),
                value("overfoersel_maks"),
                pct.display,
                top.display,
                # Two amounts: the year's grant and what is left of it — or what is spent of it, the rest left.
                unspent_of(amounts, _amounts_near(query.text, _SPENT_WORD, before_only=True)),
            )
        )
    elif intent.calculator == "budget_change" and len(amounts) >= 2 and "budgetaendring_tolerance" in entries:
        tol = entries["budgetaendring_tolerance"]
        change, line = change_of(amounts, new_totals(query.text), moved_sums(query.text))
        out.append(calculators.budget_change(change, line, value("budgetaendring_tolerance"), tol.display))
    return out


# "5 bærbare computere à 9.500 kr.", "to printere til 4.000 kr. stykket", "en tablet til 3.000 kr.": a count, the
# thing (up to three words), and its price each.
_PRICED_ITEM = re.compile(
    r"\b(?P<n>\d{1,3}|en|et|én|ét|to|tre|fire|fem|seks|syv|otte|ni|ti)\s+(?:[\w-]+\s+){1,3}?"
    r"(?:à|á|a|til|for)\s+(?:ca\.?\s+)?(?P<price>\d{1,3}(?:\.\d{3})*(?:,\d+)?)\s*(?:kr\b|kroner)",
    re.IGNORECASE,
)


# Words beside an amount that make it no purchase: the grant, the budget, the cap, a total already summed.
_NOT_PURCHASE_WORD = re.compile(
    r"\b(?:tilskud\w*|bevilling\w*|bevilget|budget\w*|loft\w*|graense\w*|grænse\w*|ramme\w*|alt|samlet|total\w*"
    r"|grant\w*|cap|limit|maks\w*|max\w*)\b",
    re.I,
)


def _amounts_told(text: str) -> tuple[list[Decimal], list[Decimal], list[Decimal]]:
    """The amounts a text tells, those it names as the grant, and the others (all of them, where every one is the
    grant). A year ("i 2026") is no amount, unless kroner are said with it. The grant the asker tells ("vi har et
    tilskud på 900.000 kr.") is no salary or purchase: those are reckoned from the other amounts; the audit and the
    carry-over are reckoned from the grant."""
    amounts = [a for a in parse_money(_without_years(text)) if a >= 100]
    granted = grant_amounts(text)
    return amounts, granted, [a for a in amounts if a not in granted] or amounts


def priced_items(text: str) -> list[tuple[int, Decimal]]:
    """(count, price each) of the purchases a question lists: "3 bærbare til 9.000 kr." is (3, 9.000), and an amount
    said on its own ("skriveborde for 28.000") is one purchase of it, unless a word beside it makes it the grant,
    the budget, the cap or a total ("i alt 27.000 kr.")."""
    items, taken = [], []
    for match in _PRICED_ITEM.finditer(text):
        word = match.group("n").lower()
        count = int(word) if word.isdigit() else 1 if word in ("en", "et") else NUMBER_WORDS.get(word, 0)
        prices = parse_money(f"{match.group('price')} kr.")
        if count and prices:
            items.append((count, prices[0]))
            taken.append(match.span())
    for start, end, amounts in money_spans(_without_years(text)):
        if any(s < end and start < e for s, e in taken):
            continue
        near = [*text[:start].split()[-GRANT_REACH_WORDS:], *text[end:].split()[:GRANT_REACH_WORDS]]
        if any(_NOT_PURCHASE_WORD.search(w) for w in near):
            continue
        items += [(1, a) for a in amounts if a >= 100]
    return items


def earlier_round_passed(fa: FactAnswer, now: datetime | None) -> bool:
    """A date of an earlier round (the 2022 round's deadline) that has passed: history, not the current rule."""
    value = fa.entry.value
    return bool(
        now is not None
        and fa.entry.round
        and fa.key.per_round
        and isinstance(value, (date, datetime))
        and local_deadline(value, now) < now
    )


def local_deadline(value: date | datetime, now: datetime) -> datetime:
    """Deadlines are Copenhagen wall-clock times; a bare date means the end of that day."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, 23, 59)
    return value if value.tzinfo else value.replace(tzinfo=now.tzinfo or ZoneInfo("Europe/Copenhagen"))
