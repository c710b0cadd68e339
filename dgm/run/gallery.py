"""docs/gallery: every chart family drawn from the real data, and the verdicts' input table.

`python -m dgm.run.gallery` redraws the gallery (100 dpi, 128 colours) with the calls the notebooks
make: the verdict charts `scorecard_zh.png` and `rate_en.png` from `dgm.engine.assess.assessments()`, a
goal's fan (`path_both.png`), observed bounds (`path_bounds_en.png`), an indicator's 50/80/95 fan
(`path_gdp_5080_en.png`), the coverage grid, the scenario presets, the backtest, the errors by
horizon (`errors_zh.png`) and the measures.
It writes `scorecard_inputs.json` beside them: the rounded fields the verdict charts show.
tests/test_gallery.py recomputes that table and fails when it differs, so a committed gallery can
never contradict the current verdicts unnoticed.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from dgm import paths
from dgm.constants import N_PATHS, SEED

GALLERY = paths.ROOT / "docs" / "gallery"
INPUTS = "scorecard_inputs.json"
# field -> decimals kept (None: as is); rounding keeps float noise out of the comparison
SHOWN = {
    "target_id": None,
    "status": None,
    "evidence": None,
    "basis": None,
    "latest_year": None,
    "latest_value": 6,
    "latest_kind": None,
    "required_rate": 4,
    "observed_rate": 4,
    "p_attain": 2,
}


def inputs(records: list[dict]) -> list[dict]:
    """The fields the scorecard and rate charts draw, rounded, one dict per goal sorted by id."""
    out = []
    for r in sorted(records, key=lambda r: r["target_id"]):
        row = {
            k: (r.get(k) if d is None or r.get(k) is None else round(r[k], d))
            for k, d in SHOWN.items()
        }
        row["fragile"] = bool((r.get("robustness") or {}).get("fragile"))
        out.append(row)
    return out


def _save_png(fig, path: Path) -> None:
    """100 dpi, quantised to 128 colours (small files in git)."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    Image.open(buf).convert("RGB").quantize(colors=128).save(path, optimize=True)


FAN_GOAL = "advanced_mfg_share_2025"  # path_both.png and scenario_zh.png
BOUNDS_GOAL = "industrial_output_2025"  # path_bounds_en.png: observed bounds, derived bounds
FAN_INDICATOR = "gdp"  # path_gdp_5080_en.png: an indicator without a goal, 50/80/95 bands


def figures(recs: list[dict], found: dict) -> dict:
    """{file name: Figure} of the whole gallery; `found` maps goal ids to their Assessment."""
    from dgm.data import coverage
    from dgm.data.loaders import load_indicators, load_measures, load_sources, load_targets, series
    from dgm.engine import scenario, simulate
    from dgm.engine.backtest import backtest_all, backtest_records, outcome_figures
    from dgm.present import charts
    from dgm.present.goal_view import goal_row

    targets, sources, indicators = load_targets(), load_sources(), load_indicators()

    def goal_path(target_id: str, lang: str):
        a = found[target_id]
        fan = None if a.forecast is None else a.forecast.quantiles
        return charts.path_to_goal(
            a.judged.frame(), goal_row(target_id), fan, sources=sources, lang=lang
        )

    gdp = simulate.forecast(FAN_INDICATOR, n_paths=N_PATHS, seed=SEED)
    forecasts = backtest_records()
    growth = {FAN_GOAL: 2.0}
    return {
        "scorecard_zh.png": charts.scorecard_chart(recs, targets, sources=sources, lang="zh"),
        "rate_en.png": charts.rate_chart(recs, targets, lang="en"),
        "path_both.png": goal_path(FAN_GOAL, "both"),
        "path_bounds_en.png": goal_path(BOUNDS_GOAL, "en"),
        "path_gdp_5080_en.png": charts.path_to_goal(
            series(FAN_INDICATOR),
            fan=gdp.quantiles,
            sources=sources,
            indicator=indicators.set_index("id").loc[FAN_INDICATOR].to_dict(),
            bands="50/80/95",
            lang="en",
        ),
        "coverage_en.png": charts.coverage_chart(
            coverage.coverage_matrix(), indicators, sources=sources, lang="en"
        ),
        "scenario_zh.png": charts.scenario_chart(
            scenario.preset_paths(FAN_GOAL, growth),
            scenario.history_for(FAN_GOAL),
            goal_row(FAN_GOAL),
            sources=sources,
            lang="zh",
        ),
        "backtest_en.png": charts.backtest_chart(backtest_all(), indicators=indicators, lang="en"),
        "errors_zh.png": charts.error_chart(
            forecasts, outcomes=outcome_figures(forecasts), sources=sources, lang="zh"
        ),
        "measures_both.png": charts.measures_chart(load_measures(), lang="both"),
    }


def build(out: Path = GALLERY) -> list[Path]:
    """Redraw every gallery chart and write the verdicts' input table; returns the files written."""
    from dgm.engine.assess import assessments

    found = assessments(n_paths=N_PATHS, seed=SEED)
    recs = [a.record for a in found]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in figures(recs, {a.record["target_id"]: a for a in found}).items():
        _save_png(fig, out / name)
        written.append(out / name)
    (out / INPUTS).write_text(
        json.dumps(inputs(recs), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return [*written, out / INPUTS]


if __name__ == "__main__":
    for p in build():
        print(p)
