"""Every chart renders in zh, en and both with warnings as errors (no missing glyph), on synthetic
frames of the shapes dgm's modules return, and on the real registry where it exists."""

import warnings

import numpy as np
import pandas as pd
import pytest

from dgm import labels
from dgm.present import charts

# make test-fast draws "both" (every Chinese and English text, the two-language layout) and, where
# a chart is drawn per language, "en" (the one-language layout); make test draws every language.
SLOW_ZH = pytest.param("zh", marks=pytest.mark.slow)
SLOW_EN = pytest.param("en", marks=pytest.mark.slow)
QS = [
    0.025,
    0.05,
    0.1,
    0.15,
    0.2,
    0.25,
    0.3,
    0.35,
    0.4,
    0.45,
    0.5,
    0.55,
    0.6,
    0.65,
    0.7,
    0.75,
    0.8,
    0.85,
    0.9,
    0.95,
    0.975,
]


def _series():
    years = list(range(2012, 2024))
    df = pd.DataFrame(
        {
            "value": [
                -4.2,
                5008.81,
                5400.0,
                5800.0,
                6275.1,
                6827.7,
                7582.1,
                8278.6,
                9482.5,
                9650.2,
                10855.4,
                11200.0,
            ],
            "kind": ["exact"] * 8 + ["estimate", "approx", "lower_bound", "exact"],
            "source_id": ["dg-bulletin-2016"] * 6 + ["dg-jan-release-2021"] * 6,
            "reliability": ["A"] * 12,
            "vintage": ["2017-03-01"] * 12,
            "derived": [False] * 10 + [True, False],
        },
        index=pd.Index(years, name="year"),
    )
    df.loc[2012, "value"] = 4246.0
    df.attrs.update(indicator="industrial_output_all", unit="亿元", direction="higher_is_better")
    return df


def _fan(start=2024, end=2030, level=11200.0):
    years = range(start, end + 1)
    z = {
        q: [
            level * 1.05 ** (y - start + 1) * (1 + 0.15 * (q - 0.5) * (y - start + 1) ** 0.5)
            for y in years
        ]
        for q in QS
    }
    return pd.DataFrame(z, index=pd.Index(list(years), name="year"))


TARGET = {
    "id": "industrial_output_2025",
    "label_zh": "工業總產值達到2萬億元",
    "label_en": "Gross industrial output reaches 2 trillion yuan",
    "indicator": "industrial_output_all",
    "unit": "亿元",
    "comparison": ">=",
    "target_value": 20000.0,
    "target_year": 2025,
    "baseline_year": 2014,
    "baseline_value": 10000.0,
    "kind": "level",
    "clause": "二——規模結構領先",
}
TARGET2 = {
    **TARGET,
    "id": "advanced_mfg_share_2025",
    "label_zh": "先進制造業占比超過60%",
    "label_en": "Advanced manufacturing above 60 %",
    "unit": "%",
    "comparison": ">",
    "target_value": 60.0,
    "kind": "share",
}
SOURCES = pd.DataFrame(
    {
        "source_id": ["dg-bulletin-2016", "dg-jan-release-2021"],
        "title": ["2016年东莞市国民经济和社会发展统计公报", "东莞市2020年经济运行情况"],
        "publisher": ["东莞市统计局", "东莞市统计局"],
        "published": ["2017-03-01", "2021-01-20"],
        "url": ["https://tjj.dg.gov.cn/a", "https://tjj.dg.gov.cn/b"],
    }
)
ASSESSMENT = [
    {
        "target_id": "industrial_output_2025",
        "indicator": "industrial_output_all",
        "status": "met",
        "latest_year": 2025,
        "latest_value": 26000.0,
        "latest_kind": "lower_bound",
        "required_rate": 0.0651,
        "observed_rate": 0.081,
        "rate_ratio": 1.24,
        "escap_gap": -0.1,
        "unsd_q": 1.2,
        "p_attain": 1.0,
        "crossing_year_median": 2023,
    },
    {
        "target_id": "advanced_mfg_share_2025",
        "indicator": "advanced_mfg_share",
        "status": "deterioration",
        "latest_year": 2022,
        "latest_value": 46.0,
        "latest_kind": "exact",
        "required_rate": 0.0224,
        "observed_rate": -0.0027,
        "rate_ratio": -0.12,
        "escap_gap": 0.87,
        "unsd_q": -0.1,
        "p_attain": 0.012,
        "crossing_year_median": None,
    },
    {
        "target_id": "famous_brands_2025",
        "indicator": "famous_brands",
        "status": "insufficient_data",
        "latest_year": None,
        "latest_value": None,
        "required_rate": None,
        "observed_rate": None,
        "rate_ratio": None,
        "escap_gap": None,
        "unsd_q": None,
        "p_attain": None,
        "crossing_year_median": None,
    },
]
TARGETS = pd.DataFrame(
    [
        TARGET,
        TARGET2,
        {
            **TARGET,
            "id": "famous_brands_2025",
            "label_zh": "名牌名標超過1200個",
            "label_en": "Famous brands above 1,200",
            "unit": "个",
            "target_value": 1200.0,
        },
    ]
)
BACKTESTS = pd.DataFrame(
    [
        (ind, m, mase, 10 * mase, c80, c95, n)
        for ind, k in (("gdp", 1.0), ("gdp_growth", 1.6))
        for m, mase, c80, c95, n in (
            ("naive_drift", 1.5 * k, 0.41, 0.54, 39),
            ("arima_drift", 1.2 * k, 0.31, 0.46, 39),
            ("ensemble", 1.1 * k, 0.59, 0.87, 39),
            ("new_method", 0.9 * k, None, None, 0),
        )
    ],
    columns=["indicator", "method", "mase", "smape", "coverage80", "coverage95", "n_forecasts"],
)
RECORDS = pd.DataFrame(  # dgm.backtest.backtest_records: the columns error_chart reads
    [
        ("gdp", m, 2015, h, 2015 + h, 100 + e * h, 100.0, 2.0, "real-time")
        for h in (1, 2, 3)
        for m in ("naive_drift", "theta", "ensemble")
        for e in (-2.0, 0.5, 1.0, 3.0)
    ],
    columns=["indicator", "method", "origin", "h", "target_year", "actual", "forecast"]
    + ["scale_abs", "vintage"],
)
MATRIX = pd.DataFrame(
    [["exact", "approx", "estimate", "bound"], ["derived", "plan", "missing", "exact"]],
    index=pd.Index(["gdp", "industrial_output_all"], name="indicator"),
    columns=pd.Index([2014, 2015, 2016, 2017], name="year"),
)
INDICATORS = pd.DataFrame(
    {
        "id": ["gdp", "industrial_output_all"],
        "label_zh": ["地区生产总值", "工业总产值"],
        "label_en": ["Gross domestic product", "Gross industrial output"],
        "unit": ["亿元", "亿元"],
    }
)
MEASURES = pd.DataFrame(
    {
        "number": [1, 2, 3],
        "programme_zh": ["(一)實施智能制造工程", "(一)實施智能制造工程", "四、營造良好發展環境"],
        "programme_en": ["Smart manufacturing programme"] * 2 + ["Section 4: environment"],
        "title_zh": ["加速開啟“機器換人”時代", "全力推行“數控一代”示范工程", "優化審批"],
        "title_en": ["Machines replacing workers", "Numerical-control generation", "Approvals"],
        "departments": ["市經信局、科技局、財政局", "市科技局、經信局", "有關職能部門和各鎮街"],
    }
)


def _all_charts(lang):
    obs = _series()
    fan = _fan()
    return {
        "path_deciles": charts.path_to_goal(obs, TARGET, fan, sources=SOURCES, lang=lang),
        "path_509580": charts.path_to_goal(
            obs, TARGET, fan, sources=SOURCES, lang=lang, bands="50/80/95"
        ),
        "path_no_fan": charts.path_to_goal(obs, TARGET, lang=lang),
        "path_indicator": charts.path_to_goal(
            obs, None, fan, indicator=INDICATORS.iloc[1], lang=lang
        ),
        "rate": charts.rate_chart(ASSESSMENT, TARGETS, lang=lang),
        "scorecard": charts.scorecard_chart(ASSESSMENT, TARGETS, lang=lang),
        "coverage": charts.coverage_chart(MATRIX, INDICATORS, sources=SOURCES, lang=lang),
        "scenario": charts.scenario_chart(
            {"trend": fan, "flat": pd.Series(11200.0, index=range(2024, 2031))},
            obs,
            TARGET,
            labels={"trend": ("趋势", "trend"), "flat": ("持平", "flat")},
            sources=SOURCES,
            lang=lang,
        ),
        "backtest": charts.backtest_chart(BACKTESTS, lang=lang),
        "error": charts.error_chart(RECORDS, lang=lang),
        "measures": charts.measures_chart(MEASURES, lang=lang),
    }


@pytest.fixture(scope="module", autouse=True)
def agg():
    import matplotlib

    matplotlib.use("Agg")


@pytest.mark.parametrize("lang", [SLOW_ZH, SLOW_EN, "both"])  # "both" has every glyph and the
def test_every_chart_renders_without_warnings(lang):  # widest labels: the fast lane draws it
    from matplotlib.figure import Figure

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph or a collapsed layout fails here
        figs = _all_charts(lang)
        for name, fig in figs.items():
            assert isinstance(fig, Figure), name
            fig.canvas.draw()
            assert fig._suptitle is not None and fig._suptitle.get_text(), name
    drawn = {"path_to_goal"} | {f"{n}_chart" for n in figs if not n.startswith("path")}
    assert drawn == set(charts.CHARTS)  # a new chart function must be added to this test


def _texts(fig):
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_labels_follow_lang():
    zh = " ".join(_texts(charts.path_to_goal(_series(), TARGET, _fan(), lang="zh")))
    en = " ".join(_texts(charts.path_to_goal(_series(), TARGET, _fan(), lang="en")))
    both = " ".join(_texts(charts.path_to_goal(_series(), TARGET, _fan(), lang="both")))
    # the registry's traditional label, drawn in simplified characters (dgm.zh)
    assert "工业总产值达到2万亿元" in zh and "Gross industrial output" not in zh
    assert "Gross industrial output" in en and "工业总产值" not in en
    assert "工业总产值" in both and "Gross industrial output" in both
    with pytest.raises(ValueError):
        charts.path_to_goal(_series(), TARGET, lang="fr")


def test_path_chart_furniture():
    fig = charts.path_to_goal(_series(), TARGET, _fan(), sources=SOURCES, lang="en")
    fig.canvas.draw()
    text = " ".join(_texts(fig))
    assert "100 million yuan" in text  # unit on the axis
    assert "2016年东莞市国民经济和社会发展统计公报" in text  # source footnote names documents
    assert "Goal (2025): ≥ 20,000" in text  # labelled goal line with its year
    for cov in (20, 40, 60, 80):  # band coverage stated
        assert f"central {cov}% probability band" in text
    assert "Lower bound" in text and "Preliminary or estimate" in text
    ax = fig.axes[0]
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() not in ("-", "None", "")]
    assert dashed, "projection median and goal are not solid"
    text95 = " ".join(
        _texts(charts.path_to_goal(_series(), TARGET, _fan(), lang="en", bands="50/80/95"))
    )
    assert all(f"central {c}% probability band" in text95 for c in (50, 80, 95))


def _exploding_fan(start=2024, end=2030, level=11200.0):
    """Log-normal quantiles whose spread grows to σ = 2.2 by 2030: the 90 % path ends ~20× the
    median, as the high-tech-firms fan once did (10,200 in 2024, ~250,000 in 2030)."""
    from statistics import NormalDist

    z = {q: NormalDist().inv_cdf(q) for q in QS}
    years = range(start, end + 1)
    vals = {
        q: [
            level * 1.06 ** (y - start + 1) * np.exp(z[q] * 0.83 * (y - start + 1) ** 0.5)
            for y in years
        ]
        for q in QS
    }
    return pd.DataFrame(vals, index=pd.Index(list(years), name="year"))


@pytest.mark.parametrize("bands", ["deciles", "50/80/95"])
def test_exploding_fan_is_cut_at_the_stated_quantile_and_says_so(bands):
    fan, obs = _exploding_fan(), _series()
    fig = charts.path_to_goal(obs, TARGET, fan, sources=SOURCES, lang="en", bands=bands)
    fig.canvas.draw()
    ax = fig.axes[0]
    cut = fan[charts.FAN_CAP_QUANTILE].max()  # the 75th percentile, highest in 2030
    bottom, top = ax.get_ylim()
    assert cut <= top < fan[0.9].max() / 3  # the outer band no longer sets the scale
    assert (obs["value"].max() - bottom) / (top - bottom) > 0.12  # history keeps height
    text = " ".join(" ".join(_texts(fig)).split())  # footnotes wrap
    assert f"above {cut:,.0f}: not shown" in text  # legend line
    assert f"75th percentile of the paths ({cut:,.0f}); 25% of paths lie above it in 2030" in text
    assert [ln for ln in ax.get_lines() if ln.get_gid() == charts.FAN_CAP_NOTE]  # the arrow
    zh = "".join("".join(_texts(charts.path_to_goal(obs, TARGET, fan, lang="zh"))).split())
    assert f"纵轴截于路径的第75百分位（{cut:,.0f}）；2030年25%的路径高于此值" in zh


def test_moderate_fan_is_drawn_whole():
    fan = _fan()
    fig = charts.path_to_goal(_series(), TARGET, fan, sources=SOURCES, lang="en")
    ax = fig.axes[0]
    assert ax.get_ylim()[1] >= fan[0.9].max()
    assert not [ln for ln in ax.get_lines() if ln.get_gid() == charts.FAN_CAP_NOTE]
    assert "not shown" not in " ".join(_texts(fig))


def test_minus_sign_on_axes():
    obs = _series()
    obs["value"] = np.linspace(-8, 6, len(obs))
    obs.attrs["unit"] = "%"
    fig = charts.path_to_goal(obs, {**TARGET2, "target_value": 5.0}, lang="zh")
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any(s.startswith("\u2212") for s in ticks), ticks
    assert not any(s.startswith("-") for s in ticks), ticks


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (20000, "亿元", "20,000"),
        (60.0, "%", "60%"),
        (3.54, "%", "3.54%"),
        (-4.2, "%", "−4.2%"),
        (5008.81, "亿元", "5,008.81"),
        (None, None, "–"),
        (0.5, None, "0.5"),
    ],
)
def test_fmt_value(value, unit, expected):
    assert charts.fmt_value(value, unit) == expected


def test_departments_normalised():
    assert charts.departments("市經信局、科技局、財政局和各鎮街") == [
        "經信局",
        "科技局",
        "財政局",
        "各鎮街",
    ]
    assert charts.departments(None) == []


def test_source_note_caps_and_names():
    ids = [f"s{i}" for i in range(12)]
    note = charts.source_note(ids, None, "en")
    assert note.startswith("Sources: s0") and "and 4 more" in note
    note = charts.source_note(["dg-bulletin-2016"], SOURCES, "zh", goal=TARGET)
    assert "2016年东莞市国民经济和社会发展统计公报" in note and "二——規模結構領先" in note


def test_style_helpers():
    assert labels.unit_label("亿元", "both") == "亿元（100 million yuan）"
    assert labels.pick("甲", "A", "both", " · ") == "甲 · A"
    assert max(len(s) for s in labels.wrap("一" * 30, 20).split("\n")) == 10


def test_charts_leave_global_rcparams_alone():
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    charts.rate_chart(ASSESSMENT, TARGETS, lang="zh")
    assert dict(mpl.rcParams) == before


@pytest.mark.parametrize("lang", [SLOW_ZH, SLOW_EN, "both"])
def test_real_registry_charts_render(lang):
    """The real goal registry, catalogue and measures (small, always present) render cleanly."""
    import dgm
    from dgm.data.coverage import coverage_matrix

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.measures_chart(dgm.load_measures(), lang=lang).canvas.draw()
        charts.coverage_chart(
            coverage_matrix(), dgm.load_indicators(), sources=dgm.load_sources(), lang=lang
        ).canvas.draw()
        targets = dgm.load_targets()
        for row in targets.head(3).to_dict("records"):
            obs = dgm.series(row["indicator"])
            charts.path_to_goal(obs, row, sources=dgm.load_sources(), lang=lang).canvas.draw()


def test_saved_files_keep_title_and_footnote(tmp_path):
    """bbox_inches="tight" in export.save must not crop the footnote strip or the title."""
    from PIL import Image

    from dgm.present import export

    fig = charts.path_to_goal(_series(), TARGET, _fan(), sources=SOURCES, lang="both")
    png = export.save(fig, "keep footnote", tmp_path, formats=("png",))[0]
    with Image.open(png) as im:
        w, h = im.size
    fw, fh = fig.get_size_inches() * export.PNG_DPI
    assert h >= 0.93 * fh and w >= 0.93 * fw, ((w, h), (fw, fh))


def test_reduction_goal_line_reads_at_most_70_and_says_where_the_bridge_filled():
    goal = {
        "id": "energy",
        "indicator": "energy_intensity_industry_change",
        "kind": "reduction_vs_baseline",
        "comparison": ">=",
        "target_value": 30.0,
        "target_year": 2025,
        "unit": "%",
        "label_en": "Energy use per unit of industrial value added down at least 30 %",
        "label_zh": "單位工業增加值能耗降低30%以上",
    }
    obs = pd.DataFrame(
        {"value": [100.0, 95.0, 76.0, 73.7], "kind": "exact", "bridged": [0, 0, 1, 0]},
        index=pd.Index([2014, 2015, 2020, 2021], name="year"),
    ).astype({"bridged": bool})
    obs.attrs.update(unit="index, 2014 = 100")
    text = " ".join(_texts(charts.path_to_goal(obs, goal, lang="en")))
    assert "Goal (2025): ≤ 70" in text and "≥ 70" not in text
    assert "2020: reached through a five-year cumulative change" in text


def test_scorecard_marks_fragile_verdicts():
    rec = {
        "target_id": "x",
        "status": "deterioration",
        "target_value": 60.0,
        "target_year": 2025,
        "comparison": ">",
        "robustness": {"fragile": True},
    }
    text = " ".join(_texts(charts.scorecard_chart([rec], lang="en")))
    assert "Deterioration †" in text or "deterioration †" in text.lower()
    assert "† fragile" in text


def test_goal_label_moves_off_lines_that_cross_it():
    """A scenario path through the goal label's first place (above the goal at its year): the
    label moves along the goal line to a place no line crosses; at its first place it would."""
    years = list(range(2016, 2031))
    history = pd.DataFrame({"value": [2.4, 2.7, 3.0, 3.3, 3.5]}, index=years[:5])
    history.index.name = "year"
    goal = {**TARGET2, "target_value": 4.0, "baseline_year": 2014}
    paths = {  # one path runs through the label's first place, just above (2025, 4)
        "steep": pd.Series([3.5 + 0.3 * i for i in range(11)], index=years[4:]),
        "flat": pd.Series([3.5 + 0.02 * i for i in range(11)], index=years[4:]),
    }
    fig = charts.scenario_chart(paths, history, goal, lang="both")
    assert charts.label_collisions(fig) == []
    label = next(a for ax in fig.axes for a in ax.texts if a.get_gid() == charts.GOAL_LABEL)
    label.xy, label.xyann = (2025, 4.0), (-4, 4)
    label.set_ha("right")
    label.set_va("bottom")
    assert charts.label_collisions(fig) == [label.get_text()]


def _drawn_points(fig) -> set[tuple[int, float]]:
    """(year, value) of every point a figure's lines and markers draw."""
    out = set()
    for ax in fig.axes:
        for line in ax.get_lines():
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
                if isinstance(x, int | float | np.integer | np.floating) and float(x).is_integer():
                    out.add((int(x), round(float(y), 6)))
    return out


@pytest.mark.parametrize("goal_id", ["rd_intensity_2025", "advanced_mfg_share_2025"])
def test_a_fan_chart_draws_every_point_its_verdict_uses(goal_id):
    """Every figure of the judged series (derived ones too: R&D intensity 2021 = spending / GDP)
    is drawn, and the fan starts from the last of them."""
    from dgm.present.goal_view import assessment, goal_chart, goal_row

    a = assessment(goal_id, None, 200, 2015)
    assert a.forecast is not None
    drawn = _drawn_points(goal_chart(goal_row(goal_id), a.forecast, None, "en"))
    used = {(int(y), round(float(v), 6)) for y, v in a.judged.hist.items()}
    assert used <= drawn, sorted(used - drawn)
    last = int(a.judged.hist.index.max())
    assert charts.fan.anchor(a.forecast.quantiles, a.judged.frame()).index.min() == last


def test_the_output_chart_shows_the_baseline_and_the_path_the_goal_implied():
    """The output goal has no point of its own, only bounds: the chart still shows where the text
    starts (10,000 亿元 in 2014) and the doubling it asked for (+6.5 % a year to 2025)."""
    from dgm.present.goal_view import goal_chart, goal_row

    fig = goal_chart(goal_row("industrial_output_2025"), None, None, "en")
    drawn = _drawn_points(fig)
    assert (2014, 10000.0) in drawn and (2025, 20000.0) in drawn
    assert (2020, round(10000 * 2 ** (6 / 11), 6)) in drawn  # on the constant-growth path
    text = " ".join(_texts(fig)).replace("\n", " ")  # legend entries wrap
    assert "2014 baseline, as the text states" in text
    assert "Path the goal implied (+6.5% a year)" in text
    assert fig.axes[0].get_xlim()[0] < 2014
