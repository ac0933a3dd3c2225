import re
from pathlib import Path

import pytest

from assistant.corpus import check_corpus, load_corpus, numbering_gaps, parse_document
from assistant.errors import CorpusError, UnknownPool, UnknownSection
from assistant.settings import get_settings
from tests.corpus_pools import PRIMARY, dated_cases


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
    # Seeds lost heading numbers; the deadline and the project period sit in the numbered section that
    # facts.yaml (read off the original's table of contents) names for them.
    for case in dated_cases():
        for key in ("ansoegningsfrist", "projektperiode"):
            fact = case.facts.get(key)
            assert fact is not None, (case.id, key)
            assert fact.section in case.vejledning.meta.contents or not case.vejledning.meta.contents, (case.id, key)
            assert corpus.text_contains(fact.doc_id, fact.section, fact.quote), (case.id, key)
    # FAQ seeds lost question numbers; each FAQ section holds its whole question and answer, numbered 1…n.
    faqs = [d for d in corpus.documents if d.meta.kind == "faq"]
    assert faqs
    for doc in faqs:
        assert [s.section for s in doc.sections] == [f"spm-{n}" for n in range(1, len(doc.sections) + 1)]
        for section in doc.sections:
            assert "**Spørgsmål:**" in section.text and "**Svar:**" in section.text, section.section


def test_numbered_items_stay_addressable(corpus):
    doc = PRIMARY.vejledning
    section = max(doc.sections, key=lambda s: len(s.items))  # the section with the most numbered points
    items = section.items
    assert len(items) >= 2
    assert [i.number for i in items] == list(range(1, len(items) + 1))
    assert all(f"{i.number}) {i.text}" in section.paragraphs for i in items)
    last = items[-1].number
    title = re.sub(r"^\d+(?:\.\d+)*\s+", "", section.title)  # the list an item stands in is named
    assert corpus.citation_label(doc.meta.doc_id, section.section, last) == \
        f"{doc.meta.short_title}, afsnit {section.section} «{title}», pkt. {last}"
    faq = next(d for d in corpus.documents if d.meta.kind == "faq")
    number = len(faq.sections)
    assert corpus.citation_label(faq.meta.doc_id, f"spm-{number}").endswith(f"spørgsmål {number}")


def test_unknown_ids_raise(corpus):
    with pytest.raises(UnknownSection):
        corpus.section(PRIMARY.doc_id, PRIMARY.missing_section)
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


def _as_written(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def test_every_parsed_paragraph_stands_in_its_markdown_as_written(corpus):
    # Quotes are checked against the parsed sections; a parser that adds text of its own (a joiner between
    # table cells, a bullet) would let a quote pass that the reader cannot find in the document.
    corpus_dir = get_settings().corpus_dir
    for doc in corpus.documents:
        written = _as_written((corpus_dir / doc.path).read_text(encoding="utf-8"))
        for section in doc.sections:
            for paragraph in section.paragraphs:
                assert _as_written(paragraph) in written, (doc.path, section.section, paragraph[:80])


def test_a_table_row_reads_with_its_own_cell_mark():
    doc = parse_document(FRONT + "\n## 1 Krav {#1}\n\n| Krav | Vurdering |\n|---|---|\n| 1. Budget | Der er "
                         "overensstemmelse. |\n")
    assert doc.sections[0].paragraphs == ("Krav | Vurdering", "1. Budget | Der er overensstemmelse.")
