"""A goal's judged series → what its evidence can carry (docs/method.md §2, "Evidence").

The tier (`series`, `snapshot`, `bound`, `proxy`, `none`), a figure's rounding interval and
period, the pace a goal still needs against the pace its series has shown, stocks that cannot
plausibly fall back, and the `reading`: the figures in words and numbers, in Chinese and English
(words from dgm.words.READING). Pure functions of a dgm.engine.goals.Judged; no I/O.

Paces: a share (%) or a count moves in points or units a year (linear); a level, an index or a
chained index in % a year (compound), as fractions.
"""

from __future__ import annotations

import math

import pandas as pd

from dgm.constants import BOUND_KINDS, COMPARISON_SIGNS
from dgm.data.numbers import COUNT_UNITS
from dgm.engine import rates
from dgm.engine.goals import CHAINED, STOCKS, Judged
from dgm.lang import pick
from dgm.words import PERIOD_LABELS, READING

MIN_FIGURES = 3  # yearly figures (the latest included) a measured trend needs
STOCK_MAX_FALL = 0.10  # a stock of STOCKS is taken not to fall faster than this a year
TREND_WORDS = ("on_track", "acceleration_needed", "limited_progress", "deterioration")
LINEAR_KINDS = ("share", "count")  # goal kinds whose pace is read in points or units a year


# ---------------------------------------------------------------- the tier


def rate_figures(j: Judged) -> int:
    """The figures a level goal's rate rests on: the baseline and the later points (the
    registry's baseline counts as one), or, with no later point, the points up to the baseline."""
    if j.base is None or not len(j.hist):
        return 0
    by = j.base[0]
    later = j.hist[j.hist.index > by]
    if len(later):
        return len(later) + 1
    return int((j.hist.index <= by).sum())


def measured(j: Judged, prog: rates.Progress | None) -> bool:
    """Whether a trend is measured: a rate resting on >= MIN_FIGURES figures: a chained goal's
    index points (its baseline = 100, yearly and bridged points) or its published levels from the
    baseline on, a level goal's figures from its baseline. Two index points joined by one
    five-year change are a snapshot."""
    if prog is None or j.base is None:  # no rate without a baseline
        return False
    if j.goal.kind not in CHAINED:
        return rate_figures(j) >= MIN_FIGURES
    levels = 0 if j.levels is None else int((j.levels.index >= j.base[0]).sum())
    return max(len(j.hist), levels) >= MIN_FIGURES


def tier(j: Judged, basis: str | None, prog: rates.Progress | None) -> str:
    """The evidence tier: bound (a published bound decides), proxy (judged on another
    indicator), none (no point figure), series (a measured trend), else snapshot."""
    if basis == "bound":
        return "bound"
    if j.proxy:
        return "proxy"
    if not len(j.hist) and not len(_yearly(j)):
        return "none"
    return "series" if measured(j, prog) else "snapshot"


def _yearly(j: Judged) -> pd.Series:
    """A chained goal's yearly figures up to its target year (empty for level goals)."""
    if j.yearly is None:
        return pd.Series(dtype=float)
    return j.yearly[j.yearly.index <= j.goal.target_year]


# ---------------------------------------------------------------- thresholds and rounding


def threshold(j: Judged) -> float:
    """The value at which the goal is met on the judged series ("about 30": 28.5 for a rise)."""
    if j.cmp == "~":
        return j.goal_value - j.sign * abs(j.goal_value) * rates.APPROX_TOL
    return j.goal_value


def meets(j: Judged, value: float) -> bool:
    """Whether a value on the judged series meets the goal."""
    return bool(rates.meets(value, j.cmp, j.goal_value, j.sign))


def interval(j: Judged, year: int) -> tuple[float, float]:
    """(low, high) of the judged value in `year`: its rounding interval (derived figures:
    propagated through the identity; chained goals: through the chain)."""
    v = float(j.hist.loc[year])
    lo = float(j.low.loc[year]) if j.low is not None and year in j.low.index else v
    hi = float(j.high.loc[year]) if j.high is not None and year in j.high.index else v
    return min(lo, v), max(hi, v)


def at_threshold(j: Judged, year: int) -> bool:
    """Whether the figure of `year` is at the goal's threshold within rounding: its interval
    holds values that meet the goal and values that do not, so it decides nothing alone."""
    if year not in j.hist.index:
        return False
    lo, hi = interval(j, year)
    return meets(j, lo) != meets(j, hi)


# ---------------------------------------------------------------- paces


def linear(j: Judged) -> bool:
    """Whether paces are read in points or units a year (shares, counts), not % a year."""
    return j.goal.kind in LINEAR_KINDS


def pace(j: Judged, y0: int, v0: float, y1: int, v1: float) -> float:
    """The yearly pace from (y0, v0) to (y1, v1): linear or compound (NaN when undefined)."""
    if linear(j):
        return rates.linear_rate(v0, v1, y1 - y0)
    return rates.compound_rate(v0, v1, y1 - y0)


def pace_needed(j: Judged, year: int, value: float) -> float | None:
    """The yearly pace that takes `value` in `year` to the goal's threshold in the target year."""
    T = j.goal.target_year
    if T <= year:
        return None
    p = pace(j, year, value, T, threshold(j))
    return p if math.isfinite(p) else None


def fastest_shown(j: Judged) -> float | None:
    """The fastest favourable yearly pace the judged series has shown (None: too few figures):
    between consecutive figures of the judged series (a chained index: also across a five-year
    bridge) and, for a chained goal, each published yearly change."""
    ys = [int(y) for y in j.hist.index]
    shown = [
        pace(j, a, float(j.hist.loc[a]), b, float(j.hist.loc[b]))
        for a, b in zip(ys, ys[1:], strict=False)
    ]
    shown += [float(v) / 100 for v in _yearly(j)]
    shown = [p for p in shown if math.isfinite(p)]
    return max(shown, key=lambda p: j.sign * p) if shown else None


def stock_fall(j: Judged) -> float | None:
    """For a stock (STOCKS) whose latest figure before the target year meets the goal outside
    rounding: the yearly fall (a fraction) it would need to drop back to the threshold."""
    ind = j.proxy or j.goal.indicator
    if ind not in STOCKS or j.sign < 0 or not len(j.hist) or j.goal.kind in CHAINED:
        return None
    y, v = int(j.hist.index[-1]), float(j.hist.iloc[-1])
    if y >= j.goal.target_year or not meets(j, v) or at_threshold(j, y):
        return None
    r = rates.compound_rate(v, threshold(j), j.goal.target_year - y)
    return -r if math.isfinite(r) else None


def settled_stock(j: Judged) -> bool:
    """Whether a stock beyond the goal cannot plausibly fall back by the target year."""
    fall = stock_fall(j)
    return fall is not None and fall > STOCK_MAX_FALL


# ---------------------------------------------------------------- periods


def period_of(j: Judged, year: int) -> tuple[str, bool]:
    """(period, year inferred) of the figure of `year` the verdict uses ("year", False if
    unknown)."""
    used = j.used
    if not len(used) or year not in set(int(y) for y in used.index):
        return "year", False
    rows = used.loc[[y for y in used.index if int(y) == year]]
    rows = rows[~rows["kind"].astype(str).isin(BOUND_KINDS)] if len(rows) > 1 else rows
    row = rows.iloc[-1]
    period = row.get("period") if "period" in rows else None
    inferred = row.get("year_inferred") if "year_inferred" in rows else False
    period = period if isinstance(period, str) and period else "year"
    return period, bool(inferred) if inferred is not None and inferred == inferred else False


def period_note(j: Judged, year: int, role: str) -> str | None:
    """A note naming a part-year or inferred-year figure: "the latest figure (2022: 46 %):
    covers only part of 2022 (months not stated), not the whole year; its year is inferred from
    the source's context, not stated"."""
    period, inferred = period_of(j, year)
    if period == "year" and not inferred:
        return None
    if j.goal.kind in CHAINED and j.yearly is not None and year in j.yearly.index:
        value = _pct(float(j.yearly.loc[year]), "en", signed=True)
    elif year in j.hist.index:
        value = _num(j, float(j.hist.loc[year]), "en", year)
    else:
        value = None
    label = PERIOD_LABELS[period][1].format(y=year)
    parts = []
    if period.startswith("stock-"):
        parts.append(f"the stock at {label}, not at the year's end")
    elif period == "ytd":
        parts.append(f"covers only part of {year} (months not stated), not the whole year")
    elif period != "year":
        parts.append(f"covers only {label}, not the whole year")
    if inferred:
        parts.append("its year is inferred from the source's context, not stated")
    what = f"{year}: {value}" if value else f"{year}"
    return f"the {role} figure ({what}): " + "; ".join(parts)


def period_notes(j: Judged, latest: int | None) -> list[str]:
    """period_note() for the latest figure and for the baseline figure."""
    out = [period_note(j, latest, "latest")] if latest is not None else []
    if j.base is not None and j.base[0] != latest:
        out.append(period_note(j, j.base[0], "baseline"))
    return [n for n in out if n]


# ---------------------------------------------------------------- words and numbers


BILLIONS = "亿元"  # 100 million yuan: read as "2.6 trillion yuan" / "2.6万亿元"


def _w(key: str, lang: str, **fields) -> str:
    """READING[key] in one language ("zh" or "en"), fields filled in."""
    zh, en = READING[key]
    return (zh if lang == "zh" else en).format(**fields)


def _join(parts, lang: str) -> str:
    """Phrases joined by '；' (zh) or '; ' (en), empty ones left out."""
    return ("；" if lang == "zh" else "; ").join(p for p in parts if p)


def _comma(lang: str) -> str:
    """The comma between a count and its figures."""
    return "，" if lang == "zh" else ", "


def _pct(x: float, lang: str, d: int = 1, signed: bool = False) -> str:
    """A percentage: '52.4 %' (en) or '52.4%' (zh)."""
    text = f"{x:+,.{d}f}" if signed else f"{x:,.{d}f}"
    return text + ("%" if lang == "zh" else " %")


def _decimals(j: Judged, value: float, year: int | None) -> int:
    """Decimals that show a value to its rounding (from its interval's width), else 1 for
    shares and indices, 0 for large levels and counts."""
    if year is not None and year in j.hist.index:
        lo, hi = interval(j, year)
        if hi > lo:
            return max(0, min(3, round(-math.log10(hi - lo))))
    return 0 if abs(value) >= 1000 or float(value).is_integer() else 1


def _num(j: Judged, value: float, lang: str, year: int | None = None, d: int | None = None) -> str:
    """A value of the judged series in its unit: "52.4 %", "66,000" (zh "66,000件"), "2.6
    trillion yuan" (zh "2.6万亿元"); a chained goal's index as a bare number ("77.5")."""
    d = _decimals(j, value, year) if d is None else d
    if j.goal.kind in CHAINED:
        return f"{value:,.{d}f}"
    if j.unit == "%":
        return _pct(value, lang, d)
    if j.unit == BILLIONS and abs(value) >= 1e4:
        return f"{value / 1e4:g}万亿元" if lang == "zh" else f"{value / 1e4:g} trillion yuan"
    if j.unit == BILLIONS:
        return f"{value:,.{d}f}亿元" if lang == "zh" else f"{value / 10:,.{d + 1}f} billion yuan"
    text = f"{value:,.{d}f}"
    if j.unit in COUNT_UNITS:
        return text + (j.unit if lang == "zh" else "")
    return f"{text} {j.unit}".strip()


def _year(year: int, lang: str) -> str:
    """'2021年' (zh) or '2021'."""
    return f"{year}年" if lang == "zh" else str(year)


def pace_text(j: Judged, p: float, lang: str) -> str:
    """A yearly pace in words: "+18.8 points" (shares), "+0.3" (counts), "+8.8 %" (levels,
    indices); the caller adds "a year"."""
    if linear(j):
        return _w("points", lang, v=f"{p:+.1f}") if j.unit == "%" else f"{p:+.1f}"
    return _pct(100 * p, lang, signed=True)


def goal_text(j: Judged, lang: str) -> str:
    """The goal on its judged scale: "≥ 90 %", "> 20,000", "≈ 30 %", "index ≤ 70"."""
    if j.goal.kind in CHAINED:
        sign, shown = COMPARISON_SIGNS.get(j.cmp, ""), f"{round(j.goal_value, 1):g}"
        return f"指数{sign}{shown}" if lang == "zh" else f"index {sign} {shown}"
    sign, v = COMPARISON_SIGNS.get(j.goal.comparison, ""), j.goal.target_value
    value = _num(j, v, lang, d=0 if float(v).is_integer() else 1)
    return f"{sign}{value}" if lang == "zh" else f"{sign} {value}"


def when(j: Judged, year: int, lang: str) -> str:
    """When a figure stands: "2021", "end-November 2023", "2022 (part of the year; year
    inferred)"."""
    period, inferred = period_of(j, year)
    text = PERIOD_LABELS.get(period, PERIOD_LABELS["year"])[lang == "en"].format(y=year)
    if inferred:
        word = _w("inferred", lang)
        if text.endswith(("）", ")")):
            text = text[:-1] + ("；" if lang == "zh" else "; ") + word + text[-1]
        else:
            text += f"（{word}）" if lang == "zh" else f" ({word})"
    return text


def _kind_grade(j: Judged, year: int) -> tuple[str | None, str | None]:
    """The kind and reliability grade of the figure of `year` the verdict uses."""
    rows = j.used.loc[[y for y in j.used.index if int(y) == year]] if len(j.used) else j.used
    if not len(rows):
        return None, None
    row = rows.iloc[-1]
    grade = row.get("reliability") if "reliability" in rows else None
    return str(row.get("kind")), grade if isinstance(grade, str) else None


def _figure(j: Judged, year: int, lang: str) -> str:
    """A figure with its qualifiers: "about 1 % (grade D)"; at the threshold within rounding,
    four decimals ("4.0012 %")."""
    v = float(j.hist.loc[year])
    text = _num(j, v, lang, year, d=4 if at_threshold(j, year) else None)
    kind, grade = _kind_grade(j, year)
    if kind == "approx":
        text = _w("about", lang, v=text)
    if grade == "D":
        g = _w("grade", lang, g=grade)
        text += f"（{g}）" if lang == "zh" else f" ({g})"
    return text


def _figures_phrase(j: Judged, lang: str) -> str:
    """ "one figure, 2021: 52.4 %"; "two figures, 2021 and 2022: 24 and 24"; "10 figures,
    2011–2022; latest 2022 (part of the year): 46 %"."""
    ys = [int(y) for y in j.hist.index]
    n = len(ys)
    if n == 1:
        return (
            _w("one", lang)
            + _comma(lang)
            + _w("at", lang, when=when(j, ys[0], lang), value=_figure(j, ys[0], lang))
        )
    if n == 2:
        a, b = ys
        return (
            _w("two", lang)
            + _comma(lang)
            + _w(
                "at",
                lang,
                when=_w("and", lang, a=when(j, a, lang), b=when(j, b, lang)),
                value=_w("and", lang, a=_figure(j, a, lang), b=_figure(j, b, lang)),
            )
        )
    return _join(
        [
            _w("many", lang, n=n, first=ys[0], last=ys[-1]),
            _w("latest", lang, when=when(j, ys[-1], lang), value=_figure(j, ys[-1], lang)),
        ],
        lang,
    )


def _position(j: Judged, year: int, lang: str, passed: bool) -> list[str]:
    """Where the figure of `year` stands against the goal, and the pace it still needs."""
    v, T = float(j.hist.loc[year]), j.goal.target_year
    goal = goal_text(j, lang)
    if at_threshold(j, year):
        lo, hi = interval(j, year)
        return [
            _w("threshold", lang, lo=_num(j, lo, lang, d=3), hi=_num(j, hi, lang, d=3), goal=goal)
        ]
    if meets(j, v):
        ratio = v / j.goal.target_value if j.goal.kind not in CHAINED and j.goal.target_value else 0
        out = [
            _w("times", lang, x=f"{ratio:.1f}", goal=goal)
            if j.sign > 0 and ratio >= 1.5
            else _w("beyond", lang, goal=goal)
        ]
        fall = stock_fall(j)
        if fall is not None:
            out.append(_w("stock", lang, T=T, fall=_pct(100 * fall, lang, 0)))
        if year > T:
            out.append(_w("after_deadline", lang, T=T, n=year - T))
        return out
    thr = threshold(j)
    if j.unit == "%" or j.goal.kind in CHAINED:
        gap = _w("points", lang, v=f"{abs(thr - v):.1f}")
    else:
        gap = _num(j, abs(thr - v), lang, d=_decimals(j, v, year))
    if j.cmp == "~" and j.goal.kind not in CHAINED:
        from_ = _w("met_from", lang, v=_num(j, thr, lang, d=1))
        goal += f"（{from_}）" if lang == "zh" else f" ({from_})"
    out = [_w("short", lang, gap=gap, goal=goal)]
    need = pace_needed(j, year, v)
    if need is not None:
        out.append(_w("needed" if passed else "need", lang, pace=pace_text(j, need, lang), T=T))
    if passed and year < T:
        fast = fastest_shown(j)
        out.append(
            _w("nothing_shown", lang)
            if fast is None
            else _w("shown", lang, pace=pace_text(j, fast, lang))
        )
    return out


def _rate(prog: rates.Progress | None, lang: str) -> str:
    """ "observed −0.3 % a year against +2.2 % required" ('' without both compound rates)."""
    if prog is None:
        return ""
    obs, req = prog["observed_rate"], prog["required_rate"]
    if obs is None or req is None or not (math.isfinite(obs) and math.isfinite(req)):
        return ""
    return _w(
        "rate",
        lang,
        obs=_pct(100 * obs, lang, signed=True),
        req=_pct(100 * req, lang, signed=True),
    )


def _yearly_figures(j: Judged, years, lang: str) -> str:
    """ "two yearly figures, 2015 and 2024: +85.6 % and +9.1 %"."""
    ys, yearly = [int(y) for y in years], j.yearly
    assert yearly is not None  # only chained goals have yearly figures to list
    vals = [_pct(float(yearly.loc[y]), lang, signed=True) for y in ys]
    head = _w({1: "one_yearly", 2: "two_yearly"}.get(len(ys), "many_yearly"), lang, n=len(ys))
    if len(ys) <= 2:
        at = _w(
            "at",
            lang,
            when=_w("and", lang, a=_year(ys[0], lang), b=_year(ys[-1], lang))
            if len(ys) == 2
            else _year(ys[0], lang),
            value=_w("and", lang, a=vals[0], b=vals[-1]) if len(ys) == 2 else vals[0],
        )
    else:
        at = _w("latest", lang, when=_year(ys[-1], lang), value=vals[-1])
    return head + _comma(lang) + at


def _chained(j: Judged, prog: rates.Progress | None, passed: bool, lang: str) -> list[str]:
    """A chained goal's figures: the chain or the yearly figures, where the chain breaks and the
    pace that would still reach the goal."""
    assert j.base is not None  # a chained goal's baseline is its index's 100
    yearly, by = _yearly(j), j.base[0]
    if len(j.hist) < 2:
        out = [_yearly_figures(j, yearly.index, lang)] if len(yearly) else [_w("none", lang)]
        if len(yearly) and int(yearly.index[-1]) <= by:
            out.append(_w("nothing_after", lang, y=by))
        return out
    y = int(j.hist.index[-1])
    beyond = yearly[yearly.index > y]  # yearly figures the chain cannot reach
    out = [
        _yearly_figures(j, yearly[yearly.index > by].index, lang)
        if len(beyond) and not measured(j, prog)
        else _w("chain", lang, n=len(j.hist), base=by),
        _w("at", lang, when=_year(y, lang), value=_w("index", lang, v=f"{j.hist.loc[y]:.1f}")),
    ]
    if len(beyond):
        out.append(_w("chain_break", lang, y=y))
        need = pace_needed(j, y, float(j.hist.loc[y]))
        if need is not None:
            out.append(
                _w("from_needs", lang, y=y, pace=pace_text(j, need, lang), T=j.goal.target_year)
            )
    else:
        out += _position(j, y, lang, passed)
    out.append(_rate(prog, lang))  # a chain's pace, measured or not: the tier says which
    return out


def reading(
    j: Judged, tier_: str, prog: rates.Progress | None, today_year: int, bound: tuple | None = None
) -> tuple[str, str]:
    """(zh, en): what the evidence says, in words and numbers ("one figure, 2021: 52.4 %; 37.6
    points short of ≥ 90 %; would have needed +18.8 points a year to 2023; …").

    `bound`: (year, kind, value) of the published bound that decides, or that is the only figure.
    """
    return _reading(j, tier_, prog, today_year, bound, "zh"), _reading(
        j, tier_, prog, today_year, bound, "en"
    )


def _reading(
    j: Judged, tier_: str, prog: rates.Progress | None, today_year: int, bound, lang: str
) -> str:
    """reading() in one language."""
    T = j.goal.target_year
    passed = T + 1 < today_year
    if tier_ == "bound" and bound is not None:
        y, kind, value = bound
        return _w(
            "bound",
            lang,
            kind=_w(kind, lang),
            when=_year(y, lang),
            value=_num(j, value, lang, d=0),
            goal=goal_text(j, lang),
        )
    parts = [_w("proxy", lang, words=pick(*j.proxy_words, lang))] if j.proxy else []
    if not len(j.hist) and not len(_yearly(j)):
        parts.append(_w("none", lang))
        if bound is not None:
            y, kind, value = bound
            parts.append(
                _w(
                    "bound_open",
                    lang,
                    kind=_w(kind, lang),
                    when=_year(y, lang),
                    value=_num(j, value, lang, d=0),
                )
            )
        return _join(parts, lang)
    if j.goal.kind in CHAINED:
        parts += _chained(j, prog, passed, lang)
        last = int(j.hist.index[-1]) if len(j.hist) else None
    else:
        last = int(j.hist.index[-1])
        parts += [_figures_phrase(j, lang), *_position(j, last, lang, passed)]
        if measured(j, prog):
            parts.append(_rate(prog, lang))
    if passed and (last is None or last <= T):
        parts.append(_w("deadline", lang, T=T))
    return _join(parts, lang)


__all__ = [
    "MIN_FIGURES",
    "STOCK_MAX_FALL",
    "TREND_WORDS",
    "at_threshold",
    "fastest_shown",
    "measured",
    "pace_needed",
    "period_note",
    "reading",
    "settled_stock",
    "tier",
]
