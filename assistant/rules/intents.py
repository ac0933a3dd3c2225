"""Deterministic intent matching: which facts a question asks for, in everyday Danish or English.

Patterns run on folded text (æ→ae, ø→oe, å→aa, lowercase), so "årsnorm", "aarsnorm" and "arsnorm"
(æøå dropped) all match; stems are matched as word beginnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.danish import fold


@dataclass(frozen=True)
class Intent:
    name: str
    fact_keys: tuple[str, ...]
    patterns: tuple[str, ...]
    calculator: str | None = None  # name of the calculator used when the question carries an amount
    # For facts that are a *date* of something ("samarbejdsaftalen skal være underskrevet inden …"),
    # naming the thing is not enough: the question must also ask when.
    asks_when: bool = False


def _any(*patterns: str) -> tuple[str, ...]:
    return patterns


INTENTS: tuple[Intent, ...] = (
    Intent("aarsnorm", ("aarsnorm_timer", "aarsvaerk_timer"), _any(
        r"a?a?r?snorm", r"timesats", r"timeloen", r"\btimepris", r"\bloen pr time", r"\bhourly",
        r"\btimer (?:om|pr|paa et) aar", r"\barsvaerk", r"\baarsvaerk", r"\bannual hours"), "hourly_rate"),
    Intent("revision", ("revision_graense",), _any(
        r"revision", r"revider", r"revisor", r"\baudit"), "audit"),
    Intent("materiel", ("materiel_loft",), _any(
        r"materiel", r"\budstyr", r"\bcomputer", r"\bpc\b", r"\bbaerbar", r"\btablet", r"\bipad",
        r"\bmobiltelefon", r"\binventar", r"\bmoebler", r"\bequipment", r"\blaptop"), "materiel"),
    Intent("overfoersel", ("overfoersel_procent", "overfoersel_maks"), _any(
        r"overfoer", r"uforbrugt", r"ubrugt", r"restbeloeb", r"\bpenge tilbage", r"\bunused",
        r"\bcarry (?:over|forward)", r"\bnaeste projektaar", r"\bnaeste aar"), "transfer"),
    Intent("budgetaendring", ("budgetaendring_tolerance",), _any(
        r"budgetaendring", r"\bflytte (?:penge|midler|beloeb|udgifter)", r"\bomfordel", r"\baendre (?:i )?budget",
        r"\bbudget ?post", r"\bbudget change", r"\bmove money", r"\bmellem (?:budget)?poster"), "budget_change"),
    Intent("frist", ("ansoegningsfrist",), _any(
        r"frist", r"\bdeadline", r"\bsidste (?:frist|dag|chance)", r"\bclosing date", r"\bdue date",
        r"\bhvornaar (?:skal|kan|maa) (?:vi|jeg|man|ansoegningen) (?:\w+ )?(?:soege|ansoege|sende|indsende|indgive)",
        r"\bindsendes senest", r"\bhvornaar lukker", r"\bwhen (?:is|do|must|should|can) .*\b(?:apply|submit|due)",
        r"\bfor sent", r"\btoo late", r"\bstadig (?:soege|naa)", r"\bnaar (?:vi|jeg) at soege"), "days_left"),
    Intent("puljebeloeb", ("puljebeloeb",), _any(
        r"\bhvor (?:mange penge|meget) (?:er der|bliver der|er)? ?(?:afsat|i puljen|at soege|til (?:puljen|udmoentning))",
        r"\bpuljens (?:stoerrelse|beloeb|ramme)", r"\bhvor stor er puljen", r"\bsamlet? (?:beloeb|ramme)",
        r"\bhvor mange penge", r"\bhow much (?:money|funding)", r"\btotal (?:amount|funding|budget)",
        r"\bafsat til puljen", r"\bpuljen paa", r"\bramme")),
    Intent("projektperiode", ("projektperiode", "projektperiode_maks_maaneder", "projektstart"), _any(
        r"projektperiode", r"tilskudsperiode", r"\bhvornaar skal pengene (?:vaere )?brug", r"\bpengene brugt",
        r"\bhvor (?:laenge|lang tid) (?:kan|maa|loeber|varer)", r"\bhvornaar (?:starter|slutter|begynder|skal .* starte)",
        r"\bproject period", r"\bhow long", r"\b(?:tilskuddet|pengene|midlerne|bevillingen) (?:skal )?(?:vaere )?brug",
        r"\bhvornaar skal (?:tilskuddet|pengene|midlerne|bevillingen)", r"\bwhen (?:does|must|should) the (?:project|money)",
        r"\banvendes i perioden", r"\bprojektstart", r"\bslutdato", r"\bstartdato")),
    Intent("sign_on_fee", ("sign_on_fee_loft",), _any(
        r"\bsign ?on", r"\bopstartsbeloeb", r"\btilskud til (?:de )?foreninger")),
    Intent("antal_tilskud", ("forventet_antal_tilskud",), _any(
        r"\bhvor mange (?:projekter|tilskud|bevillinger|partnerskaber|kommuner) (?:forventes|faar|bliver|stoettes|kan)",
        r"\bantal (?:tilskud|projekter|bevillinger|partnerskaber)", r"\bhow many (?:grants|projects)")),
    Intent("samarbejdsaftale", ("samarbejdsaftale_frist",), _any(
        r"samarbejdsaftale", r"hensigtserklaering"), asks_when=True),
    Intent("erfaringsopsamling", ("erfaringsopsamling",), _any(r"erfaringsopsamling"), asks_when=True),
    Intent("ansoegerkreds", ("ansoegerkreds",), _any(
        r"\bhvem kan (?:soege|ansoege)", r"ansoegerkreds", r"\bmaa (?:vi|jeg|en \w+) (?:soege|ansoege)",
        r"\bkan (?:vi|jeg|en \w+|kommuner|foreninger) (?:soege|ansoege)", r"\bwho can apply",
        r"\beligible to apply", r"\ber vi berettiget", r"\bcan (?:we|i|a \w+) apply")),
)

_COMPILED = [(intent, [re.compile(p) for p in intent.patterns]) for intent in INTENTS]

# Questions that ask *whether something is eligible* are retrieval questions even when they name
# equipment ("må vi købe en computer?"); they become fact questions only with an amount or "loft/max".
_CAP_WORDS = re.compile(r"\b(?:loft\w*|maks\w*|max\w*|hoejst|\w*graense\w*|op til|hvor meget|hvor mange penge|limit|cap)\b")


_WHEN = re.compile(r"\b(?:hvornaar|frist|senest|inden|naar skal|when|due|deadline|dato|tidspunkt)")


def match_intents(question: str) -> list[Intent]:
    text = fold(question)
    return [intent for intent, patterns in _COMPILED
            if any(p.search(text) for p in patterns) and (not intent.asks_when or _WHEN.search(text))]


def asks_for_cap(question: str) -> bool:
    return bool(_CAP_WORDS.search(fold(question)))


# Patterns built on question words ("hvornår skal vi indsende …", "who can apply") match the *shape* of
# a fact question; the others name the rule itself ("frist", "årsnorm", "revision").
_PHRASING = re.compile(r"hvornaar|hvem|hvor |when|how|who|can |kan |maa |naar |stadig|for sent|too late|"
                       r"pengene|total|ramme|naeste")


def names_the_rule(question: str, intent: Intent) -> bool:
    """Whether a pattern that names the rule matched, not only a question shape."""
    text = fold(question)
    return any(re.search(p, text) for p in intent.patterns if not _PHRASING.search(p))
