"""Tilskudsassistenten: cited answers from the guidelines of Social- og Boligstyrelsen's grant pools.

Data flow: corpus/ (curated Markdown) → index (chunks, dense + lexical) → retrieval (hybrid, per pool)
→ rules (facts with their source sentences) → Answer with citations.
"""

from assistant.errors import AssistantError
from assistant.models import Answer, Citation, Fact

__all__ = ["Assistant", "Answer", "Citation", "Fact", "AssistantError"]


def __getattr__(name: str):
    # Imported lazily: llama-index and the embedding engine take a second to import, which commands
    # such as `assistant corpus check` do not need.
    if name == "Assistant":
        from assistant.assistant import Assistant

        return Assistant
    raise AttributeError(name)
