"""Timings measured in one run (`dgm bench [--json] [--quick]`): import cost, simulation, backtests, notebooks.

Targets: import_ratio ≤ 1.15 (import dgm / import pandas, each in fresh interpreters, median of
REPEATS); simulate_all_targets_10k_s ≤ 1 s; backtest_s ≤ 30 s; notebook_overhead_ratio ≤ 1.3
(`dgm report` wall time over kernels that only import what its notebooks import);
report_rerun_ratio ≤ 0.10 (the same report again with nothing changed, over the first);
explorer_update_ms ≤ 100. Benchmarks report; they never fail a test.
"""

import statistics
import subprocess
import sys
import time

from dgm.constants import N_PATHS

REPEATS = 7
GOALS = {
    "import_ratio": 1.15,
    "simulate_all_targets_10k_s": 1.0,
    "backtest_s": 30.0,
    "notebook_overhead_ratio": 1.3,
    "report_rerun_ratio": 0.10,
    "explorer_update_ms": 100.0,
}
_TIMED_IMPORT = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def import_seconds(module: str, repeats: int = REPEATS) -> float:
    """Median wall seconds of `import module` in a fresh interpreter (start-up excluded)."""
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", _TIMED_IMPORT.format(module)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(runs)


def import_ratio() -> dict:
    """import dgm / import pandas, interleaved in one run."""
    dgm_s, pandas_s = import_seconds("dgm"), import_seconds("pandas")
    return {"import_dgm_s": dgm_s, "import_pandas_s": pandas_s, "import_ratio": dgm_s / pandas_s}


def _seconds(func, *args, **kwargs) -> float:
    """Wall seconds of one call."""
    start = time.perf_counter()
    func(*args, **kwargs)
    return time.perf_counter() - start


def engine_timings() -> dict:
    """All goals assessed with 10,000 paths (probabilities included), and all backtests."""
    from dgm.engine.assess import assess_all
    from dgm.engine.backtest import backtest_all

    assess_all(n_paths=1000)  # warm: file reads and lazy imports are not the simulation
    return {
        "simulate_all_targets_10k_s": _seconds(assess_all, n_paths=N_PATHS),
        "backtest_s": _seconds(backtest_all),
    }


def notebook_timings() -> dict:
    """The report against its floor of import-only kernels, the report again with nothing changed,
    and one explorer redraw (dgm.run.bench_notebooks)."""
    from dgm.run import bench_notebooks

    report = bench_notebooks.notebook_overhead_ratio(detail=True)
    return {
        "notebook_overhead_ratio": report["notebook_overhead_ratio"],
        "report_rerun_ratio": report["report_rerun_ratio"],
        "explorer_update_ms": bench_notebooks.explorer_update_ms(),
    }


def run(quick: bool = False) -> dict:
    """Every timing, measured now; `quick` skips the notebooks (they take minutes)."""
    results = {**import_ratio(), **engine_timings()}
    if not quick:
        results.update(notebook_timings())
    results["goals"] = {k: v for k, v in GOALS.items() if k in results}
    return results
