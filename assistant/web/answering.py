"""Answering for the web: a cache of answers to repeated questions, history bounded before it reaches the
pipeline, and either in-process answering or a pool of answering processes (one embedding thread each).

Why processes: the bundled embedder spins its own threads and two processes with default threads run ten
times slower on two cores (shared/FINDINGS.md); one process per core with OMP_NUM_THREADS=1 is the fast
setting. The web process stays one process, so the answer cache is shared by all answering processes; an
answer's lead (its start, known before the rest) comes back early through one queue per lane (LeadRelay)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import threading
import time
import unicodedata
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from assistant.models import Answer
from assistant.settings import Settings

logger = logging.getLogger(__name__)

HISTORY_MESSAGES = 6  # the last turns are what a follow-up refers to
ASSISTANT_MESSAGE_CHARS = 1000  # an answer's lead carries its topic; its sources add cost, not context
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")


class AnswerTimeout(Exception):
    """An answer took longer than the request timeout."""


def bound_history(history: list[dict] | None, max_question_chars: int) -> list[dict]:
    """The part of a conversation worth sending along: the last few messages, each cut to a bounded size,
    so one client's long history cannot make every request expensive."""
    bounded = []
    for message in (history or [])[-HISTORY_MESSAGES:]:
        limit = max_question_chars if message["role"] == "user" else ASSISTANT_MESSAGE_CHARS
        bounded.append({"role": message["role"], "content": message["content"][:limit]})
    return bounded


def normalise_question(question: str) -> str:
    # Only what cannot change an answer: Unicode composition and runs of spaces at the ends or inside.
    return re.sub(r"[ \t]+", " ", unicodedata.normalize("NFC", question)).strip()


class AnswerCache:
    """Answers by (question, pool, follow-up context, local date, index manifest); least recently used out.

    The date is in the key because deadline answers say how many days are left; the manifest's identity is,
    so a rebuilt index never serves an answer from the old one."""

    def __init__(self, size: int, index_dir: Path, timezone: str) -> None:
        self.size, self.manifest, self.zone = size, index_dir / "manifest.json", ZoneInfo(timezone)
        self._entries: OrderedDict[tuple, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self._manifest_id: tuple | None = None
        self.hits = self.misses = 0

    def _index_identity(self) -> tuple:
        try:
            stat = self.manifest.stat()
        except OSError:
            return ()
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def key(self, question: str, pool: str | None, history: list[dict], now: datetime | None = None) -> tuple:
        day = (now or datetime.now(self.zone)).astimezone(self.zone).date().isoformat()
        context = tuple((m["role"], m["content"]) for m in history)
        return (normalise_question(question), pool, context, day)

    def _follow_index(self) -> None:
        # Called with the lock held: a new manifest means a new index, so every answer goes.
        identity = self._index_identity()
        if identity != self._manifest_id:
            self._entries.clear()
            self._manifest_id = identity

    def get(self, key: tuple) -> Answer | None:
        if self.size <= 0:
            return None
        with self._lock:
            self._follow_index()
            answer = self._entries.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: tuple, answer: Answer) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._follow_index()
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


HEAVY_CHARS = 600  # question + history longer than this is an expensive embedding (~0.2 s per 500 characters)
USAGE_HALF_LIFE = 60.0  # seconds: how long a client's past answering time counts against it


class _Waiter:
    __slots__ = ("client", "heavy", "used", "seq", "granted")

    def __init__(self, client: str, heavy: bool, used: float, seq: int) -> None:
        self.client, self.heavy, self.used, self.seq = client, heavy, used, seq
        self.granted = threading.Event()


class FairGate:
    """Admission to the answering slots, fair by cost: a client has one answer in progress at a time, the
    waiting client that used the least answering time lately goes first, and long (expensive) inputs may
    hold all slots but one, so three clients sending maximum-size questions cannot stall everyone else.
    A freed slot is handed to the chosen waiter directly (no herd of threads waking to look)."""

    def __init__(self, slots: int) -> None:
        self.slots, self.heavy_slots = slots, max(1, slots - 1)
        self._lock = threading.Lock()
        self._busy = self._busy_heavy = 0
        self._active: set[str] = set()
        self._usage: dict[str, tuple[float, float]] = {}  # client → (seconds, when)
        self._waiting: list[_Waiter] = []
        self._seq = 0

    def _used(self, client: str, now: float) -> float:
        seconds, when = self._usage.get(client, (0.0, now))
        return seconds * 0.5 ** ((now - when) / USAGE_HALF_LIFE)

    def _dispatch(self) -> None:
        # Called with the lock held: grant free slots to the best eligible waiters.
        while self._waiting and self._busy < self.slots:
            eligible = [
                w
                for w in self._waiting
                if w.client not in self._active and (not w.heavy or self._busy_heavy < self.heavy_slots)
            ]
            if not eligible:
                return
            chosen = min(eligible, key=lambda w: (w.used, w.seq))
            self._waiting.remove(chosen)
            self._busy += 1
            self._busy_heavy += chosen.heavy
            self._active.add(chosen.client)
            chosen.granted.set()

    def acquire(self, client: str, heavy: bool, timeout: float) -> None:
        with self._lock:
            self._seq += 1
            waiter = _Waiter(client, heavy, self._used(client, time.monotonic()), self._seq)
            self._waiting.append(waiter)
            self._dispatch()
        if waiter.granted.wait(timeout):
            return
        with self._lock:
            if waiter.granted.is_set():  # granted just as the wait ran out: take it
                return
            self._waiting.remove(waiter)
        raise AnswerTimeout()

    def release(self, client: str, heavy: bool, seconds: float) -> None:
        with self._lock:
            now = time.monotonic()
            self._usage[client] = (self._used(client, now) + seconds, now)
            if len(self._usage) > 10_000:  # forget the clients that have been quiet longest
                for stale in sorted(self._usage, key=lambda c: self._usage[c][1])[:1000]:
                    del self._usage[stale]
            self._busy -= 1
            self._busy_heavy -= heavy
            self._active.discard(client)
            self._dispatch()

    def run(self, client: str, cost_chars: int, timeout: float, work):
        heavy = cost_chars > HEAVY_CHARS
        started = time.monotonic()
        self.acquire(client, heavy, timeout)
        began = time.monotonic()
        try:
            return work(max(0.1, timeout - (began - started)))
        finally:
            self.release(client, heavy, time.monotonic() - began)


OnLead = Callable[[str], None]


class _Answerer:
    """What both answerers share: `ask` weighs a question by the characters to embed (question and history)."""

    def ask(
        self,
        question: str,
        pool: str | None,
        history: list[dict],
        timeout: float,
        client: str = "",
        on_lead: OnLead | None = None,
    ) -> Answer:
        cost = len(question) + sum(len(m["content"]) for m in history)
        return self._answer(cost, question, pool, history, timeout, client, on_lead)

    def _answer(self, cost: int, question: str, pool, history: list[dict], timeout: float, client: str, on_lead):
        raise NotImplementedError


class InProcessAnswerer(_Answerer):
    """Answers in the web process (tests, `--workers 0`); one question at a time."""

    def __init__(self, assistant) -> None:
        self.assistant = assistant
        self.gate = FairGate(1)

    def start(self) -> None:
        pass

    def _answer(self, cost: int, question: str, pool, history: list[dict], timeout: float, client: str, on_lead):
        ask = self.assistant.ask
        return self.gate.run(
            client, cost, timeout, lambda _: ask(question, pool=pool, history=history or None, on_lead=on_lead)
        )

    def stop(self) -> None:
        pass


_worker_assistant = None
_worker_leads = None  # the lane's LeadRelay queue, inherited at spawn


class LeadRelay:
    """Leads from the answering processes to the web process: the workers put (token, lead) on one queue and a
    thread here hands each to the callback registered under its token. The answer itself comes back through
    the executor's own pipe, which may overtake the lead; `finish` then delivers the lead the worker reports,
    so a callback hears it exactly once and always before `ask` returns."""

    def __init__(self, context) -> None:
        self.queue = context.Queue()
        self._callbacks: dict[str, OnLead] = {}
        self._delivered: set[str] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="lead-relay", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            try:
                self.deliver(*item)
            except Exception:  # a lead lost is only a lead sent later, with the answer
                logger.exception("lead not relayed")

    def register(self, on_lead: OnLead | None) -> str | None:
        if on_lead is None:
            return None
        token = uuid.uuid4().hex
        with self._lock:
            self._callbacks[token] = on_lead
        return token

    def deliver(self, token: str, lead: str) -> None:
        # Under the lock, so no lead is heard after `finish`: callbacks must be quick (they hand the text on).
        with self._lock:
            callback = self._callbacks.get(token)
            if callback is None or token in self._delivered:
                return
            self._delivered.add(token)
            callback(lead)

    def finish(self, token: str | None, lead: str | None) -> None:
        if token is None:
            return
        if lead is not None:
            self.deliver(token, lead)
        with self._lock:
            self._callbacks.pop(token, None)
            self._delivered.discard(token)

    def stop(self) -> None:
        self.queue.put(None)
        self._thread.join(timeout=5)


def _exit_with_parent(parent: int) -> None:
    # A web process killed with SIGKILL cannot stop its answering processes; they stop themselves.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _worker_init(settings_json: str, parent: int, niceness: int = 0, leads=None) -> None:
    # Before anything imports the embedding engine: its thread count is read once, at load.
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    if niceness:
        os.nice(niceness)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    from assistant.assistant import Assistant

    global _worker_assistant, _worker_leads
    _worker_leads = leads
    _worker_assistant = Assistant.load(Settings.model_validate_json(settings_json))


def _worker_ask(question: str, pool: str | None, history: list[dict], token: str | None = None):
    """The answer and the lead sent early (None if none was)."""
    sent: list[str] = []

    def on_lead(lead: str) -> None:
        sent.append(lead)
        _worker_leads.put((token, lead))

    use = on_lead if token is not None and _worker_leads is not None else None
    answer = _worker_assistant.ask(question, pool=pool, history=history or None, on_lead=use)
    return answer, (sent[0] if sent else None)


def _worker_ready() -> int:
    return os.getpid()


class _Lane:
    """One pool of answering processes with its own fair admission."""

    def __init__(self, settings: Settings, processes: int, niceness: int) -> None:
        self.settings, self.processes, self.niceness = settings, processes, niceness
        self.gate = FairGate(processes)
        self.pool: ProcessPoolExecutor | None = None
        self.leads: LeadRelay | None = None
        self._lock = threading.Lock()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the web process holds threads (event loop, DB pool) that a fork would copy mid-state.
        context = multiprocessing.get_context("spawn")
        if self.leads is None:
            self.leads = LeadRelay(context)
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=context,
            initializer=_worker_init,
            initargs=(self.settings.model_dump_json(), os.getpid(), self.niceness, self.leads.queue),
        )

    def start(self) -> list:
        with self._lock:
            self.pool = self._new_pool()
            # Wait until every process has loaded the index, so "ready" means ready.
            futures = [self.pool.submit(_worker_ready) for _ in range(self.processes * 4)]
            return [f.result(timeout=600) for f in futures]

    def ask(self, cost: int, question: str, pool, history: list[dict], timeout: float, client: str, on_lead) -> Answer:
        return self.gate.run(client, cost, timeout, lambda left: self._submit(question, pool, history, left, on_lead))

    def _submit(
        self, question: str, pool: str | None, history: list[dict], timeout: float, on_lead: OnLead | None
    ) -> Answer:
        executor, leads = self.pool, self.leads
        if executor is None or leads is None:
            raise RuntimeError("the answering processes are not started")
        token = leads.register(on_lead)
        lead = None
        try:
            answer, lead = executor.submit(_worker_ask, question, pool, history, token).result(timeout=timeout)
            return answer
        except FutureTimeout:
            raise AnswerTimeout() from None
        except BrokenProcessPool:
            logger.error("an answering process died; starting a new pool")
            with self._lock:
                if self.pool is executor:
                    self.pool = self._new_pool()
            raise
        finally:
            leads.finish(token, lead)

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.leads is not None:
            self.leads.stop()


class ProcessAnswerer(_Answerer):
    """Answering processes, each loading the index once and embedding on one thread: `workers` of them for
    ordinary questions, and one at the lowest CPU priority for long (expensive) inputs, so a client that
    sends maximum-size questions gets the CPU only when the ordinary questions leave it free."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.workers = workers
        self.ordinary = _Lane(settings, workers, niceness=0)
        self.expensive = _Lane(settings, 1, niceness=19)

    def start(self) -> None:
        pids = set(self.ordinary.start()) | set(self.expensive.start())
        logger.info("%d answering processes ready (%s)", len(pids), ", ".join(map(str, sorted(pids))))

    def _answer(self, cost: int, question: str, pool, history: list[dict], timeout: float, client: str, on_lead):
        lane = self.expensive if cost > HEAVY_CHARS else self.ordinary
        return lane.ask(cost, question, pool, history, timeout, client, on_lead)

    def stop(self) -> None:
        self.ordinary.stop()
        self.expensive.stop()
