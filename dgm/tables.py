"""DataFrame → a publication table for notebooks and the HTML report (`format_table`).

One formatter for every table the collection shows: headers in words (not snake_case) in the
chosen language, numbers formatted by unit (years without decimals, counts with thousands
separators, probabilities in percent), one missing-value mark, text left-aligned and numbers
right-aligned. Values are only formatted for display: records (`notebook_records.record`) keep them.
"""

from __future__ import annotations

import hashlib
import re

from dgm.constants import EVIDENCE_LABELS, STATUS_LABELS
from dgm.lang import pick

MISSING = "—"  # the one mark for a missing value
PROSE_CHARS = 60  # a column with longer cells is prose: given a minimum width
DECIMALS = {  # catalogue unit → decimals shown
    "亿元": 2,
    "%": 2,
    "百分点": 1,
    "件": 0,
    "家": 0,
    "个": 0,
    "index": 1,
    "吨标准煤/万元": 4,
}
PERCENT_COLUMNS = ("p_attain", "coverage80", "coverage95")  # fractions 0–1 shown as whole %
RATE_COLUMNS = ("required_%/yr", "observed_%/yr")  # yearly rates already in percent
HEADERS = {  # column → (zh, en)
    "id": ("编号", "ID"),
    "target_id": ("目标", "Goal"),
    "goal": ("目标", "Goal"),
    "indicator": ("指标", "Indicator"),
    "year": ("年份", "Year"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "kind": ("类型", "Kind"),
    "reliability": ("可靠性", "Reliability"),
    "source_id": ("来源", "Source"),
    "status": ("结论", "Status"),
    "basis": ("依据", "Basis"),
    "evidence": ("证据", "Evidence"),
    "drop_latest": ("去掉最新数据后", "Without the latest figure"),
    "latest_year": ("最新年份", "Latest year"),
    "latest_value": ("最新值", "Latest figure"),
    "latest_kind": ("最新值类型", "Latest kind"),
    "required_%/yr": ("所需年均变化 %", "Required %/yr"),
    "observed_%/yr": ("实际年均变化 %", "Observed %/yr"),
    "rate_ratio": ("实际/所需", "Observed / required"),
    "escap_gap": ("ESCAP 差距", "ESCAP gap"),
    "unsd_q": ("UNSD Q", "UNSD Q"),
    "p_attain": ("达成概率", "P(goal met)"),
    "crossing_year_median": ("中位达成年份", "Median crossing year"),
    "eurostat_category": ("Eurostat 评级", "Eurostat"),
    "escap_category": ("ESCAP 评级", "ESCAP"),
    "unsd_category": ("UNSD 评级", "UNSD"),
    "ex_post": ("事后判定", "Ex post"),
    "reading": ("解读", "Reading"),
    "clause": ("条款", "Clause"),
    "comparison": ("比较", "Comparison"),
    "target_value": ("目标值", "Goal value"),
    "target_year": ("目标年份", "Goal year"),
    "baseline_year": ("基期年份", "Baseline year"),
    "points": ("数据点", "Figures"),
    "first_year": ("首年", "First year"),
    "last_year": ("末年", "Last year"),
    "measures": ("措施", "Measures"),
    "departments": ("部门", "Department"),
    "plan": ("计划值", "Plan"),
    "outcome": ("实际值", "Outcome"),
    "outcome_minus_plan": ("实际 − 计划", "Outcome − plan"),
    "method": ("方法", "Method"),
    "mase": ("MASE", "MASE"),
    "smape": ("sMAPE %", "sMAPE %"),
    "coverage80": ("80% 区间覆盖率", "80 % coverage"),
    "coverage95": ("95% 区间覆盖率", "95 % coverage"),
    "n_forecasts": ("预测次数", "Forecasts"),
    "index": ("指数", "Index"),
    "programme_zh": ("专项", "Programme"),
    "programme_en": ("Programme", "Programme"),
    "growth_pct": ("年增长 %", "Growth %/yr"),
    "scenario": ("情景", "Scenario"),
    "start_year": ("起始年份", "Start year"),
    "start_value": ("起始值", "Start value"),
    "goal_value": ("目标值", "Goal value"),
    "value_at_target_year": ("目标年份的值", "Value in the goal's year"),
    "meets_goal": ("达标", "Meets goal"),
    "crossing_year": ("首次达标年份", "First year met"),
    "required_rate_pct": ("所需年均变化 %", "Required %/yr"),
}
VALUE_COLUMNS = (  # codes shown in words (on_track → on track / 按计划推进)
    "status",
    "ex_post",
    "eurostat_category",
    "escap_category",
    "unsd_category",
    "kind",
    "latest_kind",
    "evidence",
    "drop_latest",
)
_SUFFIX = re.compile(r"^(?P<base>.+?) \((?P<tag>[^)]*)\)$")  # "status (2014)" → status + tag


def _missing(v) -> bool:
    """None, NaN, NA or NaT."""
    if v is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v)) if not isinstance(v, list | tuple | dict) else False
    except (TypeError, ValueError):
        return False


def format_number(v, unit: str | None = None, decimals: int | None = None) -> str:
    """A number for a table cell: with `decimals` or the unit's, else whole numbers without
    decimals and others with two (three significant digits below 1); thousands separated."""
    if _missing(v):
        return MISSING
    x = float(v)
    decimals = DECIMALS.get(unit) if decimals is None else decimals
    if decimals is not None:
        return f"{x:,.{decimals}f}"
    if x.is_integer():
        return f"{x:,.0f}"
    if abs(x) < 1:
        return f"{x:.3g}"
    return f"{x:,.2f}"


def header(col, lang: str = "en") -> str:
    """A column label in words: the known ones translated, others with spaces for underscores."""
    col = str(col)
    m = _SUFFIX.match(col)
    base, tag = (m["base"], f" ({m['tag']})") if m and m["base"] in HEADERS else (col, "")
    if base in HEADERS:
        zh, en = HEADERS[base]
        return pick(zh, en, lang, " · ") + tag
    text = col.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _value_text(v, lang: str) -> str:
    """A category value (status, verdicts) in words."""
    if _missing(v):
        return MISSING
    if v in STATUS_LABELS:
        return pick(*STATUS_LABELS[v], lang, " · ")
    if v in EVIDENCE_LABELS:
        return pick(*EVIDENCE_LABELS[v], lang, " · ")
    return str(v).replace("_", " ")


def _is_year(col: str) -> bool:
    """Whether a column holds years (shown without separators or decimals); not a value in a
    year (value_at_target_year)."""
    if col.startswith("value"):
        return False
    return col == "year" or col.endswith("_year") or col.endswith("year_median") or "year (" in col


def formatted(frame, lang: str = "en"):
    """(text frame, numeric-column flags): every cell as display text, headers in words."""
    import pandas as pd

    from dgm.zh import VERBATIM, simplified

    df = frame.copy()
    if not isinstance(df.index, pd.RangeIndex) or df.index.name is not None:
        df = df.reset_index()
    units = df["unit"] if "unit" in df.columns else None
    out, numeric = {}, []
    for col in df.columns:
        name = str(col)
        s = df[col]
        base = _SUFFIX.match(name)
        base = base["base"] if base else name
        is_num = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        if _is_year(name) and is_num:
            cells = [MISSING if _missing(v) else f"{int(v)}" for v in s]
        elif base in PERCENT_COLUMNS and is_num:
            cells = [MISSING if _missing(v) else f"{100 * float(v):.0f} %" for v in s]
        elif base in RATE_COLUMNS and is_num:
            cells = [MISSING if _missing(v) else f"{float(v):+.2f}" for v in s]
        elif (
            is_num
            and units is not None
            and base
            in ("value", "latest_value", "target_value", "plan", "outcome", "outcome_minus_plan")
        ):
            cells = [
                format_number(v, u if isinstance(u, str) else None)
                for v, u in zip(s, units, strict=True)
            ]
        elif is_num:  # one number of decimals down a column: 46.00 beside 37.20
            whole = all(_missing(v) or float(v).is_integer() for v in s)
            small = all(_missing(v) or abs(float(v)) < 1 for v in s)
            decimals = None if whole or small else 2
            cells = [format_number(v, decimals=decimals) for v in s]
        elif base in VALUE_COLUMNS:
            cells = [_value_text(v, lang) for v in s]
        elif base == "scenario":  # dgm.scenario's presets in words
            from dgm.scenario import PRESET_LABELS

            cells = [pick(*PRESET_LABELS[v], lang, " · ") if v in PRESET_LABELS else v for v in s]
        elif pd.api.types.is_bool_dtype(s):  # words, not True/False
            from dgm.charts.labels import t

            cells = [t("yes" if v else "no", lang, " · ") for v in s]
        else:
            cells = [MISSING if _missing(v) or v == "" else str(v) for v in s]
        if lang in ("zh", "both") and not is_num and base not in VERBATIM:  # quotes as written
            cells = [simplified(c) for c in cells]
        out[header(col, lang)] = cells
        numeric.append(is_num)
    text = pd.DataFrame(out)
    return text, numeric


def format_table(frame, lang: str = "en"):
    """A pandas Styler of `frame` for display: words for headers, formatted numbers, one
    missing mark, text left and numbers right, no index column."""
    text, numeric = formatted(frame, lang)
    styles = [
        {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
        {"selector": "td", "props": "text-align: left; vertical-align: top;"},
    ]
    for i, col in enumerate(text.columns):
        if max((len(c) for c in text[col]), default=0) > PROSE_CHARS:  # prose: a readable measure
            styles.append({"selector": f"td.col{i}", "props": "min-width: 22em;"})
    for i, is_num in enumerate(numeric):
        if is_num:
            styles.append(
                {
                    "selector": f"td.col{i}, th.col_heading.col{i}",
                    "props": "text-align: right; font-variant-numeric: tabular-nums;",
                }
            )
    # A table id from its content: two runs give the same page, two tables never share styles.
    uid = hashlib.sha1(text.to_csv().encode("utf-8")).hexdigest()[:10]
    styler = text.style.set_uuid(uid).hide(axis="index").set_table_styles(styles)
    return styler.format(escape="html").format_index(escape="html", axis=1)


def to_html(frame, lang: str = "en") -> str:
    """The table as an HTML fragment that scrolls sideways when wider than the page."""
    return f'<div style="overflow-x: auto;">{format_table(frame, lang).to_html()}</div>'


def to_text(frame, lang: str = "en") -> str:
    """The table as plain text (formatted cells, headers in words)."""
    text, _ = formatted(frame, lang)
    return text.to_string(index=False)
