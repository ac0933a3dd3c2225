"""Raw files (TXT, PDF, DOCX, HTML) → plain text, with a Danish message that says how to fix a bad file."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.errors import IngestError

SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm")


def read_raw(path: Path) -> str:
    """The plain text of a TXT, PDF, DOCX or HTML file; IngestError (in Danish, with the fix) otherwise."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"Filen findes ikke: {path}. Kontrollér stien og prøv igen.")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(
            f"Filtypen {suffix or '(ingen)'} understøttes ikke: {path.name}. "
            "Gem dokumentet som PDF, DOCX, HTML eller TXT og prøv igen."
        )
    if path.stat().st_size == 0:
        raise IngestError(f"Filen er tom: {path}. Vælg den rigtige fil, eller gem dokumentet igen.")
    if suffix == ".txt":
        text = _read_txt(path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _read_html(path)
    if not re.search(r"[^\W\d_]", text):
        raise IngestError(
            f"Ingen tekst i {path.name}. Er det en scannet PDF eller et billede? "
            "Kør OCR først, og ingest den tekstfil, OCR giver."
        )
    return text


def _read_txt(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Danish text files are Windows-1252; æøå decode correctly from it.
        return data.decode("cp1252", errors="replace")


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise IngestError(
            f"Kan ikke læse PDF'en {path.name}: {exc}. Er filen beskadiget eller krypteret? "
            "Gem den igen som PDF eller TXT."
        ) from exc
    # A blank line between pages: the reflow joins a sentence that runs over a page break.
    return "\n\n".join(pages)


def _read_docx(path: Path) -> str:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError variants for broken files
        raise IngestError(f"Kan ikke læse DOCX-filen {path.name}: {exc}. Gem den igen fra Word.") from exc
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = [c.text.strip() for c in row.cells]
                blocks.append(" | ".join(c for c in dict.fromkeys(cells) if c))
        else:
            blocks.append(item.text.strip())
    return "\n\n".join(b for b in blocks if b)


_HTML_DROP = ("nav", "script", "style", "header", "footer", "noscript", "template", "svg")
_HTML_BLOCKS = (
    "p", "div", "section", "article", "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "blockquote", "pre", "figure", "figcaption",
)


def _read_html(path: Path) -> str:
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(_read_txt(path), "html.parser")
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    for special in soup.find_all(string=lambda s: type(s) is not NavigableString):
        special.extract()  # comments, doctype, CDATA: not visible text
    for string in soup.find_all(string=True):
        if string.parent is not None and string.parent.name != "pre":
            string.replace_with(re.sub(r"\s+", " ", str(string)))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for li in soup.find_all("li"):
        li.insert(0, "- ")
    for cell in soup.find_all(["td", "th"]):
        cell.append(" | ")
    for block in soup.find_all(_HTML_BLOCKS):
        block.insert_before("\n\n")
        block.append("\n\n")
    body = soup.body or soup
    lines = [re.sub(r"[ \t]+", " ", line).strip(" |") for line in body.get_text().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
