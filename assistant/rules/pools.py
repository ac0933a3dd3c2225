"""Which pool a question is about: named in the question, chosen by the user, or carried by the
conversation; and whether it names a pool that is not in the corpus at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.danish import fold
from assistant.models import Message

# Everyday words for the pools beyond facts.yaml's aliases would be guesses; these generic words
# name *some* pool or funder and so signal a pool the corpus does not have when no alias matches.
_FOREIGN_FUNDER = re.compile(
    r"\b(?!ansoegnings|social og bolig|social)\w*(?:puljen|puljer|pulje|fonden|fondens|fond|ministeriets?|styrelsens?)\b"
    r"|\b(?:puljen|pulje) (?:til|for|om) (?P<topic>(?:\w+ ){0,4}\w+)"
)
_GENERIC = {"puljen", "puljer", "pulje", "puljerne", "ansoegningspuljen", "ansoegningspuljer", "fond",
            "socialministeriet", "socialministeriets", "socialstyrelsen", "socialstyrelsens",
            "boligstyrelsen", "boligstyrelsens", "styrelsen", "styrelsens", "ministeriet", "ministeriets"}


@dataclass(frozen=True)
class PoolNames:
    pool: str
    names: tuple[str, ...]  # folded: official name, short name, aliases

    def mentioned_in(self, folded: str) -> int:
        """Position of the first mention, or -1."""
        positions = [m.start() for n in self.names if (m := re.search(rf"\b{re.escape(n)}", folded))]
        return min(positions) if positions else -1


def mentioned_pools(text: str, pools: list[PoolNames]) -> list[str]:
    """Pools named in a text, in the order they are named."""
    folded = fold(text)
    found = sorted((p.mentioned_in(folded), p.pool) for p in pools if p.mentioned_in(folded) >= 0)
    return [pool for _, pool in found]


def pool_from_history(history: list[Message], pools: list[PoolNames]) -> str | None:
    """The pool the conversation was last about: the user's own words first, then the answers."""
    for role in ("user", "assistant"):
        for message in reversed(history):
            if message.role == role and (named := mentioned_pools(message.content, pools)):
                return named[-1]
    return None


def names_unknown_pool(text: str, pools: list[PoolNames]) -> str | None:
    """The words naming a pool or funder that is not in the corpus ("Kulturministeriets pulje"), if any."""
    folded = fold(text)
    if any(p.mentioned_in(folded) >= 0 for p in pools):
        return None
    for match in _FOREIGN_FUNDER.finditer(folded):
        words = match.group(0)
        if words in _GENERIC and not match.group("topic"):
            continue
        topic = match.group("topic")
        if topic and (_topic_is_known(topic, pools) or not _names_a_purpose(topic)):
            continue
        return words
    return None


_NOT_A_PURPOSE = {"naeste", "projekter", "projektet", "foreninger", "kommuner", "organisationer", "ansoegning",
                  "ansoegningen", "denne", "dette", "andre", "frivillige", "hvilke", "hvad", "hvem"}


def _names_a_purpose(topic: str) -> bool:
    """ "puljen til bekæmpelse af ensomhed" names a pool; "puljen til næste år" does not."""
    first = topic.split()[0]
    return first.isalpha() and len(first) >= 5 and first not in _NOT_A_PURPOSE


def _topic_is_known(topic: str, pools: list[PoolNames]) -> bool:
    return any(name in topic or topic in name for p in pools for name in p.names if len(name) > 3)
