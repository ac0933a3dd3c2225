"""Hybrid search: dense (FAISS, the index llama-index built) + character n-gram BM25, fused by reciprocal rank;
then the sentences of a section that answer the question best.

A pool scope is applied inside both searches, before anything is ranked: FAISS searches only the scope's
vectors (an id selector) and BM25 scores only its chunks, so a pool's passages are found however many pools
the index holds."""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache

import faiss
import numpy as np
from rapidfuzz.distance import OSA

from assistant.danish import char_ngrams, fold
from assistant.embedding import Embedder
from assistant.index import LoadedIndex, Sentence
from assistant.models import Chunk, Hit
from assistant.settings import Settings

ChunkFilter = Callable[[Chunk], bool]
# Pools to search, None for the general documents: ("groen-2026", None) = that pool plus general ones.
PoolScope = Iterable[str | None]

# Function words of questions; what is left names the topic, and a topic the corpus never mentions
# ("SU", "vejret", "selvangivelse") is the clearest sign of a question the guidelines do not cover.
STOPWORDS = set("""
i hvad hvem hvor hvordan hvornaar hvilke hvilken hvilket hvis hvorfor kan kunne skal skulle maa man vi jeg du
er var en et den det de og eller til for af paa med om at har have havde der som min mit mine vores jeres
bliver blive blev faa goere noget nogen ogsaa ikke vaere hos fra ved efter naar saa sig hun han dem os jer
mere meget mange lidt godt ja nej tak hej gerne lige bare nu her mig dig sin sit sine deres hans hendes
alle andre anden andet op ud ind over under mellem uden igen baade samt vil ville helt hele mest inden
denne dette disse end eller fx evt kr mio pct nogle hvornar hvordan hvorfor sker gaelder gaelde
""".split())  # noqa: SIM905 - a word list reads best as text


def content_words(question: str) -> list[str]:
    """Topic words: three letters or more, and acronyms such as "SU" or "EU" however short."""
    acronyms = {fold(a) for a in re.findall(r"\b[A-ZÆØÅ]{2,}\b", question)}
    return [w for w in fold(question).split() if w not in STOPWORDS and (len(w) > 2 or w in acronyms)]


def within_one_edit(a: str, b: str) -> bool:
    """One typing slip apart: a letter added, left out or changed ("dakket"~"daekket", "ansogning"~"ansoegning"),
    or two neighbouring letters swapped ("mial"~"mail") — the optimal string alignment distance (rapidfuzz) ≤ 1."""
    return abs(len(a) - len(b)) <= 1 and OSA.distance(a, b, score_cutoff=1) <= 1


def _trigrams(word: str) -> set[str]:
    padded = f" {word} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


# Danish separable verbs: what applicants write apart ("betale det tilbage", "bygge lokalet om", "skrive under"),
# the documents write as one word ("tilbagebetales", "ombygning", "underskrive").
PARTICLES = ("tilbage", "ud", "ind", "over", "under", "fra", "med", "op", "af", "om", "ned")
# How far after its verb a particle may stand: the object between ("bygge vores mødelokale om").
PARTICLE_WINDOW = 3
_VERB_ENDINGS = ("ede", "ene", "er", "es", "et", "te", "e", "r", "t", "")
# What may follow the joined stem: a form of the verb or its noun ("ombygning", "overførsel") — not another word
# that happens to start alike ("komme ind" is no "indkomst").
_JOINED_REST = re.compile(r"(?:e|er|es|et|ede|ende|te|t|s|r|ning|ninger|ningen|sel|slen|else|elsen)?")


# An FAQ question this close to the user's (e5 cosine), and this far ahead of the next FAQ question, is the
# user's question asked before: its answer answers it.
FAQ_RESTATED = 0.91
FAQ_RESTATED_MARGIN = 0.002
# A rare word that more chunks than this use does not point to the passage that answers.
EXACT_WORD_MAX_CHUNKS = 3
STEM_CACHE_WORDS = 20_000
# A word this long that stands inside a compound the documents use ("opsamling" in "erfaringsopsamlingen") is
# one of their words.
COMPOUND_PART_MIN_CHARS = 6
# What a compound adds before its head ("biograf" in "biografgavekort") is at least this long: shorter, it is an
# inflection or a prefix ("u-", "gen-") that may change what the word means.
COMPOUND_MODIFIER_MIN_CHARS = 4
# How much longer than the documents' word a compound's head may be as written: its inflection ("gavekortene").
HEAD_INFLECTION_CHARS = 4


class HybridRetriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: Settings) -> None:
        self._index = index
        self._embedder = embedder
        self._settings = settings
        self._chunks = index.chunks
        position = {c.chunk_id: i for i, c in enumerate(self._chunks)}
        self._faiss = index.dense.vector_store.client
        # FAISS numbers vectors in the order llama-index added them; map them to chunk positions and back.
        nodes = index.dense.index_struct.nodes_dict
        self._chunk_of_vector = np.full(self._faiss.ntotal, -1, dtype=np.int64)
        for vector_id, node_id in nodes.items():
            self._chunk_of_vector[int(vector_id)] = position[node_id]
        mapped = np.flatnonzero(self._chunk_of_vector >= 0)
        self._vector_of_chunk = np.empty(len(self._chunks), dtype=np.int64)
        self._vector_of_chunk[self._chunk_of_vector[mapped]] = mapped
        self._pool_chunks: dict[str | None, np.ndarray] = {
            pool: np.array([i for i, c in enumerate(self._chunks) if c.pool == pool], dtype=np.int64)
            for pool in {c.pool for c in self._chunks}}
        self._sentences_of: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, s in enumerate(index.sentences):
            self._sentences_of[(s.doc_id, s.section)].append(i)
        # The FAQs' own questions (searched, never quoted) and the chunk of the answer each heads.
        first_chunk: dict[tuple[str, str], int] = {}
        for i, c in enumerate(self._chunks):
            first_chunk.setdefault((c.doc_id, c.section), i)
        self._faq_questions = np.array([i for i, s in enumerate(index.sentences)
                                        if not s.quotable and (s.doc_id, s.section) in first_chunk], dtype=np.int64)
        self._faq_chunks = np.array([first_chunk[(index.sentences[i].doc_id, index.sentences[i].section)]
                                     for i in self._faq_questions], dtype=np.int64)
        # Inverse document frequency of n-grams over sentences: rare n-grams ("1.649", "revisor")
        # decide which sentence answers; common ones ("ansøgning") barely count.
        self._sentence_grams = [set(char_ngrams(s.text)) for s in index.sentences]
        df: Counter[str] = Counter()
        for grams in self._sentence_grams:
            df.update(grams)
        n = max(len(index.sentences), 1)
        self._idf = {g: math.log(1 + n / c) for g, c in df.items()}
        self._max_idf = math.log(1 + n)
        self._vocabulary = {w for s in index.sentences for w in fold(s.text).split()}
        self._vocabulary |= {w for c in index.chunks for w in fold(c.title).split()}
        self._sorted_vocabulary = sorted(self._vocabulary)
        # Which chunks use a word, as written (folded): an exact rare word ("gavekort") is a third ranking.
        self._chunks_with_word: dict[str, set[int]] = defaultdict(set)
        for i, chunk in enumerate(self._chunks):
            for word in set(fold(f"{chunk.title} {chunk.text}").split()):
                self._chunks_with_word[word].add(i)
        self._stem_cache: dict[str, set[int]] = {}
        self._words_by_trigram: dict[str, set[str]] = defaultdict(set)
        for word in self._vocabulary:
            for gram in _trigrams(word):
                self._words_by_trigram[gram].add(word)
        self._question_grams = lru_cache(maxsize=1024)(self._weighed_grams)
        # Asked of the same text by several steps (search text, exact ranking, relevance, quote focus).
        self.joined_verbs = lru_cache(maxsize=1024)(self._joined_verbs)

    def known_word(self, word: str) -> bool:
        """In the corpus, also inflected or misspelt ("timesatsen"~"timesats", "malgruppen"~"maalgruppen"), or as
        the last part of a compound ("opsamling" in "erfaringsopsamlingen")."""
        if word in self._vocabulary:
            return True
        grams = _trigrams(word)
        candidates = Counter(w for g in grams for w in self._words_by_trigram.get(g, ()))
        return any(shared / len(grams | _trigrams(w)) >= 0.5
                   or (min(len(word), len(w)) >= 5 and (word.startswith(w) or w.startswith(word)))
                   or (len(word) >= COMPOUND_PART_MIN_CHARS and word in w)
                   or (len(word) >= 4 and within_one_edit(word, w))
                   for w, shared in candidates.items())

    def compound_head(self, word: str) -> str | None:
        """The documents' word that is the last part of a compound they never use ("gavekort" in "biografgavekort",
        "lokale" in "festlokalet"): a Danish compound names a kind of its last part, so what the documents say of
        the head is said of it. The longest such head, or None."""
        if word in self._vocabulary:
            return None
        for k in range(COMPOUND_MODIFIER_MIN_CHARS, len(word) - COMPOUND_PART_MIN_CHARS + 1):
            tail = word[k:]
            heads = [
                w
                for w in self.words_starting(tail[:COMPOUND_PART_MIN_CHARS])
                if tail.startswith(w) and len(tail) - len(w) <= HEAD_INFLECTION_CHARS
            ]
            if heads:
                return min(heads, key=len)
        return None

    def words_starting(self, prefix: str) -> list[str]:
        """The corpus's words (folded) that start with the prefix."""
        start = bisect.bisect_left(self._sorted_vocabulary, prefix)
        end = bisect.bisect_left(self._sorted_vocabulary, prefix + "\uffff")
        return self._sorted_vocabulary[start:end]

    def _joined_verbs(self, text: str) -> str:
        """The documents' one-word forms of the text's separable verbs: "betale det tilbage" → "tilbagebetales
        tilbagebetaling", "bygge lokalet om" → "ombygning" — each where the corpus uses such a word."""
        words = fold(text).split()
        found: list[str] = []
        for n, particle in enumerate(words):
            if particle not in PARTICLES:
                continue
            for verb in words[max(0, n - PARTICLE_WINDOW) : n]:
                stems = {verb[: len(verb) - len(e)] for e in _VERB_ENDINGS if verb.endswith(e)}
                # "bygge" → "byg": a doubled consonant before the ending is single in the stem ("ombygning").
                stems |= {s[:-1] for s in stems if len(s) >= 4 and s[-1] == s[-2] and s[-1] not in "aeiouy"}
                for stem in sorted((s for s in stems if len(s) >= 3), key=len, reverse=True):
                    joined = [
                        w for w in self.words_starting(particle + stem)
                        if _JOINED_REST.fullmatch(w[len(particle + stem) :])
                    ]
                    if joined:
                        found += sorted(joined, key=len)[:2]
                        break
        return " ".join(dict.fromkeys(found))

    def coverage(self, question: str) -> float:
        """Share of the question's content words the corpus knows (1.0 when it has none)."""
        words = content_words(question)
        return sum(self.known_word(w) for w in words) / len(words) if words else 1.0

    def embed_question(self, question: str) -> np.ndarray:
        return self._embedder.embed_queries([question])[0]

    def scope(self, pools: PoolScope | None) -> np.ndarray | None:
        """Chunk positions of the pools in scope (sorted), or None for the whole index."""
        if pools is None:
            return None
        parts = [self._pool_chunks[p] for p in set(pools) if p in self._pool_chunks]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def dense_ranking(self, question: str, vector: np.ndarray,
                      scope: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(chunk position, cosine), best first; with a scope FAISS only looks at the scope's vectors."""
        k = min(len(self._chunks) if scope is None else len(scope), 4 * self._settings.candidates)
        if k == 0:
            return []
        query = np.asarray(vector, dtype=np.float32)[np.newaxis, :]
        if scope is None:
            scores, ids = self._faiss.search(query, k)
        else:
            selector = faiss.IDSelectorBatch(self._vector_of_chunk[scope])
            scores, ids = self._faiss.search(query, k, params=faiss.SearchParameters(sel=selector))
        return [(int(self._chunk_of_vector[v]), float(s)) for v, s in zip(ids[0], scores[0]) if v >= 0]

    def restated_faq(self, vector: np.ndarray, scope: np.ndarray | None = None) -> int | None:
        """The chunk of the FAQ answer whose question the user's question restates: its question's cosine is
        at least FAQ_RESTATED and ahead of any other FAQ question's by FAQ_RESTATED_MARGIN. Measured on the dev
        sets, every such match was the expected source."""
        if not len(self._faq_questions):
            return None
        keep = np.ones(len(self._faq_questions), dtype=bool) if scope is None else np.isin(self._faq_chunks, scope)
        if not keep.any():
            return None
        cosines = self._index.sentence_vectors[self._faq_questions[keep]] @ np.asarray(vector, dtype=np.float32)
        chunks = self._faq_chunks[keep]
        best = int(np.argmax(cosines))
        others = cosines[chunks != chunks[best]]
        runner_up = float(others.max()) if len(others) else 0.0
        if cosines[best] >= FAQ_RESTATED and cosines[best] - runner_up >= FAQ_RESTATED_MARGIN:
            return int(chunks[best])
        return None

    def lexical_ranking(self, question: str, scope: np.ndarray | None = None,
                        pools: PoolScope | None = None) -> list[tuple[int, float]]:
        """(chunk position, BM25 score), best first; chunks outside the scope score nothing.

        With `pools`, each pool's own BM25 scores its chunks (and the general ones: the best of its pools'
        scores), so the ranking inside a pool is the same however many other pools the index holds.
        """
        grams = char_ngrams(question)
        if not grams:
            return []
        own = self._index.lexical_pools
        if pools is not None and own and all(p in own for p in set(pools)):
            scores = np.zeros(len(self._chunks), dtype=np.float32)
            for pool in set(pools):
                lexical, rows = own[pool]
                scores[rows] = np.maximum(scores[rows], lexical.get_scores(grams))
        else:
            scores = self._index.lexical.get_scores(grams)
        if scope is not None:
            scoped = np.zeros_like(scores)
            scoped[scope] = scores[scope]
            scores = scoped
        order = np.argsort(-scores)[: 4 * self._settings.candidates]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def exact_ranking(
        self, words: tuple[str, ...], scope: np.ndarray | None = None, figures: tuple[str, ...] = ()
    ) -> list[tuple[int, float]]:
        """(chunk position, number of the words it uses), best first: the chunks that use the question's rare
        words exactly, when few chunks do (a word in every other chunk decides nothing). A figure the question
        quotes ("de 30.000 kr.") counts as such a word: the few chunks that state it."""
        counts: Counter[int] = Counter()
        allowed = None if scope is None else set(scope.tolist())
        found = [self._chunks_with_stem(word) for word in words]
        found += [self._chunks_with_figure(figure) for figure in figures]
        for using in found:
            chunks = {i for i in using if allowed is None or i in allowed}
            if 0 < len(chunks) <= EXACT_WORD_MAX_CHUNKS:
                counts.update(chunks)
        return [(i, float(n)) for i, n in counts.most_common()]

    def _chunks_with_figure(self, figure: str) -> set[int]:
        """Chunks that state the figure as written ("30.000"), not inside a longer one ("130.000")."""
        pattern = re.compile(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)")
        return {i for i, chunk in enumerate(self._chunks) if pattern.search(chunk.text)}

    def _chunks_with_stem(self, word: str) -> set[int]:
        """Chunks that use the word in any inflection: "tidsplan" also as "tidsplanen", "medvirker" as
        "medvirken". Cached: the vocabulary is scanned once per word."""
        if word not in self._stem_cache:
            if len(self._stem_cache) > STEM_CACHE_WORDS:
                self._stem_cache.clear()  # bounded: questions bring any words
            stem = word if len(word) <= 6 else word[:-2]
            using = {i for w, positions in self._chunks_with_word.items() if w.startswith(stem) for i in positions}
            head = None if using else self.compound_head(word)
            # A compound the documents never use is found where they use its head ("gavekort" for "biografgavekort").
            self._stem_cache[word] = using or (self._chunks_with_stem(head) if head else set())
        return self._stem_cache[word]

    def search(self, question: str, vector: np.ndarray | None = None, allowed: ChunkFilter | None = None,
               limit: int | None = None, pools: PoolScope | None = None, rare_words: tuple[str, ...] = (),
               figures: tuple[str, ...] = ()) -> list[Hit]:
        """Chunks best first. `pools` scopes both searches before ranking (see the module docstring); `allowed`
        filters each list before fusion so that ranks count only citable chunks. `rare_words`, the question's
        uncommon words, add a third ranking: the few chunks that use them as written."""
        vector = self.embed_question(question) if vector is None else vector
        keep = allowed or (lambda chunk: True)
        take = self._settings.candidates
        pools = None if pools is None else tuple(pools)
        scope = self.scope(pools)
        dense = [(i, s) for i, s in self.dense_ranking(question, vector, scope) if keep(self._chunks[i])][:take]
        lexical = [(i, s) for i, s in self.lexical_ranking(question, scope, pools) if keep(self._chunks[i])][:take]
        exact = [(i, s) for i, s in self.exact_ranking(rare_words, scope, figures) if keep(self._chunks[i])][:take]
        fused: dict[int, float] = defaultdict(float)
        for ranking in (dense, lexical, exact):
            for rank, (i, _) in enumerate(ranking):
                fused[i] += 1.0 / (self._settings.rrf_k + rank + 1)
        # The user's question asked before, in an FAQ: its answer leads, however the rankings place it.
        restated = self.restated_faq(vector, scope)
        if restated is not None and keep(self._chunks[restated]):
            fused[restated] = max(fused.values(), default=0.0) + 1.0 / (self._settings.rrf_k + 1)
        dense_score, lexical_score, exact_score = dict(dense), dict(lexical), dict(exact)
        order = sorted(fused, key=fused.__getitem__, reverse=True)[: limit or take]
        return [Hit(chunk=self._chunks[i], score=fused[i], dense=dense_score.get(i),
                    lexical=lexical_score.get(i), exact=exact_score.get(i, 0.0), restated=i == restated)
                for i in order]

    def overlap(self, question: str, text: str | set[str]) -> float:
        """Share of the question's n-gram weight (idf) that the text (or its n-grams) contains, 0…1."""
        grams, total = self._question_grams(question)
        if not grams:
            return 0.0
        present = text if isinstance(text, set) else set(char_ngrams(text))
        return sum(self._idf.get(g, self._max_idf) for g in grams & present) / total

    def _weighed_grams(self, question: str) -> tuple[set[str], float]:
        """The question's n-grams and their total idf weight. Cached (as `_question_grams`): the quote step
        weighs every sentence of a section against the same question. The set is never changed."""
        grams = set(char_ngrams(question))
        return grams, sum(self._idf.get(g, self._max_idf) for g in grams)

    def best_sentences(self, question: str, vector: np.ndarray, doc_id: str, section: str,
                       count: int) -> list[tuple[Sentence, float]]:
        """The section's quotable sentences that answer best, best first."""
        indices = [i for i in self._sentences_of.get((doc_id, section), [])
                   if self._index.sentences[i].quotable]
        if not indices:
            return []
        cosines = self._index.sentence_vectors[indices] @ vector
        scored = [(self._index.sentences[i], float(c) + 0.5 * self.overlap(question, self._sentence_grams[i]))
                  for i, c in zip(indices, cosines)]
        scored.sort(key=lambda pair: pair[1], reverse=True)
        return scored[:count]

    def sentences(self, doc_id: str, section: str) -> list[Sentence]:
        return [self._index.sentences[i] for i in self._sentences_of.get((doc_id, section), [])]
