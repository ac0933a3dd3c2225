"""Ingest: raw files → Markdown drafts; the OCR repair is measured on the real seeds (raw OCR originals kept in
tests/fixtures/seeds, so the measurement runs on a clean clone and in CI)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.corpus import OCR_DAMAGE, parse_document
from assistant.errors import IngestError
from assistant.ingest import (
    IngestReport,
    clean_text,
    default_repairer,
    detect_headings,
    ingest_file,
    read_raw,
    writes_danish_letters,
)

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
OCR_SEEDS = ("000_b01ca4e419f5add1.txt", "002_4c208095641285be.txt")
CLEAN_SEEDS = ("003_2d7616fafa6b8526.txt", "001_05baeff3ad98c144.txt")

# Damaged tokens as they stand in seeds 000 (FAQ) and 002 (vejledning), with the word the document means.
# Chosen by reading the seeds, across every kind of damage they show (ø/æ/å glyphs, "th" for "fh", "Hy" for
# "Hv", "I" for "l", compounds, capitals), including hard ones the repairer may miss.
DAMAGED = {
    # 002
    "ansegningspuljen": "ansøgningspuljen", "s@rlige": "særlige", "Szerlige": "Særlige", "formal": "formål",
    "formél": "formål", "fremgér": "fremgår", "érligt": "årligt", "forelebig": "foreløbig", "belab": "beløb",
    "séledes": "således", "vesentlige": "væsentlige", "landsdekkende": "landsdækkende", "storre": "større",
    "omrade": "område", "fellesskaber": "fællesskaber", "bern": "børn", "stotte": "støtte",
    "athjelper": "afhjælper", "athjelpes": "afhjælpes", "ulennede": "ulønnede", "Hyvis": "Hvis",
    "malgruppe": "målgruppe", "Malgruppe": "Målgruppe", "Udferes": "Udføres", "felgende": "følgende",
    "ogsd": "også", "indgd": "indgå", "hjemleshed": "hjemløshed", "atholdt": "afholdt", "opnas": "opnås",
    "Ansogerkreds": "Ansøgerkreds", "sdrbarhed": "sårbarhed", "beskeftigelse": "beskæftigelse",
    "veere": "være", "vaere": "være", "ber": "bør", "galder": "gælder", "forleb": "forløb",
    "mélgruppe": "målgruppe", "sirbare": "sårbare", "udmenter": "udmønter", "projekteendring": "projektændring",
    "statsstette": "statsstøtte", "Mélsatningerne": "Målsætningerne",
    # 000
    "ansggning": "ansøgning", "udveelgelse": "udvælgelse", "laeses": "læses", "afprgve": "afprøve",
    "gnsker": "ønsker", "Igbende": "løbende", "aktgrer": "aktører", "sgge": "søge", "deekket": "dækket",
    "ovenpa": "ovenpå", "teenkt": "tænkt", "udmgntning": "udmøntning", "redeggr": "redegør",
    "Ansggningspuljens": "Ansøgningspuljens", "lzering": "læring", "Igsninger": "løsninger",
    "forstas": "forstås", "stgtte": "støtte", "gkonomisk": "økonomisk", "ngdvendige": "nødvendige",
    "feellesskaber": "fællesskaber", "hjaelp": "hjælp", "s@ger": "søger", "ans@gte": "ansøgte", "bgrn": "børn",
    "belgb": "beløb", "opmarksom": "opmærksom", "selvfglgelig": "selvfølgelig", "tveers": "tværs",
    "hensigtserklzeringer": "hensigtserklæringer", "stptteberettiget": "støtteberettiget",
    "sidstnaevnte": "sidstnævnte", "gar": "går", "ldre": "ældre", "Ign": "løn",
}

# Correct Danish words with an OCR-lookalike neighbour one rule away (bør, før, formål, møde, …).
NEVER_CHANGE = [
    "formel", "bor", "ene", "for", "far", "mode", "moder", "laser", "male", "rod", "ost", "sager", "ser",
    "tage", "hele", "over", "anden", "grad", "bar", "ben", "lov", "lag", "set", "mener", "sende", "tone",
    "stor", "besvarelsen", "lovpligtige", "formaliserede", "Formel", "Bor",
]


@pytest.fixture(scope="module")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="module")
def repairer():
    return default_repairer()


def _occurrences(text: str, token: str) -> int:
    return len(re.findall(r"(?<![\w@&])" + re.escape(token) + r"(?![\w@&])", text))


# ---------------------------------------------------------------------------------------------------
# OCR repair, measured


def test_repair_rate_on_damaged_seed_tokens(seeds, repairer):
    texts = [(seeds / name).read_text(encoding="utf-8") for name in OCR_SEEDS]
    repaired: dict[str, str] = {}
    for text in texts:
        assert not writes_danish_letters(text)  # the OCR lost æ, ø and å: the repairer's OCR mode
        _, found, _ = repairer.repair_text(text)
        repaired.update(found)
    for token in DAMAGED:
        assert any(_occurrences(t, token) for t in texts), f"{token!r} is not in the seeds: fix the table"

    hits = [token for token, word in DAMAGED.items() if repaired.get(token) == word]
    misses = {token: (repaired.get(token), word) for token, word in DAMAGED.items() if repaired.get(token) != word}
    rate = len(hits) / len(DAMAGED)
    print(f"\nOCR repair: {len(hits)}/{len(DAMAGED)} table tokens repaired = {rate:.1%}; "
          f"{len(repaired)} distinct tokens repaired in seeds 000+002; misses (got, want): {misses}")
    assert len(DAMAGED) >= 25
    assert rate >= 0.85, f"repair rate {rate:.1%}; misses (got, want): {misses}"


@pytest.mark.parametrize("name", CLEAN_SEEDS)
def test_false_repairs_on_correct_danish(seeds, repairer, name):
    text = (seeds / name).read_text(encoding="utf-8")
    tokens = len(re.findall(r"[^\W\d_]+", text))
    results = {}
    # as ingest runs it (the text writes æøå, so strict), and forced into OCR mode: the harder guard
    for mode, strict in (("auto", None), ("ocr-mode", False)):
        _, repaired, _ = repairer.repair_text(text, strict=strict)
        changed = sum(_occurrences(text, token) for token in repaired)
        results[mode] = (changed, repaired)
        print(f"\n{name} [{mode}]: {changed} of {tokens} tokens changed = {changed / tokens:.3%}: {repaired}")
    for mode, (changed, repaired) in results.items():
        assert changed <= 0.01 * tokens, f"{mode}: {changed} false repairs: {repaired}"


@pytest.mark.parametrize("word", NEVER_CHANGE)
def test_correct_words_never_change(repairer, word):
    assert len(NEVER_CHANGE) >= 15
    assert repairer.repair_word(word) is None  # OCR mode, the eager one
    text, repaired, _ = repairer.repair_text(f"det er {word} her")
    assert repaired == {} and word in text


# Known limitations, kept visible: listed words whose one-rule neighbour is far more frequent ("vare" → "være")
# and a correct word missing from the list ("hinder" → "hånder"). Without context the frequency rule picks the
# neighbour; strict=True turns a future fix into a failure to update this list.
@pytest.mark.xfail(strict=True, reason="needs context: the frequency rule prefers the neighbour")
@pytest.mark.parametrize("word", ["vare", "bade", "mal", "hinder"])
def test_known_false_friends_change(repairer, word):
    assert repairer.repair_word(word) is None


@pytest.mark.parametrize("token, expected", [
    ("pa", "på"), ("Pa", "På"), ("bern", "børn"), ("Szerlige", "Særlige"), ("s@rlige", "særlige"),
    ("vaere", "være"), ("deekket", "dækket"), ("athjelpe", "afhjælpe"), ("Hyvis", "Hvis"),
    ("Igbende", "løbende"), ("malgruppe", "målgruppe"), ("formal", "formål"),
])
def test_repair_word(repairer, token, expected):
    assert repairer.repair_word(token) == expected


def test_repair_text_leaves_numbers_urls_and_mail_alone(repairer):
    text = ("Der er afsat 12,9 mio. kr. pa § 07.18.19.50. Se https://www.sbst.dk/puljer-og-tilskud/social-og-"
            "aeldreomraadet eller skriv til tilskudsforvaltning@sbst.dk inden 7. august 2025 kl. 23:59.")
    fixed, repaired, _ = repairer.repair_text(text)
    assert repaired == {"pa": "på"}
    assert fixed == text.replace(" pa ", " på ")


def test_repair_text_digit_one_and_kr(repairer):
    text = ("Den sociale indsats 1i samfundet, tre regioner 1\nsine aktiviteter, jf. stk. 1 og 2, "
            "dog maksimalt 100.000 k.")
    fixed, repaired, _ = repairer.repair_text(text)
    assert "indsats i samfundet" in fixed
    assert "regioner i\nsine" in fixed
    assert "stk. 1 og 2" in fixed
    assert fixed.endswith("100.000 kr.")
    assert repaired["1i"] == "i" and repaired["1"] == "i" and repaired["k."] == "kr."


def test_repair_text_reports_unknown_words(repairer):
    _, repaired, unknown = repairer.repair_text("Vi kontakter Xqzvbn og projektet om Brobizz.")
    assert repaired == {}
    assert unknown == ["Brobizz", "Xqzvbn"]


# ---------------------------------------------------------------------------------------------------
# Cleaning and headings


def test_clean_text_removes_page_furniture():
    raw = ("Skip to main content\n\nDer skal indsendes faglig afrapportering.\n\nSide 2\n\n"
           "VEJ nr 9340 af 22/04/2025 12\n\n12\n\nVEI nr 9340 af 22/04/2025 3\n\nMidlerne er afsat.\n")
    cleaned = clean_text(raw)
    assert cleaned == "Der skal indsendes faglig afrapportering.\n\nMidlerne er afsat.\n"


def test_clean_text_joins_hyphenated_line_breaks_and_keeps_compound_hyphens():
    raw = ("Social- og Boligstyrelsen udmenter arligt ansegningspuljen til sarlige sociale formal. Mid-\n"
           "lerne er afsat gennem udlodningsloven, i hvilke de mo-\n"
           "des med frivillige i social-\n"
           "og sundhedsområdet, kultur- og fritidslivet og hos It-\n"
           "leverandører med e-\n"
           "mail.\n")
    cleaned = clean_text(raw)
    assert "Midlerne er afsat" in cleaned
    assert "de modes med" in cleaned
    assert "Social- og Boligstyrelsen" in cleaned
    assert "social- og sundhedsområdet" in cleaned
    assert "kultur- og fritidslivet" in cleaned
    assert "It-leverandører" in cleaned and "e-mail" in cleaned
    fixed, _, _ = default_repairer().repair_text(cleaned, strict=False)
    assert "de mødes med" in fixed and "Midlerne" in fixed


def test_clean_text_joins_an_inline_hyphenation_the_ocr_left():
    cleaned = clean_text("forebygger sociale proble-mer og set-up i Social- og Bolig-styrelsen.")
    assert "sociale problemer" in cleaned
    assert "set-up" in cleaned


def test_clean_text_deduplicates_urls():
    raw = ("Frivilligcenter Hillerød\nhttps://frivilligcenter-\nhillerod.dk/begivenheder/tuff\n\n"
           "Desuden et litteraturstudie.\n\n"
           "https://frivilligcenter-hillerod.dk/begivenheder/tuff\n"
           "https://frivilligcenter-hillerod.dk/begivenheder/tuff\n"
           "https://www.sbst.dk/udgivelser\nhttps://www.sbst.dk/udgivelser\n")
    cleaned = clean_text(raw)
    assert cleaned.count("https://frivilligcenter-hillerod.dk/begivenheder/tuff") == 1
    assert cleaned.count("https://www.sbst.dk/udgivelser") == 1


def test_clean_text_reflows_wrapped_lines_into_paragraphs():
    raw = ("6 Forventede resultater\nDet forventes, at de stettede projekter opndr, at den frivillige ulennede\n"
           "indsats styrkes, og at malgruppens sociale problemstillinger forebygges.\n\n"
           "Eksempler pa projekter:\n\n1) Gruppeforleb for anbragte unge i efterveern. Gruppen medes hver\n"
           "anden uge.\n- Er frivillig (uden tvang).\n- Ikke er lonnet.\n")
    paragraphs = clean_text(raw).strip().split("\n\n")
    assert paragraphs[0] == "6 Forventede resultater"
    assert paragraphs[1].startswith("Det forventes") and paragraphs[1].endswith("forebygges.")
    assert paragraphs[3] == "1) Gruppeforleb for anbragte unge i efterveern. Gruppen medes hver anden uge."
    assert paragraphs[4:] == ["- Er frivillig (uden tvang).", "- Ikke er lonnet."]


def test_detect_headings_numbered_with_depth_by_numbering():
    text = ("1 Indledning\n\nTekst.\n\n2 Krav for at opnå tilskud\n\n1. Ansøgerkreds Projektets ansøger\n\n"
            "2.1 Ad 1) Formål\n\n2.1.1 Formål\n\nTekst.\n\n3 Ansøgningsfrist og -procedure\n\nTekst 1 Side.\n\n"
            "7 Ukendt\n\nTekst.\n")
    markdown, ids = detect_headings(text)
    assert ids == ["1", "2", "2.1", "2.1.1", "3"]  # "7" does not follow "3": body text
    assert "## 1 Indledning {#1}" in markdown
    assert "### 2.1 Ad 1) Formål {#2.1}" in markdown
    assert "#### 2.1.1 Formål {#2.1.1}" in markdown
    assert "## 3 Ansøgningsfrist og -procedure {#3}" in markdown
    assert "\n\n1) Ansøgerkreds Projektets ansøger\n\n" in markdown  # a numbered item, not a heading
    assert "\n\n7 Ukendt\n\n" in markdown


def test_detect_headings_drops_a_table_of_contents_and_uses_its_titles():
    text = ("INDHOLDSFORTEGNELSE\n\n1 Indledning\n\n2 Ansøgerkreds\n\n2.1 Evaluering\n\n"
            "Indledning\n\nSom led i aftalen.\n\n2 Ansøgerkreds\n\nKommuner.\n\n2.1 Evaluering\n\nStyrelsen.\n")
    markdown, ids = detect_headings(text)
    assert ids == ["1", "2", "2.1"]
    assert "INDHOLDSFORTEGNELSE" not in markdown
    assert markdown.startswith("## 1 Indledning {#1}\n\nSom led i aftalen.")


def test_detect_headings_unnumbered_get_slug_ids():
    text = "Forord\n\nDet er en forudsætning.\n\nMaj 2005\n\nGrønne områder\n\nTekst her.\n"
    markdown, ids = detect_headings(text, kind="pjece")
    assert ids == ["forord", "groenne-omraader"]
    assert "## Grønne områder {#groenne-omraader}" in markdown and "\n\nMaj 2005\n\n" in markdown


def test_detect_headings_faq():
    text = "Spørgsmål 1\n\nHvad er et værested?\n\nSvar i vejledningen.\n\n2 Hvem kan søge?\n\nKommuner.\n"
    markdown, ids = detect_headings(text, kind="faq")
    assert ids == ["spm-1", "spm-2"]
    assert "## Spørgsmål 2 {#spm-2}\n\n**Spørgsmål:** Hvem kan søge?" in markdown


# ---------------------------------------------------------------------------------------------------
# Drafts end to end, from real files

PAGE_LINES = [
    "1 Indledning",
    "Social- og Boligstyrelsen udmenter arligt ansegningspuljen til sarlige sociale formal. Mid-",
    "lerne er afsat gennem udlodningsloven, og ansegere ber hafte sig ved to forhold.",
    "2 Ansegerkreds",
    "Ansegerkredsen er frivillige organisationer, der er landsdekkende.",
    "2.1 Szerlige krav",
    "Projekterne skal stotte bern og unge 1 frivillige fellesskaber. I 2025 er der afsat 12,9 mio. kr.",
]


def _write_pdf(path: Path) -> None:
    from fpdf import FPDF

    class Page(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, f"Side {self.page_no()}", align="C")

    pdf = Page()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in PAGE_LINES:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("1 Indledning", level=1)
    document.add_paragraph("Social- og Boligstyrelsen udmønter årligt ansøgningspuljen til særlige formål.")
    document.add_heading("2 Ansøgerkreds", level=1)
    document.add_paragraph("Ansøgerkredsen er frivillige organisationer.")
    document.add_heading("2.1 Særlige krav", level=2)
    document.add_paragraph("Projekterne skal støtte børn og unge i frivillige fællesskaber.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Frist"
    table.rows[0].cells[1].text = "7. august 2025 kl. 23:59"
    document.save(str(path))


HTML = """<!doctype html><html><head><title>Puljen</title><style>p { color: red }</style>
<script>var menu = "Side 3";</script></head><body>
<header><a href="#main">Skip to main content</a>
<nav><a href="/">Forside</a> | <a href="/puljer">Puljer</a></nav></header>
<main id="main"><h1>Grønne fællesskaber for ældre</h1>
<h2>Formål</h2><p>Ansøgningspuljens formål er at afprøve en model for lokale netværk
   med   frivillige foreninger.</p><!-- intern note -->
<h2>Ansøgningspuljen</h2><p>Der er 9,7 mio. kr. til fordeling.</p>
<ul><li>Frivilligcentre kan søge.</li><li>Kommuner kan ikke søge.</li></ul></main>
<footer>Kontakt os · Cookies</footer></body></html>"""


def _ingest(path: Path, corpus: Path, **kwargs) -> tuple[IngestReport, str]:
    options = {"doc_id": "test-doc", "pool": "test-pulje", "kind": "vejledning", "corpus_dir": corpus}
    report = ingest_file(path, **(options | kwargs))
    text = report.path.read_text(encoding="utf-8")
    document = parse_document(text, str(report.path))
    assert [s.section for s in document.sections] == report.headings
    return report, text


def test_ingest_pdf(tmp_path):
    source = tmp_path / "vejledning.pdf"
    _write_pdf(source)
    report, text = _ingest(source, tmp_path / "corpus", title="Vejledning til testpuljen 2025")
    assert report.path == tmp_path / "corpus" / "test-pulje" / "test-doc.md"
    assert report.headings == ["1", "2", "2.1"]
    assert "### 2.1 Særlige krav {#2.1}" in text
    assert "Midlerne er afsat" in text and "Side 1" not in text
    assert "ansøgere bør hæfte sig" in text and "børn og unge i frivillige fællesskaber" in text
    assert "I 2025 er der afsat 12,9 mio. kr." in text
    assert report.removed_lines >= 1 and report.repaired["Szerlige"] == "Særlige"
    assert not OCR_DAMAGE.search(text.split("---", 2)[2])
    meta = parse_document(text).meta
    assert (meta.doc_id, meta.pool, meta.kind, meta.year) == ("test-doc", "test-pulje", "vejledning", 2025)
    assert meta.title == "Vejledning til testpuljen 2025" and "skal gennemlæses" in meta.source
    assert meta.source.startswith("vejledning.pdf")


def test_ingest_docx(tmp_path):
    source = tmp_path / "vejledning.docx"
    _write_docx(source)
    report, text = _ingest(source, tmp_path / "corpus", pool=None)
    assert report.path == tmp_path / "corpus" / "general" / "test-doc.md"
    assert report.headings == ["1", "2", "2.1"]
    assert report.repaired == {}  # born-digital Danish: nothing to repair
    assert "Frist | 7. august 2025 kl. 23:59" in text
    assert parse_document(text).meta.pool is None


def test_ingest_html(tmp_path):
    source = tmp_path / "side.html"
    source.write_text(HTML, encoding="utf-8")
    report, text = _ingest(source, tmp_path / "corpus", kind="webside")
    assert report.headings == ["formaal", "ansoegningspuljen"]
    assert parse_document(text).meta.title == "Grønne fællesskaber for ældre"  # the h1 above the first heading
    body = text.split("---", 2)[2]
    for gone in ("Skip to main content", "Forside", "Side 3", "color", "intern note", "Cookies", "Puljen"):
        assert gone not in body
    assert "lokale netværk med frivillige foreninger." in body
    assert "- Frivilligcentre kan søge.\n\n- Kommuner kan ikke søge." in body


def test_ingest_txt_seed(seeds, tmp_path):
    report, text = _ingest(seeds / "002_4c208095641285be.txt", tmp_path / "corpus",
                           doc_id="seed-002-vejledning", pool="seed-002")
    for section in [str(n) for n in range(1, 15)] + ["2.1", "9.2.1", "9.3.4", "12.4", "13.1", "14.4"]:
        assert section in report.headings
    assert "## 13 Ansøgningsfrist og -procedure {#13}" in text
    assert "#### 9.2.1 Formål {#9.2.1}" in text
    assert "VEI nr" not in text and report.removed_lines >= 1
    assert "12,9 mio. kr." in text and "7. august 2025 kl. 23:59" in text and "1.649 timer" in text
    assert "100.000 kr." in text
    print(f"\nseed 002: {len(report.headings)} sections, {len(report.repaired)} distinct repairs, "
          f"{len(report.unknown)} unknown: {report.unknown}")


# ---------------------------------------------------------------------------------------------------
# Refusals: clear messages, nothing overwritten


def test_read_raw_refuses_bad_input(tmp_path):
    with pytest.raises(IngestError, match="findes ikke"):
        read_raw(tmp_path / "mangler.pdf")
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match="tom"):
        read_raw(empty)
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  12  \n", encoding="utf-8")
    with pytest.raises(IngestError, match="Ingen tekst"):
        read_raw(blank)
    odd = tmp_path / "data.xyz"
    odd.write_text("tekst", encoding="utf-8")
    with pytest.raises(IngestError, match=r"\.xyz understøttes ikke.*PDF, DOCX, HTML eller TXT"):
        read_raw(odd)


def test_ingest_refuses_unknown_kind_and_bad_ids(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("1 Indledning\n\nTekst.\n", encoding="utf-8")
    with pytest.raises(IngestError, match="Ukendt dokumenttype 'bog'"):
        ingest_file(source, doc_id="a", pool=None, kind="bog", corpus_dir=tmp_path / "c")
    with pytest.raises(IngestError, match="Ugyldigt doc_id"):
        ingest_file(source, doc_id="../x", pool=None, kind="faq", corpus_dir=tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_ingest_never_overwrites_without_force(tmp_path):
    corpus = tmp_path / "corpus"
    first = tmp_path / "first.txt"
    first.write_text("1 Indledning\n\nFørste udgave.\n", encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text("1 Indledning\n\nAnden udgave.\n", encoding="utf-8")
    report = ingest_file(first, doc_id="doc", pool="p", kind="vejledning", corpus_dir=corpus)
    before = report.path.read_bytes()

    # the same doc_id, even in another pool
    with pytest.raises(IngestError, match="doc_id 'doc' findes allerede.*--force"):
        ingest_file(second, doc_id="doc", pool="q", kind="vejledning", corpus_dir=corpus)
    assert not (corpus / "q").exists()
    # an existing file whose front matter names another doc_id
    other = corpus / "p" / "other.md"
    other.write_bytes(before.replace(b"doc_id: \"doc\"", b"doc_id: \"someone-else\""))
    other_before = other.read_bytes()
    with pytest.raises(IngestError, match="findes allerede.*--force"):
        ingest_file(second, doc_id="other", pool="p", kind="vejledning", corpus_dir=corpus)
    with pytest.raises(IngestError, match="findes allerede"):
        ingest_file(second, doc_id="doc", pool="p", kind="vejledning", corpus_dir=corpus)
    assert report.path.read_bytes() == before and other.read_bytes() == other_before

    forced = ingest_file(second, doc_id="doc", pool="p", kind="vejledning", corpus_dir=corpus, force=True)
    assert forced.path == report.path
    assert "Anden udgave." in forced.path.read_text(encoding="utf-8")


def test_ingest_failure_writes_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    with pytest.raises(IngestError, match="findes ikke"):
        ingest_file(tmp_path / "nope.docx", doc_id="x", pool=None, kind="faq", corpus_dir=corpus)
    empty = tmp_path / "empty.html"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(IngestError, match="tom"):
        ingest_file(empty, doc_id="x", pool=None, kind="webside", corpus_dir=corpus)
    assert not corpus.exists()


def test_a_table_of_contents_right_above_the_first_heading_ends_where_the_numbering_restarts(tmp_path):
    source = tmp_path / "v.txt"
    source.write_text("Vejledning til puljen til test 2026\n\nAnsøgningsfrist: 1. marts 2026 kl. 12:00\n\n"
                      "INDHOLDSFORTEGNELSE\n1 Indledning\n2 Ansøgerkreds\n2.1 Krav\n\n1 Indledning\n\nTekst.\n\n"
                      "2 Ansøgerkreds\n\nForeninger.\n\n2.1 Krav\n\nKrav her.\n", encoding="utf-8")
    report, text = _ingest(source, tmp_path / "corpus", lead="Forside")
    assert report.headings == ["forside", "1", "2", "2.1"]
    assert report.contents == ["1", "2", "2.1"] and 'contents: ["1", "2", "2.1"]' in text
    assert report.title == "Vejledning til puljen til test 2026"
    # the title and the deadline line stay in the text, quotable
    assert "## Forside {#forside}\n\nVejledning til puljen til test 2026\n\nAnsøgningsfrist: 1. marts 2026 kl. 12:00" in text
    assert "INDHOLDSFORTEGNELSE" not in text


# ---------------------------------------------------------------------------------------------------
# Drafted facts: cues in data, checked against the registry


def test_every_cue_names_a_registry_key_and_captures_a_value():
    from assistant.ingest.facts_draft import _compile, cues, registry

    assert cues()
    for cue in cues():
        assert cue.key in registry(), cue.key
        assert "v" in _compile(cue.value).groupindex, cue.key
        _compile(cue.sentence)


_DRAFT_DOC = """---
doc_id: test-vejledning
pool: test
title: T
short_title: T
kind: vejledning
year: 2026
publisher: P
source: s
---

## 1 Indledning {{#1}}

{text}
"""


@pytest.mark.parametrize("sentence, key, value", [
    ("Ansøgningsfristen er den 7. august 2025 kl. 23:59.", "ansoegningsfrist", "2025-08-07 23:59:00"),
    ("Frist 1. juli 2022", "ansoegningsfrist", "2022-07-01"),
    ("Ansøgningsfristen offentliggøres på puljens side på sbst.dk.", "ansoegningsfrist",
     "offentliggøres på puljens side"),
    ("Der er 9,7 mio. kr. til fordeling.", "puljebeloeb", "9700000"),
    ("I alt er der afsat 750.000 kr. til puljen.", "puljebeloeb", "750000"),
    ("Det forventes, at der gives tilskud til tre projekter.", "forventet_antal_tilskud", "3"),
    ("Ansøgningspuljen kan søges af kommuner og regioner.", "ansoegerkreds", "kommuner og regioner"),
    ("Tilskuddet anvendes i perioden fra den 1. marts 2026 til og med 28. februar 2027.", "projektstart",
     "2026-03-01"),
    ("Regnskaber for tilskud over 500.000 kr. skal revideres af en godkendt revisor.", "revision_graense", "500000"),
    ("Der kan højst søges 500.000 kr. pr. projekt.", "tilskud_maks", "500000"),
    ("Tilskud gives med mindst 50.000 kr. og op til 2 mio. kr. pr. ansøger.", "tilskud_min", "50000"),
    ("Tilskud gives med mindst 50.000 kr. og op til 2 mio. kr. pr. ansøger.", "tilskud_maks", "2000000"),
])
def test_draft_reads_the_value_a_sentence_states(sentence, key, value):
    from assistant.ingest.facts_draft import draft_entries

    drafts = {e.key: e for e in draft_entries([parse_document(_DRAFT_DOC.format(text=sentence))])}
    assert str(drafts[key].value) == value and drafts[key].quote == sentence
    assert drafts[key].status == "draft"


@pytest.mark.parametrize("sentence, key", [
    ("Uforbrugt tilskud kan ikke overføres til næste år.", "overfoersel_procent"),
    ("Der kan højst søges 500.000 kr. pr. projekt, og der er afsat midler til puljen.", "puljebeloeb"),
    ("Puljen er på finansloven på § 15.75.78.10 og afsat i 2025.", "puljebeloeb"),
    ("Udgifter til materiel kan højst udgøre 50.000 kr. af tilskuddet.", "tilskud_maks"),
])
def test_draft_invents_nothing(sentence, key):
    from assistant.ingest.facts_draft import draft_entries

    assert key not in {e.key for e in draft_entries([parse_document(_DRAFT_DOC.format(text=sentence))])}
