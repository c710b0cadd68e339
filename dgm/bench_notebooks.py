"""Notebook benchmarks, measured in one run: collection vs bare kernels, and the explorer's redraw.

- `notebook_overhead_ratio()`: wall time of executing the whole collection headless (nbclient,
  fresh `python3` kernel per notebook, default parameters) over the wall time of executing the same
  number of notebooks that only start a kernel and import the stack (STACK_IMPORTS). The kinds are
  interleaved (real, bare, …) so machine load hits both alike. Goal: ≤ 1.25. The detailed result
  adds the stricter ratio against kernels importing only the common imports (STACK_LIGHT).
- `explorer_update_ms()`: one slider change of notebook 06 (dgm.explorer.Explorer.on_change:
  recompute, redraw in place, render the PNG the widget shows), median over many changes.
  Goal: ≤ 100 ms.

Run: `dgm bench` (both measurements with the others) or
`.venv/bin/python -m dgm.bench_notebooks [--json] [--explorer-only]` (these two, in detail;
benchmarks/bench_notebooks.py is the same as a script).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time

OVERHEAD_GOAL = 1.25
EXPLORER_GOAL_MS = 100.0
# "The stack": the scientific stack the collection runs on (pyproject's notebook dependencies and
# dgm). STACK_LIGHT is the stricter baseline: only what every notebook's cell 3 has in common,
# so statsmodels and scipy (imported when the engine first fits a model) count as notebook work.
STACK_IMPORTS = (
    "import numpy, pandas, scipy, statsmodels.api, matplotlib, matplotlib.figure\n"
    "import dgm, dgm.charts, dgm.notebook_records, dgm.notebook_figures, dgm.readings, dgm.goal_view,"
    " dgm.data, dgm.assess, dgm.scenario"
)
STACK_LIGHT = (
    "import numpy, pandas, matplotlib, matplotlib.figure\n"
    "import dgm, dgm.charts, dgm.notebook_records, dgm.notebook_figures, dgm.readings, dgm.data"
)


def _bare_notebook(imports: str = STACK_IMPORTS):
    """A notebook that only imports the stack (what 'starting the collection' costs at least)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(imports)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return nb


def _run(nb, workdir: str) -> float:
    """Execute a notebook in a fresh python3 kernel; wall seconds (raises on a failing cell)."""
    from nbclient import NotebookClient

    start = time.perf_counter()
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": workdir}}
    ).execute()
    return time.perf_counter() - start


def notebook_overhead_ratio(names: list[str] | None = None, detail: bool = False):
    """Collection time / bare-kernel time for the same number of notebooks (goal ≤ 1.25).

    Bare kernels import STACK_IMPORTS. With detail=True returns a dict with the totals, the
    per-notebook seconds, and the stricter ratio against kernels importing STACK_LIGHT, all
    measured in the same interleaved run (real, bare, light, real, bare, light, …).
    """
    import nbformat

    from dgm import paths, report

    nbs = [p for p in report.notebooks() if names is None or p.stem in names]
    real, bare, light = {}, [], []
    with tempfile.TemporaryDirectory() as workdir:
        _run(_bare_notebook(), workdir)  # warm the OS caches once, for every kind alike
        for path in nbs:
            real[path.stem] = _run(nbformat.read(path, as_version=4), workdir)
            bare.append(_run(_bare_notebook(), workdir))
            if detail:
                light.append(_run(_bare_notebook(STACK_LIGHT), workdir))
    ratio = sum(real.values()) / sum(bare)
    if not detail:
        return ratio
    return {
        "notebook_overhead_ratio": round(ratio, 3),
        "notebook_overhead_ratio_light": round(sum(real.values()) / sum(light), 3),
        "collection_s": round(sum(real.values()), 2),
        "bare_kernels_s": round(sum(bare), 2),
        "light_kernels_s": round(sum(light), 2),
        "n_notebooks": len(nbs),
        "per_notebook_s": {k: round(v, 2) for k, v in real.items()},
        "goal": OVERHEAD_GOAL,
        "notebooks_dir": str(paths.NOTEBOOKS),
    }


def explorer_update_ms(target_ids: list[str] | None = None, detail: bool = False):
    """Median milliseconds of one slider change in the explorer (recompute + redraw + PNG).

    The changes mimic use: for each goal, a drag of the growth slider from −2 to +12 %/yr in the
    slider's 0.2-point steps (continuous update), then a switch to the next goal. detail=True
    returns median, 95th percentile, maximum and the count of full redraws as a dict.
    """
    from dgm import explorer, scenario

    ids = target_ids or scenario.explorable()
    ex = explorer.Explorer(ids, growth_pct={t: 5.0 for t in ids}, lang="both")
    ex.on_change(target_id=ids[0])  # first draw builds caches and fonts; not a slider change
    times = []
    for t in ids:
        for step in range(71):
            start = time.perf_counter()
            ex.on_change(target_id=t, growth_pct=-2 + 0.2 * step)
            times.append(1000 * (time.perf_counter() - start))
    median = statistics.median(times)
    if not detail:
        return median
    times.sort()
    return {
        "explorer_update_ms": round(median, 1),
        "explorer_update_p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "explorer_update_max_ms": round(times[-1], 1),
        "explorer_changes": len(times),
        "explorer_full_redraws": ex.figure.full_redraws,
        "goal_ms": EXPLORER_GOAL_MS,
    }


def main(argv: list[str]) -> int:
    """Print both measurements (JSON with --json)."""
    result = explorer_update_ms(detail=True)
    if "--explorer-only" not in argv:
        result |= notebook_overhead_ratio(detail=True)
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        for key, value in result.items():
            print(f"{key:<24} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
