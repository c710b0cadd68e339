"""Goal registry and measures: every target quoted from the text, typed loaders, `dgm targets`."""

import hashlib
import json
import math
import re

import pandas as pd
import pytest
import yaml

from dgm import paths
from dgm.cli import main
from dgm.data.loaders import load_measures, load_targets
from dgm.data.policy import measures as parsed_measures
from dgm.data.policy import policy_text, sections

COLUMNS = [
    "id",
    "label_zh",
    "label_en",
    "indicator",
    "unit",
    "comparison",
    "target_value",
    "target_year",
    "baseline_year",
    "baseline_value",
    "kind",
    "clause",
    "quote",
    "note",
    "proxy",
]
MEASURE_COLUMNS = [
    "number",
    "programme_zh",
    "programme_en",
    "title_zh",
    "title_en",
    "departments",
    "serves_targets",
    "note",
]
# Figures in a quote: digits with an optional Chinese magnitude, as plain numbers.
FIGURE = re.compile(r"(\d+(?:\.\d+)?)(萬億|萬|億)?")
MAGNITUDE = {"": 1.0, "萬": 1e4, "億": 1e8, "萬億": 1e12}
UNIT_SCALE = {"亿元": 1e8}
# Targets whose figure the text writes in words, with what the words say.
IN_WORDS = {"towns_with_incubator_2025": ("每個鎮街至少建成一個", 100.0)}


@pytest.fixture(scope="module")
def clean():
    return policy_text()


@pytest.fixture(scope="module")
def targets():
    return load_targets()


@pytest.fixture(scope="module")
def indicators():
    return pd.read_csv(paths.RAW / "indicators.csv", dtype=str).set_index("id")


def figures(quote: str, unit: str) -> list[float]:
    """Every figure in `quote`, in catalogue `unit` (2萬億 → 20000 亿元; 2萬件 → 20000)."""
    return [float(d) * MAGNITUDE[m] / UNIT_SCALE.get(unit, 1.0) for d, m in FIGURE.findall(quote)]


@pytest.mark.parametrize(
    "quote,unit,expected",
    [
        ("實現由1萬億向2萬億跨越", "亿元", [10000.0, 20000.0]),
        ("有效發明專利量突破2萬件", "件", [20000.0]),
        ("比重分別超過60%和50%", "%", [60.0, 50.0]),
        ("再經過3—5年達到90%以上", "%", [3.0, 5.0, 90.0]),
    ],
)
def test_figures_known_answers(quote, unit, expected):
    assert figures(quote, unit) == expected


def test_columns_exactly(targets):
    assert list(targets.columns) == COLUMNS
    assert len(targets) >= 20


def test_types(targets):
    assert (
        targets["target_value"].dtype == "float64" and targets["baseline_value"].dtype == "float64"
    )
    assert (
        str(targets["target_year"].dtype) == "Int64"
        and str(targets["baseline_year"].dtype) == "Int64"
    )
    assert pd.api.types.is_string_dtype(targets["quote"])
    assert str(load_measures()["number"].dtype) == "Int64"


def test_ids_unique_snake_case(targets):
    assert targets["id"].is_unique
    assert targets["id"].str.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*").all()


def test_indicators_and_units_match_catalogue(targets, indicators):
    assert set(targets["indicator"]) <= set(indicators.index)
    assert (
        targets["unit"].to_numpy() == indicators.loc[targets["indicator"], "unit"].to_numpy()
    ).all()


def test_vocabularies(targets):
    assert set(targets["comparison"]) <= {">=", ">", "<=", "<", "~"}
    assert set(targets["kind"]) <= {
        "level",
        "share",
        "count",
        "index",
        "growth_rate",
        "reduction_vs_baseline",
    }
    assert targets["note"].notna().all() and targets["label_zh"].notna().all()


def test_reductions_are_positive_on_a_change_series_with_a_baseline_year(targets):
    red = targets[targets["kind"] == "reduction_vs_baseline"]
    assert len(red) == 2
    assert (red["target_value"] > 0).all()
    assert red["indicator"].str.endswith("_change").all()
    assert red["baseline_year"].notna().all()


def test_years(targets):
    assert targets["target_year"].between(2015, 2030).all()
    with_base = targets.dropna(subset=["baseline_year"])
    assert (with_base["baseline_year"] < with_base["target_year"]).all()


def test_every_quote_is_in_the_clean_text(targets, clean):
    missing = [t.id for t in targets.itertuples() if t.quote not in clean]
    assert missing == []


def test_every_quote_states_its_target_value(targets):
    for t in targets.itertuples():
        if t.id in IN_WORDS:
            words, value = IN_WORDS[t.id]
            assert words in t.quote and t.target_value == value
        else:
            assert any(math.isclose(t.target_value, f) for f in figures(t.quote, t.unit)), t.id


def test_every_quote_lies_in_its_clause(targets, clean):
    """`二——heading` → that goal paragraph of 二; `三(一)3` → measure 3 under programme (一)."""
    goals = {p.split("。")[0]: p for p in sections(clean)["二"].splitlines() if p.startswith("——")}
    by_number = {m["number"]: m for m in parsed_measures(clean)}
    for t in targets.itertuples():
        if t.clause.startswith("二"):
            assert t.quote in goals[t.clause[1:]], t.id
        else:
            programme, number = re.fullmatch(r"三(\([一二三四五六]\))(\d+)", t.clause).groups()
            m = by_number[int(number)]
            assert m["programme"].startswith(programme) and t.quote in m["body"], t.id


@pytest.mark.parametrize(
    "target_id,comparison,value,year,baseline_year,baseline_value",
    [
        ("industrial_output_2025", ">=", 20000, 2025, 2014, 10000),
        ("advanced_mfg_share_2025", ">", 60, 2025, None, None),
        ("hightech_mfg_share_2025", ">", 50, 2025, None, None),
        ("rd_intensity_2025", ">", 4, 2025, None, None),
        ("invention_patents_in_force_2025", ">", 20000, 2025, None, None),
        ("industrial_va_rate_2025", "~", 30, 2025, None, None),
        ("energy_intensity_industry_reduction_2025", ">=", 30, 2025, 2014, None),
        ("rd_institution_coverage_2018", ">=", 50, 2018, None, None),
        ("rd_institution_coverage_2023", ">=", 90, 2023, None, None),
    ],
)
def test_known_targets(targets, target_id, comparison, value, year, baseline_year, baseline_value):
    t = targets.set_index("id").loc[target_id]
    assert (t["comparison"], t["target_value"], t["target_year"]) == (comparison, value, year)
    assert (None if pd.isna(t["baseline_year"]) else t["baseline_year"]) == baseline_year
    assert (None if pd.isna(t["baseline_value"]) else t["baseline_value"]) == baseline_value


def test_43_measures_match_the_text(clean):
    df = load_measures()
    assert list(df.columns) == MEASURE_COLUMNS
    assert df["number"].tolist() == list(range(1, 44))
    assert df["departments"].notna().all() and df["title_en"].notna().all()
    parsed = parsed_measures(clean)
    assert df["title_zh"].tolist() == [m["title"] for m in parsed]
    assert df["departments"].tolist() == [m["departments"] for m in parsed]
    assert df["programme_zh"].nunique() == 7


def test_serves_targets_name_real_targets_and_cover_every_target(targets):
    served = load_measures()["serves_targets"].dropna().str.split(";").explode()
    assert set(served) <= set(targets["id"])
    assert set(targets["id"]) <= set(served)


@pytest.mark.parametrize(
    "manifest",
    ["targets.csv.yml", "measures.csv.yml", "policy/dongguan-manufacturing-2025.txt.yml"],
)
def test_manifest_checksum(manifest):
    meta = yaml.safe_load((paths.RAW / manifest).read_text(encoding="utf-8"))
    data = paths.RAW / manifest.removesuffix(".yml")
    assert meta["file"] == data.name
    assert meta["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()


def test_cli_targets_json(capsys, targets):
    assert main(["targets", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 20 and len(rows) == len(targets)
    assert all(list(r) == COLUMNS for r in rows)
    first = rows[0]
    assert first["target_value"] == 20000 and first["target_year"] == 2025
    assert isinstance(first["target_year"], int)
    assert rows[1]["baseline_value"] is None and rows[1]["baseline_year"] is None


def test_cli_targets_table(capsys, targets, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal, whatever runs the tests
    assert main(["targets"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["id", "indicator", "comparison"]
    assert all(i in out for i in targets["id"])
