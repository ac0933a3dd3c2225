"""Chat sessions: the server-side history of a conversation, keyed by an opaque id."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict

from assistant.web.schemas import MAX_HISTORY


class ChatSessions:
    """Server-side chat history: bounded in sessions (least recently used dropped), messages and age."""

    def __init__(self, max_sessions: int = 2000, max_messages: int = MAX_HISTORY, ttl_seconds: int = 6 * 3600):
        self._sessions: OrderedDict[str, tuple[float, list[dict]]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_sessions, self.max_messages, self.ttl = max_sessions, max_messages, ttl_seconds

    def history(self, session_id: str | None) -> tuple[str, list[dict]]:
        """The session's messages; an unknown or expired id starts a new session with a fresh id."""
        now = time.monotonic()
        with self._lock:
            entry = self._sessions.get(session_id) if session_id else None
            if entry is None or now - entry[0] > self.ttl:
                if entry is not None:
                    del self._sessions[session_id]
                return secrets.token_urlsafe(16), []
            return session_id, list(entry[1])

    def append(self, session_id: str, *messages: dict) -> None:
        with self._lock:
            _, history = self._sessions.pop(session_id, (0.0, []))
            history = (history + list(messages))[-self.max_messages :]
            self._sessions[session_id] = (time.monotonic(), history)
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)

    def __len__(self) -> int:
        return len(self._sessions)
