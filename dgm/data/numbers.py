"""Figures as sources write them (`2.5万亿元`, `5008.81亿元`, `3.54%`, `800多家`, `628 billion yuan`) → numbers.

Conventions: a range (`8%-8.5%`, `3-5个`) reads as its lower end (either end matches); qualifiers
(约, 超过, 多, 左右, 以上 …) and currency signs (RMB, ¥) are dropped — `kind` carries the qualifier; `。` between digits
is a decimal point (a common repost typo); a bare number (a table cell) is in the unit its quote
labels, e.g. `(RMB billion)`, else in the catalogue unit.
"""

import math
import re

# Chinese/Japanese magnitude words, longest first, in plain units.
MAGNITUDES = {
    "万亿": 1e12,
    "萬億": 1e12,
    "兆": 1e12,
    "亿": 1e8,
    "億": 1e8,
    "万": 1e4,
    "萬": 1e4,
    "千": 1e3,
}
ENGLISH_MAGNITUDES = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6}
# Catalogue unit of a change in a share, in percentage points (提高0.1个百分点 → 0.1).
POINTS = "百分点"
# What one catalogue unit is worth in plain units (亿元 = 1e8 yuan); other units are counts or rates.
UNIT_SCALE = {"亿元": 1e8}
# Labels that give a bare table number its unit, in plain units per number.
TABLE_UNITS = {"RMB billion": 1e9, "RMB100 million": 1e8, "(亿元)": 1e8, "(万元)": 1e4}
# Count-unit words that mean the same thing (家 / Japanese 社; 个 / 個; 件 / 項).
SYNONYMS = {
    "社": "家",
    "户": "家",
    "個": "个",
    "项": "个",
    "項": "个",
    "吨标煤/万元": "吨标准煤/万元",
}
# Units of whole counts: a count written without a magnitude word (`24家`) is exact, not rounded.
COUNT_UNITS = ("家", "个", "件")
LEADING = ("超过", "突破", "超", "逾", "约", "近", "达到", "达")
TRAILING = ("左右", "以上", "以下", "上下")
_NUMBER = r"\d[\d,，]*(?:\.\d+)?"
_CN = re.compile(rf"^([-+−]?)({_NUMBER})(万亿|萬億|兆|亿|億|万|萬|千)?(?:多|余)?(.*)$")
_EN = re.compile(
    rf"^({_NUMBER})\s*(trillion|billion|million|bn|mn)?\s*(yuan|percent|-percent|per cent)?$"
)
_RANGE = re.compile(rf"^({_NUMBER})\s*(%|％)?\s*[-~～—至到]\s*({_NUMBER}.*)$")


class FigureError(ValueError):
    """A figure that cannot be read as a number in the expected unit; `expected` says what would be."""

    def __init__(self, as_written: str, expected: str):
        self.expected = expected
        super().__init__(f"'{as_written}' cannot be read (expected {expected})")


def _clean(text: str) -> str:
    """Strip qualifiers and spaces; `4。6%` → `4.6%`."""
    s = re.sub(r"(?<=\d)。(?=\d)", ".", str(text).strip()).rstrip("。")
    s = re.sub(r"^(RMB|CNY|¥|￥)\s*", "", s)
    for word in LEADING:
        s = s.removeprefix(word)
    for word in TRAILING:
        s = s.removesuffix(word)
    return s.strip()


def _to_unit(
    number: float, plain: float | None, suffix: str, unit: str, as_written: str, context: str = ""
) -> float:
    """Scale a number (times `plain` units, None when no magnitude was written) into `unit`.

    A change in percentage points may elide its unit in a list when the quote (`context`) names it.
    """
    suffix = SYNONYMS.get(suffix, suffix)
    if unit == "%":
        if plain is not None or suffix not in (
            "%",
            "％",
            "percent",
            "-percent",
            "per cent",
            "个百分点",
            "百分点",
        ):
            raise FigureError(as_written, "a percentage such as 3.54%")
        return number
    if unit == POINTS:
        elided = suffix == "个" and POINTS in context  # 分别提升2.0个和0.1个百分点
        if plain is not None or not (suffix in ("个百分点", POINTS) or elided):
            raise FigureError(as_written, "a change in percentage points such as 0.1个百分点")
        return number
    if unit in UNIT_SCALE:
        if suffix not in ("", "元", "yuan", unit) or plain is None:
            raise FigureError(as_written, f"an amount in {unit}, e.g. 5008.81亿元 or 2.5万亿元")
        return round(number * plain / UNIT_SCALE[unit], 10)
    if suffix not in ("", unit):
        raise FigureError(as_written, f"a number followed by {unit}")
    return number * (plain or 1.0)


def parse_range(as_written: str, unit: str, context: str = "") -> tuple[float, float]:
    """The lower and upper number a figure states (equal unless it is a range), in catalogue `unit`."""
    s = _clean(as_written)
    if m := _RANGE.match(s):
        low, pct, high = m.groups()
        upper = parse_range(high, unit, context)[0]
        rest = re.sub(rf"^{_NUMBER}", "", high)
        return parse_range(low + (pct or rest), unit, context)[0], upper
    if m := re.fullmatch(_NUMBER, s):
        number = float(s.replace(",", "").replace("，", ""))
        label = next((k for k in TABLE_UNITS if k in context), None)
        if label is None or unit not in UNIT_SCALE:
            return number, number
        value = round(number * TABLE_UNITS[label] / UNIT_SCALE[unit], 10)
        return value, value
    if m := _EN.match(s):
        digits, magnitude, word = m.groups()
        number = float(digits.replace(",", ""))
        value = _to_unit(
            number, ENGLISH_MAGNITUDES.get(magnitude), word or "", unit, as_written, context
        )
        return value, value
    if m := _CN.match(s):
        sign, digits, magnitude, suffix = m.groups()
        number = float(digits.replace(",", "").replace("，", "")) * (
            -1 if sign in ("-", "−") else 1
        )
        value = _to_unit(
            number, MAGNITUDES.get(magnitude), suffix.strip(), unit, as_written, context
        )
        return value, value
    raise FigureError(as_written, "digits with a unit, e.g. 5008.81亿元 or 3.54%")


def parse_figure(as_written: str, unit: str, context: str = "") -> float:
    """The number `as_written` states in catalogue `unit` (a range gives its lower end)."""
    return parse_range(as_written, unit, context)[0]


def matches(
    value: float, as_written: str, unit: str, context: str = "", rel_tol: float = 1e-6
) -> bool:
    """True when `value` is the figure `as_written` states (either end of a range; for % and
    percentage points also its negative, since a fall is written without a sign)."""
    candidates = list(parse_range(as_written, unit, context))
    if unit in ("%", POINTS):
        candidates += [-c for c in candidates]
    return any(math.isclose(value, c, rel_tol=rel_tol, abs_tol=1e-9) for c in candidates)
