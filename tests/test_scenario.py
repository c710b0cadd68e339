"""dgm.scenario: known answers for paths and required rates, and the explorer's update function."""

import math

import pandas as pd
import pytest

from dgm import scenario as sc

OUTPUT = sc.Goal("output_2025", "industrial_output_all", 20000.0, 2025, ">=", "level", 2014)
ENERGY = sc.Goal("energy_cut", "energy_idx", 70.0, 2025, "<=", "reduction_vs_baseline", 2015)
SHARE = sc.Goal("hightech_share", "hightech_mfg_share", 50.0, 2025, ">=", "share")


@pytest.mark.parametrize(
    "start, goal, years, expected",
    [
        (100.0, 200.0, 10, 2 ** (1 / 10) - 1),  # doubling in ten years: 7.177 %/yr
        (100.0, 70.0, 10, -0.03504),  # a 30 % cut in ten years: -3.504 %/yr
        (10000.0, 20000.0, 11, 0.065041),  # the policy's 1 → 2 trillion, 2014 → 2025
        (50.0, 50.0, 5, 0.0),  # already there
    ],
)
def test_required_rate_known_answers(start, goal, years, expected):
    assert sc.required_rate(2015, start, goal, 2015 + years) == pytest.approx(expected, abs=5e-6)


def test_doubling_rate_to_three_decimals():
    assert round(100 * sc.required_rate(2015, 1.0, 2.0, 2025), 3) == 7.177


@pytest.mark.parametrize(
    "args, message",
    [((2025, 100.0, 200.0, 2025), "not after"), ((2015, 0.0, 200.0, 2025), "positive")],
)
def test_required_rate_refuses(args, message):
    with pytest.raises(ValueError, match=message):
        sc.required_rate(*args)


def test_project_compounds_and_reaches_the_goal_at_the_required_rate():
    r = sc.required_rate(2014, 10000.0, 20000.0, 2025)
    path = sc.project(2014, 10000.0, r, 2030)
    assert list(path.index) == list(range(2014, 2031))
    assert path.loc[2014] == 10000.0
    assert path.loc[2025] == pytest.approx(20000.0)
    assert path.loc[2015] == pytest.approx(10000.0 * (1 + r))


def test_project_refuses_impossible_growth():
    with pytest.raises(ValueError, match="above -100"):
        sc.project(2020, 1.0, -1.0, 2025)


@pytest.mark.parametrize(
    "value, goal, comparison, expected",
    [
        (20000, 20000, ">=", True),
        (20000, 20000, ">", False),
        (69.9, 70, "<=", True),
        (70.1, 70, "<", False),
        (29.0, 30, "~", True),
        (27.0, 30, "~", False),
        (33.0, 30, "~", True),  # "about 30 %": overshooting the favourable way is no failure
    ],
)
def test_meets(value, goal, comparison, expected):
    assert sc.meets(value, goal, comparison) is expected


def test_meets_refuses_unknown_comparison():
    with pytest.raises(ValueError, match="unknown comparison"):
        sc.meets(1, 1, "=>")


def _history(values: dict, kinds: dict | None = None) -> pd.DataFrame:
    df = pd.DataFrame({"value": pd.Series(values, dtype=float)})
    df.index.name = "year"
    df["kind"] = [(kinds or {}).get(y, "exact") for y in df.index]
    return df


HIST = _history({2014: 10000.0, 2016: 11000.0, 2018: 12500.0, 2020: 13000.0})


def test_update_from_latest_year():
    v = sc.update(HIST, OUTPUT, 0.05)
    assert v.start_year == 2020 and v.latest_year == 2020
    assert v.value_at_target_year == pytest.approx(13000 * 1.05**5)
    assert v.required_rate == pytest.approx((20000 / 13000) ** (1 / 5) - 1)
    assert v.required_path.loc[2025] == pytest.approx(20000.0)
    assert v.meets_goal is False
    assert v.crossing_year == 2029  # 13000·1.05^9 = 20167
    assert v.path.index[-1] == sc.HORIZON


def test_update_from_an_earlier_start_year():
    v = sc.update(HIST, OUTPUT, 0.07, start_year=2014)
    assert v.start_value == 10000.0
    assert v.value_at_target_year == pytest.approx(10000 * 1.07**11)
    assert v.meets_goal is True and v.crossing_year == 2025
    # the required rate is always from the latest year, whatever the start
    assert v.required_rate == pytest.approx((20000 / 13000) ** (1 / 5) - 1)


def test_update_snaps_a_missing_start_year_to_the_previous_observation():
    assert sc.update(HIST, OUTPUT, 0.05, start_year=2017).start_year == 2016


def test_update_flags_a_bound_as_start():
    hist = _history({2019: 12000.0, 2021: 25000.0}, {2021: "lower_bound"})
    v = sc.update(hist, OUTPUT, 0.0)
    assert v.start_kind == "lower_bound"
    assert any("lower bound" in n for n in v.notes)
    assert v.meets_goal is True and v.crossing_year == 2021


def test_update_lower_is_better_reduction_goal():
    hist = _history({2015: 100.0, 2016: 96.0, 2017: 92.5})
    v = sc.update(hist, ENERGY, -0.035)
    assert v.meets_goal is True
    assert v.required_rate == pytest.approx((70 / 92.5) ** (1 / 8) - 1)
    assert v.required_rate < 0


def test_update_caps_shares_at_100():
    v = sc.update(_history({2020: 40.0}), SHARE, 0.30)
    assert v.path.max() == 100.0


def test_update_refuses_growth_rate_goals_and_empty_history():
    g = sc.Goal("prod", "industrial_labour_productivity_growth", 10.0, 2025, ">=", "growth_rate")
    with pytest.raises(ValueError, match="rate, not a level"):
        sc.update(HIST, g, 0.05)
    with pytest.raises(ValueError, match="no observed figure"):
        sc.update(_history({}), OUTPUT, 0.05)


def test_update_is_pure_and_deterministic():
    before = HIST.copy()
    a, b = sc.update(HIST, OUTPUT, 0.04).summary(), sc.update(HIST, OUTPUT, 0.04).summary()
    assert a == b
    pd.testing.assert_frame_equal(HIST, before)


def test_update_accepts_a_plain_series():
    v = sc.update(HIST["value"], OUTPUT, 0.05)
    assert v.summary() == sc.update(HIST, OUTPUT, 0.05).summary()


def test_presets_derive_from_data_and_goal():
    p = sc.presets(HIST, OUTPUT)
    assert p["observed"] == pytest.approx((13000 / 10000) ** (1 / 6) - 1)
    assert p["half_observed"] == pytest.approx(p["observed"] / 2)
    assert p["policy_baseline"] == pytest.approx(2 ** (1 / 11) - 1)
    assert sc.update(HIST, OUTPUT, p["required"]).value_at_target_year == pytest.approx(20000)


def test_preset_table_is_sorted_and_complete():
    t = sc.preset_table(HIST, OUTPUT, extra={"user": 0.08})
    assert list(t["scenario"]) == sorted(t["scenario"])
    assert set(t["scenario"]) == {
        "half_observed",
        "observed",
        "policy_baseline",
        "required",
        "user",
    }
    req = t.set_index("scenario").loc["required"]
    assert req["meets_goal"] and req["crossing_year"] == 2025


def test_observed_rate_needs_two_points():
    assert sc.observed_rate(pd.Series({2020: 5.0})) is None
    assert math.isclose(sc.observed_rate(pd.Series({2010: 1.0, 2020: 2.0})), 2**0.1 - 1)


def test_goal_from_target_turns_a_reduction_into_an_index_goal():
    row = pd.Series(
        {
            "id": "energy",
            "indicator": "energy_intensity_industry_change",
            "kind": "reduction_vs_baseline",
            "target_value": 30.0,
            "target_year": 2025,
            "comparison": ">=",
            "baseline_year": 2014,
            "label_zh": "能耗降低30%",
            "label_en": "Energy down 30 %",
            "unit": "%",
        }
    )
    g = sc.goal_from_target(row, lang="zh")
    assert (g.goal_value, g.comparison, g.unit, g.label) == (70.0, "<=", "index", "能耗降低30%")
    assert g.baseline_year == 2014


def test_goal_from_target_turns_a_growth_goal_into_an_index_goal():
    row = pd.Series(
        {
            "id": "prod",
            "indicator": "industrial_labour_productivity_growth",
            "kind": "growth_rate",
            "target_value": 10.0,
            "target_year": 2025,
            "comparison": ">=",
            "baseline_year": 2014,
            "label_en": "Productivity +10 %/yr",
            "unit": "%",
        }
    )
    g = sc.goal_from_target(row)
    assert (g.kind, g.comparison, g.unit) == ("index", ">=", "index")
    assert g.goal_value == pytest.approx(100 * 1.1**11)  # 285.31
    hist = _history({2014: 100.0})
    v = sc.update(hist, g, 0.10)
    assert v.meets_goal and v.crossing_year == 2025
    assert v.required_rate == pytest.approx(0.10)


def test_update_keeps_one_figure_per_year_a_point_before_a_bound():
    hist = pd.DataFrame(
        {"value": [47.9, 50.0, 50.5], "kind": ["exact", "lower_bound", "derived"]},
        index=pd.Index([2015, 2017, 2017], name="year"),
    )
    v = sc.update(hist, SHARE, 0.0, start_year=2017)
    assert (v.start_value, v.start_kind) == (50.5, "derived")
