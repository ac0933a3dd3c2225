from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from assistant.rules import calculators

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.mark.parametrize("salary, expected", [
    (Decimal(450000), "272,89 kr. pr. time"),
    (Decimal(1649000), "1.000 kr. pr. time"),
    (Decimal(500000), "303,21 kr. pr. time"),
])
def test_hourly_rate_uses_the_aarsnorm(salary, expected):
    result = calculators.hourly_rate(salary, Decimal(1649), "1.649 timer")
    assert expected in result.text and "1.649 timer" in result.text


@pytest.mark.parametrize("share, salary, cost", [
    (Decimal("0.5"), Decimal(480000), "240.000 kr."),
    (Decimal("0.6"), Decimal(420000), "252.000 kr."),
    (Decimal("0.75"), Decimal(400000), "300.000 kr."),
])
def test_a_part_time_posts_cost_is_its_share_of_the_full_time_cost(share, salary, cost):
    result = calculators.part_time_cost(share, salary, Decimal(1649), "1.649 timer")
    assert f"= {cost}" in result.text and cost in result.derived
    assert all(d in result.text for d in result.derived)


@pytest.mark.parametrize("grant, must_audit", [
    (Decimal(100000), False), (Decimal(99999), False), (Decimal(100001), True), (Decimal(2000000), True),
])
def test_audit_threshold_is_inclusive(grant, must_audit):
    text = calculators.audit(grant, Decimal(100000), "100.000 kr.").text
    assert ("skal revideres" in text and "ikke revideres" not in text) == must_audit


@pytest.mark.parametrize("purchase, fits", [
    (Decimal(50000), True), (Decimal(12000), True), (Decimal(50001), False), (Decimal(80000), False),
])
def test_materiel_cap(purchase, fits):
    text = calculators.materiel(purchase, Decimal(50000), "50.000 kr.").text
    assert ("inden for loftet" in text) == fits


@pytest.mark.parametrize("grant, limit", [
    (Decimal(400000), "40.000 kr."),      # 10 pct. is below the maximum
    (Decimal(1000000), "100.000 kr."),    # exactly equal
    (Decimal(2500000), "100.000 kr."),    # the maximum caps it
])
def test_transfer_is_the_lesser_of_percentage_and_maximum(grant, limit):
    text = calculators.transfer(grant, Decimal(10), Decimal(100000), "10 pct.", "100.000 kr.").text
    assert f"altså {limit}" in text


@pytest.mark.parametrize("grant, unspent, allowed", [
    (Decimal(600000), Decimal(70000), False), (Decimal(600000), Decimal(59999), True),
    (Decimal(600000), Decimal(60000), False), (Decimal(2000000), Decimal(99000), True),
    (Decimal(2000000), Decimal(150000), False),
])
def test_transfer_judges_the_unspent_amount_against_the_limit(grant, unspent, allowed):
    text = calculators.transfer(grant, Decimal(10), Decimal(100000), "10 pct.", "100.000 kr.", unspent).text
    assert ("kan overføres uden forudgående godkendelse" in text) == allowed, text
    assert ("kan ikke overføres uden forudgående godkendelse" in text) == (not allowed), text


@pytest.mark.parametrize("change, line, within", [
    (Decimal(15000), Decimal(200000), True), (Decimal(20000), Decimal(200000), True),
    (Decimal(20001), Decimal(200000), False), (Decimal(50000), Decimal(100000), False),
])
def test_budget_change_tolerance(change, line, within):
    text = calculators.budget_change(change, line, Decimal(10), "10 pct.").text
    assert ("uden forudgående godkendelse" in text) == within


@pytest.mark.parametrize("now, expected", [
    (datetime(2025, 8, 7, 23, 59, tzinfo=CPH), "overskredet"),
    (datetime(2025, 9, 1, 12, 0, tzinfo=CPH), "overskredet"),
    (datetime(2025, 8, 1, 12, 0, tzinfo=CPH), "6 dage og 11 timer tilbage"),
    (datetime(2025, 8, 7, 22, 30, tzinfo=CPH), "1 time og 29 minutter tilbage"),
])
def test_time_left(now, expected):
    deadline = datetime(2025, 8, 7, 23, 59, tzinfo=CPH)
    assert expected in calculators.time_left(deadline, now).text
