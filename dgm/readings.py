"""Assessment records (dgm.assess) → one-line readings and the tables the notebooks show."""

from __future__ import annotations

import math

from dgm.assess import FIELDS
from dgm.constants import BOUND_KINDS, STATUS_LABELS, STATUSES
from dgm.lang import pick

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


def reading(row: dict, lang: str = "en") -> str:
    """One line that says what an assessment row (dgm.assess) means, in the chosen language."""
    status = row.get("status") or "insufficient_data"
    head = pick(*STATUS_LABELS.get(status, (status, status)), lang, " · ")
    latest = ""
    if row.get("latest_year") is not None and row.get("latest_value") is not None:
        mark = dict(zip(BOUND_KINDS, ("≥ ", "≤ "), strict=True)).get(row.get("latest_kind"), "")
        latest = f"{mark}{row['latest_value']:g} ({row['latest_year']})"
    obs, req = _pct(row.get("observed_rate")), _pct(row.get("required_rate"))
    p = row.get("p_attain")
    p_txt = "" if p is None or (isinstance(p, float) and math.isnan(p)) else f"{p:.0%}"
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
        zh_parts.append(f"以代理指标 {row['proxy']} 判断")
        en_parts.append(f"judged on a proxy, {row['proxy']}")
    zh, en = "；".join(zh_parts), "; ".join(en_parts)
    return f"{head}: {pick(zh, en, lang, ' · ')}"


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
