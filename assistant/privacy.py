"""Masking of personal data (CPR numbers, e-mail addresses, phone numbers) before anything is shown,
logged or stored."""

from __future__ import annotations

import re

# ddmmyy-xxxx with or without the dash (or a space); day 01–31 and month 01–12 keep ordinary
# ten-digit numbers such as amounts ("1000000000") from being taken for CPR numbers.
CPR = re.compile(r"(?<!\d)(?<!\d[.,])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?!\d)(?![.,]\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Danish phone numbers: 8 digits, optionally +45 and grouped "12 34 56 78" / "1234 5678".
PHONE = re.compile(r"(?<!\d)(?<!\d[.,-])(?:\+45 ?)?(?:\d{8}|\d{2}(?: \d{2}){3}|\d{4} \d{4})(?!\d)(?![.,-]\d)")

CPR_MASK = "[CPR-nummer fjernet]"
EMAIL_MASK = "[e-mail fjernet]"
PHONE_MASK = "[telefonnummer fjernet]"


def mask_cpr(text: str) -> str:
    return CPR.sub(CPR_MASK, text)


def mask_personal_data(text: str) -> str:
    """CPR first (its ten digits would otherwise partly match a phone number)."""
    return PHONE.sub(PHONE_MASK, EMAIL.sub(EMAIL_MASK, mask_cpr(text)))


def has_cpr(text: str) -> bool:
    return bool(CPR.search(text))
