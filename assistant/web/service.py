"""The in-process service behind the routes and the gradio page: one Assistant, the storage and the chat
sessions; converts library types into the HTTP contract."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Literal

from assistant.errors import AssistantError, DatabaseUnavailable, IndexCorrupt, UnknownSection
from assistant.models import Answer, PoolInfo, Section
from assistant.settings import Settings
from assistant.storage import Gap, PurgeReport, Storage
from assistant.web.answering import AnswerCache, AnswerTimeout, InProcessAnswerer, ProcessAnswerer, bound_history
from assistant.web.errors import ANSWER_TIMEOUT, NOT_READY
from assistant.web.ratelimit import RateLimit
from assistant.web.schemas import (
    AskResponse,
    ChatResponse,
    DocumentOut,
    FactOut,
    ItemOut,
    PoolOut,
    SectionOut,
    StaffAskResponse,
    source_path,
)
from assistant.web.sessions import ChatSessions, StaffSessions, secret_key

DEFAULT_STAFF_TOKEN = "skift-mig"
UNLOGGED_KEPT = 10_000

if TYPE_CHECKING:
    from assistant.assistant import Assistant

logger = logging.getLogger(__name__)


class WebService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.assistant: Assistant | None = None
        self.storage = Storage.from_settings(settings)
        self.sessions = ChatSessions(self.storage)
        self.staff_sessions = StaffSessions(self.storage, secret_key(settings), settings.staff_session_hours)
        self.cache = AnswerCache(settings.answer_cache_size, settings.index_dir, settings.timezone)
        self.answerer: InProcessAnswerer | ProcessAnswerer | None = None
        self.ask_limit = RateLimit(settings.rate_limit, "ask")
        self.login_limit = RateLimit(settings.login_rate_limit, "staff-login")
        # The staff view's FAQ search embeds in this process; one at a time keeps it off the answering cores.
        self._search_lock = threading.Lock()
        self._unlogged: OrderedDict[str, None] = OrderedDict()  # answers given while the database was down

    def start(self) -> None:
        from assistant.assistant import Assistant

        if self.ready:
            return  # `serve` starts the service before it listens; the app's lifespan then finds it ready
        # Answering needs no database: a database that is down only makes writes fail (and is retried).
        self.storage.connect()
        try:
            assistant = Assistant.load(self.settings)
        except AssistantError:
            raise
        except Exception as exc:  # a damaged index file fails deep inside a reader: say so, no traceback
            logger.debug("index load failed", exc_info=True)
            raise IndexCorrupt(
                f"Søgeindekset i {self.settings.index_dir} kunne ikke indlæses ({type(exc).__name__}). Byg det igen "
                f"med `assistant build-index`. / The search index could not be loaded; rebuild it."
            ) from None
        workers = self.settings.workers
        answerer = ProcessAnswerer(self.settings, workers) if workers > 0 else InProcessAnswerer(assistant)
        try:
            answerer.start()
        except Exception as exc:
            answerer.stop()
            raise AssistantError(
                f"Svarprocesserne kunne ikke starte ({type(exc).__name__}). / The answering processes failed to start."
            ) from None
        self.assistant, self.answerer = assistant, answerer
        if self.settings.staff_token.get_secret_value() in ("", DEFAULT_STAFF_TOKEN):
            logger.warning("ASSISTANT_STAFF_TOKEN is the default; set a secret token before going live")

    def stop(self) -> None:
        if self.answerer is not None:
            self.answerer.stop()
        self.storage.close()

    @property
    def ready(self) -> bool:
        return self.assistant is not None and self.answerer is not None

    def _require(self) -> Assistant:
        if self.assistant is None or self.answerer is None:
            raise NOT_READY
        return self.assistant

    def label(self, doc_id: str, section: str) -> str:
        try:
            return self.assistant.corpus.citation_label(doc_id, section) if self.assistant else section
        except UnknownSection:
            return f"{doc_id}, {section}"

    def answer(
        self,
        question: str,
        pool: str | None,
        history: list[dict] | None,
        client: str = "",
        on_lead: Callable[[str], None] | None = None,
    ) -> Answer:
        """The Answer for a question, from the cache when the same question was answered today; `on_lead` hears
        the start of a fresh answer early when the pipeline knows it before the rest."""
        self._require()
        bounded = bound_history(history, self.settings.max_question_chars)
        key = self.cache.key(question, pool, bounded)
        answer = self.cache.get(key)
        if answer is None:
            try:
                answer = self.answerer.ask(
                    question, pool, bounded, self.settings.request_timeout_seconds, client, on_lead
                )
            except AnswerTimeout:
                raise ANSWER_TIMEOUT from None
            except BrokenProcessPool:
                raise NOT_READY from None
            self.cache.put(key, answer)
        return answer

    def ask(
        self,
        question: str,
        pool: str | None,
        history: list[dict] | None,
        channel: str,
        session_id: str | None = None,
        client: str = "",
        on_lead: Callable[[str], None] | None = None,
        answer_id: str | None = None,
    ) -> AskResponse:
        answer = self.answer(question, pool, history, client, on_lead)
        response = AskResponse.from_answer(answer, answer_id or uuid.uuid4().hex, self.label)
        if self.settings.retention_days <= 0:
            return response  # nothing is kept
        try:
            self.storage.log_question(
                answer_id=response.answer_id,
                question=answer.question,
                pool=answer.pool or pool,
                channel=channel,
                answer=answer.answer,
                abstained=answer.abstained,
                citations=[c.label for c in response.citations],
                session_id=session_id,
            )
        except DatabaseUnavailable:
            # The applicant still gets the answer; feedback on it will say the database is down, not "unknown".
            self._unlogged[response.answer_id] = None
            while len(self._unlogged) > UNLOGGED_KEPT:
                self._unlogged.popitem(last=False)
        return response

    def chat(
        self,
        question: str,
        pool: str | None,
        session_id: str | None,
        channel: str,
        client: str = "",
        started: Callable[[str, str], None] | None = None,
        on_lead: Callable[[str], None] | None = None,
    ) -> ChatResponse:
        """One turn of a chat; `started(session_id, answer_id)` hears the ids before answering begins."""
        session_id, history = self.sessions.history(session_id)
        answer_id = uuid.uuid4().hex
        if started is not None:
            started(session_id, answer_id)
        response = self.ask(question, pool, history, channel, session_id, client, on_lead, answer_id)
        self.sessions.append(
            session_id, {"role": "user", "content": question}, {"role": "assistant", "content": response.answer}
        )
        return ChatResponse(**response.model_dump(), session_id=session_id)

    def purge(self) -> PurgeReport:
        """Deletes what is older than the retention: the database's rows and the cached answers."""
        report = self.storage.purge(self.settings.retention_days)
        self.cache.clear()
        logger.info("purged %s", report.model_dump())
        return report

    def erase(self, conversation_or_answer_id: str) -> int:
        count = self.storage.erase(conversation_or_answer_id)
        self.cache.clear()  # the erased questions may be cached answers' keys
        return count

    def feedback(self, answer_id: str, vote: Literal["up", "down"], comment: str | None) -> int:
        if self.settings.retention_days <= 0:
            return 0  # acknowledged, and nothing is kept
        if answer_id in self._unlogged:
            raise DatabaseUnavailable("Svaret blev ikke gemt, da databasen var nede. / The answer was not stored.")
        return self.storage.add_feedback(answer_id=answer_id, vote=vote, comment=comment)

    def pools(self) -> list[PoolOut]:
        assistant = self._require()
        return [self._pool_out(p) for p in assistant.pools()]

    def _pool_out(self, info: PoolInfo) -> PoolOut:
        deadline = FactOut.from_fact(info.deadline, self.label) if info.deadline else None
        is_open = None if info.deadline_passed is None else not info.deadline_passed
        return PoolOut(
            pool=info.pool,
            name=info.name,
            short_name=info.short_name,
            documents=list(info.documents),
            deadline=deadline,
            deadline_passed=info.deadline_passed,
            open=is_open,
        )

    def facts(self, pool: str) -> list[FactOut]:
        assistant = self._require()
        return [FactOut.from_fact(f, self.label) for f in assistant.facts(pool)]

    def section(self, doc_id: str, section: str) -> SectionOut:
        assistant = self._require()
        sec: Section = assistant.corpus.section(doc_id, section)
        meta = assistant.corpus.document(doc_id).meta
        return SectionOut(
            doc_id=sec.doc_id,
            section=sec.section,
            title=sec.title,
            level=sec.level,
            label=assistant.corpus.citation_label(doc_id, section),
            paragraphs=list(sec.paragraphs),
            items=[ItemOut(number=i.number, text=i.text) for i in sec.items],
            pool=sec.pool,
            kind=sec.kind,
            url=source_path(doc_id, section),
            document=DocumentOut(
                doc_id=meta.doc_id,
                title=meta.title,
                short_title=meta.short_title,
                kind=meta.kind,
                pool=meta.pool,
                year=meta.year,
                publisher=meta.publisher,
            ),
        )

    def subsections(self, doc_id: str, section: SectionOut) -> list[Section]:
        assistant = self._require()
        doc = assistant.corpus.document(doc_id)
        prefix = section.section + "."
        return [s for s in doc.sections if s.section.startswith(prefix) and s.level == section.level + 1]

    def gaps(self, pool: str | None, limit: int, handled: bool | None = None) -> list[Gap]:
        return self.storage.gaps(pool=pool, limit=limit, handled=handled)

    def mark_handled(self, answer_id: str) -> bool:
        return self.storage.mark_handled(answer_id)

    def staff_ask(self, question: str, pool: str | None, base_url: str) -> StaffAskResponse:
        assistant = self._require()
        answer = self.ask(question, pool, None, channel="staff")
        focus = (
            pool
            or answer.pool
            or next(
                (
                    s.pool
                    for c in answer.citations
                    if (s := assistant.corpus.sections.get((c.doc_id, c.section))) and s.pool
                ),
                None,
            )
        )
        seen: set[tuple[str, str]] = set()
        sections = []
        for c in answer.citations:
            if (c.doc_id, c.section) not in seen:
                seen.add((c.doc_id, c.section))
                sections.append(self.section(c.doc_id, c.section))
        faq: list[SectionOut] = []
        if focus is not None:
            with self._search_lock:
                hits = assistant.retriever.search(
                    answer.question, allowed=lambda c: c.kind == "faq" and c.pool in (focus, None), limit=10
                )
            for hit in hits:
                key = (hit.chunk.doc_id, hit.chunk.section)
                if key not in seen and len(faq) < 3:
                    seen.add(key)
                    faq.append(self.section(*key))
        facts = self.facts(focus) if focus is not None else []
        return StaffAskResponse(
            answer=answer, pool=focus, sections=sections, faq=faq, facts=facts, reply_da=compose_reply(answer, base_url)
        )


def compose_reply(answer: AskResponse, base_url: str) -> str:
    """A reply the hotline can paste into an e-mail: the answer, then numbered sources with links."""
    base = base_url.rstrip("/")
    if answer.abstained:
        body = (
            "Vejledningerne til puljen besvarer ikke dit spørgsmål direkte. [Skriv dit svar her, eller "
            "henvis til det relevante afsnit i vejledningen.]"
        )
    else:
        body = answer.answer
    lines = ["Kære ansøger", "", "Tak for dit spørgsmål.", "", body]
    if answer.clarification:
        lines += ["", answer.clarification]
    if answer.citations:
        lines += ["", "Kilder:"]
        lines += [
            f"{i}. {c.label}: {base}{source_path(c.doc_id, c.section)}" for i, c in enumerate(answer.citations, 1)
        ]
    lines += [
        "",
        "Svaret bygger på de offentliggjorte vejledninger til puljen. Læs altid hele vejledningen, før du søger.",
        "",
        "Med venlig hilsen",
        "",
        "[Navn]",
        "Social- og Boligstyrelsen",
    ]
    return "\n".join(lines)
