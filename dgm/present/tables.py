"""DataFrame → a publication table for notebooks and the HTML report (`format_table`).

One formatter for every table the collection shows: headers in words (not snake_case) in the
chosen language, names instead of ids (goals, indicators; sources by title, linked to their URL
in HTML), codes in words (statuses, kinds of figure, methods, scenarios, yes/no for booleans),
numbers formatted by unit (years without decimals, counts with thousands separators,
probabilities in percent), one missing-value mark, text left-aligned and numbers right-aligned.
A positional index is not shown. Values are only formatted for display: records
(`notebook_records.record`) keep them.
"""

from __future__ import annotations

import hashlib
import html as _html
import re

from dgm.lang import pick
from dgm.words import (
    DEPARTMENTS_EN,
    EVIDENCE_LABELS,
    EX_POST_UNKNOWN,
    HEADERS,
    METHODS,
    PRESET_LABELS,
    STATUS_LABELS,
    TEXT,
    UNIT_EN,
    UNIT_ZH,
)

MISSING = "—"  # the one mark for a missing value
PROSE_CHARS = 60  # a column with longer cells is prose: given a minimum width
SHORT_CHARS = 4  # a column with no longer cell (units, grades) never wraps
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
RATE_COLUMNS = (  # yearly rates already in percent
    "required_%/yr",
    "observed_%/yr",
    "growth_pct",
    "required_rate_pct",
)
# Columns of ids shown as names: column → what the ids name (see names).
ID_COLUMNS = {"target_id": "goal", "indicator": "indicator", "proxy": "indicator"}
SOURCE_COLUMN = "source_id"  # source ids (several joined by ";") → titles, linked in HTML
SOURCE_SEP = "; "
STATUS_COLUMNS = (  # statuses (robustness `drop_latest`: the status without the latest figure)
    "status",
    "ex_post",
    "eurostat_category",
    "escap_category",
    "unsd_category",
    "drop_latest",
)
KIND_COLUMNS = (
    "kind",
    "latest_kind",
)  # kinds of figure and of goal (dgm.words.TEXT)
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


def header(col, lang: str = "en", sep: str = " · ") -> str:
    """A column label in words: the known ones translated (`both`: zh, `sep`, en), others with
    spaces for underscores."""
    col = str(col)
    m = _SUFFIX.match(col)
    base, tag = (m["base"], f" ({m['tag']})") if m and m["base"] in HEADERS else (col, "")
    if base in HEADERS:
        zh, en = HEADERS[base]
        return pick(zh, en, lang, sep) + tag
    text = col.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def names(what: str, lang: str) -> dict:
    """{id: name in `lang`} of the goals (registry) or indicators (catalogue)."""
    from dgm.data.loaders import load_indicators, load_targets
    from dgm.lang import label

    frame = load_targets() if what == "goal" else load_indicators()
    return dict(zip(frame["id"].astype(str), label(frame, lang), strict=True))


def _sources() -> dict:
    """{source id: (title, url)} of sources.csv."""
    from dgm.data.loaders import load_sources

    s = load_sources()
    return {
        str(i): (str(t), str(u))
        for i, t, u in zip(s["source_id"], s["title"], s["url"], strict=True)
    }


def _source_cell(ids, html: bool) -> str:
    """Source ids ("a;b") as their titles, as written (dgm.zh.VERBATIM); in `html` each is a
    <cite> (the mark of a title kept verbatim) linked to its URL."""
    if _missing(ids) or not str(ids).strip():
        return MISSING
    known, parts = _sources(), []
    for sid in dict.fromkeys(x.strip() for x in str(ids).split(";") if x.strip()):
        title, url = known.get(sid, (sid, ""))
        if html:
            title = f"<cite>{_html.escape(title)}</cite>"
            if url.startswith(("https://", "http://")):
                title = f'<a href="{_html.escape(url)}">{title}</a>'
        parts.append(title)
    return SOURCE_SEP.join(parts)


def words(column: str, lang: str) -> dict:
    """{code: words} for a column of codes (statuses, kinds, comparisons, methods, scenarios)."""
    from dgm import labels

    if column in STATUS_COLUMNS:
        words = STATUS_LABELS | {"unknown": EX_POST_UNKNOWN}
        return {k: pick(*v, lang, " · ") for k, v in words.items()}
    if column == "basis":
        keys = {"observed": "observed", "bound": "bound", "projected": "projection"}
        return {k: pick(*TEXT[w], lang, " · ") for k, w in keys.items()}
    if column == "evidence":
        return {k: pick(*v, lang, " · ") for k, v in EVIDENCE_LABELS.items()}
    if column in KIND_COLUMNS:
        return {k: pick(*v, lang, " · ") for k, v in TEXT.items()}
    if column == "comparison":
        return dict(labels.COMPARISON)
    if column == "method":
        return {k: pick(*v, lang, " · ") for k, v in METHODS.items()}
    if column == "direction":
        return {k: pick(*TEXT[k], lang, " · ") for k in ("higher_is_better", "lower_is_better")}
    if column == "unit":
        return {u: pick(UNIT_ZH.get(u, u), UNIT_EN.get(u, u), lang, " · ") for u in UNIT_EN}
    if column == "departments":
        return {k: pick(k, v, lang, " · ") for k, v in DEPARTMENTS_EN.items()}
    if column == "scenario":
        return {k: pick(*v, lang, " · ") for k, v in PRESET_LABELS.items()}
    return {}


def _text(v, words: dict) -> str:
    """A text cell: a code in words (a trailing † kept), or the text as it is (names, titles)."""
    if _missing(v) or v == "":
        return MISSING
    if isinstance(v, dict):  # {key: value} → "key: value; …", numbers formatted
        return "; ".join(f"{k}: {_text(x, {})}" for k, x in v.items())
    if isinstance(v, float | int) and not isinstance(v, bool):
        return format_number(v)
    code, mark = (v[:-2], v[-2:]) if isinstance(v, str) and v.endswith(" †") else (v, "")
    return words.get(code, str(code)) + mark


def _is_year(col: str) -> bool:
    """Whether a column holds years (shown without separators or decimals); not a value in a
    year (value_at_target_year)."""
    if col.startswith("value"):
        return False
    return col == "year" or col.endswith("_year") or col.endswith("year_median") or "year (" in col


def _shown(frame):
    """`frame` with a named index as its first column(s); a positional index is dropped."""
    import pandas as pd

    named = any(n is not None for n in frame.index.names)
    if named:
        return frame.reset_index()
    if not isinstance(frame.index, pd.RangeIndex):
        return frame.reset_index(drop=True)
    return frame


def formatted(frame, lang: str = "en", html: bool = False):
    """(text frame, numeric-column flags): every cell as display text, headers in words.

    With `html`, every cell is HTML (escaped text; source titles linked to their URLs).
    """
    import numpy as np
    import pandas as pd

    from dgm.zh import VERBATIM, simplified

    df = _shown(frame.copy())
    units = df["unit"] if "unit" in df.columns else None
    yes_no = {True: pick(*TEXT["yes"], lang, " · "), False: pick(*TEXT["no"], lang, " · ")}
    out, numeric = {}, []
    for col in df.columns:
        name = str(col)
        s = df[col]
        base = _SUFFIX.match(name)
        base = base["base"] if base else name
        present = s.dropna()
        is_bool = pd.api.types.is_bool_dtype(s) or (
            len(present) > 0 and all(isinstance(v, bool | np.bool_) for v in present)
        )
        is_num = pd.api.types.is_numeric_dtype(s) and not is_bool
        escape = _html.escape if html else str
        if is_bool:
            cells = [MISSING if _missing(v) else yes_no[bool(v)] for v in s]
        elif _is_year(name) and is_num:
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
        elif base == SOURCE_COLUMN:
            cells = [_source_cell(v, html) for v in s]
            escape = str  # escaped (and linked) by _source_cell
        elif base in ID_COLUMNS:
            known = names(ID_COLUMNS[base], lang)
            cells = [MISSING if _missing(v) else known.get(str(v), str(v)) for v in s]
        else:
            cells = [_text(v, words(base, lang)) for v in s]
        verbatim = base in VERBATIM or base == SOURCE_COLUMN  # quotes and titles as written
        if lang in ("zh", "both") and not is_num and not verbatim:
            cells = [simplified(c) for c in cells]
        out[header(col, lang)] = [escape(c) for c in cells]
        numeric.append(is_num)
    text = pd.DataFrame(out)
    return text, numeric


def format_table(frame, lang: str = "en"):
    """A pandas Styler of `frame` for display: words for headers, ids and codes, formatted
    numbers, one missing mark, sources linked, text left and numbers right, no index column."""
    text, numeric = formatted(frame, lang, html=True)
    styles = [
        {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
        {"selector": "td", "props": "text-align: left; vertical-align: top;"},
    ]
    plain, _ = formatted(frame, lang)  # the cells' text, for their lengths
    for i, col in enumerate(plain.columns):
        longest = max((len(c) for c in plain[col]), default=0)
        if longest > PROSE_CHARS:  # prose: a readable measure
            styles.append({"selector": f"td.col{i}", "props": "min-width: 16em;"})
        elif longest <= SHORT_CHARS:  # 亿元 stays on one line
            styles.append({"selector": f"td.col{i}", "props": "white-space: nowrap;"})
    for i, is_num in enumerate(numeric):
        if is_num:
            styles += [
                {
                    "selector": f"td.col{i}, th.col_heading.col{i}",
                    "props": "text-align: right; font-variant-numeric: tabular-nums;",
                },
                {"selector": f"td.col{i}", "props": "white-space: nowrap;"},
            ]
    # A table id from its content: two runs give the same page, two tables never share styles.
    uid = hashlib.sha1(text.to_csv().encode("utf-8")).hexdigest()[:10]
    styler = text.style.set_uuid(uid).hide(axis="index").set_table_styles(styles)
    return styler.format_index(escape="html", axis=1)  # cells are HTML already (formatted)


def to_html(frame, lang: str = "en") -> str:
    """The table as an HTML fragment (scrolls sideways only if it cannot wrap to the page)."""
    return f'<div style="overflow-x: auto;">{format_table(frame, lang).to_html()}</div>'


def to_text(frame, lang: str = "en") -> str:
    """The table as plain text (formatted cells, headers in words)."""
    text, _ = formatted(frame, lang)
    return text.to_string(index=False)
