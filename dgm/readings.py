"""Assessment records (dgm.assess) → one-line readings and the tables the notebooks show."""

from __future__ import annotations

import math

from dgm.assess import FIELDS
from dgm.constants import BOUND_KINDS, EVIDENCE_LABELS, STATUS_LABELS, STATUSES
from dgm.lang import pick

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


def reading(row: dict, lang: str = "en") -> str:
    """One line that says what an assessment row (dgm.assess) means, in the chosen language:
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
    if row.get("latest_year") is None or row.get("latest_value") is None:
        return ""
    mark = dict(zip(BOUND_KINDS, ("≥ ", "≤ "), strict=True)).get(row.get("latest_kind"), "")
    text = f"{mark}{row['latest_value']:g} ({row['latest_year']})"
    return f"最新 {text}" if lang == "zh" else f"latest {text}"


def _forecast_parts(row: dict, lang: str) -> list[str]:
    """P(goal met) and the median crossing year, when a forecast gives them."""
    p, cross = row.get("p_attain"), row.get("crossing_year_median")
    out = []
    if p is not None and not (isinstance(p, float) and math.isnan(p)):
        out.append(f"达成概率 {p:.0%}" if lang == "zh" else f"P(met) {p:.0%}")
    if cross and row.get("models"):
        out.append(f"中位达成年份 {cross}" if lang == "zh" else f"median crossing year {cross}")
    return out


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


def assessment_table(rows: list[dict], lang: str = "en"):
    """Assessment rows as a table sorted by goal: rates in %/yr, the Eurostat, ESCAP, UNSD and
    ex-post verdicts side by side (as dgm.assess gives them), and the one-line reading."""
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
