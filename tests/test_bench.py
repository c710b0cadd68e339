"""dgm bench --quick --json: every quick timing is measured and reported with its goal."""

import json
import math
import subprocess
import sys

import pytest

from dgm.run import bench

QUICK_KEYS = {
    "import_dgm_s",
    "import_pandas_s",
    "import_ratio",
    "simulate_all_targets_10k_s",
    "backtest_s",
}


@pytest.mark.slow  # a benchmark: fresh interpreters, 10,000-path simulations, every backtest
def test_quick_json_has_every_timing_as_a_positive_number():
    out = subprocess.run(
        [sys.executable, "-m", "dgm", "bench", "--quick", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    ).stdout
    results = json.loads(out)
    assert set(results) == QUICK_KEYS | {"goals"}  # --quick skips the notebook timings
    for key in QUICK_KEYS:
        value = results[key]
        assert isinstance(value, float) and math.isfinite(value) and value > 0, (key, value)
    assert results["import_ratio"] == pytest.approx(
        results["import_dgm_s"] / results["import_pandas_s"]
    )
    assert results["goals"] == {k: v for k, v in bench.GOALS.items() if k in QUICK_KEYS}


@pytest.mark.slow  # a benchmark: 71 explorer redraws
def test_explorer_benchmark_times_every_slider_step_of_a_goal():
    from dgm.engine import scenario
    from dgm.run import bench_notebooks

    goal = scenario.explorable()[0]
    result = bench_notebooks.explorer_update_ms([goal], detail=True)
    assert result["explorer_changes"] == 71  # -2 to +12 %/yr in 0.2-point steps
    assert 0 < result["explorer_update_ms"] <= result["explorer_update_p95_ms"]
    assert result["explorer_update_p95_ms"] <= result["explorer_update_max_ms"]
