"""Reading figures as sources write them, in catalogue units."""

import pytest

from dgm.data.numbers import FigureError, matches, parse_figure


@pytest.mark.parametrize(
    ("written", "unit", "value"),
    [
        ("2.5万亿元", "亿元", 25000.0),
        ("2万亿", "亿元", 20000.0),
        ("1.08萬億元", "亿元", 10800.0),
        ("5008.81亿元", "亿元", 5008.81),
        ("12,345.6亿元", "亿元", 12345.6),
        ("6500万元", "亿元", 0.65),
        ("3.54%", "%", 3.54),
        ("-1.2%", "%", -1.2),
        ("6,228家", "家", 6228.0),
        ("1万件", "件", 10000.0),
        ("0.45吨标准煤/万元", "吨标准煤/万元", 0.45),
        ("92", "index", 92.0),
        ("800多家", "家", 800.0),
        ("7387社", "家", 7387.0),
        ("8%左右", "%", 8.0),
        ("5.5%以上", "%", 5.5),
        ("8%-8.5%", "%", 8.0),
        ("3-5个", "个", 3.0),
        ("4。6%", "%", 4.6),
        ("1100.76亿", "亿元", 1100.76),
        ("628 billion yuan", "亿元", 6280.0),
        ("8 percent", "%", 8.0),
        ("7.8-percent", "%", 7.8),
        ("RMB827.859bn", "亿元", 8278.59),
        ("¥ 501.014 billion", "亿元", 5010.14),
        ("0.69吨标煤/万元", "吨标准煤/万元", 0.69),
    ],
)
def test_known_figures(written, unit, value):
    assert parse_figure(written, unit) == pytest.approx(value)


@pytest.mark.parametrize(
    ("written", "unit"),
    [("六千亿元", "亿元"), ("3.54元", "%"), ("5008.81元", "亿元"), ("12个", "家"), ("2万亿%", "%")],
)
def test_unreadable_figures_say_what_was_expected(written, unit):
    with pytest.raises(FigureError) as err:
        parse_figure(written, unit)
    assert err.value.expected


def test_a_fall_matches_its_unsigned_percentage():
    assert matches(-4.2, "4.2%", "%")
    assert not matches(-4.2, "4.2亿元", "亿元")


def test_a_bare_table_number_takes_the_unit_its_quote_labels():
    quote = "Gross Domestic Product (RMB billion)627.518.01682.778.11"
    assert parse_figure("627.51", "亿元", context=quote) == 6275.1
    assert parse_figure("627.51", "亿元") == 627.51


def test_a_range_matches_either_end():
    assert matches(8.0, "8%-8.5%", "%") and matches(8.5, "8%-8.5%", "%")
    assert not matches(8.2, "8%-8.5%", "%")


def test_percentage_points_and_their_elided_unit_in_a_list():
    quote = "比重分别为52.5%和39.1%,分别提升2.0个和0.1个百分点。"
    assert parse_figure("0.1个百分点", "百分点") == 0.1
    assert parse_figure("2.0个", "百分点", context=quote) == 2.0
    assert matches(-0.5, "0.5个百分点", "百分点")  # 下降0.5个百分点
    with pytest.raises(FigureError, match="percentage points"):
        parse_figure("2.0个", "百分点")  # no 百分点 in the quote: a count, not a change
    with pytest.raises(FigureError):
        parse_figure("0.1%", "百分点")
