"""Raw files (TXT, PDF, DOCX, HTML) → Markdown drafts for corpus/: page furniture, OCR repair, headings."""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, get_args

import yaml
from pydantic import BaseModel

from assistant.corpus import parse_document
from assistant.danish import slugify
from assistant.errors import CorpusError, IngestError
from assistant.models import Kind

logger = logging.getLogger(__name__)

KINDS: tuple[str, ...] = get_args(Kind)
SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm")
PUBLISHER_PLACEHOLDER = "Social- og Boligstyrelsen"
DRAFT_NOTE = "(udkast fra assistant ingest – skal gennemlæses)"


class IngestReport(BaseModel, frozen=True):
    path: Path  # the draft written
    repaired: dict[str, str]  # damaged token → repaired word, each distinct token once
    unknown: list[str]  # words neither in the word list nor repairable, distinct, sorted
    removed_lines: int  # page furniture, navigation and repeated URL lines removed
    headings: list[str]  # section ids of the draft, in order


# ---------------------------------------------------------------------------------------------------
# Reading raw files


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


# ---------------------------------------------------------------------------------------------------
# OCR repair

# Where the OCR of the seeds put another glyph for æ, ø, å (and a few consonant pairs). Every rule is a
# (read, meant) pair; candidates combine a few of them and must land on Danish words.
_RULES: tuple[tuple[str, str], ...] = (
    # ø: "ansegning", "ansggning", "stotte", "s@ger", "boern"
    ("e", "ø"), ("g", "ø"), ("o", "ø"), ("0", "ø"), ("@", "ø"), ("oe", "ø"),
    # å: "pa", "fremgér", "ovenpaa"
    ("a", "å"), ("é", "å"), ("á", "å"), ("aa", "å"),
    # æ: "vaere", "Szerlige", "s@rlige", "sarlige", "vesentlige", "deekket"
    ("ae", "æ"), ("z", "æ"), ("ze", "æ"), ("zee", "æ"), ("@", "æ"), ("a", "æ"), ("e", "æ"), ("ee", "æ"),
    # f read as t before h: "athjelpe" → "afhjælpe"; v read as "yv": "Hyvis" → "Hvis"
    ("th", "fh"), ("hy", "h"),
)
# Rarer confusions in the seeds; they cost one more, so "gar" becomes "går" (a→å), not "gør" (a→ø).
_WEAK_RULES: tuple[tuple[str, str], ...] = (
    ("p", "ø"), ("a", "ø"), ("eo", "ø"), ("eg", "ø"), ("gg", "ø"),  # "stptte", "belab", "beor", "anseggning"
    ("d", "å"), ("i", "å"), ("&", "å"), ("éa", "å"),  # "forstds", "siledes", "&r", "méal"
    ("ea", "æ"), ("eae", "æ"), ("&", "æ"), ("a&", "æ"),  # "veare", "sveaer", "a&ndring"
    ("tk", "fk"), ("fth", "fh"),  # "atkrydse", "afthjelpe"
)
_WEAK_EXTRA = 1.0  # added to the cost of a rule from _WEAK_RULES
# Endings accepted after a listed word: wordfreq's Danish list has the common forms only. Inflections
# ("forløb|ene", "afhjælpe|r") may end a repair; derivations ("besvar|elsen", "period|iserede") only tell that
# a word as written is already Danish, since a repair ending in one is a guess on top of a guess.
_INFLECTIONS = frozenset({
    "e", "n", "r", "s", "t", "en", "er", "et", "es", "ne", "te", "de",
    "ene", "ens", "ers", "ets", "ede", "erne", "ernes", "enes",
})
_DERIVATIONS = frozenset({
    "ig", "ige", "igt", "isk", "iske", "hed", "heden", "heder", "ning", "ningen", "ninger", "ningerne",
    "else", "elsen", "elser", "elserne", "ende", "endes", "ere", "erer", "eres", "eret", "erede", "ering",
    "eringen", "eringer", "isere", "iserer", "iseres", "iseret", "iserede", "isering",
})
_ENDINGS = _INFLECTIONS | _DERIVATIONS
# Prefixes that make new words but are too short to count as compound parts ("u|lønnede", "af|lønning").
_PREFIX_PARTS = frozenset({"u", "af", "ud", "op", "om", "be"})
_MIN_PART = 3  # shortest word accepted as one part of a compound
_MAX_PARTS = 3
# Readings are scored like a unigram model over their parts (Σ log10 p(part)) minus the cost of the rules
# applied. A word that is in the list changes only into a listed one-rule variant that is this much more
# frequent (1.5 ≈ 30 times): "pa" → "på", "bern" → "børn", "ma" → "må"; "bor", "formel", "mode", "laser"
# stay.
FALSE_FRIEND_MARGIN = 1.5
# A word missing from the list, in text whose OCR lost æ, ø and å altogether: there every such letter was read
# as something else, so a rule is cheap (1.0 ≈ 10 times) and frequency decides between the readings.
OCR_SUBSTITUTION_COST = 1.0
# In text that already writes æ, ø and å (a born-digital file, a good OCR) damage is the exception: a rule costs
# 3.0 (≈ 1000 times) and only listed words count as repairs.
STRICT_SUBSTITUTION_COST = 3.0
# Danish prose has æ, ø or å in about one word in seven (13–17 % in the seeds); OCR that lost them has none.
# Below half the usual share the text is treated as damaged.
_CLEAN_SHARE = 0.07
_ENDING_COST = 1.0
# A word missing from the list is taken to be at least ten times rarer than the rarest listed word.
_UNLISTED_GAP = 1.0
_LINK_COST = 0.5
# The digit one stands for "i" between two words; after these words it is a real number ("stk. 1 og 2").
_NUMBER_WORDS = frozenset({
    "stk", "nr", "pkt", "punkt", "kapitel", "afsnit", "bilag", "side", "tabel", "figur", "trin", "fase",
    "spørgsmål", "version", "niveau", "kl", "på", "af", "over", "under", "mindst", "højst", "ca", "cirka",
    "maksimalt", "minimum", "maksimum", "kun", "blot",
})

_TOKEN = re.compile(r"(?<![\w@&])[@&]?[^\W\d_]+(?:[@&][^\W\d_]+)*(?![\w@&])")
_URLISH = re.compile(
    r"https?://|www\.|\S@\S+\.[a-z]{2,}|\.(?:dk|com|org|net|eu|nu|de|se|no|info|gov|int)\b", re.I
)
_AMOUNT_K = re.compile(r"^\d{1,3}(?:\.\d{3})*(?:,\d+)?$")


class _Reading(NamedTuple):
    text: str
    subs: int  # OCR rules applied
    weak: int  # of which from _WEAK_RULES
    parts: int  # words it is made of (1 for a listed word)
    listed: bool  # the reading itself is in the word list
    model: float  # log10 probability of the reading under the part model


@lru_cache(maxsize=1)
def _danish_frequencies() -> dict[str, float]:
    """Zipf frequency of every alphabetic word in wordfreq's Danish list (shipped with the package)."""
    import wordfreq

    return {
        word: math.log10(freq) + 9
        for word, freq in wordfreq.get_frequency_dict("da").items()
        if word.isalpha()
    }


class OcrRepairer:
    """Repairs Danish OCR damage (æ ø å read as other glyphs) against a word list with frequencies."""

    def __init__(self, frequencies: Mapping[str, float] | None = None, *, max_substitutions: int = 3) -> None:
        self.zipf: Mapping[str, float] = frequencies if frequencies is not None else _danish_frequencies()
        self.max_substitutions = max_substitutions
        words = list(self.zipf)
        # Heads of compounds may carry a linking s or e ("ansøgning|s|puljen").
        self._heads = {w for w in words if len(w) >= _MIN_PART}
        self._heads |= {w + link for w in self._heads for link in "se"}
        self._prefixes: set[str] = set()
        for word in [*words, *self._heads, *_PREFIX_PARTS]:
            for i in range(1, len(word) + 1):
                self._prefixes.add(word[:i])
        self._rules: dict[str, list[tuple[str, str, int]]] = {}
        for rules, weak in ((_RULES, 0), (_WEAK_RULES, 1)):
            for src, dst in rules:
                self._rules.setdefault(src[0], []).append((src, dst, weak))
        self._cache: dict[tuple[str, bool], str | None] = {}
        self._known: dict[str, bool] = {}
        self._floor = min(self.zipf.values(), default=0.0) - 9 - _UNLISTED_GAP

    # -- word level -----------------------------------------------------------------------------------

    def is_listed(self, word: str) -> bool:
        """In the word list itself."""
        return word.lower() in self.zipf

    def is_known(self, word: str) -> bool:
        """In the word list, or a compound / inflected form of words in it."""
        low = word.lower()
        if low not in self._known:
            self._known[low] = low in self.zipf or bool(self._analyses(low, 0))
        return self._known[low]

    def repair_word(self, word: str, *, strict: bool = False) -> str | None:
        """The repaired word, or None when the word is left as it is.

        `strict` is for text that already writes æ, ø and å: OCR damage is then the exception, so a repair
        must land on a listed word and pay STRICT_SUBSTITUTION_COST per rule.
        """
        key = (word, strict)
        if key not in self._cache:
            self._cache[key] = self._repair(word, strict)
        return self._cache[key]

    def _repair(self, word: str, strict: bool) -> str | None:
        if len(word) < 2 or not _TOKEN.fullmatch(word):
            return None
        body = word.lstrip("@&")
        if len(body) >= 2 and (body.isupper() or any(c.isupper() for c in body[1:])):
            return None  # acronyms and CamelCase names: ADHD, NemKonto, FriSe
        low = word.lower()
        if low in self.zipf:
            # A listed word changes only into a listed, far more frequent one-rule variant ("pa" → "på").
            cost = max(FALSE_FRIEND_MARGIN, STRICT_SUBSTITUTION_COST if strict else 0.0)
            readings = [r for r in self._analyses(low, 1) if r.subs == 0 or (r.listed and r.subs == 1)]
        else:
            cost = STRICT_SUBSTITUTION_COST if strict else OCR_SUBSTITUTION_COST
            budget = self.max_substitutions + (1 if len(low) >= 12 else 0) - (1 if len(low) <= 4 else 0)
            readings = self._analyses(low, budget)
            # "Igbende", "Ignsatserne": a capital I read for a lower-case l at the start of a word.
            if word[0] == "I" and len(word) > 2 and word[1].islower():
                readings += [r._replace(subs=r.subs + 1) for r in self._analyses("l" + low[1:], max(0, budget - 1))]
            if strict:
                readings = [r for r in readings if r.subs == 0 or r.listed]
        if not readings:
            return None
        # A word missing from the list is rarer than the list's rarest word, whatever its parts say: the
        # readings built from parts move down together until the best of them sits at that floor. Without
        # this "satte|r" would outscore the listed "sætter" for the OCR's "satter".
        built = [r.model for r in readings if not r.listed]
        shift = max(0.0, max(built) - self._floor) if built else 0.0

        def score(r: _Reading) -> tuple[float, int]:
            model = r.model if r.listed else r.model - shift
            return model - cost * r.subs - _WEAK_EXTRA * r.weak, -r.subs

        best = max(readings, key=score)
        if best.subs == 0:
            return None  # the word as written is the likeliest reading
        if word[0] == "I" and best.text.startswith("l"):
            return best.text  # the capital was the damage: "Igbende" → "løbende"
        return _match_case(word, best.text)

    def _analyses(self, low: str, max_subs: int) -> list[_Reading]:
        """Every reading of `low` with at most `max_subs` rule applications that the word list explains,
        as a word of its own, a compound of up to three words, or a word with an ending."""
        found: dict[str, _Reading] = {}
        n = len(low)
        zipf = self.zipf
        stack: list[tuple[int, str, str, tuple[str, ...], int, int]] = [(0, "", "", (), 0, 0)]
        while stack:
            i, out, seg, done, subs, weak = stack.pop()
            if i == n:
                self._accept(found, out, seg, done, subs, weak, "")
                continue
            rest = low[i:]
            if rest in _ENDINGS:
                if seg in zipf and len(seg) >= (3 if len(rest) <= 2 else 4):
                    self._accept(found, out + rest, seg, done, subs, weak, rest)
                elif rest[0] in "aeiouyæøå" and seg + "e" in zipf and len(seg) >= 4:
                    # the stem drops its e before a vowel: "besvare" → "besvar|elsen", "periode" → "period|isere"
                    self._accept(found, out + rest, seg + "e", done, subs, weak, rest)
            options = [(low[i], 1, 0, 0)]
            if subs < max_subs:
                options += [
                    (dst, len(src), 1, w) for src, dst, w in self._rules.get(low[i], ()) if low.startswith(src, i)
                ]
            for add, used, sub, w in options:
                if seg + add in self._prefixes:
                    stack.append((i + used, out + add, seg + add, done, subs + sub, weak + w))
                if (
                    (seg in self._heads or (seg in _PREFIX_PARTS and not done))
                    and len(done) + 1 < _MAX_PARTS
                    and add in self._prefixes
                ):
                    stack.append((i + used, out + add, add, done + (seg,), subs + sub, weak + w))
        return list(found.values())

    def _accept(
        self, found: dict, out: str, seg: str, done: tuple[str, ...], subs: int, weak: int, ending: str
    ) -> None:
        if seg not in self.zipf or (done and len(seg) < _MIN_PART) or (subs and ending in _DERIVATIONS):
            return
        if out in self.zipf:
            reading = _Reading(out, subs, weak, 1, True, self.zipf[out] - 9)
        else:
            model = -(_ENDING_COST if ending else 0.0)
            for head in done:
                if head not in self.zipf:  # a linking s or e: "ansøgning|s|puljen"
                    head, model = head[:-1], model - _LINK_COST
                model += self.zipf.get(head, 0.0) - 9
            model += self.zipf[seg] - 9
            reading = _Reading(out, subs, weak, len(done) + 1, False, model)
        old = found.get(out)
        if old is None or (reading.subs, -reading.model) < (old.subs, -old.model):
            found[out] = reading

    # -- text level -----------------------------------------------------------------------------------

    def repair_text(self, text: str, *, strict: bool | None = None) -> tuple[str, dict[str, str], list[str]]:
        """Repair every word of `text`; numbers, amounts, URLs and e-mail addresses are left alone.

        Returns the text, {damaged token: repair} and the distinct words left unknown. `strict` defaults to
        whether the text already writes æ, ø and å at a normal rate (see `repair_word`).
        """
        if strict is None:
            strict = writes_danish_letters(text)
            logger.debug("OCR repair in %s mode", "strict" if strict else "OCR")
        repaired: dict[str, str] = {}
        unknown: set[str] = set()
        chunks = re.split(r"(\s+)", text)
        words = [(i, c) for i, c in enumerate(chunks) if c and not c.isspace()]
        for pos, (i, chunk) in enumerate(words):
            prev = words[pos - 1][1] if pos > 0 else ""
            nxt = words[pos + 1][1] if pos + 1 < len(words) else ""
            fixed = self._fix_chunk(chunk, prev, nxt, strict)
            if fixed is not None:
                repaired.setdefault(chunk, fixed)
                chunks[i] = fixed
                continue
            if _URLISH.search(chunk) or ("/" in chunk and "-" in chunk):
                continue  # addresses, and the pieces of one the OCR broke over lines

            sentence_start = not prev or bool(re.search(r"[.!?][\"'”»)]*$", prev))

            def repl(match: re.Match[str]) -> str:
                token = match.group(0)
                if len(token) < 2:
                    return token
                new = self.repair_word(token, strict=strict)
                if new is not None:
                    if token[0] in "@&" and match.start() == 0 and sentence_start:
                        new = new[:1].upper() + new[1:]  # "@nskes" opening a sentence: "Ønskes"
                    repaired.setdefault(token, new)
                    return new
                if not self.is_known(token):
                    unknown.add(token)
                return token

            chunks[i] = _TOKEN.sub(repl, chunk)
        return "".join(chunks), repaired, sorted(unknown)

    @staticmethod
    def _fix_chunk(chunk: str, prev: str, nxt: str, strict: bool) -> str | None:
        """Whole-chunk damage: the digit one read for "i", "k." read for "kr." after an amount."""
        if chunk in ("1i", "i1"):
            return "i"
        if chunk == "1" and not strict and prev and not prev[-1].isdigit():
            # "indsats 1 samfundet", "krav 1 § 6", "formål 1 2025"; a heading "1 Indledning" is capitalised
            # and an item is "1)".
            if (nxt[:1].isalpha() and nxt[:1].islower()) or nxt == "§" or re.fullmatch(r"(19|20)\d\d\W?", nxt):
                if prev.strip("\"'”“»«().,").lower() not in _NUMBER_WORDS:
                    return "i"
        if chunk == "k." and _AMOUNT_K.match(prev):
            return "kr."
        return None


def writes_danish_letters(text: str) -> bool:
    """Whether a text uses æ, ø, å as Danish prose does, i.e. its OCR (if any) did not lose them."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    if not words:
        return False
    return sum(1 for w in words if re.search("[æøåÆØÅ]", w)) / len(words) >= _CLEAN_SHARE


def _match_case(original: str, word: str) -> str:
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=1)
def default_repairer() -> OcrRepairer:
    """The shared repairer over wordfreq's Danish list (built once: ~1 s)."""
    return OcrRepairer()


# ---------------------------------------------------------------------------------------------------
# Cleaning: page furniture, hyphenation, repeated URLs, reflow

_FURNITURE = (
    re.compile(r"side\s+\d{1,3}(?:\s*(?:af|/)\s*\d{1,3})?", re.I),
    # running header/footer of Retsinformation prints: "VEJ nr 9340 af 22/04/2025 12" (OCR: "VEI")
    re.compile(r"[A-ZÆØÅ]{2,5}\s+nr\.?\s*\d+\s+af\s+\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\s+\d{1,3})?"),
    re.compile(
        r"skip to (?:main )?content|spring (?:over )?til (?:hoved)?indhold(?:et)?|gå til (?:hoved)?indhold(?:et)?"
        r"|til toppen|back to top|to the top",
        re.I,
    ),
)
_LONE_NUMBER = re.compile(r"[-–]?\s*\d{1,3}\s*[-–]?")
_NAV_PREFIX = re.compile(r"^(?:til toppen|skip to (?:main )?content)\s*(?=\S)", re.I)
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
    if short and (_SENTENCE_END.search(prev) or line[:1].isupper()):
        return True
    return False


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


_FAQ = re.compile(r"^(?:spørgsmål\s+)?(?P<n>\d{1,2})(?:\s*[|.:)]|\s+|$)\s*(?P<rest>.*)$", re.I | re.S)
_TOC_MARK = re.compile(r"(?:indholdsfortegnelse|indhold)\s*:?", re.I)


def detect_headings(text: str, *, kind: str = "vejledning") -> tuple[str, list[str]]:
    """Paragraphs → Markdown body with anchored headings; returns (markdown, section ids in order).

    Numbered headings take their number as id and their depth from it ("9.2.1" → ####); an FAQ's numbered
    questions become "Spørgsmål N {#spm-N}"; documents without numbering get slug ids from short
    title-like lines. A table of contents is dropped, and its titles are used to find unnumbered headings.
    """
    markdown, ids, _ = _headings(text, kind)
    return markdown, ids


def _headings(text: str, kind: str) -> tuple[str, list[str], str | None]:
    """detect_headings, plus the document title when the text opens with one (a title line right above
    the first heading, as a web page's h1 above its first h2); the title is then not part of the body."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    heads: dict[int, tuple[str, str, int]] = {}  # paragraph index → (id, title, level)

    if kind == "faq":
        _faq_headings(paragraphs, heads)
        toc: dict[str, str] = {}
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
            section = _unique("indledning", used)
            ids.append(section)
            lines.append(f"## Indledning {{#{section}}}")
            logger.warning("tekst før første overskrift: lagt under «Indledning» – ret overskriften")
        lines.append(_body(para))
    return "\n\n".join(lines) + "\n", ids, doc_title


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
        while j < len(paragraphs) and _heading_candidate(paragraphs[j]):
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
) -> IngestReport:
    """Turn a raw file into corpus_dir/<pool or general>/<doc_id>.md, a draft to be read through by hand.

    Nothing is overwritten without `force`: not an existing file, not a doc_id used anywhere in the corpus.
    """
    path, corpus_dir = Path(path), Path(corpus_dir)
    if kind not in KINDS:
        raise IngestError(f"Ukendt dokumenttype {kind!r}. Vælg en af: {', '.join(KINDS)}.")
    if not _ID.fullmatch(doc_id):
        raise IngestError(
            f"Ugyldigt doc_id {doc_id!r}. Brug små bogstaver, tal og bindestreger, fx 'saerligsoc-2025-vejledning'."
        )
    if pool is not None and not _ID.fullmatch(pool):
        raise IngestError(f"Ugyldig pulje {pool!r}. Brug små bogstaver, tal og bindestreger, fx 'saerligsoc-2025'.")
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
    body, ids, found_title = _headings(text, kind)
    if not ids:
        raise IngestError(f"Ingen tekst tilbage i {path.name} efter rensning. Kontrollér filen.")

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
    return IngestReport(path=target, repaired=repaired, unknown=unknown, removed_lines=removed, headings=ids)


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
        m = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
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
