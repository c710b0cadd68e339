"""Assessment records (dgm.assess) → one-line readings and the tables the notebooks show.

A reader sees figures rounded to the precision they were published with (derived figures to three
significant digits) and with their unit (`4.00 %`, `≥ 26,000 亿元`), goals and indicators by name,
and the assessment in two tables that fit a page: verdicts (goal, status, evidence, reading) and
rates (latest figure, required and observed rates, the schemes' measures, P(goal met)).
"""

from __future__ import annotations

import math

from dgm.assess import FIELDS
from dgm.constants import BOUND_KINDS, STATUS_LABELS
from dgm.lang import pick

SIGNIFICANT = 3  # digits of a derived figure (computed from rounded published ones)
FRAGILE_MARK = " †"  # after a status that changes with the baseline or ESCAP's half-life
RATES = ("required_rate", "observed_rate")  # yearly rates (fractions) shown in % a year
COUNT_UNITS = ("件", "家", "个")  # counts: the number alone in English

# The assessment's contract fields (less indicator and notes) and the schemes' categories.
ASSESSMENT_COLUMNS = [f for f in FIELDS if f not in ("indicator", "notes")] + [
    "eurostat_category",
    "escap_category",
    "unsd_category",
    "ex_post",
    "basis",
    "basis_year",
    "min_reliability",
    "fragile",
]


def _pct(rate) -> str:
    """A yearly rate (fraction) as signed percent text, "—" when missing."""
    if rate is None or (isinstance(rate, float) and not math.isfinite(rate)):
        return "—"
    return f"{100 * rate:+.1f} %/yr"


def _missing(v) -> bool:
    """None or NaN."""
    return v is None or (isinstance(v, float) and math.isnan(v))


def decimals(value: float, unit: str | None, indicator: str | None = None, year=None) -> int:
    """Decimals to show a figure with: as published (its `as_written` in the observations, when
    this indicator-year figure is found there), else three significant digits, never more than
    the unit's (dgm.tables.DECIMALS)."""
    from dgm.numbers import written_decimals
    from dgm.tables import DECIMALS

    cap = DECIMALS.get(unit or "", 2)
    if indicator and year is not None:
        from dgm.data import load_observations

        obs = load_observations()
        rows = obs[(obs["indicator"] == indicator) & (obs["year"] == int(year))]
        for written, v in zip(rows["as_written"], rows["value"], strict=True):
            if isinstance(written, str) and math.isclose(float(v), value, rel_tol=1e-9):
                d = written_decimals(written, value)
                if d is not None:
                    return min(d, cap)
    if value == 0:
        return 0
    return max(0, min(cap, SIGNIFICANT - 1 - math.floor(math.log10(abs(value)))))


def figure_text(value, unit: str | None, lang: str = "en", kind: str | None = None, places=None):
    """A figure as a reader sees it: bound sign, rounded number, unit (`≥ 26,000 亿元`, `4.00 %`,
    `66,000 件` / `66,000`); "—" when missing. `places`: decimals (default: three significant)."""
    if _missing(value):
        return "—"
    value = float(value)
    places = decimals(value, unit) if places is None else places
    mark = dict(zip(BOUND_KINDS, ("≥ ", "≤ "), strict=True)).get(kind, "")
    number = f"{value:,.{places}f}".replace("-", "−")
    if not unit or unit == "index" or (unit in COUNT_UNITS and lang == "en"):
        return f"{mark}{number}"
    return f"{mark}{number} {unit}"


def latest_text(row: dict, lang: str = "en") -> str:
    """The latest figure of an assessment record with its unit and year: `4.00 % (2021)`."""
    value, year = row.get("latest_value"), row.get("latest_year")
    if _missing(value) or _missing(year):
        return ""
    indicator = row.get("proxy") or row.get("indicator")
    places = decimals(float(value), row.get("unit"), indicator, year)
    if row.get("kind") in ("reduction_vs_baseline", "growth_rate"):  # chained: never as written
        places = decimals(float(value), row.get("unit"))
    text = figure_text(value, row.get("unit"), lang, row.get("latest_kind"), places)
    return f"{text} ({int(year)})"


def _indicator_name(indicator: str, lang: str) -> str:
    """An indicator's name from the catalogue (the id when it is not there)."""
    from dgm.tables import names

    return names("indicator", lang).get(str(indicator), str(indicator))


def reading(row: dict, lang: str = "en") -> str:
    """One line that says what an assessment row (dgm.assess) means, in the chosen language."""
    status = row.get("status") or "insufficient_data"
    head = pick(*STATUS_LABELS.get(status, (status, status)), lang, " · ")
    return f"{head}: {reading_body(row, lang)}"


def reading_body(row: dict, lang: str = "en") -> str:
    """The reading without its status word (the verdict table shows the status beside it)."""
    status = row.get("status") or "insufficient_data"
    latest = latest_text(row, lang)
    obs, req = _pct(row.get("observed_rate")), _pct(row.get("required_rate"))
    p = row.get("p_attain")
    p_txt = "" if _missing(p) else f"{p:.0%}"
    cross = row.get("crossing_year_median")
    zh_parts, en_parts = [], []
    if latest:
        zh_parts.append(f"最新 {latest}")
        en_parts.append(f"latest {latest}")
    if status == "insufficient_data":
        zh_parts.append("数据点太少，无法判断")
        en_parts.append("too few published figures to judge")
    elif status not in ("met", "not_met") and (obs != "—" or req != "—"):
        zh_parts.append(f"实际 {obs}，需要 {req}")
        en_parts.append(f"observed {obs} against {req} required")
    if p_txt and status not in ("met", "not_met"):
        zh_parts.append(f"达成概率 {p_txt}")
        en_parts.append(f"P(met) {p_txt}")
    if cross and status not in ("met", "not_met"):
        zh_parts.append(f"中位达成年份 {cross}")
        en_parts.append(f"median crossing year {cross}")
    if row.get("proxy"):
        zh_parts.append(f"以代理指标“{_indicator_name(row['proxy'], 'zh')}”判断")
        en_parts.append(f"judged on a proxy, {_indicator_name(row['proxy'], 'en')}")
    zh, en = "；".join(zh_parts), "; ".join(en_parts)
    return pick(zh, en, lang, " · ")


def _fragile(row: dict) -> bool:
    """Whether a verdict changes with the baseline or ESCAP's half-life (dgm.assess robustness)."""
    return bool((row.get("robustness") or {}).get("fragile"))


def verdict_table(rows: list[dict], lang: str = "en"):
    """One row per goal, in the order given: goal, status († when fragile), the evidence it rests
    on (when the records say) and the reading in words and numbers."""
    import pandas as pd

    out = []
    for r in rows:
        line = {"target_id": r["target_id"], "status": r["status"] + FRAGILE_MARK * _fragile(r)}
        if any("evidence" in x for x in rows):
            line["evidence"] = r.get("evidence")
        line["reading"] = reading_body(r, lang)
        out.append(line)
    return pd.DataFrame(out)


def rates_table(rows: list[dict], lang: str = "en"):
    """One row per goal, in the order given: the latest figure, the required and observed yearly
    rates (% a year), the schemes' measures (Eurostat's ratio, ESCAP's gap, UNSD's Q), P(goal
    met), the median crossing year and the basis of the verdict (none for a goal without data)."""
    import pandas as pd

    out = []
    for r in rows:
        rate = {k: None if _missing(r.get(k)) else 100 * float(r[k]) for k in RATES}
        latest = latest_text(r, lang)
        out.append(
            {
                "target_id": r["target_id"],
                "latest": latest or None,
                "required_%/yr": rate["required_rate"],
                "observed_%/yr": rate["observed_rate"],
                "rate_ratio": r.get("rate_ratio"),
                "escap_gap": r.get("escap_gap"),
                "unsd_q": r.get("unsd_q"),
                "p_attain": r.get("p_attain"),
                "crossing_year_median": r.get("crossing_year_median"),
                "basis": r.get("basis") if latest else None,
            }
        )
    return pd.DataFrame(out).astype({"crossing_year_median": "Float64"})


def show_assessment(rows: list[dict], lang: str = "en", name: str = "assessment") -> None:
    """In a notebook: keep the assessment table as record `name` (for the landing page and the
    tests, not shown) and show it as the verdict table and the rates table."""
    from dgm.notebook_records import record

    record(name, assessment_table(rows, lang), show=False)
    record(f"{name}_verdicts", verdict_table(rows, lang))
    record(f"{name}_rates", rates_table(rows, lang))


def schemes_table(rows: list[dict], lang: str = "en"):
    """One row per goal: the Eurostat, ESCAP and UNSD categories and the ex-post verdict."""
    import pandas as pd

    cols = ("eurostat_category", "escap_category", "unsd_category", "ex_post")
    return pd.DataFrame([{"target_id": r["target_id"]} | {c: r.get(c) for c in cols} for r in rows])


def assessment_table(rows: list[dict], lang: str = "en"):
    """Assessment rows as a table sorted by goal: rates in %/yr, the Eurostat, ESCAP, UNSD and
    ex-post verdicts side by side (as dgm.assess gives them), and the one-line reading."""
    import pandas as pd

    table = pd.DataFrame(rows)
    if "robustness" in table:
        table["fragile"] = [bool((r or {}).get("fragile")) for r in table["robustness"]]
    cols = [c for c in ASSESSMENT_COLUMNS if c in table.columns]
    table = table[cols].sort_values("target_id").reset_index(drop=True)
    for c in ("required_rate", "observed_rate"):
        if c in table:
            table[c] = (100 * table[c].astype(float)).round(2)
    table = table.rename(
        columns={"required_rate": "required_%/yr", "observed_rate": "observed_%/yr"}
    )
    by_id = {r["target_id"]: r for r in rows}
    table["reading"] = [reading(by_id[t], lang) for t in table["target_id"]]
    return table


def view_labels(then, data_to, lang: str = "en") -> tuple[str, str, str]:
    """Names of the three views of notebook 08: published by `then`, data to `data_to` in pseudo
    real time, and now."""
    return (
        pick(f"{then}前公布", f"published by {then}", lang, " · "),
        pick(f"截至{data_to}年的数据，准实时", f"data to {data_to}, pseudo-real-time", lang, " · "),
        pick("现在", "now", lang, " · "),
    )


def views_side_by_side(views: dict):
    """{view label: assess records} -> one row per goal: status (with † when fragile),
    figures used and last year in each view; `not_yet_published` counts the figures a
    pseudo-real-time view ("data to") uses that the first view (published by a date) lacks."""
    import pandas as pd

    labels = list(views)
    by = {v: {r["target_id"]: r for r in rows} for v, rows in views.items()}
    out = []
    for tid in sorted(by[labels[0]]):
        row = {"target_id": tid}
        for v in labels:
            r = by[v][tid]
            fragile = " †" if (r.get("robustness") or {}).get("fragile") else ""
            row[f"status ({v})"] = r["status"] + fragile
            row[f"figures ({v})"] = r["n_points"]
            row[f"last year ({v})"] = r["last_year"]
        out.append(row)
    table = pd.DataFrame(out)
    if len(labels) > 1:
        table["not_yet_published"] = (
            table[f"figures ({labels[1]})"] - table[f"figures ({labels[0]})"]
        )
    return table


def backtest_table(bt):
    """Backtests (dgm.backtest.backtest_all: one row per indicator and method) → one row per
    method, best first: indicators scored, median MASE and sMAPE over them, and the shares of
    all outcomes inside the 80 % and 95 % intervals (pooled over the forecasts)."""
    import pandas as pd

    rows = []
    for method, g in bt.groupby("method"):
        n = g["n_forecasts"].astype(float)
        rows.append(
            {
                "method": method,
                "indicators": len(g),
                "mase": g["mase"].median(),
                "smape": g["smape"].median(),
                "coverage80": (g["coverage80"] * n).sum() / n.sum() if n.sum() else None,
                "coverage95": (g["coverage95"] * n).sum() / n.sum() if n.sum() else None,
                "n_forecasts": int(n.sum()),
            }
        )
    return pd.DataFrame(rows).sort_values("mase").reset_index(drop=True)
