"""The one small exception hierarchy; messages say what to do about the problem."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: every error the library raises on purpose."""


class InvalidQuestion(AssistantError, ValueError):
    """The question is empty, too long or contains control characters."""


class UnknownPool(AssistantError, LookupError):
    """A pool id that is not in the corpus."""


class UnknownSection(AssistantError, LookupError):
    """A doc_id or section id that is not in the corpus."""


class UnknownAnswer(AssistantError, LookupError):
    """Feedback for an answer_id that was never handed out (or was logged elsewhere)."""


class CorpusError(AssistantError):
    """The curated corpus is malformed (front matter, anchors, sections)."""


class IngestError(AssistantError):
    """A raw document cannot be turned into a draft."""


class IndexMissing(AssistantError):
    """No built index where the settings point."""


class IndexStale(AssistantError):
    """The built index no longer matches the corpus or the settings."""


class FactDrift(AssistantError):
    """A fact's quote is no longer found verbatim in the curated corpus."""


class DatabaseUnavailable(AssistantError):
    """The database cannot be reached or refuses writes; answering goes on without it."""


class IndexCorrupt(AssistantError):
    """An index file does not match the checksum recorded when the index was built."""
