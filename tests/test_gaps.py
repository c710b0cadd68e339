"""dgm gaps: which missing figures would settle each goal, with numbers from the engine.

Known answers: the candidate years of a series, a goal checked by hand (its threshold, the
statuses a 2018 figure gives), a goal whose values are its forecast's quantiles, the same numbers
through an independent route (dgm.engine.assess on loaders.supposing), the supposed panel against a full
rebuild, and the JSON contract.
"""

import json

import numpy as np
import pandas as pd
import pytest

from dgm.cli import main
from dgm.data import loaders
from dgm.data.loaders import supposing
from dgm.engine import assess, gaps

CONTRACT = {
    "indicator",
    "year",
    "period",
    "status_low",
    "status_mid",
    "status_high",
    "p_low",
    "p_mid",
    "p_high",
    "can_flip",
    "where",
}


def test_candidate_years_known_answers():
    window = range(2014, 2026)
    # no figure at all: the first and the last year of the window
    assert gaps.candidate_years(window, set(), set()) == [2014, 2025]
    # shares: points to 2020, a part-year 2019 and 2022: the gaps inside, after and the latest
    have = {2011, 2014, 2015, 2016, 2017, 2018, 2020}
    years = gaps.candidate_years(window, have, have | {2019, 2022})
    assert years == [2019, 2021, 2022, 2023, 2024, 2025]
    # one stock at the end of November 2023 (not a full-year figure)
    assert gaps.candidate_years(window, set(), {2023}) == [2014, 2023, 2024, 2025]


def test_one_goal_by_hand_rd_institution_coverage_2018():
    # >= 50 % of above-size manufacturers with an R&D institution by 2018; the only figure is
    # 52.4 % in 2021, so no range: the threshold 50 ± 10 % is supposed (45, 50, 55). A 2018
    # figure decides the goal ex post: 45 < 50 not met, 50 and 55 met; P(goal met) 0, 1, 1.
    (g,) = gaps.one_goal("rd_institution_coverage_2018")
    assert g["status"] == "insufficient_data"
    top = g["figures"][0]
    assert (top["indicator"], top["year"], top["period"]) == (
        "rd_institution_coverage",
        2018,
        "year",
    )
    assert (top["value_low"], top["value_mid"], top["value_high"]) == (45.0, 50.0, 55.0)
    assert (top["status_low"], top["status_mid"], top["status_high"]) == ("not_met", "met", "met")
    assert (top["p_low"], top["p_mid"], top["p_high"]) == (0.0, 1.0, 1.0)
    assert top["can_flip"] and top["settles"]
    assert top["values_from"].startswith("the goal's threshold 50 ± 10 %")
    assert top["where"] == (
        "中新网 / 南方日报 news on the statistics bureau's R&D survey of above-size industry: share"
        " of above-size industrial enterprises with R&D institutions (设立研发机构的比例)"
        " (figure_read, 2021)"
    )  # data/raw/publications.csv, in words
    # a figure for 2014, 2016 or 2017 alone changes nothing (no verdict): only 2018 is listed
    assert [f["year"] for f in g["figures"]] == [2018]


def test_a_forecast_goal_is_supposed_at_its_quantiles_and_the_engine_agrees():
    a = assess.assessment("hightech_mfg_share_2025")
    (g,) = gaps.one_goal("hightech_mfg_share_2025")
    f = next(x for x in g["figures"] if x["year"] == 2024)
    col = int(np.flatnonzero(a.forecast.years == 2024)[0])
    q = np.quantile(a.forecast.paths[:, col], [0.1, 0.5, 0.9])
    assert (f["value_low"], f["value_mid"], f["value_high"]) == tuple(float(f"{v:.4g}") for v in q)
    assert f["values_from"] == "the forecast's 10/50/90 % quantiles"
    # the same what-if through dgm.engine.assess directly: the engine's numbers, not gaps' own
    for level in ("low", "mid", "high"):
        row = gaps.supposed_rows(gaps.Candidate("hightech_mfg_share", (2024,)), f[f"value_{level}"])
        with supposing(row):
            rec = assess.assessment("hightech_mfg_share_2025", n_paths=gaps.WHAT_IF_PATHS).record
        assert rec["status"] == f[f"status_{level}"]
        assert rec["p_attain"] == f[f"p_{level}"]
        assert rec["latest_year"] == 2024 and rec["latest_value"] == f[f"value_{level}"]
    # a 2025 figure in the forecast's 10-90 % band is below 50 %: not met whatever it is
    top = g["figures"][0]
    assert top["year"] == 2025 and top["value_high"] < 50
    assert (top["status_low"], top["status_mid"], top["status_high"]) == ("not_met",) * 3


def test_outside_a_supposing_block_nothing_changed():
    before = loaders.series("famous_brands")
    row = gaps.supposed_rows(gaps.Candidate("famous_brands", (2025,)), 1300.0)
    with supposing(row):
        assert loaders.series("famous_brands").loc[2025, "value"] == 1300.0
    assert loaders.series("famous_brands").equals(before) and 2025 not in before.index


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    cols = sorted(set(a.columns) | set(b.columns))

    def norm(f):
        f = f.reindex(columns=cols).sort_values(["indicator", "year", "value"]).astype(object)
        return f.where(f.notna(), None).reset_index(drop=True)

    return norm(a).equals(norm(b))


REPRESENTATIVE = [  # every relation of the build: a ratio, a chained ratio, a stated change, a part
    ("advanced_mfg_share", 2023, "%"),
    ("advanced_mfg_share", 2017, "%"),
    ("hightech_mfg_share", 2017, "%"),
    ("rd_expenditure", 2022, "亿元"),
    ("rd_intensity", 2021, "%"),
    ("industrial_output_above", 2022, "亿元"),
    ("famous_brands", 2025, "个"),
]


def _check_supposed_panel(cases):
    for ind, year, unit in cases:
        row = gaps.supposed_rows(gaps.Candidate(ind, (year,)), 12.5)
        assert row[0]["unit"] == unit
        with supposing(row):
            fast = loaders.panel_long()
            full = loaders._build(loaders._observations(loaders.state()))
        assert _same(fast, full), (ind, year)


def test_the_supposed_panel_is_the_full_rebuild():
    _check_supposed_panel(REPRESENTATIVE)


@pytest.mark.slow  # every catalogue indicator in four years: ~180 rebuilds of the panel
def test_the_supposed_panel_is_the_full_rebuild_for_every_indicator():
    cat = loaders.load_indicators()
    cases = [
        (i, y, u)
        for i, u in zip(cat["id"], cat["unit"], strict=True)
        for y in (2013, 2018, 2021, 2025)
    ]
    _check_supposed_panel(cases)


def test_headline_counts_a_greedy_cover_of_the_open_goals():
    def fig(ind, year, settles, together=()):
        return {"indicator": ind, "year": year, "settles": settles, "together_with": list(together)}

    found = [
        {"target_id": "a", "status": "insufficient_data", "figures": [fig("x", 2025, True)]},
        {"target_id": "b", "status": "insufficient_data", "figures": [fig("x", 2025, True)]},
        {"target_id": "c", "status": "insufficient_data", "figures": [fig("y", 2025, False)]},
        {
            "target_id": "d",
            "status": "insufficient_data",
            "figures": [fig("z", 2025, True, [2024])],
        },
        {"target_id": "e", "status": "on_track", "figures": [fig("w", 2025, True)]},
    ]
    head = gaps.headline(found)
    assert (head["figures"], head["settled"], head["open"]) == (3, 3, 4)
    assert head["text"] == "3 figures would settle 3 of the 4 open goals"


def test_cli_json_keeps_the_contract(capsys):
    assert main(["gaps", "--json", "--goal", "famous_brands_2025"]) == 0
    (g,) = json.loads(capsys.readouterr().out)
    assert {"target_id", "status", "figures"} <= set(g)
    assert g["figures"] and all(CONTRACT <= set(f) for f in g["figures"])
    f = g["figures"][0]
    assert (f["indicator"], f["year"], f["status_low"], f["status_high"]) == (
        "famous_brands",
        2025,
        "not_met",
        "met",
    )  # more than 1200 brands: 1080 not met, 1320 met


def test_cli_refuses_an_unknown_goal(capsys):
    assert main(["gaps", "--goal", "no_such_goal"]) == 1
    assert "dgm: gaps: unknown goal 'no_such_goal'" in capsys.readouterr().err


@pytest.mark.slow  # every goal's what-ifs (~20 s CPU)
def test_every_open_and_every_fragile_goal_gets_a_figure(capsys):
    assert main(["gaps", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    records = {r["target_id"]: r for r in assess.assess_all()}
    assert [g["target_id"] for g in found] == list(records)
    need = [
        t
        for t, r in records.items()
        if r["status"] == "insufficient_data" or r["robustness"]["fragile"]
    ]
    assert len(need) >= 12
    for t in need:
        g = next(x for x in found if x["target_id"] == t)
        assert g["figures"], t
        assert all(CONTRACT <= set(f) for f in g["figures"])
    head = gaps.headline(found)
    assert head["open"] == sum(r["status"] == "insufficient_data" for r in records.values())


def test_every_series_a_goal_is_judged_on_says_where_it_is_published():
    places = set(loaders.load_publications()["indicator"])
    for a in assess.assessments(n_paths=200):
        for ind in gaps._indicators(a):
            assert ind in places, (a.record["target_id"], ind)


def test_a_group_of_the_latest_years_is_supposed_together():
    # labour productivity: one yearly figure (2014); the latest missing years, 2 and 3 together
    a = assess.assessment("industrial_labour_productivity_growth_2015_2025", n_paths=200)
    cands = gaps.groups(a)
    assert [c.years for c in cands] == [(2025, 2024), (2025, 2024, 2023)]
    f = gaps.figure(a, cands[1], loaders.load_publications())
    assert (f["year"], f["together_with"]) == (2025, [2024, 2023])
    assert (f["value_low"], f["value_mid"], f["value_high"]) == (9.0, 10.0, 11.0)
    # 11 % a year for three years: the goal's 10 % is met whatever the engine's route to it
    with supposing(gaps.supposed_rows(cands[1], 11.0)):
        rec = assess.assessment(a.record["target_id"], n_paths=gaps.WHAT_IF_PATHS).record
    assert rec["status"] == f["status_high"] and f["status_high"] != "insufficient_data"
    assert gaps.template_rows([{"target_id": "x", "figures": [f]}])["year"].tolist() == [
        2025,
        2024,
        2023,
    ]
