"""dgm.assess: verdicts per goal on hand-made frames (known answers) and on the shipped data."""

import argparse
import json
import math

import pandas as pd
import pytest

from dgm import assess


def _frame(values: dict, kinds: dict | None = None, direction="higher_is_better"):
    kinds = kinds or {}
    f = pd.DataFrame(
        {"value": list(values.values()), "kind": [kinds.get(y, "exact") for y in values]},
        index=pd.Index(list(values), dtype="int64", name="year"),
    )
    f.attrs.update(indicator="x", unit="", direction=direction)
    return f


def _goal(**kw):
    g = {
        "id": "g",
        "indicator": "x",
        "unit": "亿元",
        "comparison": ">=",
        "target_value": 20000.0,
        "target_year": 2025,
        "baseline_year": 2014,
        "baseline_value": 10000.0,
        "kind": "level",
    }
    g.update(kw)
    return g


def test_record_has_the_contract_fields():
    r = assess.assess_goal(_goal(), _frame({2014: 10000.0, 2018: 13000.0}), n_paths=200)
    assert set(assess.FIELDS) <= set(r)
    assert r["status"] in assess.STATUSES


def test_doubling_goal_rates():
    r = assess.assess_goal(_goal(), _frame({2014: 10000.0, 2019: 14000.0}), n_paths=200)
    assert r["required_rate"] == pytest.approx(2 ** (1 / 11) - 1)
    assert r["observed_rate"] == pytest.approx(1.4 ** (1 / 5) - 1)
    assert r["rate_ratio"] == pytest.approx(r["observed_rate"] / r["required_rate"])
    assert r["status"] == "on_track"  # 7.0 %/yr observed against 6.5 %/yr needed


def test_lower_bound_above_goal_means_met_whatever_the_model_says():
    f = _frame(
        {2014: 10000.0, 2016: 9000.0, 2018: 8000.0, 2020: 7000.0, 2022: 6500.0, 2025: 25000.0},
        {2025: "lower_bound"},
    )
    r = assess.assess_goal(_goal(), f, n_paths=500)
    assert r["status"] == "met" and r["p_attain"] == 1.0
    assert r["latest_kind"] == "lower_bound" and "lower bound" in r["notes"]


def test_bound_that_does_not_decide():
    f = _frame({2014: 10000.0, 2018: 14000.0, 2025: 15000.0}, {2025: "lower_bound"})
    r = assess.assess_goal(_goal(), f, n_paths=200)
    assert r["status"] != "met" and "does not decide" in r["notes"]


@pytest.mark.parametrize("values", [{}, {2022: 24.0}])
def test_too_few_points_is_a_clear_refusal(values):
    r = assess.assess_goal(
        _goal(
            indicator="enterprises_over_10bn",
            baseline_year=None,
            baseline_value=None,
            kind="count",
            target_value=25.0,
        ),
        _frame(values),
        n_paths=200,
    )
    assert r["status"] == "insufficient_data" and r["p_attain"] is None
    n = len(values)
    assert f"enterprises_over_10bn: {n} point{'s' if n != 1 else ''}" in r["notes"]


def test_reduction_goal_on_the_chained_index():
    # ten years of -4 % a year beat the -3.504 % a year a 30 % cut needs
    ch = {y: -4.0 for y in range(2015, 2021)}
    goal = _goal(
        indicator="energy",
        unit="%",
        target_value=30.0,
        baseline_value=None,
        kind="reduction_vs_baseline",
    )
    r = assess.assess_goal(goal, _frame(ch, direction="lower_is_better"), n_paths=500)
    assert r["required_rate"] == pytest.approx(0.7 ** (1 / 11) - 1)
    assert r["observed_rate"] == pytest.approx(-0.04)
    assert r["status"] == "on_track" and r["direction"] == "lower_is_better"
    assert r["latest_value"] == pytest.approx(100 - 100 * 0.96**6)
    assert r["p_attain"] is not None and r["p_attain"] > 0.5


def test_growth_rate_goal_compares_yearly_rates():
    rates = {y: 8.0 for y in range(2015, 2021)}
    goal = _goal(
        indicator="productivity",
        unit="%",
        target_value=10.0,
        baseline_value=None,
        kind="growth_rate",
    )
    r = assess.assess_goal(goal, _frame(rates), n_paths=500)
    assert r["required_rate"] == pytest.approx(0.10)
    assert r["observed_rate"] == pytest.approx(0.08)
    assert r["rate_ratio"] == pytest.approx(0.8) and r["status"] == "acceleration_needed"


def test_target_year_observed_is_ex_post():
    f = _frame({2014: 10000.0, 2020: 15000.0, 2025: 19000.0})
    r = assess.assess_goal(_goal(), f, n_paths=200)
    assert r["status"] == "not_met" and r["p_attain"] == 0.0 and r["ex_post"] == "not_met"
    f2 = _frame({2014: 10000.0, 2020: 15000.0, 2025: 21000.0})
    assert assess.assess_goal(_goal(), f2, n_paths=200)["status"] == "met"


def test_target_already_met_before_the_target_year():
    f = _frame({2014: 10000.0, 2016: 15000.0, 2018: 21000.0, 2020: 22000.0, 2022: 23000.0})
    r = assess.assess_goal(_goal(), f, n_paths=1000)
    assert r["status"] == "on_track" and r["crossing_year_median"] == 2018
    assert "already at the goal" in r["notes"]


def test_lower_is_better_level_goal():
    goal = _goal(comparison="<=", target_value=0.5, baseline_value=0.8, unit="吨标准煤/万元")
    f = _frame(
        {2014: 0.8, 2016: 0.72, 2018: 0.66, 2020: 0.6, 2022: 0.55}, direction="lower_is_better"
    )
    r = assess.assess_goal(goal, f, n_paths=1000)
    assert r["direction"] == "lower_is_better"
    assert r["required_rate"] < 0 and r["observed_rate"] < 0 and r["rate_ratio"] > 0.95
    assert r["status"] == "on_track" and 0 <= r["p_attain"] <= 1


def test_values_that_cannot_be_logged_use_linear_rates():
    goal = _goal(kind="count", target_value=5.0, baseline_value=0.0, unit="个")
    r = assess.assess_goal(goal, _frame({2014: 0.0, 2020: 3.0}), n_paths=200)
    assert r["required_rate"] is None and r["rate_ratio"] == pytest.approx((3 / 6) / (5 / 11))
    assert "cannot be logged" in r["notes"]


def test_same_seed_same_numbers():
    f = _frame({2014: 10000.0, 2016: 11500.0, 2018: 13000.0, 2020: 14100.0, 2022: 16000.0})
    a = assess.assess_goal(_goal(), f, n_paths=1000, seed=5)
    b = assess.assess_goal(_goal(), f, n_paths=1000, seed=5)
    assert a == b


def test_assess_all_on_the_shipped_data_with_10000_paths():
    recs = assess.assess_all()
    assert recs and all(r["status"] in assess.STATUSES for r in recs)
    for r in recs:
        assert r["p_attain"] is None or 0 <= r["p_attain"] <= 1
        if r["status"] == "insufficient_data":
            assert "point" in r["notes"]


def test_main_assess_json_has_no_nan(capsys):
    args = argparse.Namespace(json=True, as_of=None, n_paths=300, seed=2015)
    assert assess.main_assess(args) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out
    recs = json.loads(out)
    assert {r["target_id"] for r in recs} and all(
        r["rate_ratio"] is None or math.isfinite(r["rate_ratio"]) for r in recs
    )


def test_as_of_uses_fewer_figures():
    now = {r["target_id"]: r["n_points"] for r in assess.assess_all(n_paths=200)}
    then = {r["target_id"]: r["n_points"] for r in assess.assess_all(as_of=2015, n_paths=200)}
    assert all(then[k] <= now[k] for k in now)


def test_escap_sensitivity_table_varies_the_half_life():
    table = assess.escap_sensitivity()
    assert list(table.columns) == [2.0, 5.0, 10.0, math.inf]
    recs = {r["target_id"]: r for r in assess.assess_all(n_paths=200)}
    for tid, row in table.iterrows():
        if recs[tid]["escap_gap"] is not None:
            assert row[5.0] == pytest.approx(recs[tid]["escap_gap"])


def test_escap_projection_weights_recent_years():
    z = pd.Series([0.0, 0.0, 0.0, 1.0, 2.0], index=range(2010, 2015))
    flat = assess.escap_projection(z, 2016, math.inf)
    recent = assess.escap_projection(z, 2016, 1.0)
    assert recent > flat  # the recent rise weighs more


def test_deadline_passed_without_a_figure_is_not_on_track():
    goal = _goal(
        kind="share",
        unit="%",
        target_value=50.0,
        target_year=2018,
        baseline_year=None,
        baseline_value=None,
    )
    r = assess.assess_goal(goal, _frame({2021: 52.4}), n_paths=200)
    assert r["status"] == "insufficient_data" and r["ex_post"] == "unknown"
    assert "after its 2018 deadline" in r["notes"]
