from datetime import date, datetime
from decimal import Decimal

import pytest

from assistant.danish import (char_ngrams, fold, format_date, format_kr, format_number, parse_amounts,
                              parse_dates, parse_number, split_sentences)


@pytest.mark.parametrize("text, expected", [
    ("450.000 kr.", [Decimal(450000)]),
    ("2 mio.", [Decimal(2000000)]),
    ("1,5 mio. kr.", [Decimal(1500000)]),
    ("80.000", [Decimal(80000)]),
    ("80 000", [Decimal(80000)]),
    ("12,9 mio. kr.", [Decimal("12900000")]),
    ("30t kr", [Decimal(30000)]),
    ("100.000 kr. og 50.000 kr.", [Decimal(100000), Decimal(50000)]),
    ("1.649 timer", [Decimal(1649)]),
    ("ingen tal", []),
    # English thousands: no kroner amount has three decimals
    ("a grant of DKK 400,000", [Decimal(400000)]),
    ("DKK 1,250,000 in total", [Decimal(1250000)]),
    ("we have 30,000 left", [Decimal(30000)]),
    ("12,50 kr.", [Decimal("12.50")]),
])
def test_parse_amounts(text, expected):
    assert parse_amounts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("1.649", Decimal(1649)), ("12,9", Decimal("12.9")), ("10", Decimal(10)), ("1.000.000", Decimal(1000000)),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Fristen er 7. august 2025 kl. 23:59.", [datetime(2025, 8, 7, 23, 59)]),
    ("fra den 1. december 2025 til 30. november 2027", [date(2025, 12, 1), date(2027, 11, 30)]),
    ("26. juni 2025 kl. 12.00", [datetime(2025, 6, 26, 12, 0)]),
])
def test_parse_dates(text, expected):
    assert parse_dates(text) == expected


@pytest.mark.parametrize("value, expected", [
    (datetime(2025, 8, 7, 23, 59), "7. august 2025 kl. 23:59"), (date(2027, 11, 30), "30. november 2027"),
])
def test_format_date(value, expected):
    assert format_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    (50000, "50.000 kr."), (Decimal("272.89"), "272,89 kr."), (1500000, "1.500.000 kr."),
])
def test_format_kr(value, expected):
    assert format_kr(value) == expected


def test_format_number():
    assert format_number(Decimal("12.9"), 1) == "12,9"
    assert format_number(1649) == "1.649"


def test_fold_makes_spellings_meet():
    assert fold("Årsnorm") == fold("aarsnorm") == "aarsnorm"
    assert fold("Grønne Fællesskaber på Ærø!") == "groenne faellesskaber paa aeroe"
    assert set(char_ngrams("årsnorm")) & set(char_ngrams("arsnorm"))


@pytest.mark.parametrize("text, count", [
    ("I 2025 er der afsat 12,9 mio. kr. til puljen. Det er et acontobeløb.", 2),
    ("Fristen er den 7. august 2025 kl. 23:59. Efter dette tidspunkt modtages intet.", 2),
    ("Se § 07.18.19.50. Det gælder bl.a. for projekter, jf. afsnit 3.", 2),
    ("Der kan fx søges til kontorhold mv. og porto.", 1),
    ("Reformen trådte i kraft den 1. oktober 2023. Den øger incitamentet.", 2),
])
def test_split_sentences_keeps_abbreviations_and_dates(text, count):
    sentences = split_sentences(text)
    assert len(sentences) == count, sentences
    assert " ".join(sentences) == text
