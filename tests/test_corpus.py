from pathlib import Path

import pytest

from assistant.corpus import REQUIRED_SECTIONS, check_corpus, load_corpus, parse_document
from assistant.errors import CorpusError, UnknownPool, UnknownSection
from assistant.settings import get_settings


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(get_settings().corpus_dir)


def test_corpus_passes_its_checks(corpus):
    assert check_corpus(corpus) == []


def test_five_documents_with_fixed_ids_and_pools(corpus):
    pools = {d.meta.doc_id: d.meta.pool for d in corpus.documents}
    assert pools == {
        "saerligsoc-2025-vejledning": "saerligsoc-2025",
        "sociale-vicevaerter-2025-vejledning": "sociale-vicevaerter-2025",
        "lokale-partnerskaber-faq": "lokale-partnerskaber",
        "lokale-partnerskaber-frise": "lokale-partnerskaber",
        "velfaerd-paa-flere-maader-2005": None,
    }


@pytest.mark.parametrize("doc_id", sorted(REQUIRED_SECTIONS))
def test_required_sections_present(corpus, doc_id):
    ids = {s.section for s in corpus.document(doc_id).sections}
    assert set(REQUIRED_SECTIONS[doc_id]) <= ids


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
