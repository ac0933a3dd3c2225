"""Pure Danish text helpers: folding æøå, sentences, amounts ("1,5 mio. kr."), dates ("7. august 2025")."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)
MONTH_NUMBER = {name: i for i, name in enumerate(MONTHS, start=1)}
# The month names as one regex alternation, for patterns that find dates in text.
MONTH_PATTERN = "(?:" + "|".join(MONTHS) + ")"

# Applicants type "aa"/"oe"/"ae", or drop the letters entirely; folding both sides the same way makes
# "aarsnorm", "årsnorm" and the OCR leftover "arsnorm" share most character n-grams.
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


def fold(text: str) -> str:
    """Lowercase, æ→ae, ø→oe, å→aa, other accents dropped, non-alphanumerics to single spaces."""
    text = text.lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


# Danish noun and verb endings, longest first: what `stem` strips.
INFLECTIONS = ("erne", "ene", "ens", "en", "et", "er", "e", "s")


def stem(word: str) -> str:
    """A folded word without its inflection ("deltagerne" → "deltag"), never shorter than four letters."""
    return next((word[: -len(e)] for e in INFLECTIONS if word.endswith(e) and len(word) - len(e) >= 4), word)


def ends_with_abbreviation(text: str) -> bool:
    """The text ends in an abbreviation's period ("inkl.", "f.eks."), which ends no sentence."""
    last = text.rstrip().rsplit(None, 1)[-1].lower() if text.strip() else ""
    return last.endswith(".") and last[:-1] in _ABBREVIATIONS


def char_ngrams(text: str, n: int = 4) -> list[str]:
    """Character n-grams of each folded word padded with spaces ("_ord_"), robust to typos and OCR."""
    grams: list[str] = []
    for word in fold(text).split():
        padded = f" {word} "
        if len(padded) <= n:
            grams.append(padded)
        else:
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def slugify(text: str) -> str:
    return fold(text).replace(" ", "-")


# Abbreviations that end in a period without ending a sentence.
_ABBREVIATIONS = {
    "kr", "mio", "mia", "pct", "jf", "f.eks", "bl.a", "evt", "pkt", "nr", "ca", "inkl", "ekskl",
    "dvs", "mv", "m.v", "m.m", "osv", "stk", "kl", "s", "vedr", "iht", "ift", "max", "min", "tlf",
    "ang", "hhv", "herunder", "pga", "p.t", "tidl", "bek", "lov", "vej", "sbst", "e.l", "o.l", "afs",
    "gl", "incl", "etc", "jan", "feb", "aug", "sep", "sept", "okt", "nov", "dec", "t.o.m", "o.a",
}
_SENTENCE_END = re.compile(r"(?<=[.!?:])[\"”»)]*\s+(?=[\"“«(]?[A-ZÆØÅ0-9§–-])")


def split_sentences(text: str) -> list[str]:
    """Split Danish prose into sentences without breaking at "kr.", "1. oktober" or "§ 07.18.19.50.".

    A colon ends a sentence only before a capital, which keeps "følgende: a, b" whole but splits lead-ins
    from lists written on one line.
    """
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        before = text[start:end]
        if before.endswith(":") and not text[match.end() :][:1].isupper():
            continue
        last_word = re.search(r"([\w.]+)[.]$", before)
        if last_word:
            word = last_word.group(1).lower()
            if word in _ABBREVIATIONS:
                continue
            # "1. oktober", "7. august", "pkt. 3." : an ordinal followed by a month or a lower-case word
            if word.isdigit() and re.match(r"\s*(" + "|".join(MONTHS) + r")\b", text[match.end() - 1 :].lower()):
                continue
            if re.fullmatch(r"[a-zæøå]", word):  # single-letter abbreviation ("a. b.")
                continue
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


# ---------------------------------------------------------------------------------------------------
# Amounts

_AMOUNT = re.compile(
    # (English thousands, "DKK 400,000", before the Danish decimal comma: no kroner amount has three decimals.)
    r"(?P<number>\d{1,3}(?:,\d{3})+(?![\d,])|\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s*"
    r"(?P<unit>mia\.?|milliard(?:er)?|mio\.?|million(?:er)?|t\.?\s?kr\.?|tusind|k\b)?",
    re.IGNORECASE,
)


def parse_number(text: str) -> Decimal:
    """ "1.649" → 1649, "12,9" → 12.9, "80 000" → 80000 (Danish: "." thousands, "," decimals); "400,000" → 400000
    (English thousands: no amount is written with three decimals)."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", cleaned):
        cleaned = cleaned.replace(".", "")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+", cleaned):
        cleaned = cleaned.replace(",", "")
    cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a Danish number: {text!r}") from exc


def parse_amounts(text: str) -> list[Decimal]:
    """All kroner amounts written in a text: "450.000 kr.", "2 mio.", "1,5 mio. kr.", "80 000", "30t kr."."""
    amounts: list[Decimal] = []
    for match in _AMOUNT.finditer(text):
        value = parse_number(match.group("number"))
        unit = (match.group("unit") or "").lower().replace(" ", "")
        if unit.startswith(("mia", "milliard")):
            value *= 1_000_000_000
        elif unit.startswith(("mio", "million")):
            value *= 1_000_000
        elif unit.startswith(("t", "k")):
            value *= 1_000
        amounts.append(value)
    return amounts


_NOT_MONEY = re.compile(r"\s*(?:timer?|pct|procent|%|dage?|døgn|uger?|måneder|måned|år|regioner|foreninger|personer)\b",
                        re.IGNORECASE)


# The currency word an amount may stand with: "DKK 400.000", "80.000 kr.".
_CURRENCY_BEFORE = re.compile(r"dkk\s*$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"\s*(?:kr\.?|kroner|dkk)", re.IGNORECASE)


def money_spans(text: str) -> list[tuple[int, int, list[Decimal]]]:
    """Where the text states amounts in kroner, each as (start, end, amounts), the span taking in the currency
    word beside the number ("DKK 400.000", "80.000 kr."). "2.000 timer", "10 pct." and "24 måneder" are numbers,
    not money."""
    spans = []
    for match in _AMOUNT.finditer(text):
        if match.group("unit") or not _NOT_MONEY.match(text, match.end()):
            before = _CURRENCY_BEFORE.search(text, 0, match.start())
            after = _CURRENCY_AFTER.match(text, match.end())
            start = before.start() if before else match.start()
            spans.append((start, after.end() if after else match.end(), parse_amounts(match.group(0))))
    return spans


def parse_money(text: str) -> list[Decimal]:
    """Amounts in kroner only (see `money_spans`)."""
    return [amount for _, _, amounts in money_spans(text) for amount in amounts]


def format_kr(amount: Decimal | int | float) -> str:
    """50000 → "50.000 kr.", 1649.5 → "1.649,50 kr."."""
    value = Decimal(str(amount))
    if value == value.to_integral_value():
        text = f"{int(value):,}".replace(",", ".")
    else:
        text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{text} kr."


def format_number(value: Decimal | int | float, decimals: int = 0) -> str:
    """1649 → "1.649", 12.9 with decimals=1 → "12,9"."""
    text = f"{Decimal(str(value)):,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


# ---------------------------------------------------------------------------------------------------
# Dates

_DATE = re.compile(
    r"(?P<day>\d{1,2})\.\s*(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})"
    r"(?:\s*(?:,\s*)?kl\.\s*(?P<hour>\d{1,2})[.:](?P<minute>\d{2}))?",
    re.IGNORECASE,
)


def parse_dates(text: str) -> list[date | datetime]:
    """ "7. august 2025 kl. 23:59" → datetime(2025, 8, 7, 23, 59); without a time → date."""
    found: list[date | datetime] = []
    for m in _DATE.finditer(text):
        day, month, year = int(m["day"]), MONTH_NUMBER[m["month"].lower()], int(m["year"])
        if m["hour"]:
            found.append(datetime(year, month, day, int(m["hour"]), int(m["minute"])))
        else:
            found.append(date(year, month, day))
    return found


def format_date(value: date | datetime) -> str:
    """date(2025, 8, 7) → "7. august 2025"; a datetime adds " kl. 23:59"."""
    text = f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, datetime):
        text += f" kl. {value.hour:02d}:{value.minute:02d}"
    return text


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
