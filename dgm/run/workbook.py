"""The assessments, registry, observations, sources and backtests → the report's Excel workbook."""

from __future__ import annotations

import time
from pathlib import Path

from dgm.constants import N_PATHS, SEED
from dgm.data import results_store
from dgm.present.pages import WORKBOOK_FILE
from dgm.run.job_result import JobResult, error_text
from dgm.run.selection import WORKBOOK


def build_workbook(path: Path, n_paths: int = N_PATHS, seed: int = SEED) -> None:
    """The Excel workbook: scorecard, goals, observations, sources, forecasts, backtests."""
    import pandas as pd

    from dgm.data.loaders import load_observations, load_sources, load_targets
    from dgm.engine.assess import assessments
    from dgm.engine.backtest import backtest_all
    from dgm.present import export

    found = assessments(n_paths=n_paths, seed=seed)  # one simulation feeds both sheets
    scorecard = pd.DataFrame([a.record for a in found])
    targets = load_targets()
    frames = []
    for a in sorted(found, key=lambda a: a.record["target_id"]):
        if a.fan is None:  # too few points: the scorecard says so
            continue
        q = a.fan.copy()
        q.insert(0, "target_id", a.record["target_id"])
        q.insert(1, "indicator", a.record["indicator"])
        frames.append(q.reset_index())
    forecasts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    export.write_workbook(
        path,
        scorecard=scorecard,
        targets=targets,
        observations=load_observations(),
        sources=load_sources(),
        forecasts=forecasts,
        backtests=backtest_all(),
    )


def run_workbook(work: Path, n_paths: int, seed: int, store: Path | None = None) -> JobResult:
    """Job wrapper around build_workbook (reading `store`, dgm.data.results_store): errors become a
    JobResult."""
    start = time.perf_counter()
    try:
        with results_store.reading(store):
            build_workbook(work / WORKBOOK_FILE, n_paths=n_paths, seed=seed)
        error = ""
    except Exception as err:
        error = error_text(err)
    outputs = () if error else (WORKBOOK_FILE,)
    return JobResult(WORKBOOK, not error, time.perf_counter() - start, error, outputs)
