"""Assessment records (dgm.engine.assess) → one-line readings and the tables the notebooks show.

A reader sees figures rounded to the precision they were published with (the figure's rounding
interval, dgm.data.loaders.series `low`/`high`; else three significant digits) and with their unit
(`4.00 %`, `≥ 26,000 亿元`), goals by name, and the assessment in two tables that fit a page:
verdicts (goal, status, evidence, reading) and rates (latest figure, required and observed
rates, the schemes' measures, P(goal met)).
"""

from __future__ import annotations

import math

from dgm.constants import BOUND_KINDS, STATUSES
from dgm.data.numbers import COUNT_UNITS
from dgm.engine.assess import FIELDS
from dgm.labels import t
from dgm.lang import pick
from dgm.words import EVIDENCE_LABELS, STATUS_LABELS

SIGNIFICANT = 3  # digits of a figure without a rounding interval (a chained index, a cut)
FRAGILE_MARK = " †"  # after a status that changes with the baseline or ESCAP's half-life
RATES = ("required_rate", "observed_rate")  # yearly rates (fractions) shown in % a year

# The assessment's contract fields (less indicator and notes, the evidence tier after the status)
# and the schemes' categories.
_CONTRACT = [f for f in FIELDS if f not in ("indicator", "notes")]
ASSESSMENT_COLUMNS = [
    *_CONTRACT[:2],
    "evidence",
    *_CONTRACT[2:],
    "eurostat_category",
    "escap_category",
    "unsd_category",
    "ex_post",
    "basis",
    "basis_year",
    "min_reliability",
    "fragile",
    "drop_latest",
]


def _missing(v) -> bool:
    """None or NaN."""
    return v is None or (isinstance(v, float) and math.isnan(v))


def decimals(value: float, unit: str | None, indicator: str | None = None, year=None) -> int:
    """Decimals to show a figure with: those of its rounding interval (the published precision,
    propagated for derived figures) when `indicator` has a figure in `year`, else three
    significant digits; never more than the unit's (dgm.present.tables.DECIMALS)."""
    from dgm.present.tables import DECIMALS

    cap = DECIMALS.get(unit or "", 2)
    if indicator and year is not None:
        from dgm.data.loaders import series

        s = series(indicator)
        if int(year) in s.index and {"low", "high"} <= set(s.columns):
            low, high = (float(x) for x in s.loc[int(year), ["low", "high"]])
            if math.isclose((low + high) / 2, value, rel_tol=0.01) and high > low:
                return max(0, min(cap, round(-math.log10(high - low))))
    if value == 0:
        return 0
    return max(0, min(cap, SIGNIFICANT - 1 - math.floor(math.log10(abs(value)))))


def figure_text(value, unit: str | None, lang: str = "en", kind: str | None = None, places=None):
    """A figure as a reader sees it: bound sign or `~` (approximate), rounded number, unit
    (`≥ 26,000 亿元`, `4.00 %`, `~1 %`, `66,000 件` / `66,000`); "—" when missing. `places`: decimals (default: three significant)."""
    if _missing(value):
        return "—"
    value = float(value)
    places = decimals(value, unit) if places is None else places
    mark = dict(zip(BOUND_KINDS, ("≥ ", "≤ "), strict=True)).get(kind, "~" * (kind == "approx"))
    number = f"{value:,.{places}f}".replace("-", "−")
    if not unit or unit == "index" or (unit in COUNT_UNITS and lang == "en"):
        return f"{mark}{number}"
    return f"{mark}{number} {unit}"


def latest_decimals(row: dict) -> int:
    """Decimals of an assessment record's latest figure (decimals(): as published; a chained cut
    with no figure of its own, three significant digits)."""
    proxy = row.get("proxy")
    indicator = row.get("indicator") if _missing(proxy) or not proxy else proxy
    return decimals(float(row["latest_value"]), row.get("unit"), indicator, row["latest_year"])


def latest_text(row: dict, lang: str = "en") -> str:
    """The latest figure of an assessment record with its unit and year: `4.00 % (2021)`."""
    value, year = row.get("latest_value"), row.get("latest_year")
    if _missing(value) or _missing(year):
        return ""
    places = latest_decimals(row)
    text = figure_text(value, row.get("unit"), lang, row.get("latest_kind"), places)
    return f"{text} ({int(year)})"


def reading(row: dict, lang: str = "en") -> str:
    """One line that says what an assessment row (dgm.engine.assess) means, in the chosen language:
    the status and its evidence, the record's reading of the figures, P(goal met) and the
    median crossing year where a forecast gives them ("insufficient data (snapshot): one
    figure, 2021: 52.4 %; …")."""
    status = row.get("status") or "insufficient_data"
    tier = row.get("evidence")
    fragile = " †" if (row.get("robustness") or {}).get("fragile") else ""
    lines = {}
    for code, (i, sep, open_, close, colon) in {
        "zh": (0, "；", "（", "）", "："),
        "en": (1, "; ", " (", ")", ": "),
    }.items():
        head = STATUS_LABELS.get(status, (status, status))[i] + fragile
        if tier in EVIDENCE_LABELS:
            head += f"{open_}{EVIDENCE_LABELS[tier][i]}{close}"
        parts = [row.get("reading_zh" if code == "zh" else "reading") or _fallback(row, code)]
        if status not in ("met", "not_met"):
            parts += _forecast_parts(row, code)
        lines[code] = head + colon + sep.join(p for p in parts if p)
    return pick(lines["zh"], lines["en"], lang, " · ")


def _fallback(row: dict, lang: str) -> str:
    """The latest figure, for a record without a reading (made before readings existed)."""
    latest = latest_text(row, lang)
    return (f"最新 {latest}" if lang == "zh" else f"latest {latest}") if latest else ""


def _forecast_parts(row: dict, lang: str) -> list[str]:
    """P(goal met) and the median crossing year, when a forecast gives them."""
    p, cross = row.get("p_attain"), row.get("crossing_year_median")
    out = []
    if p is not None and not (isinstance(p, float) and math.isnan(p)):
        out.append(f"达成概率 {p:.0%}" if lang == "zh" else f"P(met) {p:.0%}")
    if cross and row.get("models"):
        out.append(f"中位达成年份 {cross}" if lang == "zh" else f"median crossing year {cross}")
    return out


def reading_body(row: dict, lang: str = "en") -> str:
    """The reading without the status and evidence words (the verdict table shows them beside
    it): the record's reading of the figures, P(goal met) and the median crossing year."""
    lines = {}
    for code, sep in (("zh", "；"), ("en", "; ")):
        parts = [row.get("reading_zh" if code == "zh" else "reading") or _fallback(row, code)]
        if row.get("status") not in ("met", "not_met"):
            parts += _forecast_parts(row, code)
        lines[code] = sep.join(p for p in parts if p)
    return pick(lines["zh"], lines["en"], lang, " · ")


def headline_counts(rows: list[dict]) -> dict:
    """Statuses counted for the headline: goals judged on their own figures (`own`) apart from
    goals judged on a proxy (`proxy`), each {status: count} in STATUSES order; `n` goals."""
    own, proxy = {}, {}
    for s in STATUSES:
        for counts, on_proxy in ((own, False), (proxy, True)):
            n = sum(
                1
                for r in rows
                if r.get("status") == s and (r.get("evidence") == "proxy") == on_proxy
            )
            if n:
                counts[s] = n
    return {"own": own, "proxy": proxy, "n": len(rows)}


def headline(rows: list[dict], lang: str = "en") -> str:
    """The headline counts in words: "21 goals. Judged on their own figures: met 2, …;
    judged on a proxy: on track 1." (zh: "共21项目标。…")."""
    c = headline_counts(rows)

    def listed(counts: dict, lang_: str) -> str:
        sep = "，" if lang_ == "zh" else ", "
        return sep.join(
            f"{pick(*STATUS_LABELS[s], lang_)}{'' if lang_ == 'zh' else ' '}{n}"
            for s, n in counts.items()
        )

    zh = f"共{c['n']}项目标。依据本身数据：{listed(c['own'], 'zh')}。"
    en = f"{c['n']} goals. Judged on their own figures: {listed(c['own'], 'en')}."
    if c["proxy"]:
        zh += f"依据代理指标（另计）：{listed(c['proxy'], 'zh')}。"
        en += f" Judged on a proxy (counted apart): {listed(c['proxy'], 'en')}."
    return pick(zh, en, lang, " · ")


def basis(row: dict) -> str | None:
    """The basis a reader is shown (observed, bound, projected): none for a goal without a figure
    or whose verdict is `insufficient_data` (nothing was based on anything)."""
    if _missing(row.get("latest_value")) or row.get("status") == "insufficient_data":
        return None
    return row.get("basis")


def _fragile(row: dict) -> bool:
    """Whether a verdict changes with the baseline or ESCAP's half-life (dgm.engine.assess robustness)."""
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
                "basis": basis(r),
            }
        )
    return pd.DataFrame(out).astype({"crossing_year_median": "Float64"})


def show_assessment(rows: list[dict], lang: str = "en", name: str = "assessment") -> None:
    """In a notebook: keep the assessment table as record `name` (for the landing page and the
    tests, not shown) and show it as the verdict table and the rates table."""
    from dgm.present.notebook_records import record

    record(name, assessment_table(rows, lang), show=False)
    record(f"{name}_verdicts", verdict_table(rows, lang))
    record(f"{name}_rates", rates_table(rows, lang))


def gaps_table(rows, lang: str = "en"):
    """dgm.engine.gaps.top_rows for readers: goal and indicator (named by dgm.present.tables), the year, the
    status under the low to the high value in words (a repeated one once), P(goal met) under the
    three values and where such a figure is usually published."""
    import pandas as pd

    def low_to_high(r) -> str:
        codes = [r[f"status_{k}"] for k in ("low", "mid", "high")]
        kept = [c for i, c in enumerate(codes) if i == 0 or c != codes[i - 1]]
        return " → ".join(pick(*STATUS_LABELS[c], lang, " · ") for c in kept)

    def chances(r) -> str:
        ps = [r[f"p_{k}"] for k in ("low", "mid", "high")]
        return " / ".join("–" if _missing(p) else f"{100 * float(p):.0f} %" for p in ps)

    recs = rows.to_dict("records")
    return pd.DataFrame(
        {
            "target_id": [r["target_id"] for r in recs],
            "status": [r["status"] for r in recs],
            "indicator": [r["indicator"] for r in recs],
            "year": [r["year"] for r in recs],
            "if_low_to_high": [low_to_high(r) for r in recs],
            "p_low_mid_high": [chances(r) for r in recs],
            "where": [r["where"] for r in recs],
        }
    )


def show_gaps(found: list[dict], top: int = 1, lang: str = "en") -> str:
    """In a notebook: keep dgm.engine.gaps.top_rows as record `gaps` and the headline as `gaps_headline`
    (for the landing page and the tests, not shown), show the readers' table; returns the
    headline in `lang`."""
    from dgm.engine import gaps
    from dgm.present.notebook_records import record

    rows, head = gaps.top_rows(found, top), gaps.headline(found)
    text = pick(head["text_zh"], head["text"], lang, " · ")
    record("gaps", rows, show=False)
    record("gaps_headline", text, show=False)
    record("gaps_table", gaps_table(rows, lang))
    return text


def schemes_table(rows: list[dict], lang: str = "en"):
    """One row per goal: the Eurostat, ESCAP and UNSD categories and the ex-post verdict."""
    import pandas as pd

    cols = ("eurostat_category", "escap_category", "unsd_category", "ex_post")
    return pd.DataFrame([{"target_id": r["target_id"]} | {c: r.get(c) for c in cols} for r in rows])


def assessment_table(rows: list[dict], lang: str = "en"):
    """Assessment rows as a table sorted by goal: rates in %/yr, the Eurostat, ESCAP, UNSD and
    ex-post verdicts side by side (as dgm.engine.assess gives them), and the one-line reading."""
    import pandas as pd

    table = pd.DataFrame(rows)
    if "robustness" in table:
        table["fragile"] = [bool((r or {}).get("fragile")) for r in table["robustness"]]
        table["drop_latest"] = [(r or {}).get("drop_latest") for r in table["robustness"]]
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
        t("view_now", lang, " · "),
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
    """Backtests (dgm.engine.backtest.backtest_all: one row per indicator and method) → one row per
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
