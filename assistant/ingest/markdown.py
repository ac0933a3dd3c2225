"""OCR-repaired text → Markdown drafts for corpus/: page furniture, reflow, numbered headings and anchors,
the table of contents, front matter."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path
from typing import NamedTuple, get_args

import yaml
from pydantic import BaseModel

from assistant.corpus import parse_document
from assistant.danish import slugify
from assistant.errors import CorpusError, IngestError
from assistant.ingest.ocr_repair import OcrRepairer, default_repairer
from assistant.ingest.readers import read_raw
from assistant.models import Kind

logger = logging.getLogger(__name__)

KINDS: tuple[str, ...] = get_args(Kind)
PUBLISHER_PLACEHOLDER = "Social- og Boligstyrelsen"
DRAFT_NOTE = "(udkast fra assistant ingest – skal gennemlæses)"


class IngestReport(BaseModel, frozen=True):
    path: Path  # the draft written
    repaired: dict[str, str]  # damaged token → repaired word, each distinct token once
    unknown: list[str]  # words neither in the word list nor repairable, distinct, sorted
    removed_lines: int  # page furniture, navigation and repeated URL lines removed
    headings: list[str]  # section ids of the draft, in order
    title: str = ""
    contents: list[str] = []  # section numbers of the document's own table of contents


# ---------------------------------------------------------------------------------------------------
# Cleaning: page furniture, hyphenation, repeated URLs, reflow

_FURNITURE = (
    re.compile(r"side\s+\d{1,3}(?:\s*(?:af|/)\s*\d{1,3})?", re.IGNORECASE),
    # running header/footer of Retsinformation prints: "VEJ nr 9340 af 22/04/2025 12" (OCR: "VEI")
    re.compile(r"[A-ZÆØÅ]{2,5}\s+nr\.?\s*\d+\s+af\s+\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\s+\d{1,3})?"),
    re.compile(
        r"skip to (?:main )?content|spring (?:over )?til (?:hoved)?indhold(?:et)?|gå til (?:hoved)?indhold(?:et)?"
        r"|til toppen|back to top|to the top",
        re.IGNORECASE,
    ),
)
_LONE_NUMBER = re.compile(r"[-–]?\s*\d{1,3}\s*[-–]?")
_NAV_PREFIX = re.compile(r"^(?:til toppen|skip to (?:main )?content)\s*(?=\S)", re.IGNORECASE)
_URL_LINE = re.compile(r"(?:https?://|www\.)\S+")
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})(?P<dot>\.?)\s+(?P<title>[A-ZÆØÅ\"“«].*)$")
_ITEM_START = re.compile(r"^[—–-]?\s?\d{1,2}[.)]\s+[A-ZÆØÅ\"“«]")
_BULLET_START = re.compile(r"^(?:[-–•▪◦*]|—(?!\d))\s*\S")
_COMPOUND_ELLIPSIS = frozenset({"og", "eller", "samt", "til", "&", "el", "el."})
_SENTENCE_END = re.compile(r"[.!?:;]['\"”»)]*$")


def clean_text(text: str) -> str:
    """Remove page furniture, join hyphenated line breaks, drop repeated URLs and reflow into paragraphs."""
    return _clean(text)[0]


def _clean(text: str, *, keep_lone_numbers: bool = False) -> tuple[str, int]:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    for old, new in {"\u00a0": " ", "\u00ad": "", "\ufb01": "fi", "\ufb02": "fl", "\ufb00": "ff", "\t": " "}.items():
        text = text.replace(old, new)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]

    removed = 0
    kept: list[str] = []
    for line in lines:
        if any(p.fullmatch(line) for p in _FURNITURE) or (
            not keep_lone_numbers and _LONE_NUMBER.fullmatch(line)
        ):
            removed += 1
            kept.append("")
            continue
        stripped = _NAV_PREFIX.sub("", line)
        if stripped != line:
            removed += 1
        kept.append(stripped)

    kept = _join_broken_urls(kept)
    kept, dropped = _drop_repeated_urls(kept)
    removed += dropped
    kept = _join_hyphenation(kept)
    kept = [_join_inline_hyphens(line) for line in kept]
    paragraphs = _reflow(kept)
    return "\n\n".join(paragraphs) + ("\n" if paragraphs else ""), removed


def _join_broken_urls(lines: list[str]) -> list[str]:
    """A URL wrapped at a hyphen or slash continues on the next line, which holds nothing else."""
    out = list(lines)
    i = 0
    while i < len(out) - 1:
        last = out[i].split(" ")[-1] if out[i] else ""
        nxt = out[i + 1]
        if _URL_LINE.match(last) and last.endswith(("-", "/", ".", "_")) and nxt and " " not in nxt:
            out[i] = out[i] + nxt  # hyphens inside URLs are part of the address
            del out[i + 1]
            continue
        i += 1
    return out


def _drop_repeated_urls(lines: list[str]) -> tuple[list[str], int]:
    """PDF link annotations print the URL again after the text; keep the first occurrence only."""
    out: list[str] = []
    dropped = 0
    for line in lines:
        if _URL_LINE.fullmatch(line) and line.rstrip(".,;)") in "\n".join(out):
            dropped += 1
            continue
        out.append(line)
    return out, dropped


def _join_hyphenation(lines: list[str]) -> list[str]:
    repairer = default_repairer()
    out = list(lines)
    i = 0
    while i < len(out):
        line = out[i]
        m = re.search(r"(?:(?<=\s)|^)(?P<left>[^\s]*?[^\W\d_])-$", line)
        if not m or _URL_LINE.search(m.group("left")):
            i += 1
            continue
        # the continuation: the next non-blank line, across at most one page or column break
        j = i + 1
        while j < len(out) and not out[j] and j - i <= 3:
            j += 1
        if j >= len(out) or not out[j]:
            i += 1
            continue
        nxt = out[j]
        first, _, rest = nxt.partition(" ")
        right_word = re.match(r"[^\W\d_]*", first).group(0)
        left = m.group("left")
        left_word = re.search(r"[^\W\d_]*$", left).group(0)
        if (
            first.lower() in _COMPOUND_ELLIPSIS
            or (right_word.lower() in _COMPOUND_ELLIPSIS and first[len(right_word) : len(right_word) + 1] == "/")
            or (j > i + 1 and not first[:1].islower())
        ):
            # "social-\nog sundhedsområdet", "uddannelses-\nog/eller": a real compound hyphen; or a break we
            # cannot trust
            i += 1
            continue
        if not first[:1].isalpha() and not first.startswith("@") or first[:1].isupper():
            joined = left + "-" + first
        elif len(left_word) <= 1 or left_word.isupper():
            joined = left + "-" + first  # "e-mail", "A-indkomst", "CVR-nummer"
        elif _word_ok(repairer, left_word + right_word) or not (
            repairer.is_listed(left_word) and repairer.is_listed(right_word) and len(right_word) >= 2
        ):
            joined = left + first  # soft hyphenation: "Mid-\nlerne" → "Midlerne"
        else:
            joined = left + "-" + first  # "it-\nsystemer"
        out[i] = line[: m.start("left")] + joined
        out[j] = rest
        if not rest:
            del out[j]
        # a hyphenated chain ("mo-bil-\ntelefon") may continue on the same line: look again
    return out


def _word_ok(repairer: OcrRepairer, word: str) -> bool:
    return repairer.is_known(word) or repairer.repair_word(word) is not None


_INLINE_HYPHEN = re.compile(r"(?<![\w@&/.-])([^\W\d_]{2,})-([^\W\d_]{2,})(?![\w@&/-]|\.\w)")


def _join_inline_hyphens(line: str) -> str:
    """ "mo-des", "proble-mer": a line-break hyphen the OCR already pulled onto one line."""
    if not line or "-" not in line:
        return line
    repairer = default_repairer()

    def repl(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if not (left[-1].islower() and right[0].islower()):
            return match.group(0)
        joined = left + right
        if not _word_ok(repairer, joined):
            return match.group(0)
        both_words = repairer.is_listed(left) and repairer.is_listed(right)
        if both_words and len(left) > 2:
            return match.group(0)  # "set-up", "it-systemer": keep a hyphen between two real words
        return joined

    return _INLINE_HYPHEN.sub(repl, line)


def _is_structural(line: str) -> bool:
    return bool(_heading_candidate(line) or _ITEM_START.match(line) or _BULLET_START.match(line))


def _reflow(lines: list[str]) -> list[str]:
    """Blocks (blank-line separated) → paragraphs, one per line of output.

    Text wrapped at a fixed width (PDF, OCR) is joined line by line; text with one paragraph per line (web
    pages, DOCX) is kept line by line.
    """
    lengths = sorted(len(line) for line in lines if len(line) > 15)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 80
    wrapped = width <= 140
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    paragraphs: list[str] = []
    for block in blocks:
        current: list[str] = []
        for line in block:
            if current and _starts_new_paragraph(current[-1], line, width, wrapped):
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
            if _heading_candidate(line):  # a heading directly above its text: "6 Forventede resultater"
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
    # A paragraph that runs over a page or column break continues in lower case.
    merged: list[str] = []
    for para in paragraphs:
        if (
            merged
            and para[:1].islower()
            and not _SENTENCE_END.search(merged[-1])
            and not _heading_candidate(merged[-1])
        ):
            merged[-1] = merged[-1] + " " + para
        else:
            merged.append(para)
    return merged


def _starts_new_paragraph(prev: str, line: str, width: int, wrapped: bool) -> bool:
    if _is_structural(line):
        return True
    if not wrapped:
        return not (line[:1].islower() and not _SENTENCE_END.search(prev))
    short = len(prev) < 0.55 * width
    return bool(short and (_SENTENCE_END.search(prev) or line[:1].isupper()))


# ---------------------------------------------------------------------------------------------------
# Headings


def _heading_candidate(line: str) -> re.Match[str] | None:
    """A line that looks like a numbered heading: "1 Indledning", "9.2.1 Formål" (not "1. Løn…")."""
    if len(line) > 110 or "\n" in line:
        return None
    m = _NUMBERED.match(line)
    if not m or (m["dot"] and "." not in m["num"]):
        return None
    title = m["title"].strip()
    if re.search(r"[.,;]$", title) or len(title.split()) > 16:
        return None
    return m


def _number(num: str) -> tuple[int, ...]:
    return tuple(int(p) for p in num.split("."))


def _follows(prev: tuple[int, ...] | None, cur: tuple[int, ...]) -> bool:
    """Whether `cur` can be the next heading number after `prev` (one missed heading is tolerated)."""
    if prev is None:
        return cur[-1] in (1, 2)  # "1 Indledning", or "6.1 Evaluering" when the OCR lost what came before
    if cur[: len(prev)] == prev:
        return len(cur) == len(prev) + 1 and cur[-1] in (1, 2)
    for k in range(min(len(prev), len(cur))):
        if cur[k] != prev[k]:
            return cur[:k] == prev[:k] and cur[k] - prev[k] in (1, 2) and all(c == 1 for c in cur[k + 1 :])
    return False


def _title_like(para: str) -> bool:
    words = para.split()
    return (
        2 <= len(para) <= 70
        and 1 <= len(words) <= 10
        and para[:1].isupper()
        and not re.search(r"[.,;:!?|]$", para)
        and "|" not in para
        and not _is_structural(para)
        and not para.lower().startswith(("http", "www."))
        and not any(c.isdigit() for c in para)  # "Maj 2005", "Frist 1. juli 2022": dates, not titles
        and ":" not in para  # "Yderligere oplysninger: Kontakt …" is a lead-in
        and not re.search(r"[-–/]$", para)  # a line broken off mid-word
    )


_FAQ = re.compile(r"^(?:spørgsmål\s+)?(?P<n>\d{1,2})(?:\s*[|.:)]|\s+|$)\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_TOC_MARK = re.compile(r"(?:indholdsfortegnelse|indhold)\s*:?", re.IGNORECASE)


def detect_headings(text: str, *, kind: str = "vejledning") -> tuple[str, list[str]]:
    """Paragraphs → Markdown body with anchored headings; returns (markdown, section ids in order).

    Numbered headings take their number as id and their depth from it ("9.2.1" → ####); an FAQ's numbered
    questions become "Spørgsmål N {#spm-N}"; documents without numbering get slug ids from short
    title-like lines. A table of contents is dropped, and its titles are used to find unnumbered headings.
    """
    converted = _headings(text, kind)
    return converted.markdown, converted.ids


class _Converted(NamedTuple):
    markdown: str
    ids: list[str]
    title: str | None  # a title line right above the first heading (a web page's h1), left out of the body
    contents: dict[str, str]  # the document's own table of contents: section number → title


def _headings(text: str, kind: str, lead: str | None = None) -> _Converted:
    """detect_headings, plus the document title and its table of contents.

    Text before the first heading goes into a section of its own: «Indledning» with a warning (a heading was
    probably missed), or `lead` ("Forside") where a front page with title and deadline line is expected.
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    heads: dict[int, tuple[str, str, int]] = {}  # paragraph index → (id, title, level)
    toc: dict[str, str]

    if kind == "faq":
        _faq_headings(paragraphs, heads)
        toc = {}
    else:
        paragraphs, toc = _drop_toc(paragraphs)
        last: tuple[int, ...] | None = None
        for i, para in enumerate(paragraphs):
            m = _heading_candidate(para)
            if m and _follows(last, _number(m["num"])):
                last = _number(m["num"])
                heads[i] = (m["num"], m["title"].strip(), len(last))
        found = {h[0] for h in heads.values()}
        missing: list[str] = []
        for num, title in toc.items():
            if num in found:
                continue
            for i, para in enumerate(paragraphs):
                if i not in heads and para.casefold() == title.casefold():
                    heads[i] = (num, title, len(_number(num)))
                    found.add(num)
                    break
            else:
                missing.append(f"{num} {title}")
        if missing:
            logger.warning(
                "%d afsnit står i indholdsfortegnelsen, men ikke som overskrift i teksten – "
                "indsæt dem i hånden: %s",
                len(missing), "; ".join(missing),
            )
        if len(heads) < 3 and not toc:
            # Not a numbered document: a stray "1 Side 4: …" footnote is no heading; short titles are.
            heads.clear()
            for i, para in enumerate(paragraphs):
                following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
                if i not in heads and _title_like(para) and following and not _title_like(following):
                    heads[i] = (slugify(para), para, 1)

    doc_title = None
    if len(paragraphs) > 1 and 0 not in heads and 1 in heads and _title_like(paragraphs[0]):
        doc_title = paragraphs[0]
    lines: list[str] = []
    ids: list[str] = []
    used: set[str] = set()
    for i, para in enumerate(paragraphs):
        if i == 0 and doc_title is not None:
            continue
        if i in heads:
            section, title, level = heads[i]
            section = _unique(section, used)
            ids.append(section)
            shown = f"Spørgsmål {section[4:]}" if kind == "faq" else (
                f"{section} {title}" if re.fullmatch(r"\d+(\.\d+)*", section) else title
            )
            lines.append(f"{'#' * (level + 1)} {shown} {{#{section}}}")
            if kind == "faq" and title:
                lines.append(("**Spørgsmål:** " if title.rstrip().endswith("?") else "") + _body(title))
            continue
        if not lines and ids == []:
            section = _unique(slugify(lead or "Indledning"), used)
            ids.append(section)
            lines.append(f"## {lead or 'Indledning'} {{#{section}}}")
            if lead is None:
                logger.warning("tekst før første overskrift: lagt under «Indledning» – ret overskriften")
        lines.append(_body(para))
    return _Converted("\n\n".join(lines) + "\n", ids, doc_title, toc)


def _faq_headings(paragraphs: list[str], heads: dict[int, tuple[str, str, int]]) -> None:
    last = 0
    for i, para in enumerate(paragraphs):
        m = _FAQ.match(para)
        if not m:
            continue
        n = int(m["n"])
        rest = m["rest"].strip(" |")
        if last < n <= last + 5 and (not rest or rest[:1].isupper()):
            heads[i] = (f"spm-{n}", rest, 1)
            last = n


def _drop_toc(paragraphs: list[str]) -> tuple[list[str], dict[str, str]]:
    """A run of three or more numbered headings without text between them is a table of contents."""
    toc: dict[str, str] = {}
    keep = [True] * len(paragraphs)
    i = 0
    while i < len(paragraphs):
        j = i
        while j < len(paragraphs) and (m := _heading_candidate(paragraphs[j])):
            # The numbering starts again: the table is over and "1 Indledning" right after it is the text's.
            if j > i and _number(m["num"]) <= _number(_heading_candidate(paragraphs[j - 1])["num"]):
                break
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                m = _heading_candidate(paragraphs[k])
                toc.setdefault(m["num"], m["title"].strip())
                keep[k] = False
            if i > 0 and _TOC_MARK.fullmatch(paragraphs[i - 1]):
                keep[i - 1] = False
            i = j
        else:
            i += 1
    if toc:
        logger.info("indholdsfortegnelse med %d punkter fjernet", len(toc))
    return [p for p, k in zip(paragraphs, keep) if k], toc


def _unique(section: str, used: set[str]) -> str:
    section = section or "afsnit"
    candidate, n = section, 2
    while candidate in used:
        candidate, n = f"{section}-{n}", n + 1
    used.add(candidate)
    return candidate


def _body(para: str) -> str:
    """One body paragraph as Markdown: numbered items "N) …", bullets "- …"."""
    para = re.sub(r"\s+", " ", para).strip()
    m = re.match(r"^[—–-]?\s?(\d{1,2})[.)]\s+(?=[A-ZÆØÅ\"“«])", para)
    if m:
        para = f"{m.group(1)}) " + para[m.end():]
    elif _BULLET_START.match(para):
        para = "- " + re.sub(r"^(?:[-–•▪◦*]|—)\s*", "", para)
    if para.startswith("#"):
        para = "\\" + para  # a hash at the start would read as a heading without an anchor
    return para


# ---------------------------------------------------------------------------------------------------
# Drafts


_ID = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")


def ingest_file(
    path: Path,
    *,
    doc_id: str,
    pool: str | None,
    kind: str,
    corpus_dir: Path,
    title: str | None = None,
    force: bool = False,
    lead: str | None = None,
) -> IngestReport:
    """Turn a raw file into corpus_dir/<pool or general>/<doc_id>.md, a draft to be read through by hand.

    Nothing is overwritten without `force`: not an existing file, not a doc_id used anywhere in the corpus.
    `lead` names the section for text above the first heading (see `_headings`); with it, the document's
    first line is taken as its title when it reads as one ("Vejledning til ansøgningspuljen til … 2026").
    The table of contents, when there is one, is kept in the front matter as `contents` for `corpus check`.
    """
    path, corpus_dir = Path(path), Path(corpus_dir)
    if kind not in KINDS:
        raise IngestError(f"Ukendt dokumenttype {kind!r}. Vælg en af: {', '.join(KINDS)}.")
    if not _ID.fullmatch(doc_id):
        raise IngestError(
            f"Ugyldigt doc_id {doc_id!r}. Brug små bogstaver, tal og bindestreger, fx 'groen-2026-vejledning'."
        )
    if pool is not None and not _ID.fullmatch(pool):
        raise IngestError(f"Ugyldig pulje {pool!r}. Brug små bogstaver, tal og bindestreger, fx 'groen-2026'.")
    target = corpus_dir / (pool or "general") / f"{doc_id}.md"
    existing = _doc_id_files(corpus_dir, doc_id)
    if existing and not force:
        raise IngestError(
            f"doc_id {doc_id!r} findes allerede i {existing[0]}. Vælg et andet doc_id, eller brug --force "
            "for at overskrive."
        )
    if target.exists() and not force:
        raise IngestError(f"Filen {target} findes allerede. Brug --force for at overskrive den.")
    others = [p for p in existing if p.resolve() != target.resolve()]
    if others:
        logger.warning("doc_id %r findes også i %s: korpus får to dokumenter med samme id", doc_id, others[0])

    raw = read_raw(path)
    cleaned, removed = _clean(raw, keep_lone_numbers=(kind == "faq"))
    text, repaired, unknown = default_repairer().repair_text(cleaned)
    converted = _headings(text, kind, lead)
    body, ids = converted.markdown, converted.ids
    if not ids:
        raise IngestError(f"Ingen tekst tilbage i {path.name} efter rensning. Kontrollér filen.")

    found_title = converted.title or (_front_title(text) if lead else None)
    title = (title or "").strip() or found_title or _title_from_id(doc_id)
    meta = {
        "doc_id": doc_id,
        "pool": pool,
        "title": title,
        "short_title": _short(title),
        "kind": kind,
        "year": _guess_year(text),
    }
    front = "\n".join(f"{key}: {_yaml_value(value)}" for key, value in meta.items())
    front += f"\npublisher: {_yaml_value(PUBLISHER_PLACEHOLDER)}  # pladsholder – kontrollér udgiveren"
    front += f"\nsource: {_yaml_value(f'{path.name} {DRAFT_NOTE}')}"
    if converted.contents:
        front += "\ncontents: [" + ", ".join(_yaml_value(n) for n in converted.contents) + "]"
    markdown = f"---\n{front}\n---\n\n{body}"
    try:
        parse_document(markdown, str(target))
    except CorpusError as exc:  # a bug here, not in the user's file: say so plainly
        raise IngestError(f"Udkastet til {doc_id} kunne ikke læses som korpusdokument: {exc}") from exc

    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown, encoding="utf-8")
    logger.info(
        "udkast skrevet: %s (%d afsnit, %d reparerede ord, %d ukendte, %d linjer fjernet)",
        target, len(ids), len(repaired), len(unknown), removed,
    )
    return IngestReport(path=target, repaired=repaired, unknown=unknown, removed_lines=removed, headings=ids,
                        title=title, contents=list(converted.contents))


def _front_title(text: str) -> str | None:
    """The first paragraph, when it is a title line: short, no sentence end, not a numbered heading."""
    first = next((p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()), "")
    if not first or len(first) > 200 or re.search(r"[.,;:]$", first) or _heading_candidate(first):
        return None
    return re.sub(r"\s+", " ", first)


def _doc_id_files(corpus_dir: Path, doc_id: str) -> list[Path]:
    """Every Markdown file under corpus_dir whose front matter declares `doc_id`."""
    if not corpus_dir.is_dir():
        return []
    hits: list[Path] = []
    for md in sorted(corpus_dir.rglob("*.md")):
        try:
            text = md.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        m = re.match(r"\A---\n(.*?)\n---\n", text, re.DOTALL)
        if not m:
            continue
        try:
            meta = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            continue
        if isinstance(meta, dict) and str(meta.get("doc_id")) == doc_id:
            hits.append(md)
    return hits


def _yaml_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _title_from_id(doc_id: str) -> str:
    words = re.sub(r"[-.]+", " ", doc_id).strip()
    return (words[:1].upper() + words[1:]) or doc_id


def _short(title: str, limit: int = 60) -> str:
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(" ,;:–-")


def _guess_year(text: str) -> int:
    """The year the document mentions most often (ties: the latest), else this year."""
    this_year = date.today().year
    years = Counter(int(y) for y in re.findall(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", text) if int(y) <= this_year + 5)
    if not years:
        return this_year
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]
