"""dgm.present.tables: one formatter for the tables of notebooks and pages."""

import re

import pandas as pd
import pytest

from dgm.present import tables


def test_numbers_formatted_by_unit_and_one_missing_mark():
    frame = pd.DataFrame(
        {
            "indicator": ["gdp", "rd_intensity", "hightech_enterprises", "x"],
            "year": [2022.0, 2021.0, None, 2020.0],
            "value": [11200.3, 46.0, 10200.0, float("nan")],
            "unit": ["亿元", "%", "家", None],
            "p_attain": [0.02, None, 1.0, 0.5],
            "note": ["long prose " * 3, None, "", pd.NA],
        }
    )
    text, numeric = tables.formatted(frame, "en")
    assert list(text.columns) == ["Indicator", "Year", "Value", "Unit", "P(goal met)", "Note"]
    assert text["Year"].tolist() == ["2022", "2021", "—", "2020"]
    assert text["Value"].tolist() == ["11,200.30", "46.00", "10,200", "—"]
    assert text["P(goal met)"].tolist() == ["2 %", "—", "100 %", "50 %"]
    assert text["Note"].tolist()[1:] == ["—", "—", "—"]
    assert numeric == [False, True, True, False, True, False]
    html = tables.to_html(frame, "en")
    head, body = html.split("<thead>")[1].split("</thead>")
    labels = re.findall(r">([^<]*)</th>", head)
    assert labels[0] == "Indicator" and not any("_" in x for x in labels)  # words only
    for bad in ("2022.0", "46.000000", "NaN", "None", "<NA>"):
        assert bad not in body, bad


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (2022.0, None, "2,022"),
        (46.000000, None, "46"),
        (0.01234, None, "0.0123"),
        (3.14159, None, "3.14"),
        (0.5123, "吨标准煤/万元", "0.5123"),
        (None, "%", "—"),
    ],
)
def test_format_number(value, unit, expected):
    assert tables.format_number(value, unit) == expected


def test_headers_in_words_and_language():
    assert tables.header("latest_year", "zh") == "最新年份"
    assert tables.header("latest_year", "both") == "最新年份 · Latest year"
    assert tables.header("status (2014)", "en") == "Status (2014)"
    assert tables.header("some_new_column", "en") == "Some new column"
    assert tables.header("departments", "both") == "部门 · Department"  # notebook 07


def test_text_left_numbers_right_and_status_in_words():
    frame = pd.DataFrame({"status": ["on_track"], "latest_value": [3.5]})
    html = tables.to_html(frame, "zh")
    assert "按计划推进" in html and "on_track" not in html
    assert "text-align: left" in html and "text-align: right" in html
    assert '<th class="blank' not in html  # no index column


def test_same_table_same_html():
    """No random ids: re-running a notebook gives the same page."""
    frame = pd.DataFrame({"year": [2020], "value": [1.5]})
    assert tables.to_html(frame) == tables.to_html(frame.copy())
    assert tables.to_html(frame) != tables.to_html(frame.assign(value=2.5))


def test_quotes_stay_as_written_in_zh_tables():
    frame = pd.DataFrame({"clause": ["二——規模結構領先"], "quote": ["工業總產值翻一番"]})
    text, _ = tables.formatted(frame, "zh")
    assert text.iloc[0].tolist() == ["二——规模结构领先", "工業總產值翻一番"]


def test_ids_become_names_and_sources_link_to_their_url():
    import dgm

    src = dgm.load_sources().iloc[0]
    frame = pd.DataFrame(
        {
            "target_id": ["rd_intensity_2025"],
            "indicator": ["rd_intensity"],
            "source_id": [f"{src['source_id']};unknown-source"],
        }
    )
    text, _ = tables.formatted(frame, "en")
    assert text.iloc[0, 0] == "R&D expenditure above 4 % of GDP"
    assert text.iloc[0, 1] == dgm.load_indicators().set_index("id").loc["rd_intensity", "label_en"]
    assert text.iloc[0, 2] == f"{src['title']}; unknown-source"  # an unknown id stays as it is
    html = tables.to_html(frame, "en")
    assert f'<a href="{src["url"]}">' in html and src["source_id"] not in html


def test_booleans_dicts_daggers_and_positional_indexes_in_words():
    frame = pd.DataFrame(
        {
            "bridged": [True, False],
            "coverage80_by_h": [{"1": 0.5, "2": 0.25}, None],
            "status (now)": ["deterioration †", "on_track"],
            "ex_post": ["unknown", "met"],
        },
        index=[3, 7],  # rows left after a filter: a position, not data
    )
    text, _ = tables.formatted(frame, "both")
    assert list(text.columns)[0] == "五年累计衔接 · Five-year bridge"  # no index column
    assert text.iloc[:, 0].tolist() == ["是 · yes", "否 · no"]
    assert text.iloc[:, 1].tolist() == ["1: 0.5; 2: 0.25", "—"]
    assert text.iloc[:, 2].tolist() == ["倒退 · deterioration †", "按计划推进 · on track"]
    assert text.iloc[:, 3].tolist() == ["尚无定论 · not yet known", "已达成 · met"]
    named = pd.DataFrame({"measures": [3]}, index=pd.Index(["經信局"], name="departments"))
    text, _ = tables.formatted(named, "zh")
    assert text.to_dict("list") == {"部门": ["经信局"], "措施": ["3"]}  # a named index is data
