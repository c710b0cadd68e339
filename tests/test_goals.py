"""dgm.engine.goals: the Goal type, lookup by id, and the one restating function (known answers)."""

import dataclasses

import pandas as pd
import pytest
from frames import series_frame

from dgm.engine import goals


def _frame(values: dict, kinds: dict | None = None, direction="higher_is_better"):
    return series_frame(values, kinds, direction, unit="%")


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
    from dgm.present.readings import views_side_by_side

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
    t = views_side_by_side({"then": then, "pseudo": pseudo})
    row = t.iloc[0]
    assert row["status (pseudo)"] == "on_track †" and row["not_yet_published"] == 2


# ---- the registry's proxy: judged only while the goal's own indicator has no figure ------------

ENERGY = dict(
    ROW,
    kind="reduction_vs_baseline",
    comparison=">=",
    target_value=30.0,
    baseline_year=2014,
    proxy="p",
)


def _proxy(values: dict, cumulative: dict | None = None) -> goals.Proxy:
    return goals.Proxy(
        indicator="p",
        frame=_frame(values, direction="lower_is_better"),
        cumulative=None if cumulative is None else pd.Series(cumulative, dtype=float),
        words="whole-city energy use per unit of GDP",
        own_words="energy use per unit of industrial value added",
    )


def test_a_goal_without_any_own_figure_is_judged_on_its_proxy():
    empty = _frame({}, direction="lower_is_better")
    j = goals.restate(ENERGY, empty, proxy=_proxy({2015: -5.0, 2016: -5.0, 2017: -5.0}))
    assert j.proxy == "p" and j.hist.loc[2017] == pytest.approx(100 * 0.95**3)
    assert j.notes[0].startswith("judged on a proxy: whole-city energy use per unit of GDP (p)")
    assert "(energy use per unit of industrial value added) is not published" in j.notes[0]
    assert j.frame().attrs["proxy"] == "p"


def test_one_own_figure_and_the_proxy_is_ignored():
    own = _frame({2015: -1.0}, direction="lower_is_better")
    j = goals.restate(ENERGY, own, proxy=_proxy({2015: -5.0, 2016: -5.0}))
    assert j.proxy is None and j.hist.loc[2015] == pytest.approx(99.0)
    assert not any("proxy" in n for n in j.notes) and j.frame().attrs["proxy"] is None


def test_a_chain_that_cannot_leave_the_registry_year_starts_from_the_nearest_year_it_can():
    # the shipped energy figures: yearly 2014, 2020; five-year changes to 2015 (from 2010) and
    # to 2021 (from 2016). From 2014 no change runs; 2016 (2 years away) reaches 2021, 2010 (4
    # years) only 2015, 2013 only 2014 (not after the registry year).
    yearly = _frame({2014: -5.9, 2020: -2.0}, direction="lower_is_better")
    cum = pd.Series({2015: -25.23, 2021: -22.5})
    j = goals.restate(ENERGY, yearly, cum)
    assert j.base == (2016, 100.0) and j.baseline_rule == "nearest to 2014"
    assert j.hist.to_dict() == {2016: 100.0, 2021: pytest.approx(77.5)} and j.bridged == (2021,)
    assert any(n.startswith("baseline 2016 (after the policy began") for n in j.notes)
    assert not any("breaks after" in n for n in j.notes)  # 2020 lies inside the bridged period
    chosen = goals.restate(ENERGY, yearly, cum, baseline=2014)  # a chosen year is never moved
    assert chosen.base == (2014, 100.0) and not len(chosen.hist)


def test_the_check_refuses_a_proxy_in_another_unit():
    from dgm.data import validate

    rows = pd.DataFrame([{"indicator": "a", "unit": "%", "proxy": "b"}], index=[17])
    (p,) = validate.check_target_rows(rows, "targets.csv", {"a": "%", "b": "亿元"})
    assert (p.row, p.column) == (17, "proxy") and "in a's unit '%' (got 'b')" in p.message
    rows["proxy"] = "c"
    assert validate.check_target_rows(rows, "targets.csv", {"a": "%", "c": "%"}) == []
