"""dgm.present.charts.error_chart: the backtest's scaled errors by horizon and method, drawn with seaborn
in the house style; every box's median is the median of its forecasts' errors."""

import warnings

import numpy as np
import pandas as pd
import pytest

from dgm.present import charts, style
from dgm.present.charts import errors

SLOW = pytest.mark.slow
SHIFT = {"naive_drift": 0.5, "theta": -1.0, "ensemble": 0.25, "ensemble_uncalibrated": 9.0}
STEPS = (-2, -1, 1, 2, 4)  # errors at horizon h: h·k + SHIFT[method]; the median is k = 1
SOURCES = pd.DataFrame(
    [{"source_id": "dg-bulletin-2016", "title": "2016年东莞市国民经济和社会发展统计公报"}]
)


def _records(vintage: str = "real-time") -> pd.DataFrame:
    """Backtest records (the columns error_chart reads) of two indicators whose scaled errors
    are known: at horizon h, method m, the five errors h·k + SHIFT[m] for k in STEPS."""
    rows = []
    for h in (1, 2, 3):
        for method, shift in SHIFT.items():
            for i, k in enumerate(STEPS):
                forecast, scale = 100.0 + i, 2.0 + h
                rows.append(
                    {
                        "indicator": ("gdp", "gdp_growth")[i % 2],
                        "method": method,
                        "origin": 2010 + i,
                        "h": h,
                        "target_year": 2010 + i + h,
                        "actual": forecast + (h * k + shift) * scale,
                        "forecast": forecast,
                        "scale_abs": scale,
                        "vintage": vintage,
                    }
                )
    return pd.DataFrame(rows)


def _medians(fig) -> list[float]:
    """The y of every median line drawn, left to right."""
    lines = [ln for ln in fig.axes[0].get_lines() if ln.get_gid() == errors.MEDIAN]
    lines.sort(key=lambda ln: float(np.mean(ln.get_xdata())))
    for ln in lines:
        low, high = ln.get_ydata()
        assert low == high
    return [float(ln.get_ydata()[0]) for ln in lines]


def _texts(fig) -> str:
    from matplotlib.text import Text

    return " ".join(t.get_text() for t in fig.findobj(Text) if t.get_text())


def test_a_scaled_error_is_the_miss_in_mean_yearly_changes():
    recs = pd.DataFrame(
        {
            "indicator": ["gdp", "gdp"],
            "method": ["ensemble", "theta"],
            "origin": [2015, 2015],
            "h": [2, 2],
            "actual": [12.0, 7.0],
            "forecast": [10.0, 10.0],
            "scale_abs": [2.0, 2.0],
            "vintage": ["real-time"] * 2,
        }
    )
    # outcome above the forecast by one yearly change: +1; below by 1.5 changes: −1.5
    assert errors.scaled_errors(recs)["scaled_error"].tolist() == [1.0, -1.5]


@pytest.mark.parametrize("lang", [pytest.param("zh", marks=SLOW), "en", "both"])
def test_one_box_per_horizon_and_method_at_the_median_of_its_errors(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph or a seaborn deprecation fails here
        fig = charts.error_chart(
            _records(), outcomes=SOURCES.assign(year=2016), sources=SOURCES, lang=lang
        )
        fig.canvas.draw()
    shown = errors.SHOWN  # ensemble_uncalibrated is in the records, not in the chart
    assert _medians(fig) == pytest.approx([h + SHIFT[m] for h in (1, 2, 3) for m in shown])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["1", "2", "3"]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    zh, en = ["朴素漂移", "Theta 法", "组合预测"], ["Naive with drift", "Theta", "Ensemble"]
    words = {"zh": zh, "en": en, "both": [f"{a} · {b}" for a, b in zip(zh, en, strict=True)]}
    assert legend == words[lang]
    text = _texts(fig)
    if lang != "zh":
        assert "by years ahead and method" in text
        assert "real-time vintage" in text and "45 forecasts of 2 indicators" in text
    if lang != "en":
        assert "按预测期与方法" in text and "2个指标共45个预测" in text
    assert "2016年东莞市国民经济和社会发展统计公报" in text  # the outcomes' source


def test_the_footnote_names_the_vintage_of_the_records():
    fig = charts.error_chart(_records("final"), lang="en")
    assert "final vintage (pseudo-real-time" in _texts(fig)


def test_it_draws_in_seaborns_theme_and_leaves_rcparams_alone():
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    fig = charts.error_chart(_records(), lang="en")
    assert dict(mpl.rcParams) == before
    assert fig.theme is style.seaborn_theme  # its later draws (notebook, savefig) too
    with style.seaborn_theme():
        assert mpl.rcParams["xtick.major.size"] == pytest.approx(4.8)  # seaborn's paper ticks
        assert mpl.rcParams["font.size"] == style.BASE_FONT_PT  # the house's text over them
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == style.PALETTE


@SLOW
def test_on_the_real_backtest_the_medians_drawn_are_the_records_medians():
    from dgm.engine import backtest

    recs = backtest.backtest_records()
    fig = charts.error_chart(recs, outcomes=backtest.outcome_figures(recs), lang="en")
    shown = recs[recs["method"].isin(errors.SHOWN)]
    error = (shown["actual"] - shown["forecast"]) / shown["scale_abs"]
    by = error.groupby([shown["h"], shown["method"]]).median()
    expected = [by[(h, m)] for h in sorted(shown["h"].unique()) for m in errors.SHOWN]
    assert len(expected) == 6 * 3
    assert _medians(fig) == pytest.approx(expected)
    outcomes = backtest.outcome_figures(recs)
    assert set(zip(outcomes["indicator"], outcomes["year"], strict=True)) == set(
        zip(recs["indicator"], recs["target_year"], strict=True)
    )  # every forecast's outcome, and its document, is there
