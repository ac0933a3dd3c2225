from pathlib import Path

import pytest

from assistant.corpus import check_corpus, load_corpus, numbering_gaps, parse_document
from assistant.errors import CorpusError, UnknownPool, UnknownSection
from assistant.settings import get_settings


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(get_settings().corpus_dir)


def test_corpus_passes_its_checks(corpus):
    assert check_corpus(corpus) == []


def test_every_document_lives_in_its_pools_folder(corpus):
    for doc in corpus.documents:
        assert Path(doc.path).parts[0] == (doc.meta.pool or "general"), doc.path
    for pool in corpus.pools:
        assert (get_settings().corpus_dir / pool / "pool.yaml").is_file(), pool


def test_sections_of_each_table_of_contents_present(corpus):
    documents = [d for d in corpus.documents if d.meta.contents]
    assert documents  # at least one document keeps its table of contents
    for doc in documents:
        assert set(doc.meta.contents) <= {s.section for s in doc.sections}, doc.meta.doc_id


def test_check_derives_required_sections_from_the_documents_own_contents(tmp_path: Path):
    front = FRONT.replace("source: s\n", 'source: s\ncontents: ["1", "2", "2.1"]\n')
    (tmp_path / "x.md").write_text(front + "\n## 1 A {#1}\n\nTekst.\n\n## 2 B {#2}\n\nTekst.\n", encoding="utf-8")
    problems = check_corpus(load_corpus(tmp_path))
    assert problems == ["x.md: mangler afsnit '2.1' fra indholdsfortegnelsen"]


@pytest.mark.parametrize("ids, missing", [
    (["1", "2", "2.1", "2.2", "3"], []),
    (["forside", "1", "3", "3.2"], ["2", "3.1"]),
    (["spm-1", "spm-2", "spm-4"], ["spm-3"]),
    (["formaal", "ansoegningspuljen"], []),
])
def test_numbering_gaps(ids, missing):
    assert numbering_gaps(ids) == missing


def test_restored_structure(corpus):
    # 003 lost its heading numbers: the deadline belongs to 12, the project period to 7.
    assert "Ansøgningsfristen er den" in corpus.section("sociale-vicevaerter-2025-vejledning", "12").text
    assert "Tilskuddet anvendes i perioden" in corpus.section("sociale-vicevaerter-2025-vejledning", "7").text
    # 000 lost the numbers of questions 7–9; each FAQ section holds its whole question and answer.
    for n in range(1, 39):
        text = corpus.section("lokale-partnerskaber-faq", f"spm-{n}").text
        assert "**Spørgsmål:**" in text and "**Svar:**" in text, n


def test_numbered_items_stay_addressable(corpus):
    items = corpus.section("saerligsoc-2025-vejledning", "10").items
    assert [i.number for i in items] == list(range(1, len(items) + 1))
    assert any("materiel" in i.text for i in items)
    assert corpus.citation_label("saerligsoc-2025-vejledning", "10", 12) == \
        "Vejledning til SærligSoc 2025, afsnit 10, pkt. 12"
    assert corpus.citation_label("lokale-partnerskaber-faq", "spm-27").endswith("spørgsmål 27")


def test_unknown_ids_raise(corpus):
    with pytest.raises(UnknownSection):
        corpus.section("saerligsoc-2025-vejledning", "99")
    with pytest.raises(UnknownPool):
        corpus.check_pool("kulturpuljen")


FRONT = "---\ndoc_id: x\npool: null\ntitle: T\nshort_title: T\nkind: pjece\nyear: 2005\npublisher: P\nsource: s\n---\n"


def test_parse_rejects_heading_without_anchor():
    with pytest.raises(CorpusError, match="anker"):
        parse_document(FRONT + "\n## Forord\n\nTekst.\n")


def test_parse_rejects_missing_front_matter():
    with pytest.raises(CorpusError, match="front matter"):
        parse_document("## Forord {#forord}\n\nTekst.\n")


def test_check_finds_ocr_damage_and_empty_sections(tmp_path: Path):
    (tmp_path / "x.md").write_text(FRONT + "\n## A {#a}\n\nVi skal sende ansegning i god tid.\n\n## B {#b}\n",
                                   encoding="utf-8")
    problems = check_corpus(load_corpus(tmp_path))
    assert any("ansegning" in p for p in problems)
    assert any("'b' er tomt" in p for p in problems)
