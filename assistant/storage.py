"""The web database behind SQLAlchemy 2 (SQLite by default, PostgreSQL by URL): the question log, feedback,
chat and staff sessions. The schema is migrated with Alembic at start; personal data is masked before
anything is written; a database that is down or read-only makes writes fail with DatabaseUnavailable, never
the process."""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    false,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import DatabaseUnavailable, UnknownAnswer
from assistant.privacy import mask_personal_data
from assistant.settings import Settings

logger = logging.getLogger(__name__)

metadata = MetaData()

questions = Table(
    "questions",
    metadata,
    Column("answer_id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("channel", String(16), nullable=False),  # "api", "chat", "web", "widget", "staff"
    Column("pool", String(100), nullable=True, index=True),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("abstained", Boolean, nullable=False, index=True),
    Column("citations", Text, nullable=False, default=""),  # labels, one a line, for the staff view
    Column("session_id", String(64), nullable=True, index=True),
    Column("handled_at", DateTime(timezone=True), nullable=True),  # a gap staff have dealt with
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(64), ForeignKey("questions.answer_id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("vote", String(4), nullable=False),
    Column("comment", Text, nullable=True),
)

chat_sessions = Table(
    "chat_sessions",
    metadata,
    Column("session_id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
    Column("messages", Text, nullable=False),  # JSON list of {"role", "content"}, masked
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("session_id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

DOWN_DA = "Databasen er ikke tilgængelig lige nu, så det kunne ikke gemmes. Prøv igen om lidt."
RETRY_SECONDS = 5.0
MIGRATION_LOCK = 7_310_411  # pg_advisory_lock key: replicas starting together migrate one at a time


class Gap(BaseModel):
    """A question the guidelines did not answer, or whose answer got a thumbs down."""

    model_config = ConfigDict(frozen=True)

    answer_id: str
    created_at: datetime
    pool: str | None
    channel: str
    question: str
    reason: Literal["abstained", "thumbs_down"]
    comment: str | None = None
    answer: str = ""
    handled: bool = False


class PurgeReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    questions: int
    feedback: int
    chat_sessions: int
    staff_sessions: int


def _utc(value: datetime) -> datetime:
    # SQLite hands DateTime columns back naive; everything is written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL on every commit, so a row
    # acknowledged to a client survives the process (or the machine) dying right after.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def migrate(connection: Connection) -> None:
    """Creates or upgrades the schema to Alembic's head on an open connection."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("assistant.migrations")))
    config.attributes["connection"] = connection
    tables = set(inspect(connection).get_table_names())
    if "questions" in tables and "alembic_version" not in tables:
        command.stamp(config, "0001")  # a database made by the first release's create_all
    command.upgrade(config, "head")


class Storage:
    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.backend = parsed.get_backend_name()
        kwargs: dict = {"pool_pre_ping": True}
        if self.backend == "sqlite":
            database = parsed.database
            if database and database != ":memory:" and not database.startswith("file:"):
                try:
                    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
                except OSError:
                    pass  # reported by connect() and /readyz; answering goes on without the database
            kwargs["connect_args"] = {"check_same_thread": False}
        elif self.backend == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": 3}
            kwargs["pool_timeout"] = 5
        self.engine: Engine = create_engine(url, **kwargs)
        if self.backend == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.url = parsed.render_as_string(hide_password=True)
        self.migrated = False
        self.problem: str | None = "not connected yet"
        self._lock = threading.Lock()
        self._last_try = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Storage:
        return cls(settings.sqlalchemy_url)

    def close(self) -> None:
        self.engine.dispose()

    # -- availability ----------------------------------------------------------------------------------

    def connect(self) -> bool:
        """Migrates the schema; on failure the storage stays down (and is retried) instead of raising."""
        with self._lock:
            self._last_try = time.monotonic()
            try:
                with self.engine.begin() as conn:
                    if self.backend == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                    migrate(conn)
            except (SQLAlchemyError, OSError) as exc:
                self.problem = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
                logger.warning("database %s unavailable: %s", self.url, self.problem)
                return False
            self.migrated, self.problem = True, None
            logger.info("storage ready at %s", self.url)
            return True

    def check(self) -> str | None:
        """None when the database takes writes; otherwise the reason (unreachable, read-only, no schema)."""
        if not self.migrated and not self.connect():
            return self.problem
        try:
            with self.engine.begin() as conn:
                # A write that touches no row: refused by a read-only database, harmless otherwise.
                conn.execute(delete(staff_sessions).where(false()))
        except SQLAlchemyError as exc:
            return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        return None

    def _engine(self) -> Engine:
        if not self.migrated:
            if time.monotonic() - self._last_try < RETRY_SECONDS or not self.connect():
                raise DatabaseUnavailable(f"{DOWN_DA} / The database is unavailable.")
        return self.engine

    def _run(self, work, *, write: bool = True):
        try:
            engine = self._engine()
            if write:
                with engine.begin() as conn:
                    return work(conn)
            with engine.connect() as conn:
                return work(conn)
        except SQLAlchemyError as exc:
            logger.warning("database %s: %s", self.url, type(exc).__name__)
            raise DatabaseUnavailable(f"{DOWN_DA} / The database is unavailable.") from exc

    # -- question log and feedback ---------------------------------------------------------------------

    def log_question(
        self,
        *,
        answer_id: str,
        question: str,
        pool: str | None,
        channel: str,
        answer: str,
        abstained: bool,
        citations: list[str] | tuple[str, ...] = (),
        session_id: str | None = None,
    ) -> None:
        row = {
            "answer_id": answer_id,
            "created_at": _now(),
            "channel": channel,
            "pool": pool,
            "question": mask_personal_data(question),
            "answer": mask_personal_data(answer),
            "abstained": abstained,
            "citations": "\n".join(citations),
            "session_id": session_id,
        }
        self._run(lambda conn: conn.execute(insert(questions).values(**row)))

    def add_feedback(self, *, answer_id: str, vote: Literal["up", "down"], comment: str | None = None) -> int:
        """Stores a vote; returns its id once the row is committed (and, on SQLite, fsynced)."""
        comment = mask_personal_data(comment.strip()) if comment and comment.strip() else None

        def work(conn: Connection) -> int:
            known = conn.execute(select(questions.c.answer_id).where(questions.c.answer_id == answer_id)).first()
            if known is None:
                raise UnknownAnswer(f"Ukendt svar-id {answer_id!r}; feedback skal henvise til et givet svar.")
            row = {"answer_id": answer_id, "vote": vote, "comment": comment, "created_at": _now()}
            return int(conn.execute(insert(feedback).values(**row)).inserted_primary_key[0])

        return self._run(work)

    def question(self, answer_id: str) -> dict | None:
        def work(conn: Connection) -> dict | None:
            row = conn.execute(select(questions).where(questions.c.answer_id == answer_id)).mappings().first()
            return dict(row) if row else None

        return self._run(work, write=False)

    def feedback_for(self, answer_id: str) -> list[dict]:
        query = select(feedback).where(feedback.c.answer_id == answer_id).order_by(feedback.c.id)
        return self._run(lambda conn: [dict(r) for r in conn.execute(query).mappings().all()], write=False)

    def mark_handled(self, answer_id: str) -> bool:
        """Marks a gap as handled by staff; False when the answer is not (or no longer) stored."""
        query = update(questions).where(questions.c.answer_id == answer_id).values(handled_at=_now())
        return self._run(lambda conn: conn.execute(query).rowcount) > 0

    def gaps(self, pool: str | None = None, limit: int = 100, handled: bool | None = None) -> list[Gap]:
        """Abstained and thumbs-down questions, newest first (a question appears once)."""
        down = (
            select(feedback.c.answer_id, func.max(feedback.c.comment).label("comment"))
            .where(feedback.c.vote == "down")
            .group_by(feedback.c.answer_id)
            .subquery()
        )
        query = (
            select(questions, down.c.comment, down.c.answer_id.label("down_id"))
            .outerjoin(down, down.c.answer_id == questions.c.answer_id)
            .where(or_(questions.c.abstained.is_(True), down.c.answer_id.is_not(None)))
            .order_by(questions.c.created_at.desc())
            .limit(limit)
        )
        if pool is not None:
            query = query.where(questions.c.pool == pool)
        if handled is not None:
            query = query.where(questions.c.handled_at.is_not(None) if handled else questions.c.handled_at.is_(None))
        rows = self._run(lambda conn: conn.execute(query).mappings().all(), write=False)
        return [
            Gap(
                answer_id=r["answer_id"],
                created_at=_utc(r["created_at"]),
                pool=r["pool"],
                channel=r["channel"],
                question=r["question"],
                reason="abstained" if r["abstained"] else "thumbs_down",
                comment=r["comment"],
                answer=r["answer"],
                handled=r["handled_at"] is not None,
            )
            for r in rows
        ]

    # -- chat sessions ---------------------------------------------------------------------------------

    def chat_history(self, session_id: str, ttl_seconds: int) -> list[dict] | None:
        """The session's messages, or None when it is unknown or older than the time to live."""
        query = select(chat_sessions.c.messages, chat_sessions.c.updated_at).where(
            chat_sessions.c.session_id == session_id
        )
        row = self._run(lambda conn: conn.execute(query).first(), write=False)
        if row is None or _utc(row.updated_at) < _now() - timedelta(seconds=ttl_seconds):
            return None
        return json.loads(row.messages)

    def chat_append(self, session_id: str, messages: list[dict], max_messages: int) -> None:
        masked = [{"role": m["role"], "content": mask_personal_data(m["content"])} for m in messages]

        def work(conn: Connection) -> None:
            now = _now()
            row = conn.execute(select(chat_sessions.c.messages).where(chat_sessions.c.session_id == session_id)).first()
            if row is None:
                kept = masked[-max_messages:]
                values = {"session_id": session_id, "created_at": now, "updated_at": now}
                conn.execute(insert(chat_sessions).values(**values, messages=json.dumps(kept, ensure_ascii=False)))
            else:
                kept = (json.loads(row.messages) + masked)[-max_messages:]
                conn.execute(
                    update(chat_sessions)
                    .where(chat_sessions.c.session_id == session_id)
                    .values(updated_at=now, messages=json.dumps(kept, ensure_ascii=False))
                )

        self._run(work)

    # -- staff sessions --------------------------------------------------------------------------------

    def staff_session_start(self, ttl_seconds: int) -> str:
        session_id = secrets.token_urlsafe(24)
        now = _now()
        row = {"session_id": session_id, "created_at": now, "expires_at": now + timedelta(seconds=ttl_seconds)}
        self._run(lambda conn: conn.execute(insert(staff_sessions).values(**row)))
        return session_id

    def staff_session_valid(self, session_id: str) -> bool:
        query = select(staff_sessions.c.expires_at).where(staff_sessions.c.session_id == session_id)
        row = self._run(lambda conn: conn.execute(query).first(), write=False)
        return row is not None and _utc(row.expires_at) > _now()

    def staff_session_end(self, session_id: str) -> None:
        self._run(lambda conn: conn.execute(delete(staff_sessions).where(staff_sessions.c.session_id == session_id)))

    # -- retention and erasure -------------------------------------------------------------------------

    def purge(self, retention_days: int, now: datetime | None = None) -> PurgeReport:
        """Deletes questions, answers, feedback and chat sessions older than the retention; expired logins."""
        now = now or _now()
        cutoff = now - timedelta(days=retention_days)

        def work(conn: Connection) -> PurgeReport:
            old = select(questions.c.answer_id).where(questions.c.created_at <= cutoff)
            fb = conn.execute(
                delete(feedback).where(or_(feedback.c.created_at <= cutoff, feedback.c.answer_id.in_(old)))
            )
            qs = conn.execute(delete(questions).where(questions.c.created_at <= cutoff))
            cs = conn.execute(delete(chat_sessions).where(chat_sessions.c.updated_at <= cutoff))
            ss = conn.execute(delete(staff_sessions).where(staff_sessions.c.expires_at <= now))
            return PurgeReport(
                questions=qs.rowcount, feedback=fb.rowcount, chat_sessions=cs.rowcount, staff_sessions=ss.rowcount
            )

        return self._run(work)

    def erase(self, conversation_or_answer_id: str) -> int:
        """Deletes one answer, or a whole conversation (by its session id), with its feedback. Returns rows."""
        key = conversation_or_answer_id

        def work(conn: Connection) -> int:
            ids = select(questions.c.answer_id).where(or_(questions.c.answer_id == key, questions.c.session_id == key))
            count = conn.execute(delete(feedback).where(feedback.c.answer_id.in_(ids))).rowcount
            count += conn.execute(
                delete(questions).where(or_(questions.c.answer_id == key, questions.c.session_id == key))
            ).rowcount
            count += conn.execute(delete(chat_sessions).where(chat_sessions.c.session_id == key)).rowcount
            return count

        return self._run(work)
