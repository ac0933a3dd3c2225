"""Masking of personal data before anything is shown, logged or stored: CPR numbers, e-mail addresses
(also written "navn [at] domæne [dot] dk"), Danish phone numbers, account and IBAN numbers and, best
effort, names after "jeg hedder / mit navn er / kontakt …" and street addresses. Amounts in kroner are
never masked."""

from __future__ import annotations

import re
from collections.abc import Callable

CPR_MASK = "[CPR-nummer fjernet]"
EMAIL_MASK = "[e-mail fjernet]"
PHONE_MASK = "[telefonnummer fjernet]"
ACCOUNT_MASK = "[kontonummer fjernet]"
NAME_MASK = "[navn fjernet]"
ADDRESS_MASK = "[adresse fjernet]"

# A number that is an amount ("45000000 kr.", "kr. 12345678", "12 34 56 78 DKK") is never personal data.
_NOT_BEFORE_AMOUNT = r"(?!\s*(?:kr\b|kr\.|kroner|dkk|mio\b|mio\.|mia\b|mia\.|millioner|procent|%))"
_NOT_AFTER_AMOUNT = r"(?<!kr\. )(?<!kr\.)(?<!kr )(?<!dkk )"
_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen and the dashes word processors put in its place
_SEP = rf"[ .\/{_DASH}]"

# ddmmyy-xxxx with any separator (or none), also "01.01.90-1234" and "010190 - 1234"; day 01–31 and month
# 01–12 keep ordinary ten-digit numbers such as amounts ("1000000000") from being taken for CPR numbers.
CPR = re.compile(
    rf"(?<![\d.,]){_NOT_AFTER_AMOUNT}(?:0[1-9]|[12]\d|3[01]){_SEP}?(?:0[1-9]|1[0-2]){_SEP}?\d{{2}}"
    rf"(?:\s?{_SEP}?\s?)\d{{4}}(?![\d])(?![.,]\d){_NOT_BEFORE_AMOUNT}",
    re.IGNORECASE,
)
_AT = r"(?:\s*@\s*|\s*[\[({]\s*(?:at|@|snabel-?a)\s*[\])}]\s*|\s+snabel-?a\s+)"
_DOT = r"(?:\.|\s*[\[({]\s*(?:dot|punktum|prik)\s*[\])}]\s*|\s+(?:dot|punktum)\s+)"
EMAIL = re.compile(
    rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,}}\b|[\w.+-]+\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)+\b",
    re.IGNORECASE,
)
# Danish phone numbers: 8 digits, optionally after +45 / 0045 / (+45), written together, as 2+2+2+2 with
# one kind of separator throughout, or as 4+4 ("07.08.2025" is a date, not a phone number).
PHONE = re.compile(
    rf"(?<![\w.,+§]){_NOT_AFTER_AMOUNT}(?<!§ )(?:(?:\(\s*\+?45\s*\)|\+\s?45|0045)[ {_DASH}]?)?"
    r"(?!(?:19|20)\d\d\W{1,3}(?:19|20)\d\d\b)"  # "2025-2026" is a span of years
    rf"(?:\d{{8}}|\d{{2}}(?P<sep>[ .{_DASH}])\d{{2}}(?P=sep)\d{{2}}(?P=sep)\d{{2}}|\d{{4}}[ .{_DASH}]\d{{4}})"
    rf"(?![\d])(?![.,]\d){_NOT_BEFORE_AMOUNT}",
    re.IGNORECASE,
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,4})?\b")
# Registration number + account number ("1234-1234567890", "reg. nr. 1234 konto 12345678"), and any
# digits right after the word for an account number.
ACCOUNT = re.compile(
    rf"(?:(?!0045)\b(?:reg(?:istrerings)?\.?\s*(?:nr\.?|nummer)?\s*:?\s*)?\d{{4}}\s?[{_DASH}/ ]\s?\d{{6,10}}\b"
    rf"|\b(?:konto(?:nummer|nr\.?)?|kontonr\.?|account(?: number)?)\s*:?\s*(?:nr\.?\s*)?\d[\d {_DASH}]{{5,16}}\d\b)"
    rf"{_NOT_BEFORE_AMOUNT}",
    re.IGNORECASE,
)
_WORD = r"[A-ZÆØÅ][a-zæøåéü']+(?:-[A-ZÆØÅa-zæøå][a-zæøåéü']+)*"
_ORGANISATION = re.compile(r"styrelse|ministeri|kommune|region|forening|fond|pulje", re.IGNORECASE)
NAME = re.compile(
    rf"(?P<lead>\b(?i:jeg\s+hedder|mit\s+navn\s+er|navn\s*:|kontakt(?:person)?(?:en)?\s*(?:er|:)?|"
    rf"med\s+venlig\s+hilsen|mvh\.?|hilsen)\s+)(?P<name>{_WORD}(?:\s+{_WORD}){{0,3}})"
)
_STREET = (
    r"(?:vej|gade|allé|alle|stræde|vænge|vænget|torv|plads|boulevard|bakke|bakken|sti|stien|park|parken|"
    r"have|haven|toften|vang|lund|høj|kær|mark|engen|holm|gård|tofte|ager)"
)
ADDRESS = re.compile(
    rf"\b(?:{_WORD}\s+)?[A-ZÆØÅ][a-zæøå]*{_STREET}\s+\d{{1,4}}\s?[A-Za-z]?\b"
    rf"(?:,?\s*\d{{1,2}}\.?\s*(?:th|tv|mf|sal)\b\.?)?(?:,?\s*\d{{4}}\s+{_WORD})?"
)


def _mask_name(match: re.Match) -> str:
    # "kontakt Social- og Boligstyrelsen": an organisation's name may continue past the capitalised words.
    following = match.string[match.start("name") : match.end() + 40]
    if _ORGANISATION.search(following.split(".")[0]):
        return match.group(0)
    return match.group("lead") + NAME_MASK


# Order matters: an e-mail may hold digits, an IBAN or account number is longer than a CPR or phone number.
MASKS: list[tuple[re.Pattern, str | Callable[[re.Match], str]]] = [
    (EMAIL, EMAIL_MASK),
    (IBAN, ACCOUNT_MASK),
    (CPR, CPR_MASK),
    (ACCOUNT, ACCOUNT_MASK),
    (PHONE, PHONE_MASK),
    (ADDRESS, ADDRESS_MASK),
    (NAME, _mask_name),
]


def mask_cpr(text: str) -> str:
    return CPR.sub(CPR_MASK, text)


def mask_personal_data(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def has_cpr(text: str) -> bool:
    return bool(CPR.search(text))
