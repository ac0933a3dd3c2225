"""Sessions kept in the database, so replicas on one database continue each other's chats and logins:
chat history by an opaque id, and staff logins behind a cookie signed with ASSISTANT_SECRET_KEY."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from itsdangerous import BadData, URLSafeTimedSerializer

from assistant.errors import DatabaseUnavailable
from assistant.settings import Settings
from assistant.storage import Storage
from assistant.web.schemas import MAX_HISTORY

logger = logging.getLogger(__name__)

CHAT_TTL_SECONDS = 6 * 3600
STAFF_MAX_SECONDS = 8 * 3600  # a staff login never lasts longer, whatever the settings say
LOGIN_FORM_SECONDS = 3600


class ChatSessions:
    """Server-side chat history in the database; an unknown or expired id starts a new session."""

    def __init__(self, storage: Storage, max_messages: int = MAX_HISTORY, ttl_seconds: int = CHAT_TTL_SECONDS):
        self.storage, self.max_messages, self.ttl = storage, max_messages, ttl_seconds

    def history(self, session_id: str | None) -> tuple[str, list[dict]]:
        if session_id:
            try:
                messages = self.storage.chat_history(session_id, self.ttl)
            except DatabaseUnavailable:
                messages = None  # degraded: the question is answered without its history
            if messages is not None:
                return session_id, messages
        return secrets.token_urlsafe(16), []

    def append(self, session_id: str, *messages: dict) -> None:
        try:
            self.storage.chat_append(session_id, list(messages), self.max_messages)
        except DatabaseUnavailable:
            logger.warning("chat history not stored: database unavailable")


def secret_key(settings: Settings) -> str:
    """ASSISTANT_SECRET_KEY, or one generated once into the data dir (replicas must share the setting)."""
    configured = settings.secret_key.get_secret_value()
    if configured:
        return configured
    path: Path = settings.data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _double_submit(signer: URLSafeTimedSerializer) -> tuple[str, str]:
    nonce = secrets.token_urlsafe(16)
    return nonce, signer.dumps(nonce)


def _double_submit_valid(signer: URLSafeTimedSerializer, cookie: str | None, field: str | None) -> bool:
    if not cookie or not field or len(field) > 512:
        return False
    try:
        return secrets.compare_digest(signer.loads(field, max_age=LOGIN_FORM_SECONDS), cookie)
    except (BadData, ValueError, TypeError):
        return False


class StaffSessions:
    """Logins stored server-side (logout revokes them); the cookie carries only the signed session id."""

    def __init__(self, storage: Storage, key: str, hours: float) -> None:
        self.storage = storage
        self.max_age = int(min(hours * 3600, STAFF_MAX_SECONDS))
        self._signer = URLSafeTimedSerializer(key, salt="tilskud-staff-session")
        self._form_signer = URLSafeTimedSerializer(key, salt="tilskud-login-form")
        self._action_signer = URLSafeTimedSerializer(key, salt="tilskud-staff-action")

    # The login form carries a signed copy of a nonce that is also set as a cookie (double submit), so a
    # login can only be posted from a form this server handed out, to the same browser, within the hour.

    def login_form(self) -> tuple[str, str]:
        """(cookie value, the form's hidden field)."""
        return _double_submit(self._form_signer)

    def login_form_valid(self, cookie: str | None, field: str | None) -> bool:
        return _double_submit_valid(self._form_signer, cookie, field)

    # Forms that change files (the «Godkend» of a fact) get the same double submit, under their own salt so
    # that a login form's token is no use there.

    def action_form(self) -> tuple[str, str]:
        return _double_submit(self._action_signer)

    def action_form_valid(self, cookie: str | None, field: str | None) -> bool:
        return _double_submit_valid(self._action_signer, cookie, field)

    def start(self) -> str:
        """A new login; returns the cookie value. Raises DatabaseUnavailable when it cannot be stored."""
        return self._signer.dumps(self.storage.staff_session_start(self.max_age))

    def session_id(self, cookie: str | None) -> str | None:
        if not cookie or len(cookie) > 512:
            return None
        try:
            value = self._signer.loads(cookie, max_age=self.max_age)
        except (BadData, ValueError, TypeError, OverflowError):
            return None  # forged, expired or malformed: never an error
        return value if isinstance(value, str) else None

    def valid(self, cookie: str | None) -> bool:
        session_id = self.session_id(cookie)
        if session_id is None:
            return False
        try:
            return self.storage.staff_session_valid(session_id)
        except DatabaseUnavailable:
            return False

    def end(self, cookie: str | None) -> None:
        session_id = self.session_id(cookie)
        if session_id is not None:
            self.storage.staff_session_end(session_id)
