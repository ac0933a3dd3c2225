"""Danish OCR repair: æ, ø, å (and a few consonant pairs) read as other glyphs, undone against wordfreq's
Danish word list with frequencies."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

logger = logging.getLogger(__name__)

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
    r"https?://|www\.|\S@\S+\.[a-z]{2,}|\.(?:dk|com|org|net|eu|nu|de|se|no|info|gov|int)\b", re.IGNORECASE
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

            def repl(match: re.Match[str], sentence_start: bool = sentence_start) -> str:
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
        # "indsats 1 samfundet", "krav 1 § 6", "formål 1 2025"; a heading "1 Indledning" is capitalised and an
        # item is "1)".
        if (chunk == "1" and not strict and prev and not prev[-1].isdigit()
                and ((nxt[:1].isalpha() and nxt[:1].islower()) or nxt == "§" or re.fullmatch(r"(19|20)\d\d\W?", nxt))
                and prev.strip("\"'”“»«().,").lower() not in _NUMBER_WORDS):
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
