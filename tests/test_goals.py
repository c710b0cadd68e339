"""dgm.goals: the Goal type, lookup by id, and the one restating function (known answers)."""

import dataclasses

import pandas as pd
import pytest

from dgm import goals


def _frame(values: dict, kinds: dict | None = None, direction="higher_is_better"):
    kinds = kinds or {}
    f = pd.DataFrame(
        {"value": list(values.values()), "kind": [kinds.get(y, "exact") for y in values]},
        index=pd.Index(list(values), dtype="int64", name="year"),
    )
    f.attrs.update(indicator="x", unit="%", direction=direction)
    return f


ROW = {
    "id": "g",
    "indicator": "x",
    "kind": "share",
    "comparison": ">",
    "target_value": 60.0,
    "target_year": 2025,
    "baseline_year": float("nan"),
    "baseline_value": None,
    "unit": "%",
}


def test_goal_is_frozen_and_reads_blank_registry_cells_as_none():
    g = goals.Goal.from_row(ROW)
    assert g.baseline_year is None and g.baseline_value is None and g.target_year == 2025
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.target_value = 1.0  # type: ignore[misc]


def test_lookup_by_id_and_a_clear_error():
    g = goals.goal("industrial_output_2025")
    assert g.indicator == "industrial_output_all" and g.baseline_year == 2014
    with pytest.raises(KeyError, match="unknown goal 'nope'; the ids are listed by `dgm targets`"):
        goals.goal("nope")


def test_registry_baseline_wins_and_a_disagreeing_series_is_noted():
    row = dict(ROW, kind="level", baseline_year=2014, baseline_value=10000.0, target_value=2e4)
    j = goals.restate(row, _frame({2014: 11000.0, 2020: 15000.0}))
    assert j.base == (2014, 10000.0) and j.baseline_rule == "registry"
    assert "registry baseline 10000 differs" in " ".join(j.notes)


def test_bounds_are_not_points_and_plan_targets_are_left_out():
    f = _frame({2014: 47.0, 2020: 50.0, 2025: 55.0}, {2020: "plan_target", 2025: "lower_bound"})
    j = goals.restate(ROW, f)
    assert list(j.hist.index) == [2014] and list(j.bounds.index) == [2025]
    assert 2020 not in j.used.index


def test_reduction_is_judged_on_the_chained_index():
    row = dict(ROW, kind="reduction_vs_baseline", comparison=">=", target_value=30.0)
    j = goals.restate(row, _frame({2015: -10.0, 2016: -10.0}, direction="lower_is_better"))
    assert j.base == (2014, 100.0) and j.goal_value == 70.0 and j.cmp == "<="
    assert j.hist.loc[2016] == pytest.approx(81.0) and j.unit == "index, 2014 = 100"
    assert j.frame().attrs["unit"] == "index, 2014 = 100"


def test_growth_goal_reads_as_an_index_level_in_the_target_year():
    row = dict(ROW, kind="growth_rate", comparison=">=", target_value=10.0, baseline_year=2014)
    j = goals.restate(row, _frame({2015: 8.0}))
    assert j.goal_value == pytest.approx(100 * 1.1**11) and j.cmp == ">="


def test_share_of_100_percent_reads_as_at_least_99_5():
    j = goals.restate(dict(ROW, comparison=">=", target_value=100.0), _frame({2020: 80.0}))
    assert j.goal_value == 99.5


def test_chosen_baselines_for_the_robustness_check():
    f = _frame({2011: 41.6, 2014: 47.0, 2015: 47.9})
    assert goals.restate(ROW, f, baseline="first").base == (2011, 41.6)
    assert goals.restate(ROW, f, baseline=2015).base == (2015, 47.9)
    assert goals.restate(ROW, f, baseline=2013).base is None


def test_min_reliability():
    used = pd.DataFrame({"reliability": ["A", "D", None, "B"]})
    assert goals.min_reliability(used) == "D"
    assert goals.min_reliability(pd.DataFrame({"value": [1.0]})) is None


def test_views_side_by_side_counts_what_was_not_yet_published():
    from dgm import notebook_tools as nbt

    then = [{"target_id": "a", "status": "insufficient_data", "n_points": 0, "last_year": None}]
    pseudo = [
        {
            "target_id": "a",
            "status": "on_track",
            "n_points": 2,
            "last_year": 2014,
            "robustness": {"fragile": True},
        }
    ]
    t = nbt.views_side_by_side({"then": then, "pseudo": pseudo})
    row = t.iloc[0]
    assert row["status (pseudo)"] == "on_track †" and row["not_yet_published"] == 2
