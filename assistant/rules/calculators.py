"""Calculators on the pools' rules. Each returns the sentence it computed and the numbers it derived,
so the answer check can tell a computed number from an invented one."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel import dates as babel_dates

from assistant.danish import format_date, format_kr, format_number, plural


@dataclass(frozen=True)
class Calculation:
    text: str
    derived: list[str] = field(default_factory=list)  # numbers as written in `text` that were computed
    meets: bool | None = None  # whether what the asker told meets the rule, where the calculation judges that
    key: str | None = None  # the fact key whose value it judges (its own line would say the figure again)
    leads: bool = False  # the line answers the asker's case and goes before the rules it rests on
    judges: tuple[str, ...] = ()  # fact keys whose figures the line states (their own lines would repeat them)
    defines: str | None = None  # the term whose requirement it judges, one way among others to qualify


def _end(text: str) -> str:
    """The sentence with one full stop, also after an abbreviation that ends it ("kr.", "pct.")."""
    return text if text.endswith(".") else text + "."


def _figure(value: Decimal) -> str:
    """A count or share as Danish writes it, with one decimal only where it has one: "824,5", "50"."""
    return format_number(value, 0 if value == value.to_integral() else 1)


def _kr(value: Decimal) -> str:
    return format_kr(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def hourly_rate(annual_salary: Decimal, aarsnorm_hours: Decimal, aarsnorm_display: str,
                pension_pct: Decimal | None = None) -> Calculation:
    """The hourly rate of a yearly salary; with a pension percentage on top ("plus 12 % pension"), of the salary
    with the pension, as the wage cost the budget carries."""
    lead, derived = "", []
    if pension_pct is not None:
        pct_text = f"{_figure(pension_pct)} %"
        with_pension = annual_salary * (1 + pension_pct / 100)
        lead = (f"Med {pct_text} pension oveni en årsløn på {_kr(annual_salary)} er lønudgiften "
                f"{_kr(with_pension)} om året. ")
        derived = [_kr(annual_salary), pct_text, _kr(with_pension)]
        annual_salary = with_pension
    rate = (annual_salary / aarsnorm_hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    rate_text = format_kr(rate)
    salary = _kr(annual_salary)
    what = "lønudgift" if pension_pct is not None else "årsløn"
    return Calculation(
        f"{lead}Med en {what} på {salary} bliver timesatsen {salary} / {aarsnorm_display} = {rate_text} pr. time.",
        [*derived, salary, rate_text])


def hourly_rate_from_month(monthly_salary: Decimal, aarsnorm_hours: Decimal, aarsnorm_display: str,
                           pension_pct: Decimal | None = None) -> Calculation:
    """A monthly salary is twelve of them a year; the årsnorm then divides the year."""
    annual = monthly_salary * 12
    yearly = hourly_rate(annual, aarsnorm_hours, aarsnorm_display, pension_pct)
    month_text, annual_text = _kr(monthly_salary), _kr(annual)
    return Calculation(f"En månedsløn på {month_text} er {annual_text} om året (12 måneder). {yearly.text}",
                       [month_text, annual_text, "12", *yearly.derived])


def part_time_hours(share: Decimal, aarsnorm_hours: Decimal, aarsnorm_display: str) -> Calculation:
    """The hours of a part-time post: its share of the årsnorm, which is for a full-time post."""
    hours = (aarsnorm_hours * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    pct = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    hours_text, pct_text = _figure(hours), _figure(pct)
    return Calculation(
        f"Årsnormen på {aarsnorm_display} gælder en fuldtidsstilling; ved {pct_text} % af fuld tid er det "
        f"{aarsnorm_display} × {pct_text} % = {hours_text} timer om året.",
        [hours_text, f"{pct_text} %", pct_text])


def part_time_cost(share: Decimal, annual_cost: Decimal, aarsnorm_hours: Decimal, aarsnorm_display: str) -> Calculation:
    """The salary cost of a part-time post for a whole project year: its share of the full-time cost, which is its
    hours (its share of the årsnorm) at the full-time hourly rate."""
    hours = part_time_hours(share, aarsnorm_hours, aarsnorm_display)
    worked, pct = hours.derived[:2]  # the post's hours and its share, as part_time_hours says them
    rate = format_kr((annual_cost / aarsnorm_hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    annual, cost = _kr(annual_cost), _kr(annual_cost * share)
    return Calculation(
        f"{hours.text[:-1]}; lønudgiften for et helt projektår bliver {pct} af {annual} = {cost} ({worked} timer à "
        f"{rate}).",
        [*hours.derived, annual, cost, rate])


def audit(grant: Decimal, threshold: Decimal, threshold_display: str) -> Calculation:
    grant_text = _kr(grant)
    if grant <= threshold:
        return Calculation(f"Et tilskud på {grant_text} er ikke over {threshold_display}, så regnskabet skal "
                           "ikke revideres (og der kan ikke budgetteres med udgifter til revision).", [grant_text])
    return Calculation(f"Et tilskud på {grant_text} er over {threshold_display}, så regnskabet skal revideres.",
                       [grant_text])


def rent_cap(
    rent: Decimal, consumption: Decimal | None, included: bool | None, cap: Decimal, cap_display: str, key: str
) -> Calculation:
    """A monthly rent against a cap set on the rent excluding consumption ("husleje ekskl. forbrug"). `consumption`:
    the amount the asker told as consumption; `included`: whether it is part of the rent told ("5.400 kr., hvoraf
    600 kr. er aconto"), on top of it ("plus 600 kr. aconto"), or not said (None)."""
    said = f"En husleje på {_kr(rent)} pr. måned"

    def side(amount: Decimal) -> str:
        return "inden for" if amount <= cap else "over"

    # The line says the cap's figure: the cap's own line would repeat it (`judges`).
    if consumption is None and included and rent > cap:
        # "5.500 kr. inkl. varme og vand": how much of it is consumption decides, and the asker did not say.
        least = rent - cap
        text = (
            f"{said} inkl. forbrug kan være inden for loftet på {cap_display}: loftet gælder huslejen ekskl. forbrug, "
            f"så boligen er inden for, hvis forbruget er mindst {_kr(least)} pr. måned"
        )
        return Calculation(_end(text), [_kr(least), _kr(rent)], leads=True, judges=(key,))
    if consumption is None or consumption >= rent or included is False:
        text = f"{said} er {side(rent)} loftet på {cap_display}"
        if consumption is None:
            text += " (loftet gælder huslejen ekskl. forbrug)"  # the rent told may hold consumption
        told = [_kr(rent)] + ([_kr(consumption)] if consumption is not None else [])
        return Calculation(_end(text), told, leads=True, judges=(key,))
    net = rent - consumption
    told, derived = [_kr(rent), _kr(consumption)], [_kr(net)]
    if included:
        text = (
            f"{said}, heraf {_kr(consumption)} til forbrug, er {_kr(net)} ekskl. forbrug og dermed {side(net)} "
            f"loftet på {cap_display}"
        )
        return Calculation(_end(text), [*derived, *told], leads=True, judges=(key,))
    if side(net) == side(rent):
        # Whether the consumption is in the rent told does not change the answer.
        text = f"{said} er {side(rent)} loftet på {cap_display}, med eller uden de {_kr(consumption)} til forbrug"
        return Calculation(_end(text), told, leads=True, judges=(key,))
    # Whether the consumption is in the rent told decides, and the asker did not say: both are said.
    text = (
        f"Er de {_kr(consumption)} til forbrug en del af huslejen på {_kr(rent)} pr. måned, er huslejen ekskl. "
        f"forbrug {_kr(net)} og dermed {side(net)} loftet på {cap_display}; kommer forbruget oveni, er huslejen "
        f"{side(rent)} loftet"
    )
    return Calculation(_end(text), [*derived, *told], leads=True, judges=(key,))


def materiel(purchase: Decimal, cap: Decimal, cap_display: str,
             items: list[tuple[int, Decimal]] | None = None) -> Calculation:
    """A purchase against the cap; with the asker's items ("5 computere à 9.500 kr. og 3 telefoner à 3.000 kr."),
    their sum is the purchase, shown as it is reckoned."""
    text = _kr(purchase)
    reckoned, told = "", []
    if items and (len(items) > 1 or items[0][0] > 1):
        reckoned = "Tilsammen " + " + ".join(f"{n} × {_kr(price)}" if n > 1 else _kr(price) for n, price in items)
        reckoned += f" = {text} "
        told = [str(n) for n, _ in items if n > 1] + [_kr(price) for _, price in items]  # the asker's own, "to" as "2"
    if purchase <= cap:
        return Calculation(f"{reckoned}Et materielkøb på {text} ligger inden for loftet på {cap_display}, som gælder "
                           "alle materielkøb i projektåret tilsammen.", [text, *told])
    over = _kr(purchase - cap)
    return Calculation(f"{reckoned}Et materielkøb på {text} er {over} over loftet på {cap_display}, så det "
                       "kan ikke dækkes fuldt ud.", [text, over, *told])


def transfer(yearly_grant: Decimal, percent: Decimal, maximum: Decimal, percent_display: str,
             maximum_display: str, unspent: Decimal | None = None) -> Calculation:
    """The limit for carrying unspent grant over without approval; with the unspent amount the question gives
    ("70.000 kr. tilbage af årets 600.000 kr."), whether it is under the limit."""
    by_percent = yearly_grant * percent / 100
    limit = min(by_percent, maximum)
    grant_text, share_text, limit_text = _kr(yearly_grant), _kr(by_percent), _kr(limit)
    which = "procentgrænsen" if by_percent <= maximum else f"maksimum på {maximum_display}"
    text = (f"Med et tilskud på {grant_text} i projektåret er {percent_display} = {share_text}; grænsen er det "
            f"mindste af det og {maximum_display}, altså {limit_text} (her er det {which}, der gælder). Et uforbrugt "
            f"beløb skal være mindre end det for at kunne overføres uden forudgående godkendelse.")
    derived = [grant_text, share_text, limit_text]
    if unspent is not None:
        # The asker's own case answers first; the limit it rests on follows (without the rule said again).
        unspent_text = _kr(unspent)
        verdict = ("er mindre end grænsen og kan overføres uden forudgående godkendelse" if unspent < limit
                   else "er ikke mindre end grænsen og kan ikke overføres uden forudgående godkendelse")
        text = (f"Et uforbrugt beløb på {unspent_text} {verdict}: med et tilskud på {grant_text} i projektåret er "
                f"{percent_display} = {share_text}, og grænsen er det mindste af det og {maximum_display}, altså "
                f"{limit_text}")
        text = _end(text)
        derived.append(unspent_text)
        return Calculation(text, derived, leads=True, judges=("overfoersel_procent", "overfoersel_maks"))
    return Calculation(text, derived)


def budget_change(change: Decimal, budget_line: Decimal, percent: Decimal, percent_display: str) -> Calculation:
    exact = change / budget_line * 100  # judged unrounded: 10,0005 pct. is over a 10 pct. limit
    share = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    share_text = f"{format_number(share, 1)} pct."
    change_text, line_text = _kr(change), _kr(budget_line)
    verdict = ("inden for" if exact <= percent else "over")
    needs = ("kan foretages uden forudgående godkendelse" if exact <= percent
             else "kræver forudgående godkendelse fra Social- og Boligstyrelsen")
    return Calculation(_end(f"En ændring på {change_text} af en budgetpost på {line_text} {needs}: den er "
                            f"{share_text} af budgetposten, altså {verdict} grænsen på {percent_display}"),
                       [change_text, line_text, share_text], leads=True, judges=("budgetaendring_tolerance",))


def budget_change_share(share: Decimal, percent: Decimal, percent_display: str) -> Calculation:
    """A change told as a share of its budget line ("ca. 30 % af lønposten"), judged against the tolerance."""
    share_text = f"{format_number(share, 0 if share == share.to_integral_value() else 1)} pct."
    within = share <= percent
    needs = ("kan foretages uden forudgående godkendelse" if within
             else "kræver forudgående godkendelse fra Social- og Boligstyrelsen")
    return Calculation(_end(f"En ændring på {share_text} af en budgetpost {needs}: den er "
                            f"{'inden for' if within else 'over'} grænsen på {percent_display}"),
                       [share_text], leads=True, judges=("budgetaendring_tolerance",))


# The asker's own day against the deadline: after it, its last day, before it — per language.
_PROPOSED = {
    False: ("Den {day} er efter fristen, så en ansøgning sendt da kan ikke modtages.",
            "Den {day} er fristens sidste dag: ansøgningen skal være modtaget, inden fristen udløber.",
            "Den {day} er før fristen."),
    True: ("{day} is after the deadline, so an application sent then cannot be received.",
           "{day} is the day of the deadline: the application must be received before it ends.",
           "{day} is before the deadline."),
}


def proposed_date(proposed: date, deadline: datetime, english: bool = False) -> Calculation:
    """The asker's own date ("vi sender den 8. august") against the deadline: after it, on its day, or before."""
    day = babel_dates.format_date(proposed, "d MMMM y", locale="en") if english else format_date(proposed)
    after, on_the_day, before = _PROPOSED[english]
    last = deadline.date()
    text = (after if proposed > last else on_the_day if proposed == last else before).format(day=day)
    return Calculation(text, [format_date(proposed)], leads=True)


def time_left(deadline: datetime, now: datetime, english: bool = False) -> Calculation:
    if now >= deadline:
        # The date itself stands in the answer's first line already: a figure is said at most twice.
        if english:
            return Calculation("The deadline has passed: applications can no longer be submitted for this round.")
        return Calculation("Fristen er overskredet, og der kan ikke længere indsendes ansøgninger til denne runde.")
    delta = deadline - now
    days = delta.days
    hours = math.floor(delta.seconds / 3600)
    if days >= 1:
        left = f"{plural(days, 'dag', 'dage')} og {plural(hours, 'time', 'timer')}"
        left_en = f"{days} day{'s' * (days != 1)} and {hours} hour{'s' * (hours != 1)}"
        derived = [str(days), str(hours)]
    else:
        minutes = math.floor(delta.seconds / 60) - 60 * hours
        left = f"{plural(hours, 'time', 'timer')} og {plural(minutes, 'minut', 'minutter')}"
        left_en = f"{hours} hour{'s' * (hours != 1)} and {minutes} minute{'s' * (minutes != 1)}"
        derived = [str(hours), str(minutes)]
    counted_from = now.replace(tzinfo=None, second=0, microsecond=0)
    if english:
        since = babel_dates.format_datetime(counted_from, "d MMMM y 'at' HH:mm", locale="en_GB")
        return Calculation(f"The deadline has not passed: {left_en} left (counted from {since}).", [*derived, since])
    return Calculation(f"Fristen er ikke overskredet: der er {left} tilbage (regnet fra "
                       f"{format_date(counted_from)}).",
                       derived + [format_date(counted_from)])


def minimum_count(told: str, count: int, every: bool, named: bool, minimum: int, requirement: str,
                  defines: str | None = None) -> Calculation:
    """What the asker says they have ("to regioner", "Region Midtjylland") against a least number required
    ("mindst tre forskellige regioner"). `told` is the asker's own words, `count` how many they make, `every`
    whether they said that is all they have (where they did not, a shortfall is said as a condition), `named`
    whether they named the things rather than counted them (then the count is said after their words).

    `defines`: the term the requirement's sentence defines ("Landsdækkende forstås som … mindst tre forskellige
    regioner"). The least number is then what that term takes, one way among others to qualify: falling short
    of it says they are not that, never a plain no."""
    meets = count >= minimum
    if meets:
        return Calculation(f"Med {told}{f' ({count})' if named else ''} opfylder I kravet om {requirement}.",
                           [str(count)], True)
    if defines:
        said = f"{told}{f' ({count})' if named else ''}"
        return Calculation(
            f"{f'Med {said}' if every else f'Er det kun {said},'} er I ikke {defines} i vejledningens forstand "
            f"({requirement}). Om I kan søge, afhænger af, om I er omfattet på en anden måde:",
            [str(count)],
            leads=True,
            defines=defines,
        )
    if not every:
        return Calculation(f"Er det kun {told} ({count}), opfylder I ikke kravet om {requirement}.", [str(count)])
    return Calculation(f"Med {told}{f' alene ({count})' if named else ''} opfylder I ikke kravet om {requirement}.",
                       [str(count)], False)
