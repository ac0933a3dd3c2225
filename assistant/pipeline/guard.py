"""Step 6 — the last check on every answer: each quote stands verbatim in its cited section, and each
number shown stands in a fact, a quote, a citation label, a calculation or the question itself."""

from __future__ import annotations

import logging
import re

from assistant.corpus import Corpus
from assistant.models import Answer
from assistant.pipeline.quote import is_verbatim
from assistant.privacy import mask_personal_data

logger = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
CONTACT = "Kontakt Social- og Boligstyrelsen, som administrerer puljerne, for at få et sikkert svar."
WITHHELD = "Jeg kan ikke give et sikkert svar på det. " + CONTACT


def unsourced_numbers(text: str, sources: list[str]) -> list[str]:
    """Numbers in `text` that stand in none of `sources` (as whole numbers, not digit runs inside others)."""
    known = {n for source in sources for n in _NUMBER.findall(source)}
    return [n for n in _NUMBER.findall(text) if n not in known]


def guard(answer: Answer, corpus: Corpus, derived: list[str], names: list[str]) -> Answer:
    bad = [c for c in answer.citations if not is_verbatim(corpus, c.doc_id, c.section, c.quote)]
    if bad:
        # Never shown as a quote: a bug upstream, logged loudly, and the answer withheld.
        logger.error("quote not verbatim, answer withheld: %s", [(c.doc_id, c.section, c.quote[:80]) for c in bad])
        return Answer(question=answer.question, pool=answer.pool, abstained=True, answer=WITHHELD)
    allowed = [f.display for f in answer.facts] + [f.quote for f in answer.facts]
    allowed += [c.quote for c in answer.citations] + [c.label for c in answer.citations]
    allowed += list(derived) + list(names) + [answer.question]
    stray = unsourced_numbers(answer.answer, allowed)
    if stray:
        logger.error("answer withheld: unsourced numbers %s for %r", stray, mask_personal_data(answer.question))
        return Answer(question=answer.question, pool=answer.pool, abstained=True, answer=WITHHELD)
    return answer
