"""PII masking, table-driven: many writings of each kind of personal data, and the numbers that must stay."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.privacy import (
    ACCOUNT_MASK,
    ADDRESS_MASK,
    CPR_MASK,
    EMAIL_MASK,
    NAME_MASK,
    PHONE_MASK,
    mask_personal_data,
)
from tests.corpus_pools import cases

MASKED = [
    # CPR numbers: any separator, or none
    ("Mit CPR er 010190-1234, kan jeg søge?", f"Mit CPR er {CPR_MASK}, kan jeg søge?"),
    ("cpr 0101901234", f"cpr {CPR_MASK}"),
    ("cpr 311299 1234", f"cpr {CPR_MASK}"),
    ("cpr 010190.1234", f"cpr {CPR_MASK}"),
    ("cpr 010190/1234", f"cpr {CPR_MASK}"),
    ("cpr 010190–1234", f"cpr {CPR_MASK}"),  # en dash
    ("cpr 010190—1234", f"cpr {CPR_MASK}"),  # em dash
    ("cpr 010190 - 1234", f"cpr {CPR_MASK}"),
    ("cpr 01.01.90-1234", f"cpr {CPR_MASK}"),
    ("cpr 01-01-90-1234.", f"cpr {CPR_MASK}."),
    ("CPR:2412851234", f"CPR:{CPR_MASK}"),
    # phone numbers
    ("ring 12 34 56 78", f"ring {PHONE_MASK}"),
    ("ring 12345678", f"ring {PHONE_MASK}"),
    ("ring +45 12345678", f"ring {PHONE_MASK}"),
    ("ring +4512345678", f"ring {PHONE_MASK}"),
    ("ring +45 12 34 56 78", f"ring {PHONE_MASK}"),
    ("ring 0045 12345678", f"ring {PHONE_MASK}"),
    ("ring 004512345678", f"ring {PHONE_MASK}"),
    ("ring (+45) 1234 5678", f"ring {PHONE_MASK}"),
    ("ring 12-34-56-78", f"ring {PHONE_MASK}"),
    ("ring 12.34.56.78", f"ring {PHONE_MASK}"),
    ("tlf. 1234-5678", f"tlf. {PHONE_MASK}"),
    ("tlf. 1234 5678 efter kl. 16", f"tlf. {PHONE_MASK} efter kl. 16"),
    ("tlf.: +45-1234-5678", f"tlf.: {PHONE_MASK}"),
    # e-mail, also obfuscated
    ("skriv til anna@forening.dk", f"skriv til {EMAIL_MASK}"),
    ("skriv til ansøger@example.dk.", f"skriv til {EMAIL_MASK}."),
    ("skriv til anna.b+puljer@sub.forening.dk", f"skriv til {EMAIL_MASK}"),
    ("navn [at] domæne [dot] dk", EMAIL_MASK),
    ("navn(at)domæne.dk", EMAIL_MASK),
    ("navn (at) domæne (dot) dk", EMAIL_MASK),
    ("navn [snabel-a] domæne [punktum] dk", EMAIL_MASK),
    ("navn snabel-a domæne punktum dk", EMAIL_MASK),
    ("navn at domæne dot dk", EMAIL_MASK),
    ("navn @ domæne.dk", EMAIL_MASK),
    # account and IBAN numbers
    ("konto 1234-1234567890", ACCOUNT_MASK),
    ("overfør til 1234-1234567890", f"overfør til {ACCOUNT_MASK}"),
    ("reg.nr. 1234 kontonr. 1234567890", f"reg.nr. 1234 {ACCOUNT_MASK}"),
    ("kontonummer 12345678", ACCOUNT_MASK),
    ("kontonr: 0001234567", ACCOUNT_MASK),
    ("1234 1234567890", ACCOUNT_MASK),
    ("IBAN DK50 0040 0440 1162 43", f"IBAN {ACCOUNT_MASK}"),
    ("IBAN DK5000400440116243", f"IBAN {ACCOUNT_MASK}"),
    # names after an introduction, best effort
    ("Jeg hedder Anna Hansen og søger", f"Jeg hedder {NAME_MASK} og søger"),
    ("jeg hedder Peter", f"jeg hedder {NAME_MASK}"),
    ("Mit navn er Søren Østergaard-Ål.", f"Mit navn er {NAME_MASK}."),
    ("Kontakt Mette Jensen for mere", f"Kontakt {NAME_MASK} for mere"),
    ("kontaktperson: Ole Sørensen", f"kontaktperson: {NAME_MASK}"),
    ("Med venlig hilsen Karen Blixen", f"Med venlig hilsen {NAME_MASK}"),
    ("Mvh. Ole", f"Mvh. {NAME_MASK}"),
    # street addresses, best effort
    ("Jeg bor på Nørregade 5", f"Jeg bor på {ADDRESS_MASK}"),
    ("Vesterbrogade 12, 2. tv, 1620 København", ADDRESS_MASK),
    ("adresse: Åboulevard 7B", f"adresse: {ADDRESS_MASK}"),
    ("Lyngbyvej 100, 2100 København", ADDRESS_MASK),
    ("bor på Store Kongensgade 40", f"bor på {ADDRESS_MASK}"),
    # several at once
    (
        "Jeg hedder Anna, cpr 010190-1234, tlf 12 34 56 78, anna@x.dk",
        f"Jeg hedder {NAME_MASK}, cpr {CPR_MASK}, tlf {PHONE_MASK}, {EMAIL_MASK}",
    ),
]

KEPT = [
    "12,9 mio. kr.",
    "1.649 timer",
    "7. august 2025 kl. 23:59",
    "§ 07.18.19.50",
    "tilskud på 1.500.000 kr.",
    "2025-08-07",
    "450000 kr.",
    "VEJ nr 9340",
    # 8- and 10-digit amounts in kroner are amounts, not phone or CPR numbers
    "Vi søger 45000000 kr.",
    "Budgettet er 12345678 kroner",
    "kr. 12345678 i alt",
    "12 34 56 78 kr.",
    "1234567890 kr.",
    "0101901234 kr.",
    "beløb: 12345678 DKK",
    "12.345.678 kr.",
    "Fristen er 07.08.2025",
    "puljen 2025-2026",
    "Hvad er fristen at søge?",
    "Kan jeg kontakte Social- og Boligstyrelsen?",
    "kontakt Social- og Boligstyrelsen",
    "Hvor mange timer er 1.924 timer om året?",
    "Hvad betyder afsnit 10, pkt. 1?",
    # every pool's names: a capitalised pool name is not a person's name
    *(f"Hvem kan søge {name}?" for case in cases() for name in (case.short_name, *case.spec.names)),
    "Er sign on fee et årligt beløb?",
    "Lønnen er 350.000 kr. om året",
]


@pytest.mark.parametrize("text, expected", MASKED)
def test_personal_data_is_masked(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_numbers_that_are_not_personal_data_are_kept(text):
    assert mask_personal_data(text) == text


@given(st.integers(min_value=10_000_000, max_value=9_999_999_999), st.sampled_from(["kr.", "kroner", "kr", "DKK"]))
def test_amounts_in_kroner_are_never_masked(amount, unit):
    text = f"Vi søger {amount} {unit} til projektet"
    assert mask_personal_data(text) == text


@given(st.text(max_size=200))
def test_masking_is_idempotent(text):
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once
