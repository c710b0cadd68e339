"""Figures as sources write them (`2.5万亿元`, `5008.81亿元`, `3.54%`, `6,228家`) → numbers in catalogue units."""

import math
import re

# Chinese magnitude words (simplified and traditional), longest first.
MAGNITUDES = {"万亿": 1e12, "萬億": 1e12, "亿": 1e8, "億": 1e8, "万": 1e4, "萬": 1e4, "千": 1e3}
# What one catalogue unit is worth in plain units (亿元 = 1e8 yuan); units absent here are counts or rates.
UNIT_SCALE = {"亿元": 1e8}
_FIGURE = re.compile(r"^\s*([-+−]?)\s*(\d[\d,，]*(?:\.\d+)?)\s*(万亿|萬億|亿|億|万|萬|千)?\s*(.*?)\s*$")


class FigureError(ValueError):
    """A figure that cannot be read as a number in the expected unit; `expected` says what would be."""

    def __init__(self, as_written: str, expected: str):
        self.expected = expected
        super().__init__(f"'{as_written}' cannot be read (expected {expected})")


def parse_figure(as_written: str, unit: str) -> float:
    """Return the number `as_written` states, in catalogue `unit` (亿元, %, 件, 家, 个, index, …)."""
    m = _FIGURE.match(str(as_written))
    if not m:
        raise FigureError(as_written, "digits with a unit, e.g. 5008.81亿元 or 3.54%")
    sign, digits, magnitude, suffix = m.groups()
    number = float(digits.replace(",", "").replace("，", ""))
    if sign in ("-", "−"):
        number = -number
    suffix = suffix.rstrip("。")
    if unit == "%":
        if magnitude or suffix not in ("%", "％", "个百分点", "百分点"):
            raise FigureError(as_written, "a percentage such as 3.54%")
        return number
    factor = MAGNITUDES.get(magnitude, 1.0)
    if unit in UNIT_SCALE:
        base = unit[-1]  # 元
        if suffix not in ("", base, unit):
            raise FigureError(as_written, f"an amount in {unit}, e.g. 5008.81亿元 or 2.5万亿元")
        if not magnitude:
            if suffix == unit:
                return number
            raise FigureError(as_written, "亿 or 万亿 before 元")
        return round(number * factor / UNIT_SCALE[unit], 10)
    if suffix not in ("", unit):
        raise FigureError(as_written, f"a number followed by {unit}")
    return number * factor


def matches(value: float, as_written: str, unit: str, rel_tol: float = 1e-6) -> bool:
    """True when `value` equals the figure `as_written` (for % also its negative: 下降4.2% is -4.2)."""
    parsed = parse_figure(as_written, unit)
    candidates = [parsed, -parsed] if unit == "%" else [parsed]
    return any(math.isclose(value, c, rel_tol=rel_tol, abs_tol=1e-9) for c in candidates)
