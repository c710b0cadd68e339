"""Verdicts that say what the evidence can carry (issue 21, docs/method.md §2 "Evidence"): the
tier, snapshots, stocks, passed deadlines, rounding, periods, proxies and true notes; known
answers on hand-made series and on the shipped data."""

import re

import pandas as pd
import pytest
from frames import series_frame

from dgm.constants import EVIDENCE_TIERS
from dgm.data import panel
from dgm.data.loaders import series
from dgm.engine import assess, evidence, goals, status_rules, verdict
from dgm.zh import changes

TREND = evidence.TREND_WORDS


def _goal(**kw):
    g = {
        "id": "g",
        "indicator": "x",
        "unit": "%",
        "comparison": ">=",
        "target_value": 50.0,
        "target_year": 2025,
        "baseline_year": None,
        "baseline_value": None,
        "kind": "share",
    }
    return g | kw


def _frame(values, kinds=None, unit="%", **cols):
    f = series_frame(values, kinds, unit=unit)
    return f.assign(**cols) if cols else f


def _assess(goal, frame, today=2024, **kw):
    return assess.assess_goal(goal, frame, n_paths=200, today_year=today, **kw)


# ---- the tier ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "kinds", "tier", "status"),
    [
        ({2016: 30.0, 2018: 33.0, 2020: 35.0}, {}, "series", "acceleration_needed"),
        ({2016: 30.0, 2020: 38.0}, {}, "snapshot", "insufficient_data"),
        ({2020: 38.0}, {}, "snapshot", "insufficient_data"),
        ({}, {}, "none", "insufficient_data"),
        ({2016: 30.0, 2025: 55.0}, {2025: "lower_bound"}, "bound", "met"),
    ],
)
def test_the_tier_and_no_trend_word_without_a_measured_trend(values, kinds, tier, status):
    # 30 -> 35 in four years is +3.9 %/yr against +5.8 %/yr needed from 2016 (ratio 0.67)
    r = _assess(_goal(), _frame(values, kinds))
    assert (r["evidence"], r["status"]) == (tier, status)
    assert r["evidence"] in EVIDENCE_TIERS and r["reading"] and r["reading_zh"]
    assert (r["robustness"]["drop_latest"] is not None) == (tier == "series")
    if tier != "series":
        assert r["eurostat_category"] is None and r["escap_gap"] is None


def test_two_equal_figures_read_no_trend_word():
    # firms over 10 bn: 24 and 24 against >= 25 by 2025
    goal = _goal(kind="count", unit="家", target_value=25.0)
    r = _assess(goal, _frame({2021: 24.0, 2022: 24.0}, unit="家"))
    assert r["status"] == "insufficient_data" and r["evidence"] == "snapshot"
    assert r["reading"] == (
        "two figures, 2021 and 2022: 24 and 24; 1 short of ≥ 25; would need +0.3 a year to 2025"
    )
    assert r["reading_zh"] == (
        "两个数据，2021年和2022年：24家和24家；距目标≥25家差1家；到2025年需每年+0.3"
    )


# ---- snapshots: stocks ------------------------------------------------------------------------


def _patents(value, year=2023):
    goal = _goal(
        indicator="invention_patents_in_force",
        kind="count",
        unit="件",
        comparison=">",
        target_value=20000.0,
    )
    return _assess(goal, _frame({year: value}, unit="件"), today=2024)


def test_a_stock_far_beyond_the_goal_is_met_and_the_note_says_why():
    r = _patents(66000.0)
    fall = 1 - (20000 / 66000) ** (1 / 2)  # 45 % a year for two years
    assert r["status"] == "met" and r["evidence"] == "snapshot" and r["ex_post"] == "unknown"
    assert f"it would have to fall {100 * fall:.0f} % a year" in r["notes"]
    assert "patents in force are a stock" in r["notes"]
    assert r["reading"].startswith("one figure, 2023: 66,000; 3.3 × the goal (> 20,000)")


def test_a_stock_that_could_fall_back_or_a_flow_is_not_met_early():
    assert _patents(21000.0)["status"] == "insufficient_data"  # a 2.4 % a year fall would do
    assert _patents(66000.0, 2025)["status"] == "met"  # the target year's own figure
    flow = _goal(kind="count", unit="件", comparison=">", target_value=20000.0)
    r = _assess(flow, _frame({2023: 66000.0}, unit="件"))
    assert r["status"] == "insufficient_data" and "3.3 × the goal" in r["reading"]
    assert "already at the goal in 2023; the 2025 figure decides" in r["notes"]


# ---- deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "passed"), [(2024, False), (2025, True), (2026, True)])
def test_the_deadline_passes_at_t_plus_two(today, passed):
    r = _assess(_goal(target_year=2023), _frame({2019: 40.0, 2020: 44.0, 2021: 48.0}), today)
    assert ("2023 deadline has passed" in r["notes"]) == passed
    assert (r["status"] not in TREND) == passed


# ---- rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written", "unit", "interval"),
    [
        (46.0, "46%", "%", (45.5, 46.5)),
        (52.4, "52.4%", "%", (52.35, 52.45)),
        (66000.0, "6.6万件", "件", (65500.0, 66500.0)),
        (24.0, "24家", "家", (24.0, 24.0)),  # a whole count is exact
        (8.0, "8%-8.5%", "%", (7.5, 8.55)),  # a range spans both ends, each to its digits
        (-5.9, "5.9%", "%", (-5.95, -5.85)),  # a fall written without its sign
        (24500.0, "2.45万亿元", "亿元", (24450.0, 24550.0)),
    ],
)
def test_rounding_interval_from_as_written(value, written, unit, interval):
    assert panel.rounding_interval(value, written, unit) == pytest.approx(interval)


def test_a_derived_figure_carries_its_inputs_interval_and_worst_grade():
    # R&D intensity 2021 = enterprise R&D 415.23 / 95.6 % / GDP 10855.35 (the shipped case)
    cols = ["indicator", "year", "value", "as_written", "unit", "kind", "reliability", "vintage"]
    rows = [
        ("rd_expenditure_enterprises", 2021, 415.23, "415.23亿元", "亿元", "exact", "C", "2022"),
        ("rd_expenditure_enterprises_share", 2021, 95.6, "95.6%", "%", "exact", "C", "2022"),
        ("gdp", 2021, 10855.35, "10855.35亿元", "亿元", "estimate", "B", "2022"),
    ]
    obs = pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows]).assign(source_id="s")
    d = panel.derive(panel.choose(obs), {}).set_index("indicator").loc["rd_intensity"]
    lo = 415.225 / 95.65 * 100 / 10855.355 * 100
    hi = 415.235 / 95.55 * 100 / 10855.345 * 100
    assert (d["low"], d["high"]) == (pytest.approx(lo), pytest.approx(hi))
    assert d["low"] < 4 < d["high"] and d["reliability"] == "C"


def test_a_figure_at_the_threshold_within_rounding_decides_nothing_alone():
    goal = _goal(comparison=">", target_value=4.0)
    f = _frame({2016: 2.41, 2019: 3.06, 2020: 3.54, 2021: 4.0012}).assign(
        low=[2.405, 3.055, 3.535, 3.999], high=[2.415, 3.065, 3.545, 4.0033]
    )
    r = _assess(goal, f)
    assert r["status"] == "on_track" and "already at the goal" not in r["notes"]
    assert "the latest figure is at the threshold within rounding" in r["notes"]
    assert r["robustness"]["fragile"] is True
    assert "the 2021 figure is at the threshold within rounding" in r["robustness"]["reasons"]
    assert "3.999 %–4.003 % within rounding: at the threshold of > 4 %" in r["reading"]
    clear = f.assign(low=[2.405, 3.055, 3.535, 4.0011], high=[2.415, 3.065, 3.545, 4.0013])
    r = _assess(goal, clear)
    assert "already at the goal in 2021" in r["notes"] and not r["robustness"]["fragile"]


# ---- periods ------------------------------------------------------------------------------------


def test_a_part_year_latest_figure_is_named_and_drop_latest_can_make_it_fragile():
    # 47 (2014) -> 50.9 (2020) -> 46 (2022, year to date, year inferred) against > 60
    goal = _goal(comparison=">", target_value=60.0)
    values = {2014: 47.0, 2015: 47.9, 2018: 52.3, 2020: 50.9, 2022: 46.0}
    f = _frame(values).assign(period=["year"] * 4 + ["ytd"], year_inferred=[False] * 4 + [True])
    r = _assess(goal, f)
    assert r["status"] == "deterioration" and r["robustness"]["drop_latest"] == "limited_progress"
    assert r["robustness"]["fragile"] is True
    assert (
        "without its latest figure (2022: 46 %, 2022 (part of the year), year inferred) the "
        "status would be limited_progress" in r["robustness"]["reasons"]
    )
    assert (
        "the latest figure (2022: 46 %): covers only part of 2022 (months not stated), not the "
        "whole year; its year is inferred from the source's context, not stated" in r["notes"]
    )
    assert "latest 2022 (part of the year; year inferred): 46 %" in r["reading"]


# ---- proxies ------------------------------------------------------------------------------------


def test_a_proxy_verdict_is_its_own_tier_and_is_counted_apart():
    from dgm.present.readings import headline_counts

    rows = [
        {"target_id": "a", "status": "met", "evidence": "series"},
        {"target_id": "b", "status": "on_track", "evidence": "proxy"},
        {"target_id": "c", "status": "insufficient_data", "evidence": "none"},
        {"target_id": "d", "status": "met", "evidence": "snapshot"},
    ]
    counts = headline_counts(rows)
    assert counts == {
        "own": {"met": 2, "insufficient_data": 1},
        "proxy": {"on_track": 1},
        "n": 4,
    }


# ---- the status decision as a pure function -----------------------------------------------------


def test_verdict_with_a_hypothetical_figure_added():
    g = goals.Goal.from_row(_goal(target_value=90.0, target_year=2023))
    frame = _frame({2021: 52.4})
    assert verdict.judge(g, frame, 2026)["status"] == "insufficient_data"
    plus = goals.with_figure(frame, 2023, 91.0)
    assert verdict.judge(g, plus, 2026)["status"] == "met"
    assert len(frame) == 1  # the frame passed in is not changed


# ---- the shipped data: issue 21's named cases ----------------------------------------------------


@pytest.fixture(scope="module")
def views():
    return {
        "today": {r["target_id"]: r for r in assess.assess_all(n_paths=200)},
        "as_of": {r["target_id"]: r for r in assess.assess_all("2015-01-20", n_paths=200)},
        "data_to": {r["target_id"]: r for r in assess.assess_all(data_to=2014, n_paths=200)},
    }


@pytest.fixture(scope="module")
def today(views):
    return views["today"]


def test_value_added_rate_is_a_snapshot_of_a_derived_c_grade_figure(today):
    r = today["industrial_va_rate_2025"]
    assert (r["status"], r["evidence"], r["min_reliability"]) == (
        "insufficient_data",
        "snapshot",
        "C",
    )
    assert r["reading"].startswith("one figure, 2022: 21.5 %; 7.0 points short of ≈ 30 %")


def test_leasing_about_one_percent_grade_d(today):
    r = today["machinery_sales_leasing_share_2025"]
    assert (r["status"], r["evidence"], r["min_reliability"]) == (
        "insufficient_data",
        "snapshot",
        "D",
    )
    assert r["reading"].startswith("one figure, 2016: about 1 % (grade D); 49.0 points short")


def test_rd_institution_coverage_deadlines_passed(today):
    r = today["rd_institution_coverage_2023"]
    needed = (90 - 52.4) / (2023 - 2021)
    assert needed == pytest.approx(18.8)
    assert r["status"] == "insufficient_data" and r["evidence"] == "snapshot"
    assert r["reading"].startswith(
        "one figure, 2021: 52.4 %; 37.6 points short of ≥ 90 %; would have needed +18.8 points a "
        "year to 2023"
    )
    r = today["rd_institution_coverage_2018"]
    assert r["status"] == "insufficient_data"
    assert "3 years after the 2018 deadline" in r["reading"]


def test_firms_over_ten_billion_two_figures_no_trend_word(today):
    r = today["enterprises_over_10bn_2025"]
    assert r["status"] == "insufficient_data" and r["evidence"] == "snapshot"
    assert r["reading"].startswith("two figures, 2021 and 2022 (year inferred): 24 and 24")


def test_invention_patents_met_as_a_stock(today):
    r = today["invention_patents_in_force_2025"]
    raw = series("invention_patents_in_force").loc[2023]
    assert raw["period"] == "stock-end-nov" and raw["value"] == 66000
    assert r["status"] == "met" and r["evidence"] == "snapshot"
    assert r["reading"].startswith("one figure, end-November 2023: 66,000; 3.3 × the goal")
    assert "met as a stock" in r["notes"]


def test_rd_intensity_at_the_threshold_within_rounding(today):
    r = today["rd_intensity_2025"]
    raw = series("rd_intensity").loc[2021]
    assert raw["low"] < 4 < raw["high"]
    assert round(raw["low"], 3) == 3.999 and round(raw["high"], 3) == 4.003
    assert r["robustness"]["fragile"] is True and "already at the goal" not in r["notes"]
    assert "the 2021 figure is at the threshold within rounding" in r["robustness"]["reasons"]


def test_advanced_manufacturing_hangs_on_its_part_year_2022_figure(today):
    r = today["advanced_mfg_share_2025"]
    raw = series("advanced_mfg_share").loc[2022]
    assert (raw["value"], raw["period"], raw["reliability"]) == (46, "ytd", "C")
    assert r["status"] == "deterioration" and r["robustness"]["drop_latest"] == "limited_progress"
    assert any("without its latest figure (2022: 46 %" in x for x in r["robustness"]["reasons"])
    assert "the latest figure (2022: 46 %): covers only part of 2022" in r["notes"]


def test_energy_goal_on_its_proxy_chain(today):
    r = today["energy_intensity_industry_reduction_2025"]
    assert r["evidence"] == "proxy" and r["proxy"] == "energy_intensity_gdp_change"
    assert (r["n_points"], r["first_year"], r["basis_year"]) == (2, 2016, 2021)


def test_output_goal_note_names_no_phantom_figure(today):
    r = today["industrial_output_2025"]
    assert r["evidence"] == "bound" and r["status"] == "met"
    assert "one figure (2014)" not in r["notes"]
    assert r["reading"].startswith("a published lower bound decides: 2.6 trillion yuan in 2025")


def test_technical_renovation_is_read_against_the_years_that_remain(today):
    r = today["technical_renovation_investment_growth_2015_2025"]
    first = series("technical_renovation_investment_growth").loc[2015, "value"]  # +85.6 %
    need = (1.1425**11 / (1 + first / 100)) ** (1 / 10) - 1  # about 15 %: met from 14.25 %
    assert f"from 2015, +{100 * need:.1f} % a year reaches the goal by 2025" in r["reading"]
    assert "below" not in r["notes"] and r["status"] == "insufficient_data"


# ---- invariants in every view --------------------------------------------------------------------


def test_every_record_carries_evidence_and_reading_in_every_view(views):
    for view, recs in views.items():
        assert len(recs) == 21, view
        for r in recs.values():
            assert r["evidence"] in EVIDENCE_TIERS and r["reading"] and r["reading_zh"]
            assert not changes(r["reading_zh"]), r["reading_zh"]  # simplified Chinese
            assert "drop_latest" in r["robustness"]
            assert (r["robustness"]["drop_latest"] is not None) == (r["evidence"] == "series")
            if r["status"] in TREND:  # a trend word rests on a measured trend
                assert r["evidence"] in ("series", "proxy"), (view, r["target_id"])
                assert r["observed_rate"] is not None
            year = assess.view_year(
                *{"today": (None, None), "as_of": ("2015-01-20", None), "data_to": (None, 2014)}[
                    view
                ]
            )
            if status_rules.deadline_passed(r["target_year"], year):
                assert r["status"] not in TREND, (view, r["target_id"])


YEAR = re.compile(r"(?<![\d.])(19[5-9]\d|20[0-4]\d)(?![\d.])")


def test_every_note_is_true_of_its_own_record(views):
    """Each note's counts, years and values are read back against the record and its series."""
    for view in views:
        for a in assess.assessments(
            **{"today": {}, "as_of": {"as_of": "2015-01-20"}, "data_to": {"data_to": 2014}}[view],
            n_paths=200,
        ):
            r, j = a.record, a.judged
            notes = r["notes"]
            known = {r["target_year"], r["baseline_year"], goals.POLICY_YEAR}
            known |= {int(y) for y in j.used.index} | {int(y) for y in j.hist.index}
            if j.yearly is not None:
                known |= {int(y) for y in j.yearly.index}
            if r["baseline_year"]:
                known.add(r["baseline_year"] + 1)  # "the 11 years 2015-2025"
            for y in YEAR.findall(notes):
                assert int(y) in known, (view, r["target_id"], y, notes)
            for n, _ in re.findall(r": (\d+) points?( in the chained index)?; P\(goal", notes):
                assert int(n) == r["n_points"], (view, r["target_id"], notes)
            for y in re.findall(r": one figure \((\d{4})\)", notes):
                assert r["n_points"] == 1 and int(y) == r["latest_year"], (view, r["target_id"])
            for n, ys in re.findall(r"(\d+) yearly figures? \(([\d, ]+)\)", notes):
                listed = [int(x) for x in ys.split(", ")]
                assert len(listed) == int(n) and set(listed) <= known
            for y in re.findall(r"\bbaseline (\d{4})\b", notes):
                assert int(y) == r["baseline_year"], (view, r["target_id"], notes)
            for y in re.findall(r"the (\d{4}) deadline has passed", notes):
                assert int(y) == r["target_year"]
            for y, v in re.findall(r"the latest figure \((\d{4}): ([\d.,]+)", notes):
                assert int(y) == r["latest_year"]
                assert float(v.replace(",", "")) == pytest.approx(r["latest_value"], rel=1e-3)
            for x in re.findall(r"is ([\d.]+) × the goal", notes):
                assert float(x) == pytest.approx(r["latest_value"] / r["target_value"], abs=0.05)
            assert ("judged on a proxy" in notes) == (r["proxy"] is not None)


def test_a_target_year_figure_at_the_threshold_is_met_by_its_value_and_fragile():
    goal = _goal(comparison=">", target_value=4.0)
    f = _frame({2019: 3.06, 2020: 3.54, 2025: 4.0012}).assign(
        low=[3.055, 3.535, 3.999], high=[3.065, 3.545, 4.0033]
    )
    r = _assess(goal, f, today=2026)
    assert r["status"] == "met" and r["basis"] == "observed" and r["robustness"]["fragile"]
    assert "the 2025 figure is at the threshold within rounding" in r["notes"]
    assert "the 2025 figure is at the threshold within rounding" in r["robustness"]["reasons"]
