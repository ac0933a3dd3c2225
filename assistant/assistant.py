"""Orchestration: `Assistant.load()` and `ask()` — rules first, then retrieval, citations and checks."""

from __future__ import annotations

import logging
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from assistant.corpus import Corpus, load_corpus
from assistant.embedding import Embedder, make_embedder
from assistant.errors import InvalidQuestion
from assistant.glossary import document_terms, expand
from assistant.index import LoadedIndex, load_index
from assistant.models import Answer, Chunk, Citation, Fact, Message, PoolInfo
from assistant.privacy import CPR_MASK, mask_cpr, mask_personal_data
from assistant.rules.engine import RuleAnswer, RulesEngine, is_elliptical
from assistant.rules.intents import names_the_rule
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings, get_settings

logger = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# English function words that are not also Danish words ("for", "to", "i", "have", "is" are both).
_ENGLISH = re.compile(r"\b(the|a|an|what|when|where|why|how|who|which|can|could|does|do|did|are|was|were|be|we|our"
                      r"|you|your|my|it|this|that|these|there|should|must|will|would|may|need|use|with|from|of|in"
                      r"|on|at|by|and|or|not|if|any|much|many|just|before|after|about|into|grant|deadline|apply)\b",
                      re.I)

ABSTAIN_MESSAGE = (
    "Det kan jeg ikke finde svar på i de vejledninger, jeg kender. Jeg svarer kun ud fra de offentliggjorte "
    "vejledninger til Social- og Boligstyrelsens ansøgningspuljer. Kontakt Social- og Boligstyrelsen, "
    "som administrerer puljerne, hvis du har brug for hjælp."
)
ENGLISH_ABSTAIN = (
    " (English: the guidelines I know do not cover this. Please contact Social- og Boligstyrelsen, the Danish "
    "Agency for Social Services and Housing, which runs the grant pools.)"
)
CONTACT = "Kontakt Social- og Boligstyrelsen, som administrerer puljerne, for at få et sikkert svar."
CPR_NOTE = ("Du har skrevet et CPR-nummer. Det er fjernet og bliver ikke gemt – skriv aldrig CPR-numre her.")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def has_cpr_mask(text: str) -> bool:
    return CPR_MASK in text


def unsourced_numbers(text: str, sources: list[str]) -> list[str]:
    """Numbers in `text` that stand in none of `sources` (as whole numbers, not digit runs inside others)."""
    known = {n for source in sources for n in _NUMBER.findall(source)}
    return [n for n in _NUMBER.findall(text) if n not in known]


ENGLISH_LEAD = "The guidelines are in Danish; this is what they say:"


def is_english(text: str) -> bool:
    words = re.findall(r"[a-zA-ZæøåÆØÅ]+", text)
    return bool(words) and len(_ENGLISH.findall(text)) / len(words) >= 0.3


def validate_question(question: object, max_chars: int) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestion("Spørgsmålet er tomt. Skriv et spørgsmål. / The question is empty.")
    if len(question) > max_chars:
        raise InvalidQuestion(f"Spørgsmålet er for langt ({len(question)} tegn); højst {max_chars} tegn. "
                              f"/ The question is longer than {max_chars} characters.")
    if _CONTROL.search(question):
        raise InvalidQuestion("Spørgsmålet indeholder styretegn; fjern dem og prøv igen. "
                              "/ The question contains control characters.")
    return " ".join(question.split())


def parse_history(history: list | None) -> list[Message]:
    try:
        return [h if isinstance(h, Message) else Message.model_validate(h) for h in history or []]
    except ValidationError as exc:
        raise InvalidQuestion("Historikken skal være en liste af {role: user|assistant, content: tekst}. "
                              f"/ Invalid history: {exc.errors()[0]['msg']}") from None


def parse_now(now: datetime | str | None, timezone: str) -> datetime:
    zone = ZoneInfo(timezone)
    if now is None:
        return datetime.now(zone)
    if isinstance(now, str):
        try:
            now = datetime.fromisoformat(now)
        except ValueError:
            raise InvalidQuestion(f"Ugyldigt tidspunkt {now!r}; brug ISO-format, fx 2025-08-01T12:00. "
                                  "/ `now` must be an ISO datetime.") from None
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)


class Assistant:
    def __init__(self, settings: Settings, corpus: Corpus, index: LoadedIndex, embedder: Embedder) -> None:
        self.settings = settings
        self.corpus = corpus
        self.index = index
        self.retriever = HybridRetriever(index, embedder, settings)
        self.rules = RulesEngine.load(corpus)

    @classmethod
    def load(cls, settings: Settings | None = None) -> "Assistant":
        settings = settings or get_settings()
        started = time.perf_counter()
        corpus = load_corpus(settings.corpus_dir)
        embedder = make_embedder(settings)
        assistant = cls(settings, corpus, load_index(corpus, settings, embedder), embedder)
        logger.info("assistant loaded in %.2f s", time.perf_counter() - started)
        return assistant

    def ask(self, question: str, pool: str | None = None, history: list | None = None,
            now: datetime | str | None = None) -> Answer:
        """Rules first (facts and calculators), then retrieval; every number checked against its source."""
        question = mask_cpr(validate_question(question, self.settings.max_question_chars))
        pool = self.corpus.check_pool(pool)
        messages = [Message(role=m.role, content=mask_cpr(m.content)) for m in parse_history(history)]
        moment = parse_now(now, self.settings.timezone)
        previous = next((m.content for m in reversed(messages) if m.role == "user"), None)
        elliptical = previous is not None and is_elliptical(question)
        resolution = self.rules.resolve_pool(question, pool, messages)
        notes = [CPR_NOTE] if has_cpr_mask(question) else []

        if resolution.conflict:
            chosen, named = self.rules.pool_name(resolution.pool), self.rules.pool_name(resolution.conflict)
            text = (f"Du har valgt {chosen}, men spørger om {named}. Jeg svarer ikke med én puljes regler på "
                    f"en anden puljes spørgsmål.")
            return self._finish(Answer(question=question, pool=pool, answer=text,
                                       clarification=f"Skift puljen til {named} (eller «Alle puljer») og spørg igen."))
        if resolution.unknown:
            text = (f"Jeg har ikke vejledningen for «{resolution.unknown}» og kan derfor ikke svare på den "
                    "puljes regler, frister eller beløb. " + CONTACT)
            return self._finish(Answer(question=question, pool=pool, answer=" ".join(notes + [text]), abstained=True))

        scope = resolution.pool
        intents = self.rules.intents_for(question, previous if elliptical else None)
        # "Hvornår skal jeg indsende min selvangivelse?" has the shape of a deadline question, but its
        # topic is nowhere in the corpus: no pool's deadline answers it.
        if intents and not is_english(question) and self.retriever.coverage(question) < 0.6:
            intents = [i for i in intents if names_the_rule(question, i)]
        ruled = self.rules.answer(question, intents, scope, moment)
        # Follow-ups are searched together with the question they follow.
        search_text = f"{previous} {question}" if elliptical else question
        if ruled and ruled.facts:
            return self._finish(self.combine(question, search_text, scope, ruled, notes), ruled.derived)
        answer = self.answer_from_sources(search_text, scope, focus=question, notes=notes + (ruled.missing if ruled else []))
        return self._finish(answer.model_copy(update={"question": question}))

    def combine(self, question: str, search_text: str, scope: str | None, ruled: RuleAnswer,
                notes: list[str]) -> Answer:
        """Facts answer the number; the search says whether that is what was asked.

        When the best passage is the facts' own section the facts lead; when it is another section
        ("Hvad gør vi, hvis portalen går ned lige før fristen?") that passage leads and the facts follow.
        With no pool known the answer stays one cited line per pool: a search would pick a pool silently.
        """
        lines, citations = list(ruled.lines), list(ruled.citations)
        if scope is not None:
            found, relevance = self.cite(search_text, scope, focus=question if search_text != question else None)
            fact_sections = {(c.doc_id, c.section) for c in ruled.citations}
            others = [c for c in found if (c.doc_id, c.section) not in fact_sections]
            if others and relevance >= self.threshold(question):
                passage = others[0]
                if (found[0].doc_id, found[0].section) in fact_sections:
                    lines.append(f"Se også: «{passage.quote}» ({passage.label})")
                    citations.append(passage)
                else:
                    lines.insert(0, f"«{passage.quote}» ({passage.label})")
                    citations.insert(0, passage)
        lead = [ENGLISH_LEAD] if is_english(question) else []
        return Answer(question=question, pool=scope, answer="\n\n".join(notes + lead + lines), citations=citations,
                      facts=ruled.facts, clarification=ruled.clarification)

    def threshold(self, question: str) -> float:
        english = is_english(question)
        return self.settings.abstain_threshold_english if english else self.settings.abstain_threshold

    def _finish(self, answer: Answer, derived: list[str] | None = None) -> Answer:
        """The last check on every answer: each number shown must stand in a fact, a quote, a citation
        label or a calculation. Anything else is withheld, never shown."""
        allowed = [f.display for f in answer.facts] + [f.quote for f in answer.facts]
        allowed += [c.quote for c in answer.citations] + [c.label for c in answer.citations]
        allowed += list(derived or []) + [f.short_name for f in self.rules.facts.values()]
        stray = unsourced_numbers(answer.answer, allowed)
        if stray:
            logger.error("answer withheld: unsourced numbers %s for %r", stray, mask_personal_data(answer.question))
            return Answer(question=answer.question, pool=answer.pool, abstained=True,
                          answer="Jeg kan ikke give et sikkert svar på det. " + CONTACT)
        return answer

    def pools(self, now: datetime | str | None = None) -> list[PoolInfo]:
        return self.rules.pools(parse_now(now, self.settings.timezone))

    def facts(self, pool: str) -> list[Fact]:
        self.corpus.check_pool(pool)
        return [entry.to_fact() for entry in self.rules.facts[pool].facts]

    # -- retrieval ---------------------------------------------------------------------------------

    def allowed_chunks(self, pool: str | None):
        """With a pool, only that pool's documents and the general ones (no pool) may be cited."""
        if pool is None:
            return None
        return lambda chunk: chunk.pool in (pool, None)

    def cite(self, question: str, pool: str | None, focus: str | None = None) -> tuple[list[Citation], float]:
        """The best sections' answering sentences as citations, and how relevant the best one is.

        `focus` (a follow-up's own words) picks the sentences inside the sections the whole question found.
        """
        query = expand(question)
        vector = self.retriever.embed_question(query)
        hits = self.retriever.search(query, vector, self.allowed_chunks(pool))
        if not hits:
            return [], 0.0
        focus_query = expand(focus) if focus else query
        relevance = self.relevance(focus or question, hits[0].chunk, max(h.dense or 0.0 for h in hits[:5]))
        citations: list[Citation] = []
        seen: set[tuple[str, str]] = set()
        for hit in hits:
            key = (hit.chunk.doc_id, hit.chunk.section)
            if key in seen:
                continue
            seen.add(key)
            citation = self.quote_section(focus_query, vector, hit.chunk, hit.score)
            if citation:
                citations.append(citation)
            if len(citations) == self.settings.max_citations:
                break
        return citations, relevance

    def relevance(self, question: str, chunk: Chunk, dense: float | None) -> float:
        """0…1: how surely the best chunk answers — meaning (cosine), wording (n-grams) and whether the
        corpus knows the question's topic words at all. Calibrated on evals/dev.jsonl.

        e5 cosines sit in a narrow band (≈0.80 unrelated … 0.90 on topic), so they are rescaled first.
        English questions share no words with the Danish corpus: there meaning alone decides.
        """
        cosine = dense if dense is not None else 0.80
        meaning = min(max((cosine - 0.80) / 0.10, 0.0), 1.0)
        text = f"{chunk.title} {chunk.text}"
        if is_english(question):
            # Only the Danish glossary terms of an English question can share wording with the corpus.
            terms = document_terms(question)
            return 0.5 * meaning + 0.5 * self.retriever.overlap(terms, text) if terms else meaning
        query = expand(question)
        return 0.4 * meaning + 0.3 * self.retriever.overlap(query, text) + 0.3 * self.retriever.coverage(query)

    def quote_section(self, question: str, vector, chunk: Chunk, score: float) -> Citation | None:
        best = self.retriever.best_sentences(question, vector, chunk.doc_id, chunk.section,
                                             self.settings.quote_sentences)
        if not best:
            return None
        top_score = best[0][1]
        chosen = [s for s, sc in best if sc >= top_score - 0.15]
        in_order = self.retriever.sentences(chunk.doc_id, chunk.section)
        answer_sentences = [s for s in in_order if s.quotable]
        if chunk.kind == "faq" and len(answer_sentences) <= 4:
            chosen = answer_sentences  # a short FAQ answer is quoted whole: it answers its question
        # "Temaet … er følgende:" says nothing by itself: a lead-in brings the sentences it introduces.
        for sentence in list(chosen):
            if sentence.text.endswith(":"):
                start = in_order.index(sentence) + 1
                chosen += [s for s in in_order[start:start + 2] if s.quotable and s not in chosen]
        ordered = [s for s in in_order if s in chosen]
        item = best[0][0].item
        return Citation(doc_id=chunk.doc_id, section=chunk.section, title=chunk.title,
                        quote=" ".join(s.text for s in ordered), score=round(score, 4), item=item,
                        label=self.corpus.citation_label(chunk.doc_id, chunk.section, item))

    def answer_from_sources(self, question: str, pool: str | None, focus: str | None = None,
                            notes: list[str] | None = None) -> Answer:
        english = is_english(focus or question)
        citations, relevance = self.cite(question, pool, focus)
        notes = notes or []
        if not citations or relevance < self.threshold(focus or question):
            text = " ".join(notes + [ABSTAIN_MESSAGE]) + (ENGLISH_ABSTAIN if english else "")
            return Answer(question=question, pool=pool, answer=text, abstained=True)
        lines = notes + ([ENGLISH_LEAD] if english else [])
        lines += [f"«{c.quote}» ({c.label})" for c in citations[:2]]
        return Answer(question=question, pool=pool, answer="\n\n".join(lines), citations=citations)
