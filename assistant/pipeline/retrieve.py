"""Step 4 — Query + Scope → Passages: sections ranked by hybrid search inside the pools in scope (and the
general documents), the 2005 pjece kept as background below current pool documents, and how surely the
best one answers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from wordfreq import zipf_frequency

from assistant.danish import MONTH_PATTERN, fold
from assistant.glossary import document_terms, expand
from assistant.models import Chunk, Citation
from assistant.pipeline.quote import EMAIL
from assistant.pipeline.scope import Scope
from assistant.pipeline.understand import Query, named_topic_terms, question_sentences, surface_word
from assistant.retrieval import HybridRetriever
from assistant.rules.lexicon import term_pattern

# Words rarer than this in Danish (wordfreq's zipf scale: 3 ≈ once per million words) are rare words.
RARE_WORD_ZIPF = 4.5
# What the hybrid ranking of a section loses when it comes from the background pjece and the question is
# about the pools: enough to put any current pool passage of similar rank first.
BACKGROUND_PENALTY = 0.5
# How surely a section that gives the e-mail address asked for answers (0…1).
CONTACT_HIT_RELEVANCE = 0.8
# How surely the FAQ answer to a restated question answers (0…1).
RESTATED_RELEVANCE = 0.8
# A figure as written in Danish: "30.000", "1.649", "12,9" (four characters or more are looked for).
_FIGURE = re.compile(r"\d[\d.,]*\d")
_EN_MONTHS = "(?:january|february|march|april|may|june|july|august|september|october|november|december)"
# A month with its year, and a day before it if given ("1. februar 2026", "januar 2028", "June 2026").
_DATES = re.compile(rf"(?:\b\d{{1,2}}\.?\s+)?\b(?:{MONTH_PATTERN}|{_EN_MONTHS})\s+\d{{4}}\b", re.I)
# What the relevance of the best section gains when it uses one of the question's rare words.
RARE_WORD_HIT = 0.1


@dataclass(frozen=True)
class Passage:
    chunk: Chunk
    score: float
    dense: float | None
    exact: float = 0.0  # the question's rare words it uses ("gavekort"), where few sections use them
    restated: bool = False  # an FAQ answer whose question the user's question restates


@dataclass(frozen=True)
class Passages:
    ranked: tuple[Passage, ...]  # best first, one per section
    relevance: float  # 0…1: how surely the best passage answers
    vector: np.ndarray  # the search text's embedding (reused to pick quote sentences)
    search_text: str
    quotes: tuple[Citation, ...] = ()  # filled by the quote step, one per ranked section

    @property
    def best(self) -> Passage | None:
        return self.ranked[0] if self.ranked else None


def retrieve(query: Query, scope: Scope, retriever: HybridRetriever, max_sections: int = 6) -> Passages:
    # "betale det tilbage" is "tilbagebetales" in the documents. Inside the pools in scope only: across pools, a
    # word one pool's guideline happens to use would pick the pool.
    joined = retriever.joined_verbs(query.search_text) if scope.pools else ""

    def searched(words: str) -> str:
        expanded = expand(words)
        return f"{expanded} ({joined})" if joined else expanded

    # Whom a cost is for, named by an uncommon word ("pension til projektlederen"), is not what is asked: its words
    # would pull the sections that mention that person over the one on the cost.
    own_rare = rare_words(query)
    aside = set(query.for_whom) & set(own_rare)

    def without_aside(text: str) -> str:
        return " ".join(w for w in text.split() if fold(w).strip("?.,!") not in aside) if aside else text

    text = searched(without_aside(query.search_text))
    vector = retriever.embed_question(text)
    if query.spelled_text:
        # Typed without æ, ø, å or misspelt ("kobe gavekort … gruppeforlob"), the words are other words to the
        # embedding model: the question is read both as typed and as the documents spell it.
        both = vector + retriever.embed_question(searched(without_aside(query.spelled_text)))
        vector = both / np.linalg.norm(both)
    # The pool scope is applied inside both searches, before ranking: a pool's passages are found however
    # many pools the index holds. General documents (pool None) stay in scope.
    # The rare words of the sentences that ask pick the few sections that use them; a rare word of the setting
    # told before ("… mellem boligafdelinger i hele kommunen. Kan vi få kørsel …?") is not what is asked.
    # (An English question's rare words are the Danish terms its words stand for: none stands in it.)
    sentences = question_sentences(query.text)
    asked = set(fold(sentences).split())
    # (Unless the asking sentence leans on the setting — "… men vores digitale signatur ville ikke virke … Bliver den
    # stadig behandlet?" —: then the setting's rare words are what it asks about.)
    rare = own_rare if query.english or query.reads_setting else tuple(w for w in own_rare if w in asked) or own_rare
    rare = tuple(w for w in rare if w not in aside)
    # A separable verb's one-word form names the thing as the documents do ("bygge … om" → "ombygning").
    if scope.pools:
        rare = tuple(dict.fromkeys((*rare, *retriever.joined_verbs(sentences).split())))
    # Figures the asking sentences quote ("de 30.000 kr.", "1.649 timer"): the few sections that state them.
    figures = asked_figures(sentences)
    hits = retriever.search(
        text, vector, pools=(*scope.pools, None) if scope.pools else None, rare_words=rare, figures=figures
    )
    best: dict[tuple[str, str], Passage] = {}
    for hit in hits:
        score = hit.score
        # Background only where the question is about a pool; a general question may land on the pjece.
        if hit.chunk.kind == "pjece" and not query.wants_background and (scope.pools or query.about_pools):
            score *= BACKGROUND_PENALTY
        key = (hit.chunk.doc_id, hit.chunk.section)
        if key not in best or best[key].score < score:
            best[key] = Passage(hit.chunk, score, hit.dense, hit.exact, hit.restated)
    ranked = sorted(best.values(), key=lambda p: p.score, reverse=True)
    current = [p for p in ranked if p.chunk.kind != "pjece"]
    if (
        not query.wants_background
        and current
        and (scope.pools or query.about_pools or query.asks_funding or ranked[0].chunk.kind != "pjece")
    ):
        # The 2005 pjece is not a rule of any pool: a question about a pool is answered by the pool's own
        # documents, and beside a current passage the pjece is never cited (it would read as a rule). It
        # answers only general questions it answers best (its own examples and advice), never one that asks
        # for money ("Er det noget I giver penge til?"): it has none to give.
        ranked = current
    ranked = _each_named_pool(ranked, scope, max_sections)
    ranked = _general_before_special(ranked, query, text)
    relevance = 0.0
    if ranked:
        dense = max((p.dense or 0.0) for p in ranked[:5])
        relevance = relevance_of(query, ranked[0].chunk, dense, retriever)
        joined_used = any(w in fold(ranked[0].chunk.text).split() for w in joined.split())
        if (
            (ranked[0].exact and uses_rare_thing(query, ranked[0].chunk))
            or uses_compound_head(query, ranked[0].chunk, retriever)
            or uses_mapped_term(query, ranked[0].chunk)
            or joined_used
            or names_fact_term(query, ranked[0].chunk)
        ):
            # The best section uses a rare word of the question that few sections use, or the documents' own
            # word for one of its everyday words ("fodbold" → "idrætsaktiviteter", "bygge om" → "ombygning"): the surest signs it is about
            # what was asked, however many everyday words around them dilute the overlap.
            relevance = min(1.0, relevance + RARE_WORD_HIT)
        if ranked[0].restated:
            # The question was asked before, in the FAQ: its answer answers it.
            relevance = max(relevance, RESTATED_RELEVANCE)
        if (
            "contact" in query.types
            and EMAIL.search(ranked[0].chunk.text)
            and not re.search(r"telefon|phone|ringe", query.folded)
        ):
            # "Hvad er e-mailadressen?": the best section gives an e-mail address — it answers, however few
            # words it shares with the question.
            relevance = max(relevance, CONTACT_HIT_RELEVANCE)
    return Passages(tuple(ranked), relevance, vector, text)


def asked_figures(text: str) -> tuple[str, ...]:
    """The figures a question quotes ("de 30.000 kr.", "1.649 timer"), which the few sections stating them answer.
    A date the asker proposes ("frem til januar 2028", "1. februar 2026") is theirs, not a figure the documents
    state: its year would pull any section that names that year."""
    return tuple(dict.fromkeys(f for f in _FIGURE.findall(_DATES.sub(" ", text)) if len(f) >= 4))


def _each_named_pool(ranked: list[Passage], scope: Scope, max_sections: int) -> list[Passage]:
    """The best passages, with each pool the question names among them ("… på samme måde hos SærligSoc og
    viceværterne?"): one pool's passages may outrank all of the other's, and the answer is said per pool."""
    if len(scope.pools) < 2 or not scope.named_in_question:  # (pools open to the asker are no pools asked about)
        return ranked[:max_sections]
    # Each pool's best passage first (best of them first), then the rest in their order: the quotes are taken
    # from the first few.
    leaders: list[Passage] = []
    for pool in scope.pools:
        leaders += [p for p in ranked if p.chunk.pool == pool][:1]
    leaders.sort(key=lambda p: p.score, reverse=True)
    return [*leaders, *(p for p in ranked if p not in leaders)][:max_sections]


# A special case's section this close to the general one it narrows is still the special case (0…1).
SPECIAL_CASE_RATIO = 0.6
# Words of a title that do not narrow what it is about ("Ikke tilskudsberettigede udgifter" is the opposite rule).
_NOT_NARROWING = {"ikke", "og", "ved", "af", "ad", "for", "til", "om", "i", "paa", "med", "samt", "eller"}


def _title_words(chunk: Chunk) -> set[str]:
    return {w for w in fold(re.sub(r"^[\d.]+\s*", "", chunk.title)).split() if not w.isdigit()}


def _general_before_special(ranked: list[Passage], query: Query, asked: str) -> list[Passage]:
    """ "Kan vi sende ansøgningen på mail?" finds "It-problemer ved indgivelse af ansøgning" a hair before
    "Indgivelse af ansøgning": where the best section's title narrows the next one's (all its words and more) by
    words the question never uses, the special case is not what was asked, and the general section leads."""
    if len(ranked) < 2 or ranked[1].score < SPECIAL_CASE_RATIO * ranked[0].score:
        return ranked
    if query is not None and "contact" in query.types and not EMAIL.search(ranked[1].chunk.text):
        return ranked  # "Hvilken mailadresse …?" asks for the address the special case gives
    first, second = ranked[0].chunk, ranked[1].chunk
    general, special = _title_words(second), _title_words(first)
    if first.doc_id != second.doc_id or not general or not general < special:
        return ranked
    narrowing = special - general - _NOT_NARROWING
    words = fold(asked).split()
    if not narrowing or any(w.startswith(n[:5]) or n.startswith(w[:5]) for n in narrowing for w in words if len(w) > 2):
        return ranked
    return [ranked[1], ranked[0], *ranked[2:]]


def rare_words(query: Query) -> tuple[str, ...]:
    """The question's own uncommon words ("gavekort", "kilometertakst"), as written: everyday Danish words
    (wordfreq) and short ones are left to the other rankings. An English question shares no words with the
    corpus: its words count through the Danish document terms they stand for ("VAT" → "moms")."""
    if query.english:
        danish = {fold(t) for w in query.topic for t in document_terms(w).split()}
        terms = {t for t in danish if len(t) >= 4 and zipf_frequency(t, "da") < RARE_WORD_ZIPF}
        # Its own words count as written too: a Danish word in it ("gavekort") or one both languages use
        # ("vouchers") finds the few sections that use it; an English word the corpus lacks finds none.
        return tuple(sorted(terms | {w for w in query.topic if len(w) >= 5}))
    return tuple(w for w in query.topic if len(w) >= 5 and _written_zipf(query, w) < RARE_WORD_ZIPF)


def _written_zipf(query: Query, word: str) -> float:
    """How common the word is in Danish as written — or as it is spelled with æ, ø, å where it was typed without
    them ("laerer" is "lærer", an everyday word, though "laerer" is no Danish word to wordfreq)."""
    return max(zipf_frequency(surface_word(query.text, word), "da"), _folded_zipf(word))


def _folded_zipf(word: str) -> float:
    """How common a folded word is in Danish, spelled back with æ, ø, å ("laerer" is "lærer")."""
    spelled = word.replace("ae", "æ").replace("oe", "ø").replace("aa", "å")
    return max(zipf_frequency(word, "da"), zipf_frequency(spelled, "da"))


def uses_rare_thing(query: Query, chunk: Chunk) -> bool:
    """The chunk uses one of the question's rare words that names a thing ("gavekort"), not a place or a
    name the user wrote with a capital ("Samsø"): a town in a question says where, not what."""
    text = fold(chunk.text)
    return any(
        (w if len(w) <= 6 else w[:-2]) in text
        for w in rare_words(query)
        if not surface_word(query.text, w)[:1].isupper()
    )


def thing_heads(query: Query, retriever: HybridRetriever) -> dict[str, str]:
    """The question's compounds that the documents never use, each with its last part where that is an uncommon
    word of theirs ("biografgavekort" → "gavekort"): a compound names a kind of its last part, so the documents'
    rule on that thing is said of it. An everyday last part ("nabokommuner" → "kommuner") names no thing of its
    own whose rule would answer."""
    return {
        w: head
        for w in rare_words(query)
        if (head := retriever.compound_head(w)) and _folded_zipf(head) < RARE_WORD_ZIPF
    }


def uses_compound_head(query: Query, chunk: Chunk, retriever: HybridRetriever) -> bool:
    """The chunk uses the uncommon last part of a compound of the question (`thing_heads`)."""
    text = fold(chunk.text)
    return any(head in text for head in thing_heads(query, retriever).values())


def uses_mapped_term(query: Query, chunk: Chunk) -> bool:
    """The chunk uses a document word that the glossary maps one of the question's words or phrases to."""
    # Word by word, and the whole text for the glossary's phrases ("flytte rundt i budgettet" → "budgetændring"),
    # as `expand` reads it.
    texts = [query.search_text, *query.search_text.split()]
    terms = [t for text in texts for t in document_terms(text).split()]
    text = fold(chunk.text)
    return any(fold(t)[:-2] in text for t in terms if len(t) >= 6)


def names_fact_term(query: Query, chunk: Chunk) -> bool:
    """The chunk uses a fact's own term that the question names ("sign on fee" in "Who can get a sign-on fee?"):
    as sure a sign as a rare word, where the term is of short words or the question is English."""
    text = fold(chunk.text)
    return any(term_pattern([t], inside_words=True).search(text) for t in named_topic_terms(query) if " " in t.strip())


def relevance_of(query: Query, chunk: Chunk, dense: float | None, retriever: HybridRetriever) -> float:
    """0…1: how surely the best chunk answers — meaning (cosine), wording (n-grams) and whether the corpus
    knows the question's topic words at all. Calibrated on evals/dev.jsonl.

    e5 cosines sit in a narrow band (≈0.80 unrelated … 0.90 on topic), so they are rescaled first.
    English questions share no words with the Danish corpus: there meaning alone decides.
    """
    cosine = dense if dense is not None else 0.80
    meaning = min(max((cosine - 0.80) / 0.10, 0.0), 1.0)
    text = f"{chunk.title} {chunk.text}"
    own = query.search_text  # the sentences that ask (and, for a follow-up, the turn before)
    if query.english:
        terms = document_terms(own)
        return 0.5 * meaning + 0.5 * retriever.overlap(terms, text) if terms else meaning
    expanded = expand(own)
    # A word the glossary maps to the documents' words ("fodboldtræninger" → "idrætsaktiviteter") is known
    # through them: coverage counts the mapped words, not the everyday one the corpus never uses.
    # So is a compound through its uncommon last part ("biografgavekort" → "gavekort").
    heads = thing_heads(query, retriever)
    mapped = " ".join(document_terms(w) or heads.get(fold(w).strip(".,?!:;"), w) for w in own.split())
    return 0.4 * meaning + 0.3 * retriever.overlap(expanded, text) + 0.3 * retriever.coverage(mapped)
