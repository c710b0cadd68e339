"""dgm.present.readings: figures as a reader sees them, and the assessment split into two tables."""

import math

import pandas as pd
import pytest

from dgm.present import readings


@pytest.mark.parametrize(
    ("row", "text"),
    [  # the real data: as published, or three significant digits for a derived figure
        (
            {"indicator": "rd_intensity", "unit": "%", "latest_value": 4.0011699686}
            | {"latest_year": 2021},
            "4.00 % (2021)",
        ),
        (
            {"indicator": "industrial_va_rate", "unit": "%", "latest_value": 21.499551}
            | {"latest_year": 2022},
            "21.5 % (2022)",
        ),
        (
            {"indicator": "industrial_output_all", "unit": "亿元", "latest_value": 26000.0}
            | {"latest_kind": "lower_bound", "latest_year": 2025},
            "≥ 26,000 亿元 (2025)",
        ),
        (
            {"indicator": "rd_intensity", "unit": "%", "latest_value": 2.41, "latest_year": 2016},
            "2.41 % (2016)",
        ),
        (
            {
                "indicator": "advanced_mfg_share",
                "unit": "%",
                "latest_value": 46.0,
                "latest_year": 2022,
            },
            "46 % (2022)",
        ),
    ],
)
def test_latest_figure_rounded_as_published_with_its_unit(row, text):
    assert readings.latest_text(row, "en") == text


def test_counts_carry_their_unit_in_chinese_only():
    assert readings.figure_text(66000.0, "件", "zh", places=0) == "66,000 件"
    assert readings.figure_text(66000.0, "件", "en", places=0) == "66,000"
    assert readings.figure_text(-1.3, "%", "en") == "−1.30 %"
    assert readings.figure_text(math.nan, "%") == "—"
    assert readings.figure_text(1.0, "%", "en", kind="approx", places=0) == "~1 %"  # "about 1 %"


ROWS = [
    {
        "target_id": "rd_intensity_2025",
        "status": "on_track",
        "unit": "%",
        "indicator": "rd_intensity",
        "latest_year": 2021,
        "latest_value": 4.0011699686,
        "latest_kind": "derived",
        "required_rate": 0.0579,
        "observed_rate": 0.1067,
        "p_attain": 0.95,
        "basis": "projected",
        "robustness": {"fragile": True},
    },
    {"target_id": "famous_brands_2025", "status": "insufficient_data", "basis": "projected"},
]


def test_verdict_and_rates_tables():
    v = readings.verdict_table(ROWS, "en")
    assert list(v.columns) == ["target_id", "status", "reading"]
    assert v["status"].tolist() == ["on_track †", "insufficient_data"]
    assert v["reading"][0] == "latest 4.00 % (2021); P(met) 95%"  # a record without its reading
    read = dict(ROWS[0], reading="4 figures, 2016–2021", reading_zh="4个数据，2016–2021年")
    assert readings.verdict_table([read], "both")["reading"][0] == (
        "4个数据，2016–2021年；达成概率 95% · 4 figures, 2016–2021; P(met) 95%"
    )
    r = readings.rates_table(ROWS, "en")
    assert (
        r.loc[0, "required_%/yr"] == pytest.approx(5.79) and r.loc[0, "latest"] == "4.00 % (2021)"
    )
    assert r.loc[0, "basis"] == "projected" and pd.isna(r.loc[1, "basis"])  # no figure, no basis
    with_evidence = [dict(ROWS[0], evidence="series"), dict(ROWS[1], evidence="none")]
    assert list(readings.verdict_table(with_evidence, "en").columns) == [
        "target_id",
        "status",
        "evidence",
        "reading",
    ]


def test_a_reader_sees_a_basis_only_for_a_verdict_on_a_figure():
    on = {"latest_value": 4.0, "status": "on_track", "basis": "projected"}
    assert readings.basis(on) == "projected"
    assert readings.basis(on | {"status": "insufficient_data"}) is None  # no verdict to base
    assert readings.basis({"status": "met", "basis": "projected"}) is None  # no figure
