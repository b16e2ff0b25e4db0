"""Numbers for people: 1,762 / 29.1 % / EUR 83 (English), 1 762 / 29,1 % / 83 EUR (French).

The unit of a KPI (marts.kpi_catalog.unit) decides how its value and its change from the
previous period are written:

    count     1,762          change relative:          +12.4 %
    money     EUR 83         change relative:          -3.0 %
    fraction  29.1 %         change in points:         +2.3 pts
    ratio     3.39           change in units:          +0.27
    days      12.5 days      change in days:           -1.5 days
    score     45.2           change in points:         +0.8
"""

from __future__ import annotations

import math
from decimal import Decimal

MISSING = "\u2014"  # an em dash: no value (a rate without denominator, a month without data)
NARROW_NBSP = "\u202f"  # French thousands separator and space before %


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _grouped(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NARROW_NBSP).replace(".", ",")
    return text


def number(value, unit: str, lang: str = "en", currency: str = "EUR") -> str:
    """A KPI value written for a reader."""
    if _is_missing(value):
        return MISSING
    value = float(value) if isinstance(value, Decimal) else value
    pct = f"{NARROW_NBSP}%" if lang == "fr" else " %"
    if unit == "count":
        return _grouped(value, 0, lang)
    if unit == "money":
        # whole units from 10 on (EUR 83), cents below (EUR 4.50)
        amount = _grouped(value, 0 if abs(value) >= 10 or value % 1 == 0 else 2, lang)
        return f"{amount} {currency}" if lang == "fr" else f"{currency} {amount}"
    if unit == "fraction":
        return _grouped(value * 100, 1, lang) + pct
    if unit == "days":
        return _grouped(value, 1, lang) + (" jours" if lang == "fr" else " days")
    if unit == "score":
        return _grouped(value, 1, lang)
    return _grouped(value, 2, lang)  # ratio: unbounded, e.g. an ROI of 3.39


def change(current, previous, unit: str, lang: str = "en") -> str:
    """The change from the previous period: points for rates and scores, days for
    durations, a relative change otherwise (none when the previous value is 0 or missing)."""
    if _is_missing(current) or _is_missing(previous):
        return MISSING
    current, previous = float(current), float(previous)
    delta = current - previous
    if unit == "fraction":
        return _signed(delta * 100, 1, lang) + " pts"
    if unit == "days":
        return _signed(delta, 1, lang) + (" days" if lang == "en" else " jours")
    if unit == "score":
        return _signed(delta, 1, lang)
    if unit == "ratio":  # an ROI of 1.14 then 33.20: +32.06, not +2,812 %
        return _signed(delta, 2, lang)
    if previous == 0:
        return MISSING
    pct = f"{NARROW_NBSP}%" if lang == "fr" else " %"
    return _signed(delta / abs(previous) * 100, 1, lang) + pct


def _signed(delta: float, decimals: int, lang: str) -> str:
    """+1.5, \u22121.5, or \u00b10.0 when the change rounds to nothing."""
    if round(abs(delta), decimals) == 0:
        return "\u00b1" + _grouped(0, decimals, lang)
    return ("+" if delta > 0 else "\u2212") + _grouped(abs(delta), decimals, lang)


def trend(current, previous, unit: str) -> str:
    """up, down or flat: the arrow's direction (not whether it is good news)."""
    if _is_missing(current) or _is_missing(previous) or float(current) == float(previous):
        return "flat"
    return "up" if float(current) > float(previous) else "down"
