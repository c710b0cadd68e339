"""House style for dgm charts: fonts, Okabe–Ito palette, A4 sizes, rcParams applied in a context.

Importing this module touches no rcParams and does not import matplotlib; `house_style()` applies
the style inside a `with` block (chart functions call it), `use_fonts()` applies it for a session.
"""

from __future__ import annotations

import contextlib

from dgm.lang import pick

# Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
PALETTE = [
    OKABE_ITO[k]
    for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "yellow", "black")
]
OBSERVED = OKABE_ITO["blue"]
PROJECTION = OKABE_ITO["blue"]
GOAL = OKABE_ITO["vermillion"]
GREY = "#6E6E6E"
LIGHT_GREY = "#D9D9D9"

# A4 is 210 mm wide; with 25 mm margins the text block is 160 mm = 6.3 in.
MM = 1 / 25.4
FULL_WIDTH = 160 * MM  # inches
HALF_WIDTH = 78 * MM
SIZES = {  # (width, height) in inches
    "full": (FULL_WIDTH, 100 * MM),
    "tall": (FULL_WIDTH, 150 * MM),
    "half": (HALF_WIDTH, 70 * MM),
}
BASE_FONT_PT = 8.5
FOOTNOTE_PT = 6.5


def rc(families: list[str]) -> dict:
    """rcParams of the house style for the given font.family list."""
    from cycler import cycler

    return {
        "font.family": families,
        "font.size": BASE_FONT_PT,
        "axes.titlesize": BASE_FONT_PT + 1.5,
        "axes.titlelocation": "left",
        "axes.labelsize": BASE_FONT_PT,
        "axes.unicode_minus": True,  # U+2212, present in the CJK font
        "svg.hashsalt": "dgm",  # stable SVG ids: the same figure gives the same file
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#333333",
        "axes.linewidth": 0.6,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#E3E3E3",
        "grid.linewidth": 0.5,
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(color=PALETTE),
        "xtick.labelsize": BASE_FONT_PT - 0.5,
        "ytick.labelsize": BASE_FONT_PT - 0.5,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "legend.fontsize": BASE_FONT_PT - 1,
        "legend.frameon": False,
        "lines.linewidth": 1.4,
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "savefig.dpi": 300,
        "savefig.facecolor": "white",
        "pdf.fonttype": 42,  # embed TrueType (Type 42 / CIDFontType2), never Type 3
        "ps.fonttype": 42,
        "svg.fonttype": "path",  # SVG readers need not have the font
        "pdf.compression": 6,
    }


@contextlib.contextmanager
def house_style():
    """Context manager: register the CJK font and apply the house rcParams inside the block."""
    import matplotlib as mpl

    from dgm import fonts

    with mpl.rc_context(rc(fonts.font_families())):
        yield


def use_fonts() -> list[str]:
    """Apply the house style for the rest of the session (opt-in, for notebooks' own plots)."""
    import matplotlib as mpl

    from dgm import fonts

    families = fonts.font_families()
    mpl.rcParams.update(rc(families))
    return families


# Chart furniture in both languages (indicator and goal names come from the catalogue/registry).
TEXT = {
    "observed": ("观测值", "Observed"),
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


def t(key: str, lang: str, sep: str = " ", **fmt) -> str:
    """Chart furniture text ``key`` in ``lang``; ``fmt`` fills placeholders."""
    zh, en = TEXT[key]
    return pick(zh.format(**fmt), en.format(**fmt), lang, sep)


def unit_label(unit: str | None, lang: str) -> str:
    """Axis unit label: 亿元 / 100 million yuan / 亿元 (100 million yuan)."""
    if not unit or unit != unit:  # None or NaN
        return ""
    zh = UNIT_ZH.get(unit, unit)
    en = UNIT_EN.get(unit, unit)
    if lang == "both":
        return zh if zh == en else f"{zh}（{en}）"
    return pick(zh, en, lang)


def row_label(row, lang: str, prefix: str = "label", sep: str = " · ") -> str:
    """``label_zh``/``label_en`` of a registry or catalogue row (dict or Series) in ``lang``."""
    zh = _get(row, f"{prefix}_zh") or _get(row, "id") or ""
    en = _get(row, f"{prefix}_en") or zh
    return pick(str(zh), str(en), lang, sep)


def _get(row, key):
    """row[key] for a dict or Series, None when absent or NaN."""
    try:
        value = row[key]
    except (KeyError, IndexError, TypeError):
        return None
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


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


__all__ = [
    "house_style",
    "use_fonts",
    "OKABE_ITO",
    "PALETTE",
    "SIZES",
    "pick",
    "t",
    "unit_label",
    "row_label",
    "wrap",
]
