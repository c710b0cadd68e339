"""The build rule: one figure per indicator-year, derived figures, conflicts."""

import pandas as pd
import pytest

from dgm.data import panel


def _obs(*rows):
    cols = ["indicator", "year", "value", "kind", "reliability", "vintage", "source_id"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


def test_exact_beats_estimate_and_bounds_and_plans():
    obs = _obs(
        ("gdp", 2016, 6827.67, "estimate", "C", "2017-02-04", "jan"),
        ("gdp", 2016, 6938.0, "exact", "A", "2017-04-01", "bulletin"),
        ("gdp", 2016, 6500.0, "lower_bound", "A", "2017-01-01", "news"),
        ("gdp", 2016, 7000.0, "plan_target", "A", "2016-01-01", "plan"),
    )
    (row,) = panel.choose(obs).to_dict("records")
    assert (row["value"], row["kind"], row["n_figures"]) == (6938.0, "exact", 3)


def test_a_later_vintage_beats_an_earlier_one_whatever_the_grades():
    obs = _obs(
        ("gdp", 2016, 1.0, "exact", "C", "2018-01-01", "news of the revision"),
        ("gdp", 2016, 2.0, "exact", "A", "2017-01-01", "old"),
        ("gdp", 2016, 3.0, "exact", "A", "2017-06-01", "revised"),
    )
    assert panel.choose(obs)["value"].tolist() == [1.0]
    # an undated figure is not an earlier one: the grade decides, then the vintage
    undated = obs.assign(vintage=[None, "2017-01-01", "2017-06-01"])
    assert panel.choose(undated)["value"].tolist() == [3.0]


def test_a_preliminary_figure_never_beats_a_final_one():
    obs = _obs(
        ("gdp", 2016, 2.0, "exact", "C", "2017-04-01", "bulletin news"),
        ("gdp", 2016, 3.0, "estimate", "A", "2018-01-01", "later preliminary restatement"),
    )
    assert panel.choose(obs)["value"].tolist() == [2.0]


def test_a_lower_grade_copy_of_a_dated_official_document_counts_as_official():
    # industrial_va_above_growth 2019: the January 预计 7.8 (C) against the plan-execution report's
    # final 8.5, read only in a content-farm repost (D) of the report delivered 2020-06-11
    obs = _obs(
        ("iva_growth", 2019, 7.8, "estimate", "C", "2020-01-14", "plenum-news"),
        ("iva_growth", 2019, 8.5, "exact", "D", "2020-06-11", "report-repost"),
    )
    assert panel.choose(obs)["value"].tolist() == [
        7.8
    ]  # a mere D copy: only where nothing official
    assert panel.choose(obs, frozenset({"report-repost"}))["value"].tolist() == [8.5]
    sources = pd.DataFrame(
        {
            "source_id": ["plenum-news", "report-repost"],
            "copy_of": [None, "东莞市2019年…计划执行情况与2020年计划草案的报告, 2020-06-11"],
        }
    )
    assert panel.official_copies(sources) == {"report-repost"}


def test_bounds_only_keep_the_tightest():
    obs = _obs(
        ("industrial_output_above", 2025, 20000.0, "lower_bound", "A", "2026-01-01", "a"),
        ("industrial_output_above", 2025, 25000.0, "lower_bound", "B", "2026-01-02", "b"),
    )
    (row,) = panel.choose(obs).to_dict("records")
    assert (row["value"], row["kind"]) == (25000.0, "lower_bound")


def test_share_is_derived_only_where_none_is_published():
    obs = _obs(
        ("advanced_mfg_va", 2020, 2000.0, "exact", "A", "2021", "s1"),
        ("industrial_va_above", 2020, 4000.0, "exact", "A", "2021", "s2"),
        ("advanced_mfg_va", 2021, 2400.0, "exact", "A", "2022", "s1"),
        ("industrial_va_above", 2021, 4800.0, "exact", "A", "2022", "s2"),
        ("advanced_mfg_share", 2021, 49.9, "exact", "A", "2022", "s3"),
    )
    derived = panel.derive(panel.choose(obs), {"advanced_mfg_share": "%"})
    (row,) = derived.to_dict("records")
    assert (row["indicator"], row["year"], row["value"], row["kind"]) == (
        "advanced_mfg_share",
        2020,
        50.0,
        "derived",
    )
    assert row["formula"] == "advanced_mfg_va / industrial_va_above × 100"
    assert row["source_id"] == "s1;s2"


def test_conflicts_list_both_sources():
    obs = _obs(
        ("gdp", 2016, 6827.67, "exact", "A", "2017-02-04", "jan"),
        ("gdp", 2016, 6938.0, "exact", "B", "2017-04-01", "bulletin"),
        ("gdp", 2017, 7582.12, "exact", "A", "2018", "x"),
        ("gdp", 2017, 7580.0, "exact", "B", "2018", "y"),
        ("output", 2025, 24000.0, "exact", "A", "2026", "p"),
        ("output", 2025, 25000.0, "lower_bound", "A", "2026", "q"),
    )
    found = panel.conflicts(obs)
    assert found[["indicator", "year", "source_a", "source_b"]].values.tolist() == [
        ["gdp", 2016, "jan", "bulletin"],
        ["output", 2025, "p", "q"],
    ]
    assert found["why"].tolist() == ["differ by 1.6%", "bound broken"]


def test_above_size_output_bounds_all_industry_output_from_below():
    obs = _obs(
        ("industrial_output_above", 2024, 25000.0, "lower_bound", "B", "2025-01-20", "jan"),
        ("industrial_output_all", 2014, 10000.0, "approx", "A", "2015-01-20", "policy"),
        ("industrial_output_above", 2014, 9000.0, "exact", "A", "2015-03-01", "bulletin"),
    )
    derived = panel.derive(panel.choose(obs), {"industrial_output_all": "亿元"})
    (row,) = derived.to_dict("records")
    assert (row["indicator"], row["year"], row["value"], row["kind"]) == (
        "industrial_output_all",
        2024,
        25000.0,
        "lower_bound",
    )
    assert row["formula"] == "industrial_output_all ≥ industrial_output_above"


def test_a_full_tie_is_broken_by_source_id_whatever_the_row_order():
    rows = [
        ("gdp", 2012, 5039.21, "exact", "D", None, "blog"),
        ("gdp", 2012, 5010.14, "exact", "D", None, "wiki"),
    ]
    assert panel.choose(_obs(*rows))["source_id"].tolist() == ["blog"]
    assert panel.choose(_obs(*reversed(rows)))["source_id"].tolist() == ["blog"]


def test_a_whole_is_derived_from_a_part_and_its_stated_share():
    obs = _obs(
        ("hightech_product_output", 2010, 2368.0, "exact", "B", "2012-05-30", "plan12"),
        ("hightech_product_output_share", 2010, 30.7, "exact", "B", "2012-05-30", "plan12"),
    )
    derived = panel.derive(panel.choose(obs), {"industrial_output_above": "亿元"})
    (row,) = derived.to_dict("records")
    assert (row["indicator"], row["year"], row["kind"], row["unit"]) == (
        "industrial_output_above",
        2010,
        "derived",
        "亿元",
    )
    assert row["value"] == pytest.approx(2368.0 / 0.307)
    assert row["formula"] == "hightech_product_output / hightech_product_output_share × 100"
    assert row["inputs"] == "hightech_product_output=2368; hightech_product_output_share=30.7"


def test_a_part_is_derived_from_a_share_and_its_whole_but_never_over_a_published_point():
    obs = _obs(
        ("rd_intensity", 2020, 3.54, "exact", "A", "2021", "bulletin"),
        ("gdp", 2020, 9650.19, "exact", "A", "2021", "jan"),
        ("rd_intensity", 2019, 3.06, "exact", "A", "2020", "bulletin"),
        ("gdp", 2019, 9482.5, "exact", "A", "2020", "jan"),
        ("rd_expenditure", 2019, 289.96, "exact", "C", "2020", "askci"),
    )
    derived = panel.derive(panel.choose(obs), {})
    assert derived[["indicator", "year"]].values.tolist() == [["rd_expenditure", 2020]]
    assert derived["value"].iloc[0] == pytest.approx(341.61673, rel=1e-6)


def test_a_derived_figure_feeds_a_later_identity():
    # Enterprise R&D 415.23 at 95.6 % of the whole gives whole-city R&D 434.34, which with GDP
    # 10855.35 gives R&D intensity 4.001 % (the 2021 figures of the shipped data).
    obs = _obs(
        ("rd_expenditure_enterprises", 2021, 415.23, "exact", "C", "2022-10-11", "cn"),
        ("rd_expenditure_enterprises_share", 2021, 95.6, "exact", "C", "2022-10-11", "cn"),
        ("gdp", 2021, 10855.35, "exact", "A", "2022-01-25", "jan"),
    )
    derived = panel.derive(panel.choose(obs), {}).set_index("indicator")
    assert derived.loc["rd_expenditure", "value"] == pytest.approx(415.23 / 0.956)
    assert derived.loc["rd_intensity", "value"] == pytest.approx(415.23 / 0.956 / 10855.35 * 100)
    assert derived.loc["rd_intensity", "source_id"] == "cn;cn;jan"
    assert derived.loc["rd_intensity", "formula"] == "rd_expenditure / gdp × 100"


def test_previous_share_from_one_sources_share_and_stated_rise():
    obs = _obs(
        ("hightech_mfg_share", 2018, 39.1, "estimate", "C", "2019-01-09", "plenum"),
        ("hightech_mfg_share_change", 2018, 0.1, "estimate", "C", "2019-01-09", "plenum"),
        ("hightech_mfg_share", 2018, 38.9, "exact", "B", "2019-05-01", "report"),
        ("advanced_mfg_share", 2018, 52.3, "exact", "B", "2019-05-01", "report"),
        ("advanced_mfg_share_change", 2018, 2.0, "estimate", "C", "2019-01-09", "plenum"),
        ("advanced_mfg_share", 2016, 49.9, "exact", "D", None, "blog"),
        ("advanced_mfg_share_change", 2016, 2.0, "exact", "D", None, "blog"),
        ("advanced_mfg_share", 2015, 47.9, "exact", "C", "2022-01-17", "news"),
    )
    derived = panel.derive(panel.choose(obs), {"hightech_mfg_share": "%"}, obs)
    # the chosen 2018 figure is the later 38.9, but the rise belongs to the plenum's 39.1;
    # the advanced rise has no share beside it from its source; 2015 is published already
    (row,) = derived.to_dict("records")
    assert (row["indicator"], row["year"], row["value"], row["source_id"]) == (
        "hightech_mfg_share",
        2017,
        39.0,
        "plenum",
    )
    assert row["formula"] == "hightech_mfg_share[t] − hightech_mfg_share_change[t], t = 2018"


def _obs_written(*rows):
    cols = ["indicator", "year", "value", "as_written", "unit", "kind", "reliability", "vintage"]
    return pd.DataFrame(
        [dict(zip([*cols, "source_id"], r, strict=True)) for r in rows],
    )


def test_precision_reads_the_rounding_step_in_the_catalogue_unit():
    assert panel.precision(11400.0, "1.14万亿元", "亿元") == pytest.approx(100.0)
    assert panel.precision(5881.18, "5881.18亿元", "亿元") == pytest.approx(0.01)
    assert panel.precision(8278.59, "RMB827.859bn", "亿元") == pytest.approx(0.01)
    assert panel.precision(8.2, "8.2%左右", "%") == pytest.approx(0.1)
    table = "Gross Domestic Product (RMB billion) | 627.51 | 8.0 1 | 682.77 | 8.1 1"
    assert panel.precision(6827.7, "682.77", "亿元", table) == pytest.approx(0.1)
    assert panel.precision(5881.0, None) == 1.0


def test_a_rounded_figure_never_beats_the_figure_it_rounds_whatever_the_grade():
    # gdp 2023: the city overview's 1.14万亿 (A, approx) is 11438.13 (C, preliminary) rounded
    obs = _obs_written(
        ("gdp", 2023, 11400.0, "1.14万亿元", "亿元", "approx", "A", "2024", "overview"),
        ("gdp", 2023, 11438.13, "11438.13亿元", "亿元", "estimate", "C", "2024-01-31", "jan"),
    )
    assert panel.choose(obs)["value"].tolist() == [11438.13]


def test_a_rounded_figure_that_disagrees_is_ranked_normally():
    # 1.15万亿 does not round 11438.13: the official final-looking figure keeps its grade
    obs = _obs_written(
        ("gdp", 2023, 11500.0, "1.15万亿元", "亿元", "exact", "A", "2024", "overview"),
        ("gdp", 2023, 11438.13, "11438.13亿元", "亿元", "estimate", "C", "2024-01-31", "jan"),
    )
    assert panel.choose(obs)["value"].tolist() == [11500.0]


def test_an_official_preliminary_figure_beats_a_secondary_final_one():
    # industrial_va_above 2017: 3307 (A, preliminary) over 3316.97 (D blog, "exact")
    obs = _obs_written(
        ("iva", 2017, 3316.97, "3316.97亿元", "亿元", "exact", "D", None, "blog"),
        ("iva", 2017, 3307.0, "3307億元", "亿元", "estimate", "A", "2018-01-18", "plenum"),
    )
    assert panel.choose(obs)["source_id"].tolist() == ["plenum"]


def test_a_final_figure_in_the_news_beats_an_official_preliminary_one():
    obs = _obs_written(
        ("rd_intensity", 2019, 2.68, "2.68%", "%", "estimate", "A", "2020", "summary"),
        ("rd_intensity", 2019, 3.06, "3.06%", "%", "exact", "C", "2020-12", "bulletin-news"),
    )
    assert panel.choose(obs)["value"].tolist() == [3.06]


def test_among_equals_the_more_precise_then_the_figure_more_sources_agree_on():
    rows = [
        ("hte", 2021, 7374.0, "7374家", "家", "exact", "C", "2022-10-11", "later-feature"),
        ("hte", 2021, 7387.0, "7387家", "家", "exact", "C", "2022-01-25", "bureau-news"),
        ("hte", 2021, 7387.0, "7387家", "家", "estimate", "C", "2022-01-21", "daily"),
        ("hte", 2021, 7387.0, "7387家", "家", "exact", "D", None, "blog"),
    ]
    assert panel.choose(_obs_written(*rows))["value"].tolist() == [7387.0]
    # a lone secondary (D) copy does not count as agreement: the later vintage decides
    assert panel.choose(_obs_written(rows[0], rows[1], rows[3]))["value"].tolist() == [7374.0]
    more_precise = [
        ("x", 2020, 12.3, "12.3%", "%", "exact", "B", "2021", "a"),
        ("x", 2020, 12.31, "12.31%", "%", "exact", "B", "2020", "b"),
    ]
    assert panel.choose(_obs_written(*more_precise))["value"].tolist() == [12.31]
    # gdp 2016: the bureau's accounting in the news (C) over the plan report's rounded 预计 (A)
    accounting = [
        ("gdp", 2016, 6770.0, "6770亿元", "亿元", "estimate", "A", "2018-05-16", "plan-report"),
        ("gdp", 2016, 6827.67, "6827.67亿元", "亿元", "estimate", "C", "2017-02-04", "jan"),
    ]
    assert panel.choose(_obs_written(*accounting))["value"].tolist() == [6827.67]


@pytest.mark.parametrize(
    ("indicator", "year", "value", "beaten"),
    [
        ("gdp", 2014, 5881.18, 5881.0),
        ("gdp", 2022, 11200.32, 11200.0),
        ("gdp", 2023, 11438.13, 11400.0),
        ("gdp", 2016, 6827.67, 6770.0),
        ("rd_intensity", 2019, 3.06, 2.68),
        ("industrial_va_above", 2020, 4145.7, 4145.6),
        # the revision rule does not pick the blog's 8.1 and 3316.97: no dated official copy (notes)
        ("industrial_va_above", 2017, 3307.0, 3316.97),
        ("gdp_growth", 2017, 8.2, 8.1),
        ("industrial_va_above_growth", 2019, 8.5, 7.8),
        ("hightech_enterprises", 2021, 7387.0, 7374.0),
    ],
)
def test_the_real_panel_chooses_the_figure_a_statistician_would(indicator, year, value, beaten):
    from dgm.data.loaders import load_observations, series

    obs = load_observations()
    offered = obs.loc[(obs["indicator"] == indicator) & (obs["year"] == year), "value"]
    assert beaten in offered.tolist()
    assert series(indicator).at[year, "value"] == pytest.approx(value)


def test_a_partial_period_figure_is_used_only_where_no_full_year_figure_exists():
    cols = ["indicator", "year", "value", "kind", "reliability", "vintage", "source_id", "period"]
    obs = pd.DataFrame(
        [
            ("share", 2019, 54.0, "exact", "A", "2020-01-09", "plenum", "jan-nov"),
            ("share", 2019, 53.1, "exact", "D", None, "blog", None),
            ("share", 2020, 50.2, "exact", "A", "2020-08", "h1-release", "h1"),
            ("share", 2020, 50.9, "exact", "B", "2020-12", "q3-release", "jan-sep"),
        ],
        columns=cols,
    )
    chosen = panel.choose(obs).set_index("year")
    # 2019: even a secondary full-year figure beats the official Jan-Nov one
    assert (chosen.at[2019, "value"], chosen.at[2019, "period"]) == (53.1, "year")
    # 2020: no full-year figure, so the longest partial period
    assert (chosen.at[2020, "value"], chosen.at[2020, "period"]) == (50.9, "jan-sep")


def test_the_real_panel_flags_partial_periods_and_keeps_scopes_and_definitions_apart():
    from dgm.data.loaders import load_observations, panel_long, series

    share = series("advanced_mfg_share")
    assert (share.at[2019, "value"], share.at[2019, "period"]) == (54.0, "jan-nov")
    assert share.at[2019, "partial_period"]
    assert not share.at[2018, "partial_period"]
    assert series("hightech_mfg_share").at[2022, "period"] == "ytd"
    assert series("invention_patents_in_force").at[2023, "period"] == "stock-end-nov"
    # above-size R&D is its own series; the whole-city 2016 figure is the NBS-verified one
    assert series("rd_expenditure").at[2016, "value"] == 164.8
    assert series("rd_expenditure_above").at[2016, "value"] == 143.4
    # "超过10200家": a floor, never a point
    obs = load_observations()
    hte_2024 = obs[(obs["indicator"] == "hightech_enterprises") & (obs["year"] == 2024)]
    assert set(hte_2024["kind"]) == {"lower_bound"}
    # the researchers' compilation and the official counts are two series
    granted = obs[obs["indicator"] == "invention_patents_granted"]
    assert sorted(granted["year"]) == [2017, 2019]
    assert not granted["source_id"].str.startswith("sciencenet").any()
    compiled = obs[obs["indicator"] == "invention_patents_granted_compiled"]
    assert sorted(compiled["year"]) == [2014, 2015, 2016, 2017, 2018, 2019, 2020]
    # the policy's round 1萬億 is the goal's baseline, not an observation
    from dgm.data.loaders import load_targets

    assert not ((obs["indicator"] == "industrial_output_all") & (obs["year"] == 2014)).any()
    goal = load_targets().set_index("id").loc["industrial_output_2025"]
    assert (goal["baseline_year"], goal["baseline_value"]) == (2014, 10000.0)
    assert "partial_period" in panel_long().columns


def test_a_partial_period_figure_is_no_conflict_with_the_full_year():
    obs = _obs(
        ("share", 2019, 54.0, "exact", "C", "2020-01-14", "plenum"),
        ("share", 2019, 50.0, "exact", "A", "2020-04-01", "bulletin"),
    ).assign(period=["jan-nov", None])
    assert panel.conflicts(obs).empty
    assert len(panel.conflicts(obs.assign(period=None))) == 1
