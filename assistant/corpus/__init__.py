"""Curated Markdown in corpus/ → documents and sections; the citation contract and `corpus check`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.errors import CorpusError, UnknownPool, UnknownSection
from assistant.models import Document, DocumentMeta, Item, Section

_HEADING = re.compile(r"^(?P<hashes>#{2,6})\s+(?P<title>.+?)\s*\{#(?P<id>[^}\s]+)\}\s*$")
_ITEM = re.compile(r"^(?P<number>\d{1,2})\)\s+(?P<text>.+)$", re.DOTALL)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–]\s|\d{1,2}[.)]\s)")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
_FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)

# Damage the OCR of the seeds left behind; none may remain in the curated text.
OCR_DAMAGE = re.compile(
    r"\b(?:ans[eg]gning\w*|ans[eg]ger\w*|s@rlig\w*|sz?erlige|szerlig\w*|sarlig\w*|malgrupp\w*|athj\w+|hyvis"
    r"|formal|udmentning|belgb|belab|forelgbig|forelebig|stgtte|stotte|bgrn|bern|sgge|aktgrer|Igbende"
    r"|ovenpa|deekket|laeses|vaere|afprgve|gnsker|@nsk\w*)\b"
    # the digit one read for "i": "indsats 1i samfundet", "1 forhold til"
    r"|\b1i\b|\b1\s(?:forhold|henhold|forbindelse|samarbejde|vejledningen|perioden|projektet|alt)\b"
    r"|\bVEJ nr \d+",
    re.IGNORECASE,
)
# Page furniture: a paragraph that is only a page number ("se side 15" in running text is fine).
PAGE_FURNITURE = re.compile(r"^(?:Side \d+(?: af \d+)?|\d{1,3})$")


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    digest: str = field(repr=False)

    @cached_property
    def sections(self) -> dict[tuple[str, str], Section]:
        return {(s.doc_id, s.section): s for d in self.documents for s in d.sections}

    @cached_property
    def by_id(self) -> dict[str, Document]:
        return {d.meta.doc_id: d for d in self.documents}

    @cached_property
    def pools(self) -> tuple[str, ...]:
        return tuple(sorted({d.meta.pool for d in self.documents if d.meta.pool}))

    def document(self, doc_id: str) -> Document:
        try:
            return self.by_id[doc_id]
        except KeyError:
            raise UnknownSection(f"Ukendt dokument: {doc_id!r}. Kendte: {', '.join(sorted(self.by_id))}") from None

    def section(self, doc_id: str, section: str) -> Section:
        self.document(doc_id)
        try:
            return self.sections[(doc_id, section)]
        except KeyError:
            raise UnknownSection(f"Dokumentet {doc_id!r} har intet afsnit {section!r}") from None

    def check_pool(self, pool: str | None) -> str | None:
        if pool is not None and pool not in self.pools:
            raise UnknownPool(f"Ukendt pulje: {pool!r}. Kendte puljer: {', '.join(self.pools)}")
        return pool

    def text_contains(self, doc_id: str, section: str, quote: str) -> bool:
        """Whether a quote stands verbatim in a section (whitespace folded, Markdown emphasis ignored)."""
        key = (doc_id, section)
        if key not in self._haystacks:  # every answer's quotes are checked here; normalise each section once
            self._haystacks[key] = _normalise_space(self.section(doc_id, section).text.replace("**", ""))
        return _normalise_space(quote) in self._haystacks[key]

    @cached_property
    def _haystacks(self) -> dict[tuple[str, str], str]:
        return {}

    def citation_label(self, doc_id: str, section: str, item: int | None = None) -> str:
        """ "Vejledning til SærligSoc 2025, afsnit 10, pkt. 1" / "…, spørgsmål 27" / "…, «Formål»"."""
        doc = self.document(doc_id)
        sec = self.section(doc_id, section)
        if section.startswith("spm-"):
            where = f"spørgsmål {section[4:]}"
        elif re.fullmatch(r"\d+(\.\d+)*", section):
            where = f"afsnit {section}"
            if item is not None:
                # A list item alone does not say which list it is in ("Generelle kursusaktiviteter for
                # frivillige" is eligible or not by its section): the section's title says it.
                where += " «" + re.sub(r"^\d+(?:\.\d+)*\s+", "", sec.title) + "»"
        else:
            where = f"«{sec.title}»"
        if item is not None:
            where += f", pkt. {item}"
        return f"{doc.meta.short_title}, {where}"


def _normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse_document(text: str, path: str = "<string>") -> Document:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise CorpusError(f"{path}: mangler YAML front matter mellem '---'-linjer")
    try:
        meta = DocumentMeta.model_validate(yaml.safe_load(match["yaml"]))
    except (yaml.YAMLError, ValidationError) as exc:
        raise CorpusError(f"{path}: ugyldig front matter: {exc}") from exc

    sections: list[Section] = []
    current: dict | None = None
    paragraphs: list[str] = []

    def close() -> None:
        if current is None:
            if any(p.strip() for p in paragraphs):
                raise CorpusError(f"{path}: tekst før første overskrift")
            return
        body = [re.sub(r"\s*\n\s*", " ", p).strip() for p in paragraphs if p.strip()]
        items = tuple(
            Item(number=int(m["number"]), text=m["text"]) for p in body if (m := _ITEM.match(p))
        )
        sections.append(Section(paragraphs=tuple(body), items=items, pool=meta.pool, kind=meta.kind,
                                doc_id=meta.doc_id, **current))

    for block in re.split(r"\n\s*\n", text[match.end():]):
        for line in block.strip().split("\n"):
            heading = _HEADING.match(line)
            if line.startswith("#") and not heading:
                raise CorpusError(f"{path}: overskrift uden {{#id}}-anker: {line!r}")
            if heading:
                close()
                paragraphs = []
                current = {"section": heading["id"], "title": heading["title"],
                           "level": len(heading["hashes"]) - 1}
            elif _TABLE_RULE.match(line):
                continue
            elif _TABLE_ROW.match(line):
                # A table row keeps the document's own cell mark ("Budget | Der er overensstemmelse …"): a quote
                # of it must stand in the Markdown as written, and a joiner of our own would not.
                paragraphs.append(" | ".join(c.strip() for c in line.strip().strip("|").split("|")))
            elif _LIST_ITEM.match(line) or not paragraphs:
                paragraphs.append(line.strip())
            else:  # a wrapped line continues the paragraph above
                paragraphs[-1] += "\n" + line
        paragraphs.append("")  # a blank line ends the paragraph
    close()
    return Document(meta=meta, sections=tuple(sections), path=path)


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.rglob("*.md") if p.name != "README.md")


def corpus_digest(corpus_dir: Path) -> str:
    """Hash of the documents the index is built from (facts.yaml is verified on every load instead)."""
    digest = hashlib.sha256()
    for path in corpus_files(corpus_dir):
        digest.update(str(path.relative_to(corpus_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_corpus(corpus_dir: Path) -> Corpus:
    files = corpus_files(corpus_dir)
    if not files:
        raise CorpusError(f"Ingen dokumenter i {corpus_dir}")
    documents = tuple(parse_document(p.read_text(encoding="utf-8"), str(p.relative_to(corpus_dir)))
                      for p in files)
    return Corpus(documents=documents, digest=corpus_digest(corpus_dir))


def check_corpus(corpus: Corpus) -> list[str]:
    """Everything wrong with the corpus, as one Danish line each (empty list: all good)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for doc in corpus.documents:
        meta = doc.meta
        if meta.doc_id in seen:
            problems.append(f"{doc.path}: doc_id {meta.doc_id!r} findes også i {seen[meta.doc_id]}")
        seen[meta.doc_id] = doc.path
        if not doc.sections:
            problems.append(f"{doc.path}: ingen afsnit")
        ids = [s.section for s in doc.sections]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"{doc.path}: afsnit {dup!r} findes flere gange")
        # The citation contract: every section the document's own table of contents lists, and no gap in
        # its numbering ("9.2" without "9.1", "spm-8" without "spm-7"), so the ids links use stay valid.
        for missing in [s for s in meta.contents if s not in ids]:
            problems.append(f"{doc.path}: mangler afsnit {missing!r} fra indholdsfortegnelsen")
        for missing in numbering_gaps(ids):
            problems.append(f"{doc.path}: mangler afsnit {missing!r} (hul i nummereringen)")
        for section, following in zip(doc.sections, [*doc.sections[1:], None]):
            # A heading directly followed by its first subsection ("14" then "14.1") is not empty.
            has_children = following is not None and following.section.startswith(section.section + ".")
            if not section.paragraphs and not has_children:
                problems.append(f"{doc.path}: afsnit {section.section!r} er tomt")
            for paragraph in section.paragraphs:
                if PAGE_FURNITURE.match(paragraph):
                    problems.append(f"{doc.path}: afsnit {section.section}: sidetal {paragraph!r}")
                for damage in OCR_DAMAGE.finditer(paragraph):
                    problems.append(f"{doc.path}: afsnit {section.section}: OCR-skade {damage.group(0)!r}")
    return problems


def numbering_gaps(ids: list[str]) -> list[str]:
    """Section numbers missing before a present one: "3" before "4", "9.1" before "9.2", "spm-7" before
    "spm-8". Slug ids ("forside", "formaal") have no numbering and are never missing."""
    numbered: set[tuple[str, tuple[int, ...]]] = set()
    for section in ids:
        if m := re.fullmatch(r"(?P<prefix>[a-z]+-)?(?P<num>\d+(?:\.\d+)*)", section):
            numbered.add((m["prefix"] or "", tuple(int(p) for p in m["num"].split("."))))
    missing: list[str] = []
    for prefix, number in sorted(numbered):
        for k in range(1, number[-1]):
            before = (prefix, (*number[:-1], k))
            name = prefix + ".".join(map(str, before[1]))
            if before not in numbered and name not in missing:
                missing.append(name)
    return missing
