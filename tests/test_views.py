"""The view from January 2015: --as-of dates compared as dates, --data-to pseudo-real-time."""

import argparse
import datetime as dt

import pandas as pd
import pytest

from dgm import cli
from dgm.cli import assess as assess_command
from dgm.cli.options import as_of_date as as_of_date_flag
from dgm.data.loaders import as_of_date, published_by, vintage_date
from dgm.engine import assess, goals


@pytest.mark.parametrize(
    ("vintage", "day"),
    [
        ("2015-05-20", dt.date(2015, 5, 20)),
        ("2023-01", dt.date(2023, 1, 31)),  # a month alone: its last day
        ("2016", dt.date(2016, 12, 31)),  # a year alone: its last day
        ("2024-12", dt.date(2024, 12, 31)),
        (None, None),
        (float("nan"), None),
    ],
)
def test_vintage_dates(vintage, day):
    assert vintage_date(vintage) == day


def test_as_of_compares_dates_not_strings():
    obs = pd.DataFrame({"vintage": ["2015-01-19", "2015-01-21", "2015", "2014-12", None]})
    kept = published_by(obs, "2015-01-20")["vintage"].tolist()
    assert kept == ["2015-01-19", "2014-12"]  # "2015" may mean December: not yet published
    assert published_by(obs, 2015)["vintage"].tolist() == [
        "2015-01-19",
        "2015-01-21",
        "2015",
        "2014-12",
    ]
    assert as_of_date(2014) == dt.date(2014, 12, 31)


@pytest.mark.parametrize(
    ("text", "value"), [("2014", 2014), ("2015-01-20", dt.date(2015, 1, 20)), (" 1949", 1949)]
)
def test_cli_as_of_accepts_a_year_or_a_date(text, value):
    assert as_of_date_flag(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3000", "expected a year from 1949 to 2100, got '3000'"),
        ("1900-01-01", "expected a year from 1949 to 2100, got '1900'"),
        ("2015-13-01", "expected a year (2014) or a date (2015-01-20), got '2015-13-01'"),
        ("soon", "expected a year (2014) or a date (2015-01-20), got 'soon'"),
    ],
)
def test_cli_as_of_refuses_with_a_clear_error(text, message):
    with pytest.raises(
        argparse.ArgumentTypeError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        as_of_date_flag(text)


def test_assess_parses_both_flags():
    args = cli.parser().parse_args(["assess", "--as-of", "2015-01-20", "--data-to", "2014"])
    assert args.as_of == dt.date(2015, 1, 20) and args.data_to == 2014


def test_view_from_2015_uses_fewer_figures_than_today():
    then = {r["target_id"]: r["n_points"] for r in assess.assess_all("2015-01-20", n_paths=200)}
    now = {r["target_id"]: r["n_points"] for r in assess.assess_all(n_paths=200)}
    assert all(then[k] <= now[k] for k in now) and sum(then.values()) < sum(now.values())


def test_data_to_2014_judges_every_goal_with_three_figures_up_to_2014():
    recs = assess.assess_all(data_to=2014, n_paths=200)
    for r in recs:
        assert r["pseudo_real_time"] is True and (r["last_year"] or 0) <= 2014
        j = goals.judged(goals.goal(r["target_id"]), data_to=2014)
        if len(j.hist[j.hist.index <= 2014]) >= 3:
            assert r["status"] != "insufficient_data", r
    # advanced manufacturing: the 2011-2014 trend against the pace needed from 2014
    adv = {r["target_id"]: r for r in recs}["advanced_mfg_share_2025"]
    assert adv["baseline_year"] == 2014 and "trend 2011-2014" in adv["notes"]


def test_main_assess_labels_pseudo_real_time(capsys):
    args = argparse.Namespace(json=False, as_of=None, data_to=2014, n_paths=200, seed=2015)
    assert assess_command.run(args) == 0
    assert "pseudo-real-time" in capsys.readouterr().out
