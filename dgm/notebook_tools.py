"""Helpers every notebook of the collection uses: record a result, save a figure when asked.

`record(name, value)` displays a value and attaches it as JSON under a dgm MIME type, so tests and
`dgm report` read key results back from an executed notebook (`read_records`) instead of parsing
HTML. Rendering stays the usual one (HTML table / text); the JSON part is invisible in JupyterLab
and in nbconvert's HTML.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

RECORD_MIME = "application/vnd.dgm.record+json"


def _jsonable(value):
    """A JSON-ready copy: DataFrames as lists of row dicts, NaN as None, numpy as Python."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return json.loads(value.to_json(orient="records", force_ascii=False))
    if isinstance(value, pd.Series):
        return json.loads(value.to_json(force_ascii=False))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def record(name: str, value, show: bool = True) -> None:
    """Display `value` (unless show=False) and attach it, as JSON, to the cell's output."""
    import pandas as pd
    from IPython.display import display

    bundle = {RECORD_MIME: {"name": name, "value": _jsonable(value)}}
    if isinstance(value, pd.DataFrame | pd.Series):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        bundle["text/plain"] = frame.to_string() if show else f"[{name}]"
        if show:
            bundle["text/html"] = frame.to_html(na_rep="—")
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


STATUS_TEXT = {
    "met": ("已达成", "met"),
    "not_met": ("未达成", "not met"),
    "on_track": ("按计划推进", "on track"),
    "acceleration_needed": ("需要加速", "acceleration needed"),
    "limited_progress": ("进展有限", "limited progress"),
    "deterioration": ("倒退", "deterioration"),
    "insufficient_data": ("数据不足", "insufficient data"),
}


def in_lang(zh: str, en: str, lang: str) -> str:
    """Pick a text for lang = "zh", "en" or "both" ("中文 · English")."""
    return {"zh": zh, "en": en}.get(lang, f"{zh} · {en}")


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
    head = in_lang(*STATUS_TEXT.get(status, (status, status)), lang)
    latest = ""
    if row.get("latest_year") is not None and row.get("latest_value") is not None:
        latest = f"{row['latest_value']:g} ({row['latest_year']})"
    obs, req = _pct(row.get("observed_rate")), _pct(row.get("required_rate"))
    p = row.get("p_attain")
    p_txt = "" if p is None or (isinstance(p, float) and math.isnan(p)) else f"{p:.0%}"
    cross = row.get("crossing_year_median")
    if status in ("met", "not_met"):
        zh = f"最新 {latest}" if latest else "见数据"
        en = f"latest {latest}" if latest else "see the data"
    elif status == "insufficient_data":
        zh, en = "数据点太少，无法判断", "too few published figures to judge"
    else:
        zh = f"实际 {obs}，需要 {req}" + (f"；达成概率 {p_txt}" if p_txt else "")
        en = f"observed {obs} against {req} required" + (f"; P(met) {p_txt}" if p_txt else "")
        if cross:
            zh += f"；中位达成年份 {cross}"
            en += f"; median crossing year {cross}"
    return f"{head}: {in_lang(zh, en, lang)}"
