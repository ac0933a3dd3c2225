"""Feedback and the question log behind SQLAlchemy 2 (SQLite by default, PostgreSQL by URL); personal data
is masked before anything is written."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text,
                        create_engine, event, func, insert, or_, select)
from sqlalchemy.engine import Engine, make_url

from assistant.errors import UnknownAnswer
from assistant.privacy import mask_personal_data
from assistant.settings import Settings

logger = logging.getLogger(__name__)

metadata = MetaData()

questions = Table(
    "questions", metadata,
    Column("answer_id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("channel", String(16), nullable=False),  # "api", "chat", "web", "widget", "staff"
    Column("pool", String(100), nullable=True, index=True),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("abstained", Boolean, nullable=False, index=True),
    Column("citations", Text, nullable=False, default=""),  # labels, one a line, for the staff view
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(64), ForeignKey("questions.answer_id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("vote", String(4), nullable=False),
    Column("comment", Text, nullable=True),
)



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


def _utc(value: datetime) -> datetime:
    # SQLite hands DateTime columns back naive; everything is written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL on every commit, so a row
    # acknowledged to a client survives the process (or the machine) dying right after.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Storage:
    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        kwargs: dict = {}
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False}
        self.engine: Engine = create_engine(url, pool_pre_ping=True, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)
        logger.info("storage ready at %s", parsed.render_as_string(hide_password=True))

    @classmethod
    def from_settings(cls, settings: Settings) -> "Storage":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(settings.sqlalchemy_url)

    def close(self) -> None:
        self.engine.dispose()

    def log_question(self, *, answer_id: str, question: str, pool: str | None, channel: str,
                     answer: str, abstained: bool, citations: list[str] | tuple[str, ...] = ()) -> None:
        row = {"answer_id": answer_id, "created_at": datetime.now(timezone.utc), "channel": channel,
               "pool": pool, "question": mask_personal_data(question), "answer": mask_personal_data(answer),
               "abstained": abstained, "citations": "\n".join(citations)}
        with self.engine.begin() as conn:
            conn.execute(insert(questions).values(**row))

    def add_feedback(self, *, answer_id: str, vote: Literal["up", "down"], comment: str | None = None) -> int:
        """Stores a vote; returns its id once the row is committed (and, on SQLite, fsynced)."""
        comment = mask_personal_data(comment.strip()) if comment and comment.strip() else None
        with self.engine.begin() as conn:
            known = conn.execute(select(questions.c.answer_id).where(questions.c.answer_id == answer_id)).first()
            if known is None:
                raise UnknownAnswer(f"Ukendt svar-id {answer_id!r}; feedback skal henvise til et givet svar.")
            result = conn.execute(insert(feedback).values(answer_id=answer_id, vote=vote, comment=comment,
                                                          created_at=datetime.now(timezone.utc)))
            return int(result.inserted_primary_key[0])

    def question(self, answer_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(questions).where(questions.c.answer_id == answer_id)).mappings().first()
        return dict(row) if row else None

    def feedback_for(self, answer_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(feedback).where(feedback.c.answer_id == answer_id)
                                .order_by(feedback.c.id)).mappings().all()
        return [dict(r) for r in rows]

    def gaps(self, pool: str | None = None, limit: int = 100) -> list[Gap]:
        """Abstained and thumbs-down questions, newest first (a question appears once)."""
        down = (select(feedback.c.answer_id, func.max(feedback.c.comment).label("comment"))
                .where(feedback.c.vote == "down").group_by(feedback.c.answer_id).subquery())
        query = (select(questions, down.c.comment, down.c.answer_id.label("down_id"))
                 .outerjoin(down, down.c.answer_id == questions.c.answer_id)
                 .where(or_(questions.c.abstained.is_(True), down.c.answer_id.is_not(None)))
                 .order_by(questions.c.created_at.desc()).limit(limit))
        if pool is not None:
            query = query.where(questions.c.pool == pool)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [Gap(answer_id=r["answer_id"], created_at=_utc(r["created_at"]), pool=r["pool"],
                    channel=r["channel"], question=r["question"],
                    reason="abstained" if r["abstained"] else "thumbs_down", comment=r["comment"])
                for r in rows]
