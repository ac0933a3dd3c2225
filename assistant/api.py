"""Compatibility shim: the web layer lives in assistant.web (app factory, routes, templates)."""

from assistant.web.app import create_app
from assistant.web.routes.ask import sentence_pieces
from assistant.web.sessions import ChatSessions

__all__ = ["ChatSessions", "create_app", "sentence_pieces"]
