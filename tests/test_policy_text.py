"""Policy text: pinyin stripped, seven garbled runs repaired, sections and 43 measures found."""

import hashlib
import re

import pytest

from dgm import paths
from dgm.data.policy import (
    PINYIN,
    REPAIRS,
    measures,
    policy_text,
    raw_text,
    repair,
    sections,
    strip_pinyin,
)

SHA256 = "754d86654162320ec1f93f6d844592f544e2a229cb95767a51b2a24c09be60bb"


@pytest.fixture(scope="module")
def clean():
    return policy_text()


def test_raw_file_is_the_received_copy():
    assert hashlib.sha256(paths.POLICY_TEXT.read_bytes()).hexdigest() == SHA256


def test_raw_text_is_unchanged_by_clean_false():
    assert policy_text(clean=False) == raw_text()


@pytest.mark.parametrize("garbled,fixed,why", REPAIRS)
def test_each_garbled_run_is_in_the_raw_file_once(garbled, fixed, why):
    assert raw_text().count(garbled) == 1
    assert why and fixed and not PINYIN.search(fixed)


@pytest.mark.parametrize("garbled,fixed,why", REPAIRS)
def test_each_repair_is_in_the_clean_text(garbled, fixed, why, clean):
    assert fixed in clean


def test_no_pinyin_or_debris_left(clean):
    assert not PINYIN.search(clean)
    # Only WTO/TBT stays Latin: no pinyin fragment like `jiǎng)`, no `?`, kana or bopomofo.
    assert re.findall(r"[A-Za-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+", clean) == ["WTO", "TBT"]
    assert not re.search(r"[?？\u3040-\u30ff\u3100-\u312f]", clean)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("關(guān)于實(shí)施", "關于實施"),
        ("鎮(zhèn)街(園區(qū))", "鎮街(園區)"),  # a Chinese parenthesis stays
        ("計(jì)量器具檢定(校準(zhǔn))", "計量器具檢定(校準)"),
        ("WTO/TBT", "WTO/TBT"),
    ],
)
def test_strip_pinyin_known_answers(raw, expected):
    assert strip_pinyin(raw) == expected


def test_repair_refuses_a_text_without_the_run():
    with pytest.raises(ValueError, match="exactly once"):
        repair("no garbled runs here")


@pytest.mark.parametrize(
    "phrase",
    [
        "——制造模式先進。互聯網、物聯網、大數據、云計算",
        "——創新能力強勁。",
        "異地設計、當地生產的協同生產新模式",
        "將串行工作變為并行工程,實現供應鏈內",
        "”鏈式平臺。",
        "推進規模化市場改造。(市經信局負責)",
        "生態補償等機制創新",
    ],
)
def test_repaired_sentences_read_whole(phrase, clean):
    assert phrase in clean


def test_sections(clean):
    parts = sections(clean)
    assert list(parts) == ["", "一", "二", "三", "四"]
    assert parts["二"].startswith("二、構建“東莞制造2025”戰略的目標體系")
    assert "力爭到2025年" in parts["二"] and "1、" not in parts["二"]
    assert "".join(parts.values()) == clean


def test_43_measures_in_order(clean):
    ms = measures(clean)
    assert [m["number"] for m in ms] == list(range(1, 44))
    assert all(m["departments"] and m["title"] for m in ms)
    assert {m["programme"] for m in ms if m["number"] >= 35} == {""}
    assert ms[0]["programme"].startswith("(一)實施智能制造工程")
    assert ms[33]["programme"].startswith("(六)實施綠色制造工程")
    # Known answers: first and last measures, and the repaired one.
    assert (ms[0]["title"], ms[0]["departments"]) == (
        "加速開啟“機器換人”時代",
        "市經信局、科技局、財政局、金融局",
    )
    assert (ms[30]["title"], ms[30]["departments"]) == (
        "實施電機能效提升及注塑機節能伺服改造",
        "市經信局",
    )
    assert (
        ms[42]["departments"]
        == "市府辦、經信局、市政府督查室、市政府新聞辦、有關職能部門和各鎮街、園區"
    )
