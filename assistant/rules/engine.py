"""The rules layer: answers fact and calculator questions from facts.yaml, never from free text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from assistant.corpus import Corpus
from assistant.danish import fold, parse_money
from assistant.models import Citation, Fact, Message, PoolInfo
from assistant.rules import calculators
from assistant.rules.facts import FactEntry, PoolFacts, load_facts
from assistant.rules.intents import Intent, asks_for_cap, match_intents
from assistant.rules.pools import PoolNames, mentioned_pools, names_unknown_pool, pool_from_history

# Short follow-ups lean on the previous question: "Og for sociale viceværter?", "Hvad med gavekort?".
_ELLIPTICAL = re.compile(r"^(?:og|men|hvad med|hvad så med|gælder det|samme|også|and|what about|how about)\b", re.I)


def is_elliptical(question: str) -> bool:
    return bool(_ELLIPTICAL.match(question.strip())) or len(question.split()) <= 3


@dataclass
class RuleAnswer:
    lines: list[str]
    facts: list[Fact] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    clarification: str | None = None
    missing: list[str] = field(default_factory=list)  # fact labels the pool's documents do not state


@dataclass(frozen=True)
class PoolResolution:
    pool: str | None
    conflict: str | None = None  # the chosen pool differs from the one the question names
    unknown: str | None = None  # the question names a pool that is not in the corpus


class RulesEngine:
    def __init__(self, corpus: Corpus, facts: dict[str, PoolFacts]) -> None:
        self.corpus = corpus
        self.facts = facts
        self.names = [
            PoolNames(pool, tuple(sorted({fold(n) for n in (f.name, f.short_name, *f.aliases)}, key=len, reverse=True)))
            for pool, f in facts.items()
        ]

    @classmethod
    def load(cls, corpus: Corpus) -> "RulesEngine":
        return cls(corpus, load_facts(corpus))

    # -- pools ---------------------------------------------------------------------------------------

    def resolve_pool(self, question: str, chosen: str | None, history: list[Message]) -> PoolResolution:
        named = mentioned_pools(question, self.names)
        if chosen and named and chosen not in named:
            return PoolResolution(chosen, conflict=named[0])
        if chosen:
            return PoolResolution(chosen)
        if len(named) == 1:
            return PoolResolution(named[0])
        if named:
            return PoolResolution(None)
        if unknown := names_unknown_pool(question, self.names):
            return PoolResolution(None, unknown=unknown)
        return PoolResolution(pool_from_history(history, self.names))

    def pool_name(self, pool: str) -> str:
        return self.facts[pool].short_name

    def pools(self, now: datetime) -> list[PoolInfo]:
        infos = []
        for pool, facts in self.facts.items():
            deadlines = sorted(facts.all("ansoegningsfrist"), key=lambda f: f.round or "", reverse=True)
            deadline = deadlines[0] if deadlines else None
            passed = None
            if deadline is not None and isinstance(deadline.value, (date, datetime)):
                passed = now >= _local(deadline.value, now)
            infos.append(PoolInfo(pool=pool, name=facts.name, short_name=facts.short_name,
                                  documents=[d.meta.doc_id for d in self.corpus.documents if d.meta.pool == pool],
                                  deadline=deadline.to_fact() if deadline else None, deadline_passed=passed))
        return infos

    # -- facts -----------------------------------------------------------------------------------------

    def intents_for(self, question: str, previous: str | None) -> list[Intent]:
        intents = match_intents(question)
        if not intents and previous and is_elliptical(question):
            intents = match_intents(previous)
        amounts = parse_money(question)
        # "Må vi købe en computer?" asks what is eligible (retrieval); an amount or "loft" makes it a cap question.
        return [i for i in intents if i.name != "materiel" or amounts or asks_for_cap(question)]

    def answer(self, question: str, intents: list[Intent], pool: str | None, now: datetime) -> RuleAnswer | None:
        if not intents:
            return None
        if pool is None:
            return self._answer_per_pool(intents)
        result = RuleAnswer(lines=[])
        for intent in intents[:2]:
            self._answer_one(question, intent, pool, now, result)
        if not result.facts:
            return result if result.missing else None
        return result

    def _entries(self, pool: str, key: str) -> list[FactEntry]:
        # Newest round first: the 2024 round of lokale partnerskaber before the 2022 round.
        return sorted(self.facts[pool].all(key), key=lambda f: f.round or "", reverse=True)

    def _answer_one(self, question: str, intent: Intent, pool: str, now: datetime, result: RuleAnswer) -> None:
        primary = self._entries(pool, intent.fact_keys[0])
        name = self.pool_name(pool)
        if not primary:
            result.missing.append(f"Vejledningen for {name} angiver ikke {_what(intent)}.")
            return
        for entry in primary:
            round_text = f" (runden {entry.round})" if entry.round else ""
            lead = _sentence(f"{entry.label} for {name}{round_text}: {entry.display}")
            if entry.note:
                lead += " " + _sentence(f"Bemærk: {entry.note}")
            result.lines.append(lead)
            self._add(result, entry)
            if intent.name == "frist" and isinstance(entry.value, datetime):
                calc = calculators.time_left(_local(entry.value, now), now)
                result.lines.append(calc.text)
                result.derived += calc.derived
        for key in intent.fact_keys[1:]:
            for entry in self._entries(pool, key):
                result.lines.append(_sentence(f"{entry.label}: {entry.display}"))
                self._add(result, entry)
        if calc := self._calculate(question, intent, pool):
            result.lines.append(calc.text)
            result.derived += calc.derived

    def _add(self, result: RuleAnswer, entry: FactEntry, quote_line: bool = True) -> None:
        """Record a fact with its citation; `quote_line` also shows its sentence in the answer."""
        fact = entry.to_fact()
        if fact in result.facts:  # the same sentence can state a rule for two pools: compare whole facts
            return
        result.facts.append(fact)
        result.derived += [entry.round] if entry.round else []
        label = self.corpus.citation_label(entry.doc_id, entry.section)
        if quote_line:
            result.lines.append(f"«{entry.quote}» ({label})")
        if not any((c.doc_id, c.section) == (entry.doc_id, entry.section) for c in result.citations):
            result.citations.append(Citation(doc_id=entry.doc_id, section=entry.section,
                                             title=self.corpus.section(entry.doc_id, entry.section).title,
                                             quote=entry.quote, score=1.0, label=label))

    def _calculate(self, question: str, intent: Intent, pool: str) -> calculators.Calculation | None:
        amounts = [a for a in parse_money(question) if a >= 100]
        get = lambda key: next(iter(self._entries(pool, key)), None)  # noqa: E731
        if not amounts or intent.calculator is None:
            return None
        if intent.calculator == "hourly_rate" and (norm := get("aarsnorm_timer")):
            return calculators.hourly_rate(max(amounts), Decimal(str(norm.value)), norm.display)
        if intent.calculator == "audit" and (limit := get("revision_graense")):
            return calculators.audit(max(amounts), Decimal(str(limit.value)), limit.display)
        if intent.calculator == "materiel" and (cap := get("materiel_loft")):
            return calculators.materiel(max(amounts), Decimal(str(cap.value)), cap.display)
        if intent.calculator == "transfer" and (pct := get("overfoersel_procent")) and (top := get("overfoersel_maks")):
            return calculators.transfer(max(amounts), Decimal(str(pct.value)), Decimal(str(top.value)),
                                        pct.display, top.display)
        if intent.calculator == "budget_change" and len(amounts) >= 2 and (tol := get("budgetaendring_tolerance")):
            return calculators.budget_change(min(amounts), max(amounts), Decimal(str(tol.value)), tol.display)
        return None

    def _answer_per_pool(self, intents: list[Intent]) -> RuleAnswer | None:
        """No pool known: one cited line per pool, and a question back — never one pool picked silently."""
        result = RuleAnswer(lines=["Svaret afhænger af puljen:"])
        for intent in intents[:2]:
            for pool in self.facts:
                for entry in self._entries(pool, intent.fact_keys[0]):
                    round_text = f", runden {entry.round}" if entry.round else ""
                    label = self.corpus.citation_label(entry.doc_id, entry.section)
                    result.lines.append(f"- {self.pool_name(pool)}{round_text}: {entry.label.lower()} "
                                        f"{entry.display} ({label})")
                    self._add(result, entry, quote_line=False)
        if not result.facts:
            return None
        names = ", ".join(self.pool_name(p) for p in self.facts)
        result.clarification = f"Hvilken pulje spørger du om? Vælg en af: {names}."
        return result


def _sentence(text: str) -> str:
    """End with one full stop: displays such as "12,9 mio. kr." already carry theirs."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _what(intent: Intent) -> str:
    return {
        "aarsnorm": "en årsnorm", "revision": "en beløbsgrænse for revision", "materiel": "et loft for materiel",
        "overfoersel": "regler for overførsel af uforbrugt tilskud", "budgetaendring": "en grænse for budgetændringer",
        "frist": "en ansøgningsfrist", "puljebeloeb": "puljens samlede beløb", "projektperiode": "en projektperiode",
        "sign_on_fee": "et sign on fee", "antal_tilskud": "et forventet antal tilskud",
        "samarbejdsaftale": "en frist for samarbejdsaftalen", "erfaringsopsamling": "hvornår erfaringsopsamlingen laves",
        "ansoegerkreds": "ansøgerkredsen",
    }.get(intent.name, "det")


def _local(value: date | datetime, now: datetime) -> datetime:
    """Deadlines are Copenhagen wall-clock times; a bare date means the end of that day."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, 23, 59)
    return value if value.tzinfo else value.replace(tzinfo=now.tzinfo or ZoneInfo("Europe/Copenhagen"))
