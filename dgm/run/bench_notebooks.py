"""Notebook benchmarks, measured in one run: the report against its floor, and the explorer's redraw.

- `notebook_overhead_ratio()`: the wall time of the report itself (dgm.run.report.run_report of the
  whole collection into a temporary directory, `jobs` at a time: the results computed once, every
  notebook in a fresh kernel, the HTML pages, figures, workbook and landing page) over the wall
  time of its floor: the same number of kernels, started the same way (papermill, IPC kernels, a
  pool of `jobs` processes, the same injected parameters), each running only the parameters and
  import cells of its notebook. Floor, report, floor: the ratio divides by the mean of the two
  floors, so load that changes during the run hits both alike. Goal (issue 11): ≤ 1.3. On a
  machine shared with other work the wall times carry its load, so the detail adds the same
  ratio in CPU seconds (this process and every process it waited for: pool workers, kernels).
- `report_rerun_ratio` (in the same run, after the second floor): the wall time of the same report
  again with nothing changed, every job taken from its cache (dgm.run.report_cache), over the
  first report's. Goal (issue 26): ≤ 0.10.
- `explorer_update_ms()`: one slider change of notebook 06 (dgm.present.explorer.Explorer.on_change:
  recompute, redraw the wide and the narrow chart in place, render the PNGs the widgets show),
  median over many changes.
  Goal: ≤ 100 ms.

Run: `dgm bench` (both measurements with the others) or
`.venv/bin/python -m dgm.run.bench_notebooks [--json] [--explorer-only]` (these two, in detail;
benchmarks/bench_notebooks.py is the same as a script).
"""

from __future__ import annotations

import ast
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

OVERHEAD_GOAL = 1.3
RERUN_GOAL = 0.10
EXPLORER_GOAL_MS = 100.0
JOBS = 2  # dgm report's default --jobs


def import_cells(nb) -> list:
    """The code cells of a notebook that only import (the collection's cell 3)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        body = ast.parse(cell.source).body
        if body and all(isinstance(node, ast.Import | ast.ImportFrom) for node in body):
            out.append(cell)
    return out


def floor_notebook(src: Path):
    """`src` reduced to its parameters cell and its import cells: what starting it costs at least."""
    import nbformat

    nb = nbformat.read(src, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    nb.cells = params + import_cells(nb)
    return nb


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of every child process it has waited for
    (pool workers, and the kernels they waited for)."""
    import resource

    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _floor_job(src: Path, workdir: Path, parameters: dict) -> float:
    """Execute one floor notebook as dgm report executes a notebook; wall seconds."""
    from dgm.run import kernels

    start = time.perf_counter()
    kernels.execute(src, workdir / f"{src.stem}.out.ipynb", parameters, workdir)
    return time.perf_counter() - start


def floor_seconds(
    nbs: list[Path], workdir: Path, jobs: int, parameters: dict
) -> tuple[float, float]:
    """(wall, CPU) seconds of the floor kernels of `nbs`, `jobs` at a time in a fresh pool."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    import nbformat

    floors = []
    for src in nbs:
        floors.append(workdir / src.name)
        nbformat.write(floor_notebook(src), floors[-1])
    start, cpu = time.perf_counter(), cpu_seconds()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        for fut in [pool.submit(_floor_job, f, workdir, parameters) for f in floors]:
            fut.result()
    return time.perf_counter() - start, cpu_seconds() - cpu


def cell_seconds(executed: Path) -> dict:
    """Where the report's kernels spent their cell time: {"charts": seconds of the code cells that
    show a chart (draw it and write its files), "other": the rest}, summed over the executed
    notebooks in `executed` (papermill's per-cell durations)."""
    import nbformat

    out = {"charts": 0.0, "other": 0.0}
    for path in sorted(executed.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            seconds = cell.metadata.get("papermill", {}).get("duration")
            if cell.cell_type == "code" and seconds is not None:
                out["charts" if "show(" in cell.source else "other"] += seconds
    return {k: round(v, 2) for k, v in out.items()}


def notebook_overhead_ratio(jobs: int = JOBS, detail: bool = False):
    """Report wall time / floor wall time (goal ≤ 1.3), measured floor, report, floor, then the
    report again with nothing changed (`report_rerun_ratio`, its wall time over the first's).

    detail=True returns a dict: the ratios, the report's and both floors' wall seconds, the same in
    CPU seconds (`notebook_overhead_cpu_ratio`, `report_cpu_s`, `floor_cpu_s`), each job's wall
    seconds inside the report, the kernels' cell seconds in chart cells and the rest (`cell_s`),
    the report's progress lines, and the 1-minute load average before and after (the machine's
    other work shows there).
    """
    from dgm import paths
    from dgm.run import job_pool, kernels, report, selection

    nbs = selection.notebooks()
    parameters = {"lang": "both", "figures_dir": report.FIGURES}  # what run_report injects
    lines: list[str] = []
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="dgm-bench-") as tmp:
        tmp = Path(tmp)
        (tmp / "floor").mkdir()
        job_pool.warm_caches()  # the font cache: a one-time cost, never part of either side
        first, first_cpu = floor_seconds(nbs, tmp / "floor", jobs, parameters)
        start, cpu = time.perf_counter(), cpu_seconds()
        results = report.run_report(out=tmp / "report", jobs=jobs, echo=lines.append)
        report_s, report_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        cells = cell_seconds(tmp / "report" / kernels.EXECUTED)
        second, second_cpu = floor_seconds(nbs, tmp / "floor", jobs, parameters)
        start = time.perf_counter()
        again = report.run_report(out=tmp / "report", jobs=jobs, echo=lines.append)
        rerun_s = time.perf_counter() - start
    load.append(os.getloadavg()[0])
    failed = [r.name for r in results + again if not r.ok]
    if failed:
        raise RuntimeError(f"the report failed ({', '.join(failed)}): nothing to measure")
    reran = [r.name for r in again if not r.cached]
    if reran:
        raise RuntimeError(f"nothing changed, yet the second report ran {', '.join(reran)}")
    floor, floor_cpu = (first + second) / 2, (first_cpu + second_cpu) / 2
    ratio = report_s / floor
    if not detail:
        return ratio
    return {
        "notebook_overhead_ratio": round(ratio, 3),
        "report_rerun_ratio": round(rerun_s / report_s, 3),
        "report_s": round(report_s, 2),
        "report_rerun_s": round(rerun_s, 2),
        "floor_s": round(floor, 2),
        "floor_runs_s": [round(first, 2), round(second, 2)],
        "notebook_overhead_cpu_ratio": round(report_cpu / floor_cpu, 3),
        "report_cpu_s": round(report_cpu, 2),
        "floor_cpu_s": round(floor_cpu, 2),
        "jobs": jobs,
        "n_notebooks": len(nbs),
        "per_job_s": {r.name: round(r.seconds, 2) for r in results},
        "cell_s": cells,  # the kernels' cell time: chart cells and the rest (cell_seconds)
        "report_log": lines,
        "load_average_1min": [round(x, 2) for x in load],
        "goal": OVERHEAD_GOAL,
        "rerun_goal": RERUN_GOAL,
        "notebooks_dir": str(paths.NOTEBOOKS),
    }


def explorer_update_ms(target_ids: list[str] | None = None, detail: bool = False):
    """Median milliseconds of one slider change in the explorer (recompute + redraw + PNG, for
    both chart sizes).

    The changes mimic use: for each goal, a drag of the growth slider from −2 to +12 %/yr in the
    slider's 0.2-point steps (continuous update), then a switch to the next goal. detail=True
    returns median, 95th percentile, maximum and the count of full redraws as a dict.
    """
    from dgm.engine import scenario
    from dgm.present import explorer

    ids = target_ids or scenario.explorable()
    ex = explorer.Explorer(ids, lang="both")
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
