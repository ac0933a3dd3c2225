"""`Assistant.load()` and `ask()`: validate the question, then the answer pipeline (assistant/pipeline/)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from assistant.corpus import Corpus, load_corpus
from assistant.corpus.pools import load_pool_specs
from assistant.embedding import Embedder, make_embedder
from assistant.errors import InvalidQuestion
from assistant.index import LoadedIndex, load_index
from assistant.models import Answer, Fact, Message, PoolInfo
from assistant.pipeline import Pipeline
from assistant.pipeline.compose import CPR_NOTE
from assistant.pipeline.guard import unsourced_numbers  # noqa: F401  (public: tests and tools use it)
from assistant.pipeline.quote import QuoteBuilder
from assistant.pipeline.rules import local_deadline
from assistant.privacy import CPR_MASK, mask_cpr
from assistant.retrieval import HybridRetriever
from assistant.rules.facts import load_facts
from assistant.settings import Settings, get_settings

logger = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_question(question: object, max_chars: int) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestion("Spørgsmålet er tomt. Skriv et spørgsmål. / The question is empty.")
    if len(question) > max_chars:
        raise InvalidQuestion(
            f"Spørgsmålet er for langt ({len(question)} tegn); højst {max_chars} tegn. "
            f"/ The question is longer than {max_chars} characters."
        )
    if _CONTROL.search(question):
        raise InvalidQuestion(
            "Spørgsmålet indeholder styretegn; fjern dem og prøv igen. / The question contains control characters."
        )
    return " ".join(question.split())


def parse_history(history: list | None) -> list[Message]:
    try:
        return [h if isinstance(h, Message) else Message.model_validate(h) for h in history or []]
    except ValidationError as exc:
        raise InvalidQuestion(
            "Historikken skal være en liste af {role: user|assistant, content: tekst}. "
            f"/ Invalid history: {exc.errors()[0]['msg']}"
        ) from None


def parse_now(now: datetime | str | None, timezone: str) -> datetime:
    zone = ZoneInfo(timezone)
    if now is None:
        return datetime.now(zone)
    if isinstance(now, str):
        try:
            now = datetime.fromisoformat(now)
        except ValueError:
            raise InvalidQuestion(
                f"Ugyldigt tidspunkt {now!r}; brug ISO-format, fx 2025-08-01T12:00. / `now` must be an ISO datetime."
            ) from None
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)


class Assistant:
    def __init__(self, settings: Settings, corpus: Corpus, index: LoadedIndex, embedder: Embedder) -> None:
        self.settings = settings
        self.corpus = corpus
        self.index = index
        self.retriever = HybridRetriever(index, embedder, settings)
        self.pool_facts = load_facts(corpus, settings.corpus_dir)
        self.specs = load_pool_specs(settings.corpus_dir, corpus.pools)
        self.pipeline = Pipeline(
            settings, corpus, self.retriever, QuoteBuilder(corpus, index, self.retriever), self.specs, self.pool_facts
        )

    @classmethod
    def load(cls, settings: Settings | None = None) -> Assistant:
        settings = settings or get_settings()
        started = time.perf_counter()
        corpus = load_corpus(settings.corpus_dir)
        embedder = make_embedder(settings)
        assistant = cls(settings, corpus, load_index(corpus, settings, embedder), embedder)
        logger.info("assistant loaded in %.2f s", time.perf_counter() - started)
        return assistant

    def ask(
        self,
        question: str,
        pool: str | None = None,
        history: list | None = None,
        now: datetime | str | None = None,
        on_lead: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer from the sources: facts for hard numbers, verbatim quotes for the rest, never a guess.

        `on_lead(text)` hears the start of the answer early when it is known before the rest (see Pipeline.answer).
        Thread-safe: nothing here or in the pipeline changes shared state.
        """
        question = mask_cpr(validate_question(question, self.settings.max_question_chars))
        pool = self.corpus.check_pool(pool)
        messages = [Message(role=m.role, content=mask_cpr(m.content)) for m in parse_history(history)]
        notes = (CPR_NOTE,) if CPR_MASK in question else ()
        return self.pipeline.answer(question, pool, messages, parse_now(now, self.settings.timezone), notes, on_lead)

    def pools(self, now: datetime | str | None = None) -> list[PoolInfo]:
        moment = parse_now(now, self.settings.timezone)
        infos = []
        for pool, spec in self.specs.items():
            facts = self.pool_facts.get(pool)
            deadlines = sorted(
                (f for f in (facts.all("ansoegningsfrist") if facts else ()) if f.status == "verified"),
                key=lambda f: f.round or "",
                reverse=True,
            )
            deadline = deadlines[0] if deadlines else None
            passed = None
            if deadline is not None and isinstance(deadline.value, (date, datetime)):
                passed = moment >= local_deadline(deadline.value, moment)
            infos.append(
                PoolInfo(
                    pool=pool,
                    name=spec.name,
                    short_name=spec.short_name,
                    documents=[d.meta.doc_id for d in self.corpus.documents if d.meta.pool == pool],
                    deadline=deadline.to_fact() if deadline else None,
                    deadline_passed=passed,
                )
            )
        return infos

    def facts(self, pool: str) -> list[Fact]:
        """A pool's verified facts (drafts are not shown until staff verify them)."""
        self.corpus.check_pool(pool)
        facts = self.pool_facts.get(pool)
        return [entry.to_fact() for entry in facts.facts if entry.status == "verified"] if facts else []
