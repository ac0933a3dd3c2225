import pytest

from assistant.privacy import CPR_MASK, EMAIL_MASK, PHONE_MASK, mask_personal_data


@pytest.mark.parametrize("text, expected", [
    ("Mit CPR er 010190-1234, kan jeg søge?", f"Mit CPR er {CPR_MASK}, kan jeg søge?"),
    ("cpr 0101901234", f"cpr {CPR_MASK}"),
    ("cpr 311299 1234", f"cpr {CPR_MASK}"),
    ("skriv til anna@forening.dk", f"skriv til {EMAIL_MASK}"),
    ("ring 12 34 56 78", f"ring {PHONE_MASK}"),
    ("ring +45 12345678", f"ring {PHONE_MASK}"),
])
def test_personal_data_is_masked(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize("text", [
    "12,9 mio. kr.", "1.649 timer", "7. august 2025 kl. 23:59", "§ 07.18.19.50", "tilskud på 1.500.000 kr.",
    "2025-08-07", "450000 kr.", "VEJ nr 9340",
])
def test_numbers_that_are_not_personal_data_are_kept(text):
    assert mask_personal_data(text) == text
