"""Chart words in Chinese and English: furniture texts, units, comparison signs and method names;
a row's label; values as label text (thousands separators, U+2212 minus); footnotes naming the
sources; a wrap that counts a CJK character as two columns.

Names of goals, indicators and programmes come from the registry and catalogue rows passed in.
At the root (imports only dgm.constants and dgm.lang): the charts, tables and pages use these
words, and so do the engine's notes for the reader (dgm.engine.scenario.Note).
"""

from __future__ import annotations

import math
import re

from dgm.constants import COMPARISON_SIGNS
from dgm.lang import pick

# Chart furniture in both languages (indicator and goal names come from the catalogue/registry).
TEXT = {
    "observed": ("观测值", "Observed"),
    "exact": ("公布值", "Published"),
    "estimate": ("初步/估计数", "Preliminary or estimate"),
    "approx": ("约数", "Approximate"),
    "derived": ("推算值", "Derived"),
    "lower_bound": ("下限（“突破”“超过”）", "Lower bound (at least)"),
    "upper_bound": ("上限", "Upper bound (at most)"),
    "plan_target": ("年度计划目标", "Annual plan figure"),
    "median": ("预测中位数", "Projection, median"),
    "band": ("{lo:g}%–{hi:g}% 概率区间", "{lo:g}–{hi:g}% probability band"),
    "fan_note": (
        "预测为模型模拟，非官方数据",
        "Projections are model simulations, not official data",
    ),
    "goal": ("目标", "Goal"),
    "baseline": ("{year}年基期（文件所述）", "{year} baseline, as the text states"),
    "implied_path": ("目标隐含路径（年均{rate}）", "Path the goal implied ({rate} a year)"),
    "year": ("年份", "Year"),
    "sources": ("资料来源：", "Sources: "),
    "goal_source": (
        "目标：《东莞市制造业2025》（東府〔2015〕1號）",
        "Goal: Dongguan Manufacturing 2025 (東府〔2015〕1號)",
    ),
    "more": ("等{n}份文件", "and {n} more"),
    "projection": ("预测", "projection"),
    "required_rate": ("所需年均变化", "Required yearly change"),
    "observed_rate": ("实际年均变化", "Observed yearly change"),
    "per_year": ("%/年", "% per year"),
    "rate_title": (
        "实现目标所需与实际年均变化率",
        "Required versus observed yearly rate of change",
    ),
    "scorecard_title": ("目标进展评分表", "Scorecard: progress towards each goal"),
    "coverage_title": (
        "数据覆盖：各指标各年份的数据类型",
        "Data coverage: kind of figure by indicator and year",
    ),
    "scenario_title": ("情景比较", "Scenario comparison"),
    "backtest_title": ("回测误差（按模型）", "Backtest errors by model"),
    "error_title": (
        "回测预测误差的分布：按预测期与方法",
        "How far backtest forecasts missed, by years ahead and method",
    ),
    "horizon": ("预测期（起点后第几年）", "Years after the origin (horizon)"),
    "scaled_error": ("标度误差（年均变动的倍数）", "Scaled error (in mean yearly changes)"),
    "error_note": (
        "回测，{vintage}，与该年份今天的数字比较；{k}个指标共{n}个预测。标度误差 = （实际值 − "
        "预测中位数）÷ 预测所依据数据的年均绝对变动：大于0表示实际值高于预测，±1相当于一年的典型"
        "变动。箱体为中间一半的误差，横线为中位数，须线延伸至1.5倍箱长，圆点为其外的误差。",
        "Backtest, {vintage}, compared with today's figure for its year; {n} forecasts of {k} "
        "indicators. Scaled error = (outcome − median forecast) ÷ the mean absolute yearly change "
        "of the figures the forecast was made from: above 0 the outcome came out higher, ±1 is "
        "one typical year's change. Boxes hold the middle half of the errors, the line is the "
        "median, whiskers reach 1.5 box lengths, dots are the errors beyond.",
    ),
    "vintage_real-time": (
        "实时数据版本（每个预测只用其起点时已公布的数字）",
        "real-time vintage (each forecast made from the figures published by its origin)",
    ),
    "vintage_final": (
        "最终数据版本（准实时：用今天的数字中起点及以前年份的部分）",
        "final vintage (pseudo-real-time: made from today's figures for the years up to its "
        "origin)",
    ),
    "measures_title": (
        "各专项行动的措施数量（按牵头部门）",
        "Measures by programme and lead department",
    ),
    "measures_count": ("措施数（项）", "Number of measures"),
    "mase": ("平均绝对标度误差（MASE）", "Mean absolute scaled error (MASE)"),
    "coverage80": ("80%区间实际覆盖率", "Empirical coverage of 80% intervals"),
    "nominal": ("名义覆盖率", "Nominal coverage"),
    "naive": ("朴素预测 = 1", "naive = 1"),
    "not_assessable": ("数据不足", "insufficient data"),
    "prob": ("达成概率", "P(goal met)"),
    "latest": ("最新值", "Latest"),
    "target": ("目标值", "Goal"),
    "status": ("评估", "Status"),
    "ratio": ("所需/实际", "Required ÷ observed"),
    "crossing": ("预计达成年份", "Median crossing year"),
    "indicator": ("指标", "Indicator"),
    "bound": ("公布的上/下限", "published bound"),
    "higher_is_better": ("越高越好", "higher is better"),
    "lower_is_better": ("越低越好", "lower is better"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # goal kinds of the registry (targets.csv `kind`)
    "level": ("总量", "level"),
    "count": ("数量", "count"),
    "share": ("比重", "share"),
    "index": ("指数", "index"),
    "growth_rate": ("年均增速", "yearly growth"),
    "reduction_vs_baseline": ("较基期降低", "cut from the baseline"),
    # notes of dgm.engine.scenario (scenario.Note keys)
    "note_no_figure": ("没有已公布的数据", "no published figure"),
    "note_no_figure_by": (
        "{year}年及以前没有已公布的数据",
        "no published figure in or before {year}",
    ),
    "note_goal_year_reached": (
        "最新数据已在目标年份（{year}年）或之后，没有所需路径",
        "the latest figure is in or after the goal's year ({year}): there is no required path",
    ),
    "note_not_positive": (
        "数值须为正数才能计算复合增速",
        "compound growth needs positive values",
    ),
    "note_lower_bound_start": (
        "起点是下限（“突破”“超过”），情景路径也只是下限",
        "starts from a lower bound: the path is a bound too",
    ),
    "note_upper_bound_start": (
        "起点是上限，情景路径也只是上限",
        "starts from an upper bound: the path is a bound too",
    ),
    "note_target_before_start": (
        "目标年份早于起始年份：结论依据实际数据",
        "the goal's year is before the start year: the verdict uses the data",
    ),
    "note_growth_required": (
        "评分表没有实际年均变化，滑块从达标所需的 {growth} %/年开始",
        "the scorecard measures no observed yearly change: the slider starts at the rate the goal "
        "requires, {growth} %/yr",
    ),
    "note_growth_met": (
        "已达到目标，评分表没有实际年均变化：滑块从 0 开始（保持最新值）",
        "the latest figure is already at the goal and the scorecard measures no observed yearly "
        "change: the slider starts at 0, the latest figure held",
    ),
    "note_growth_none": (
        "评分表没有实际年均变化，也没有所需路径：滑块从 0 开始（保持最新值）",
        "the scorecard measures no observed yearly change and there is no required path: the "
        "slider starts at 0, the latest figure held",
    ),
    "note_growth_outside": (
        "年均变化 {rate} %/年超出滑块范围，滑块从最接近的 {growth} %/年开始",
        "the yearly change of {rate} %/yr lies outside the slider: it starts at the nearest value, "
        "{growth} %/yr",
    ),
}

UNIT_EN = {
    "亿元": "100 million yuan",
    "%": "%",
    "百分点": "percentage points",
    "件": "items",
    "家": "enterprises",
    "个": "number",
    "index": "index",
    "吨标准煤/万元": "tce per 10,000 yuan",
}
UNIT_ZH = {"index": "指数", "%": "%"}
CHAINED_UNIT = re.compile(r"^index, (?P<base>\d{4}) = 100$")  # a chained index (dgm.engine.goals)
COMPARISON = {**COMPARISON_SIGNS, "==": "="}
METHODS = {  # forecasting method → (zh, en)
    "naive_drift": ("朴素漂移", "Naive with drift"),
    "constant_growth": ("固定增长率", "Constant growth"),
    "log_linear": ("对数线性趋势", "Log-linear trend"),
    "escap_wls": ("ESCAP 加权趋势", "ESCAP weighted trend"),
    "arima_drift": ("ARIMA（含漂移）", "ARIMA with drift"),
    "theta": ("Theta 法", "Theta"),
    "damped_growth": ("阻尼增长（向合并增长先验收缩）", "Damped growth (pooled prior)"),
    "mean_reversion": ("均值回归（增长率）", "Mean reversion (growth rates)"),
    "ensemble_uncalibrated": ("组合预测（未校准）", "Ensemble, uncalibrated"),
    "ensemble": ("组合预测", "Ensemble"),
}
MAX_SOURCES = 8  # footnote names at most this many documents, then "and N more"


def t(key: str, lang: str, sep: str = " ", **fmt) -> str:
    """Chart furniture text ``key`` in ``lang``; ``fmt`` fills placeholders."""
    zh, en = TEXT[key]
    return pick(zh.format(**fmt), en.format(**fmt), lang, sep)


def unit_label(unit: str | None, lang: str) -> str:
    """Axis unit label: 亿元 / 100 million yuan / 亿元 (100 million yuan); a chained index
    ("index, 2016 = 100") as 指数（2016年 = 100） / index (2016 = 100) / 指数 · index（2016 = 100）."""
    if not unit or unit != unit:  # None or NaN
        return ""
    zh = UNIT_ZH.get(unit, unit)
    en = UNIT_EN.get(unit, unit)
    chained = CHAINED_UNIT.match(unit)
    if chained:
        base = chained["base"]
        zh, en = f"指数（{base}年 = 100）", f"index ({base} = 100)"
        if lang == "both":
            return f"指数 · index（{base} = 100）"
    if lang == "both":
        return zh if zh == en else f"{zh}（{en}）"
    return pick(zh, en, lang)


def row_label(row, lang: str, prefix: str = "label", sep: str = " · ") -> str:
    """``label_zh``/``label_en`` of a registry or catalogue row (dict or Series) in ``lang``."""
    zh = cell(row, f"{prefix}_zh") or cell(row, "id") or ""
    en = cell(row, f"{prefix}_en") or zh
    return pick(str(zh), str(en), lang, sep)


def wrap(text: str, width: int) -> str:
    """Wrap text to ``width`` columns, counting a CJK character as two columns."""
    lines = []
    for para in text.split("\n"):
        line, cols = "", 0
        for token in _tokens(para):
            w = sum(2 if ord(c) > 0x2E7F else 1 for c in token)
            if cols + w > width and line:
                lines.append(line.rstrip())
                line, cols = token.lstrip(), w
            else:
                line, cols = line + token, cols + w
        lines.append(line.rstrip())
    return "\n".join(lines)


def _tokens(text: str) -> list[str]:
    """Break points for wrap(): Latin words with their trailing space, single CJK characters."""
    out, word = [], ""
    for c in text:
        if ord(c) > 0x2E7F:
            if word:
                out.append(word)
                word = ""
            out.append(c)
        else:
            word += c
            if c == " ":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    return out


def cell(row, key, default=None):
    """row[key] for a dict or Series; ``default`` when absent, None or NaN."""
    try:
        v = row[key]
    except (KeyError, IndexError, TypeError):
        return default
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return default
    try:
        import pandas as pd

        if pd.isna(v):
            return default
    except (TypeError, ValueError):
        pass
    return v


def minus(s: str) -> str:
    """Replace hyphen-minus used as a sign by U+2212 MINUS SIGN."""
    return re.sub(r"(?<![\w])-(?=\d)", "\u2212", s)


def fmt_value(v, unit: str | None = None, digits: int | None = None) -> str:
    """A value for a label: thousands separators, no spurious decimals, % for shares, − for minus.

    Without ``digits`` the fewest decimals (0–2) that show the value to 0.01 are used.
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    v = float(v)
    if digits is None:
        digits = next(d for d in (0, 1, 2) if round(v, d) == round(v, 2))
    s = f"{v:,.{digits}f}"
    if unit == "%":
        s += "%"
    return minus(s)


def _unit_suffix(unit, lang) -> str:
    """' 亿元' after a value (nothing for %, which fmt_value already appends)."""
    if not unit or unit == "%":
        return ""
    u = unit_label(unit, "en" if lang == "en" else "zh")
    return f" {u}"


def goal_text(target, lang, value=None) -> str:
    """'目标（2025年）≥ 20,000 亿元' / 'Goal (2025): ≥ 20,000 100 million yuan'."""
    unit = cell(target, "unit")
    v = cell(target, "target_value") if value is None else value
    year = cell(target, "target_year")
    cmp_ = COMPARISON.get(str(cell(target, "comparison", "")), "")
    if cell(target, "kind") == "reduction_vs_baseline" and value is not None:
        cmp_, unit = "≤", None  # a cut of x % is drawn on the chained index: index ≤ 100 − x
    val = f"{cmp_} {fmt_value(v, unit)}{_unit_suffix(unit, lang)}".strip()
    y = int(year) if year is not None else None
    zh = f"目标（{y}年）{val}" if y else f"目标 {val}"
    en = f"Goal ({y}): {val}" if y else f"Goal: {val}"
    return pick(zh, en, lang, "\n")


def source_ids(*frames) -> list[str]:
    """Distinct source_id values of the frames, in order of first appearance."""
    ids: list[str] = []
    for f in frames:
        if f is None or "source_id" not in getattr(f, "columns", ()):
            continue
        for s in f["source_id"].dropna().astype(str):
            for part in s.split(";"):
                if part.strip() and part.strip() not in ids:
                    ids.append(part.strip())
    return ids


def source_note(source_ids, sources=None, lang="zh", goal=None, extra: str = "") -> str:
    """Footnote text: "资料来源：《title》(publisher, year); …" plus the policy clause of the goal."""
    parts = []
    lookup = {}
    if sources is not None and len(sources):
        lookup = {str(r["source_id"]): r for r in sources.to_dict("records")}
    for sid in source_ids[:MAX_SOURCES]:
        r = lookup.get(sid)
        if r is None:
            parts.append(sid)
            continue
        title = str(cell(r, "title", sid))
        who = str(cell(r, "publisher", "") or "")
        year = str(cell(r, "published", "") or "")[:4]
        meta = ", ".join(x for x in (who, year) if x)
        parts.append(f"{title} ({meta})" if meta else title)
    more = len(source_ids) - MAX_SOURCES
    sep = "；" if lang == "zh" else "; "
    body = sep.join(parts)
    if more > 0:
        body += (" " if lang != "zh" else "") + t("more", lang, n=more)
    lines = []
    if body:
        lines.append(t("sources", lang) + body)
    if goal is not None:
        clause = cell(goal, "clause", "")
        g = t("goal_source", lang, sep=" / ")
        lines.append(f"{g} {clause}".strip())
    if extra:
        lines.append(extra)
    return "\n".join(lines)
