"""Identities as checks: published figures that break an identity beyond rounding are warnings of
`dgm check` (exit 0) and rows of `dgm coverage --conflicts`, with both sides and their sources."""

import json
import shutil

import pandas as pd
import pytest

from dgm import paths
from dgm.cli import main
from dgm.data import identities

COLS = ["indicator", "year", "value", "as_written", "unit", "kind", "source_id", "vintage"]


def _chosen(*rows, **extra):
    frame = pd.DataFrame([dict(zip(COLS, r, strict=True)) for r in rows])
    return frame.assign(**extra) if extra else frame


def test_a_share_breaks_only_beyond_what_rounding_allows():
    # 52.3 % of 3904.57 is 2042.09; 52.3 stands for 52.25-52.35, so 2040.14-2044.05 fit
    rows = [
        ("advanced_mfg_share", 2018, 52.3, "52.3%", "%", "exact", "plan", "2019"),
        ("industrial_va_above", 2018, 3904.57, "3904.57亿元", "亿元", "estimate", "jan", "2019"),
    ]
    fits = ("advanced_mfg_va", 2018, 2044.0, "2044亿元", "亿元", "exact", "ok", "2019")
    assert identities.breaks(_chosen(*rows, fits)).empty
    swapped = ("advanced_mfg_va", 2018, 2420.01, "2420.01亿元", "亿元", "exact", "blog", None)
    (b,) = identities.breaks(_chosen(*rows, swapped)).to_dict("records")
    assert (b["indicator"], b["year"], b["published"]) == ("advanced_mfg_va", 2018, 2420.01)
    assert b["implied"] == pytest.approx(2042.09, abs=0.005)
    low, high = 52.25 * 3904.565 / 100, 52.35 * 3904.575 / 100  # the rounding intervals' ends
    assert (b["implied_low"], b["implied_high"]) == pytest.approx((low, high))
    assert (b["source_id"], b["input_sources"]) == ("blog", "plan; jan")


def test_growth_against_levels_only_on_one_price_basis():
    rows = [
        ("gdp", 2016, 100.0, "100亿元", "亿元", "exact", "a", "2017"),
        ("gdp", 2017, 110.0, "110亿元", "亿元", "exact", "a", "2018"),
        ("gdp_growth", 2017, 8.0, "8.0%", "%", "exact", "a", "2018"),
    ]
    nominal = identities.breaks(_chosen(*rows, price_basis="current"))
    assert nominal[["indicator", "implied"]].to_dict("records") == [
        {"indicator": "gdp_growth", "implied": pytest.approx(10.0)}
    ]
    real_growth = _chosen(*rows, price_basis=["current", "current", "comparable"])
    assert identities.breaks(real_growth).empty  # real growth is no identity with nominal levels


def test_five_year_change_against_its_compounded_years():
    years = [
        ("energy_intensity_gdp_change", y, -5.0, "5.0%", "%", "exact", "s", str(y + 1))
        for y in range(2016, 2021)
    ]
    five = ("energy_intensity_gdp_change_5y", 2020, -22.6, "22.6%", "%", "exact", "p", "2021")
    assert identities.breaks(_chosen(*years, five)).empty  # 0.95**5 - 1 = -22.62 %
    wrong = five[:2] + (-25.0, "25.0%") + five[4:]
    (b,) = identities.breaks(_chosen(*years, wrong)).to_dict("records")
    assert b["implied"] == pytest.approx((0.95**5 - 1) * 100)


def test_a_stated_change_is_read_against_its_own_sources_share():
    # 2018: 52.5 (preliminary) and +2.0 points in one paper; the final 52.3 is another source's
    obs = _chosen(
        ("advanced_mfg_share", 2017, 50.5, "50.5%", "%", "exact", "blog", None),
        ("advanced_mfg_share", 2018, 52.3, "52.3%", "%", "exact", "plan", "2019-03-21"),
        ("advanced_mfg_share", 2018, 52.5, "52.5%", "%", "estimate", "paper", "2019-01-09"),
        (
            "advanced_mfg_share_change",
            2018,
            2.0,
            "2.0个",
            "百分点",
            "estimate",
            "paper",
            "2019-01-09",
        ),
    )
    chosen = obs.drop(index=2)
    assert identities.breaks(chosen, obs).empty
    moved = obs.assign(
        value=[50.0, 52.3, 52.5, 2.0], as_written=["50.0%", "52.3%", "52.5%", "2.0个"]
    )
    (b,) = identities.breaks(moved.drop(index=2), moved).to_dict("records")
    assert (b["indicator"], b["implied"]) == ("advanced_mfg_share_change", pytest.approx(2.5))


def test_check_reports_the_2018_break_as_a_warning_and_exits_0(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "advanced_mfg_va 2018" in x)
    assert line.startswith("data/raw/observations.csv:") or "observations.csv:" in line
    assert ":value: warning:" in line
    assert (
        "= 2042.09 from advanced_mfg_share 2018 = 52.3; industrial_va_above 2018 = 3904.57" in line
    )
    assert "got 2420.01 [blog-bkwk-2018-release]" in line
    assert "hightech_mfg_va 2018" in out and "= 1518.88" in out
    assert "warning(s): figures that break an identity (they do not stop the build)" in out


def test_coverage_conflicts_lists_the_break_with_both_sides(capsys):
    assert main(["coverage", "--conflicts", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    (b,) = [r for r in rows if r["indicator"] == "advanced_mfg_va" and r["year"] == 2018]
    assert (b["value_a"], b["kind_a"], b["source_a"]) == (
        2420.01,
        "published",
        "blog-bkwk-2018-release",
    )
    assert b["value_b"] == pytest.approx(2042.09, abs=0.005) and b["kind_b"] == "implied"


def test_the_warning_goes_once_the_figure_fits(tmp_path, point_dgm_at, capsys):
    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    point_dgm_at(root)
    obs = paths.RAW / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace("2420.01", "2042.01"), encoding="utf-8")
    assert [w for w in identities.warnings(paths.RAW) if "advanced_mfg_va 2018" in w] == []
    assert any("hightech_mfg_va 2018" in w for w in identities.warnings(paths.RAW))
