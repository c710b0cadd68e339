"""dgm.engine.scenario: known answers for paths and required rates, and the explorer's update function."""

import pandas as pd
import pytest

import dgm
from dgm.engine import scenario as sc

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
    [
        ((2025, 100.0, 200.0, 2025), "in or after the goal's year"),
        ((2015, 0.0, 200.0, 2025), "positive"),
    ],
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
    assert any("lower bound" in str(n) for n in v.notes)
    assert v.meets_goal is True and v.crossing_year == 2021
    # a lower bound of 25,000 already shows ≥ 20,000: no required path, no fall to the goal
    assert v.already_met and v.required_rate is None and v.required_path.empty


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
    with pytest.raises(sc.ScenarioError, match="no published figure") as err:
        sc.update(_history({}), OUTPUT, 0.05)
    assert err.value.note.text("zh") == "没有已公布的数据"


def test_update_is_pure_and_deterministic():
    before = HIST.copy()
    a, b = sc.update(HIST, OUTPUT, 0.04).summary(), sc.update(HIST, OUTPUT, 0.04).summary()
    assert a == b
    pd.testing.assert_frame_equal(HIST, before)


def test_update_accepts_a_plain_series():
    v = sc.update(HIST["value"], OUTPUT, 0.05)
    assert v.summary() == sc.update(HIST, OUTPUT, 0.05).summary()


def test_presets_derive_from_data_and_goal():
    p = sc.presets(HIST, OUTPUT, observed=0.04)
    assert p["observed"] == 0.04  # as given: the scorecard's rate (observed_rate_for)
    assert p["half_observed"] == pytest.approx(0.02)
    assert p["policy_baseline"] == pytest.approx(2 ** (1 / 11) - 1)
    assert sc.update(HIST, OUTPUT, p["required"]).value_at_target_year == pytest.approx(20000)
    assert "observed" not in sc.presets(HIST, OUTPUT) and "half_observed" not in sc.presets(
        HIST, OUTPUT
    )


def test_a_goal_already_met_has_no_required_preset_or_path():
    patents = sc.Goal("patents", "x", 20000.0, 2025, ">", "count")
    hist = _history({2023: 66000.0})
    v = sc.update(hist, patents, 0.0)
    assert v.already_met and v.required_rate is None and v.required_path.empty
    assert "required" not in sc.presets(hist, patents)  # not a 45 %-a-year fall to the goal
    # a figure after the goal's year does not show it met in time
    late = sc.Goal("late", "x", 50.0, 2018, ">=", "share")
    assert not sc.update(_history({2021: 52.4}), late, 0.0).already_met


def test_preset_table_is_sorted_and_complete():
    t = sc.preset_table(HIST, OUTPUT, observed=0.04, extra={"user": 0.08})
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


def test_presets_and_the_scorecard_share_one_observed_rate():
    """Advanced manufacturing: −0.27 %/yr from the 2014 baseline (47.0) to 2022 (46.0), as the
    scorecard says, not +0.92 %/yr from the first figure (2011); every goal alike."""
    from dgm.engine import assess

    records = {r["target_id"]: r for r in assess.assess_all(n_paths=200)}
    assert 100 * sc.observed_rate_for("advanced_mfg_share_2025") == pytest.approx(
        100 * ((46.0 / 47.0) ** (1 / 8) - 1), abs=1e-9
    )
    for t in sc.explorable():
        rate = sc.observed_rate_for(t)
        assert rate == records[t]["observed_rate"] or (
            rate is None and records[t]["observed_rate"] is None
        ), t
        rows = sc.preset_rows([t], {})
        rows = rows.set_index("scenario") if len(rows) else rows
        if rate is None:
            assert "observed" not in rows.index, t
        else:
            assert rows.loc["observed", "growth_pct"] == pytest.approx(100 * rate), t


def test_goals_come_restated_from_dgm_goals_with_their_real_base_year():
    """The energy goal's chain starts in 2016 (no published change runs from 2014): its index is
    2016 = 100 and the 30 % cut reads index ≤ 70 on it; a growth goal of about 15 %/yr is met at
    15 % less the 5 % tolerance a year, as the scorecard reads it."""
    from dgm.engine import goals

    targets = dgm.load_targets().set_index("id")
    energy = sc.goal_from_row(targets.loc["energy_intensity_industry_reduction_2025"], "zh")
    assert (energy.goal_value, energy.comparison, energy.unit) == (70.0, "<=", "index, 2016 = 100")
    assert energy.baseline_year == 2016 and energy.label == "單位工業增加值能耗降低30%以上"
    reno = sc.goal_from_row(targets.loc["technical_renovation_investment_growth_2015_2025"])
    assert (reno.kind, reno.comparison, reno.unit) == ("index", ">=", "index, 2014 = 100")
    assert reno.goal_value == pytest.approx(100 * (1 + 0.15 * 0.95) ** 11)
    for t in sc.explorable():
        j = goals.judged(t)
        g, history = sc.judged(t)
        assert (g.goal_value, g.comparison, g.unit) == (j.goal_value, j.cmp, j.unit), t
        assert history.attrs["unit"] == g.unit, t


@pytest.mark.parametrize(
    "rates, expected",
    [
        ((), (-0.30, 0.40)),
        ((None, 0.05), (-0.30, 0.40)),
        ((0.5445,), (-0.30, 0.60)),  # machinery leasing's required +54.45 %/yr, with room
        ((-0.4495,), (-0.50, 0.40)),  # a 45 %-a-year fall
        ((3.0, -2.0), (-0.90, 1.00)),  # never past the floor and ceiling
    ],
)
def test_growth_range_holds_the_rates_with_room(rates, expected):
    assert sc.growth_range(*rates) == pytest.approx(expected)


def test_default_growth_is_the_observed_rate_else_the_required_else_no_change():
    v = sc.update(HIST, OUTPUT, 0.0)  # needs (20000/13000)^(1/5) − 1 = +8.998 %/yr
    limits = (-0.30, 0.40)
    assert sc.default_growth(-0.0027, v, limits) == (pytest.approx(-0.003), None)
    growth, why = sc.default_growth(None, v, limits)
    assert growth == pytest.approx(0.090) and why.key == "note_growth_required"
    assert why.text("en").endswith("the rate the goal requires, +9.0 %/yr")
    assert sc.update(HIST, OUTPUT, growth).meets_goal  # rounded up: the default reaches the goal
    growth, why = sc.default_growth(0.856, v, limits)  # outside the slider: its nearest end
    assert growth == pytest.approx(0.40) and why.key == "note_growth_outside"
    assert why.text("en") == (
        "the yearly change of +85.6 %/yr lies outside the slider: it starts at the nearest value, "
        "+40.0 %/yr"
    )
    assert why.text("zh") == "年均变化 +85.6 %/年超出滑块范围，滑块从最接近的 +40.0 %/年开始"
    met = sc.update(_history({2023: 66000.0}), sc.Goal("p", "x", 20000.0, 2025, ">"), 0.0)
    assert sc.default_growth(None, met, limits) == (0.0, sc.Note.of("note_growth_met"))


def test_update_keeps_one_figure_per_year_a_point_before_a_bound():
    hist = pd.DataFrame(
        {"value": [47.9, 50.0, 50.5], "kind": ["exact", "lower_bound", "derived"]},
        index=pd.Index([2015, 2017, 2017], name="year"),
    )
    v = sc.update(hist, SHARE, 0.0, start_year=2017)
    assert (v.start_value, v.start_kind) == (50.5, "derived")
