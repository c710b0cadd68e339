"""Helpers every notebook of the collection uses: record a result, save a figure when asked.

`record(name, value)` displays a value and attaches it as JSON under a dgm MIME type, so tests and
`dgm report` read key results back from an executed notebook (`read_records`) instead of parsing
HTML. Rendering stays the usual one (HTML table / text); the JSON part is invisible in JupyterLab
and in nbconvert's HTML.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

from dgm.assess import FIELDS
from dgm.constants import BOUND_KINDS, N_PATHS, SEED, STATUS_LABELS
from dgm.data import load_sources, load_targets, series
from dgm.jsonsafe import plain
from dgm.lang import DEFAULT_LANG, LANGS, pick

RECORD_MIME = "application/vnd.dgm.record+json"


def _kernel_lang() -> str:
    """The notebook's `lang` parameter (papermill injects it), "both" outside a notebook."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        shell = None
    lang = shell.user_ns.get("lang") if shell is not None else None
    return lang if lang in LANGS else DEFAULT_LANG


def record(name: str, value, show: bool = True, lang: str | None = None) -> None:
    """Display `value` (unless show=False) and attach it, as JSON, to the cell's output.

    Tables are shown through `dgm.tables` (headers in words, numbers by unit) in `lang`, by
    default the notebook's `lang` parameter; the JSON keeps the raw values.
    """
    import pandas as pd
    from IPython.display import display

    from dgm import tables

    bundle = {RECORD_MIME: {"name": name, "value": plain(value)}}
    if isinstance(value, pd.DataFrame | pd.Series):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        lang = lang or _kernel_lang()
        bundle["text/plain"] = tables.to_text(frame, lang) if show else f"[{name}]"
        if show:
            bundle["text/html"] = tables.to_html(frame, lang)
    else:
        bundle["text/plain"] = repr(value) if show else f"[{name}]"
    display(bundle, raw=True)


def read_records(nb) -> dict:
    """{name: value} of every `record` in an executed notebook (nbformat node or path)."""
    import nbformat

    if not hasattr(nb, "cells"):
        nb = nbformat.read(Path(nb), as_version=4)
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            rec = output.get("data", {}).get(RECORD_MIME)
            if rec is not None:
                out[rec["name"]] = rec["value"]
    return out


def save_figure(fig, name: str, figures_dir: str | None) -> list[Path]:
    """Save fig with dgm.export.save into figures_dir (PNG, SVG, PDF); nothing when it is None/"".

    Notebooks get figures_dir from their parameters: `dgm report` injects it, an interactive
    session leaves it None and only looks at the charts.
    """
    if not figures_dir:
        return []
    from dgm import export

    saved = export.save(fig, name, figures_dir)
    return list(saved) if saved else []


def label(frame, lang: str, prefix: str = "label"):
    """The `label_zh`/`label_en` columns of a registry or catalogue frame, in language `lang`."""
    zh, en = frame[f"{prefix}_zh"].astype(str), frame[f"{prefix}_en"].astype(str)
    return {"zh": zh, "en": en}.get(lang, zh + " · " + en)


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


# ---- goal notebooks (01–05, 08): one goal's row, its figures, its verdict, its forecast -----

PUBLISHED_COLUMNS = ["indicator", "year", "value", "unit", "kind", "reliability", "source_id"]
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


def goal_row(target_id: str) -> dict:
    """The registry row of a goal as a dict (KeyError naming the id when unknown)."""
    targets = load_targets()
    row = targets[targets["id"] == target_id]
    if row.empty:
        raise KeyError(f"unknown goal {target_id!r}; see dgm targets")
    return row.iloc[0].to_dict()


def published(indicators, as_of: int | None = None):
    """The chosen figure per year of each indicator, long and sorted (kind and source kept)."""
    import pandas as pd

    frames = []
    for ind in indicators:
        s = series(ind, as_of=as_of)
        frames.append(s.reset_index().assign(indicator=ind, unit=s.attrs.get("unit", "")))
    if not frames:
        return pd.DataFrame(columns=PUBLISHED_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out[PUBLISHED_COLUMNS].sort_values(["indicator", "year"]).reset_index(drop=True)


@functools.lru_cache(maxsize=32)
def assessment(target_id: str, as_of=None, n_paths: int = N_PATHS, seed: int = SEED):
    """The one dgm.assess.Assessment of a goal in a notebook: its table, reading and fan chart all
    read this object (one simulation; the same numbers as dgm.assess.assess_all)."""
    from dgm import assess

    return assess.assessment(target_id, as_of, n_paths, seed)


def assess_one(target_id: str, as_of=None, n_paths: int = N_PATHS, seed: int = SEED) -> dict:
    """The record of a goal's assessment (a copy: the cached object stays as computed)."""
    return dict(assessment(target_id, as_of, n_paths, seed).record)


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


def forecast_or_reason(goal: dict, as_of=None, n_paths: int = N_PATHS, seed: int = SEED):
    """The forecast of a goal's assessment, or None after printing why there is none."""
    a = assessment(goal["id"], as_of, n_paths, seed)
    if a.forecast is None:
        n = len(a.judged.hist)
        print(f"no forecast for {goal['id']}: {n} point(s) on its judged series, at least 4 needed")
    return a.forecast


def goal_chart(goal: dict, fc=None, as_of=None, lang: str = "both"):
    """dgm.charts.path_to_goal for a goal: its judged history (dgm.goals), the forecast's fan."""
    from dgm import charts, goals

    obs = goals.judged(goal, as_of).frame()
    fan = None if fc is None else fc.quantiles
    return charts.path_to_goal(obs, goal, fan, sources=load_sources(), lang=lang)


SHOW_DPI = 110  # on-screen resolution of charts shown in notebooks and the HTML report


def show(fig, name: str, figures_dir: str | None = None) -> None:
    """Display a dgm chart in the notebook (PNG) and save it (PNG, SVG, PDF) when figures_dir is set.

    dgm.charts returns plain matplotlib Figures (no pyplot state), which IPython would show as text;
    this renders them once for the page.
    """
    import io

    from IPython.display import Image, display

    save_figure(fig, name, figures_dir)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=SHOW_DPI, metadata={"Software": None})
    display(Image(data=buf.getvalue(), format="png"))
