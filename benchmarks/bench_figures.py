"""Chart cost in a report, per step: `python benchmarks/bench_figures.py [--json]`.

Three heavy charts of the real data (the coverage grid, a goal's fan, the scorecard) go through
what `dgm.present.notebook_figures.show(fig, name, figures_dir)` does: build the figure, lay it out once
(`dgm.present.export.laid_out`: layout and tight box), write PNG 300 dpi, SVG and PDF, and scale the page
PNG down from the 300 dpi file. The same figure is also saved the plain way, `savefig(bbox_inches="tight")` per file and an
uncropped page PNG (each savefig lays the figure out again), so `ratio` (plain ÷ laid out) is
measured in one run. CPU seconds, the best of REPEAT runs.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
from pathlib import Path

REPEAT = 3
FAN_GOAL = "advanced_mfg_share_2025"


def _cpu(func):
    """(result, CPU seconds) of func()."""
    start = time.process_time()
    out = func()
    return out, time.process_time() - start


def builders() -> dict:
    """{chart name: function returning a new Figure} from the real data."""
    from dgm.constants import N_PATHS, SEED
    from dgm.data import coverage
    from dgm.data.loaders import load_indicators, load_sources, load_targets
    from dgm.engine.assess import assessments
    from dgm.present import charts
    from dgm.present.goal_view import goal_row

    targets, sources, indicators = load_targets(), load_sources(), load_indicators()
    found = assessments(n_paths=N_PATHS, seed=SEED)
    recs = [a.record for a in found]
    fan = next(a for a in found if a.record["target_id"] == FAN_GOAL)
    matrix = coverage.coverage_matrix()
    return {
        "coverage_chart": lambda: charts.coverage_chart(
            matrix, indicators, sources=sources, lang="both"
        ),
        "path_to_goal_fan": lambda: charts.path_to_goal(
            fan.judged.frame(),
            goal_row(FAN_GOAL),
            fan.forecast.quantiles,
            sources=sources,
            lang="both",
        ),
        "scorecard_chart": lambda: charts.scorecard_chart(
            recs, targets, sources=sources, lang="both"
        ),
    }


def laid_out_steps(build, out: Path) -> dict:
    """CPU seconds of each step of show(fig, name, figures_dir)."""
    from dgm.present import export
    from dgm.present.notebook_figures import scaled_page_png

    fig, t = _cpu(build)
    steps = {"build": t}
    start = time.process_time()
    with export.laid_out(fig) as box:
        steps["layout_and_box"] = time.process_time() - start
        for fmt in export.FORMATS:
            _, steps[fmt] = _cpu(lambda f=fmt: export.save(fig, "b", out, formats=(f,), box=box))
        _, steps["page"] = _cpu(lambda: scaled_page_png(out / "b.png"))
    return steps


def plain_steps(build) -> dict:
    """CPU seconds of the same files saved the plain way (each savefig lays out again)."""
    from dgm.present import export
    from dgm.present.notebook_figures import SHOW_DPI
    from dgm.present.style import house_style

    fig, t = _cpu(build)
    steps = {"build": t}
    with house_style():
        for fmt in export.FORMATS:
            kw = {"dpi": export.PNG_DPI} if fmt == "png" else {}
            _, steps[fmt] = _cpu(
                lambda f=fmt, kw=kw: fig.savefig(
                    io.BytesIO(), format=f, bbox_inches="tight", pad_inches=export.PAD_INCHES, **kw
                )
            )
    _, steps["page"] = _cpu(lambda: fig.savefig(io.BytesIO(), format="png", dpi=SHOW_DPI))
    return steps


def measure() -> dict:
    """{chart: {laid_out: steps, plain: steps, laid_out_s, plain_s, ratio}}."""
    from dgm.present import fonts

    fonts.cjk_font_path()
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in builders().items():
            build()  # first draw of a chart family: font and glyph caches
            runs = [(laid_out_steps(build, Path(tmp)), plain_steps(build)) for _ in range(REPEAT)]
            best = [{k: min(r[i][k] for r in runs) for k in runs[0][i]} for i in (0, 1)]
            total = [sum(b.values()) for b in best]
            result[name] = {
                "laid_out": {k: round(v, 3) for k, v in best[0].items()},
                "plain": {k: round(v, 3) for k, v in best[1].items()},
                "laid_out_s": round(total[0], 3),
                "plain_s": round(total[1], 3),
                "ratio": round(total[1] / total[0], 2),
            }
    return result


def main(argv: list[str]) -> int:
    """Print the measurement (JSON with --json)."""
    import os

    result = measure()
    result["load_average_1min"] = round(os.getloadavg()[0], 2)
    if "--json" in argv:
        print(json.dumps(result, indent=1))
        return 0
    for name, r in result.items():
        if isinstance(r, dict):
            print(f"{name:<18} laid out {r['laid_out_s']:6.2f} s   plain {r['plain_s']:6.2f} s")
            print(f"{'':<18} {r['laid_out']}")
    print(f"load average {result['load_average_1min']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
