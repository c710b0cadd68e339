"""dgm check: the corpus of bad files, each with the exact message it must produce, and nothing modified."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from dgm import paths
from dgm.cli import main
from dgm.data.validate import check_dataset

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"
REFERENCE = FIXTURES / "reference"
OBS_COLUMNS = "indicator,year,value,as_written,unit,kind,scope,price_basis,vintage,source_id,quote,reliability,note"

EXPECTED = {
    "observations_as_written_inside_number.csv": [
        "2:as_written: figure is part of a longer number in the quote (expected '7.67亿元' as a whole number, got it inside '6827.67亿元')"
    ],
    "observations_kind_bound_written_as_exact.csv": [
        "2:kind: kind does not fit the wording (expected lower_bound for '超' beside '1.1万亿元', got 'exact')"
    ],
    "observations_kind_approx_written_as_exact.csv": [
        "2:kind: kind does not fit the wording (expected approx or estimate for '左右' beside '8.2%左右', got 'exact')"
    ],
    "observations_kind_preliminary_written_as_exact.csv": [
        "2:kind: kind does not fit the wording (expected estimate for '预计' beside '9500亿元', got 'exact')"
    ],
    "observations_vintage_before_year.csv": [
        "2:vintage: published before the year it describes (expected a date in 2016 or later, got '2015-12-31')"
    ],
    "observations_impossible_date.csv": [
        "2:vintage: not a date (expected an ISO date YYYY-MM-DD (or YYYY-MM, YYYY), got '2017-13-45')"
    ],
    "observations_share_out_of_range.csv": [
        "2:value: outside the plausible range of rd_intensity (expected 0 to 100, as in indicators.csv, got 241)"
    ],
    "observations_negative_count.csv": [
        "2:value: outside the plausible range of invention_patents_in_force (expected at least 0, as in indicators.csv, got -5)"
    ],
    "observations_unknown_period.csv": [
        "2:period: not allowed (expected one of year, jan-nov, stock-end-nov, jan-oct, stock-end-oct, jan-sep, stock-end-sep, h1, stock-end-jun, ytd, got 'q4')"
    ],
    "observations_grade_differs_within_source.csv": [
        "3:reliability: grade differs within one source (expected 'C' for dg-jan-release-2016-southcn, as on line 2, got 'A')"
    ],
    "sources_url_under_two_ids.csv": [
        "3:url: address already registered (expected one source_id per url, got 'nfapp-dg-jan-release-2016' for the url of 'dg-jan-release-2016-southcn')"
    ],
    "observations_bad_price_basis.csv": [
        "2:price_basis: not allowed (expected one of current, comparable, got 'nominal')"
    ],
    "observations_bad_vintage.csv": [
        "2:vintage: not a date (expected an ISO date YYYY-MM-DD (or YYYY-MM, YYYY), got '04/02/2017')"
    ],
    "observations_bom.csv": [
        "1:-: file starts with a UTF-8 byte-order mark (expected UTF-8 without BOM; re-save as plain UTF-8)"
    ],
    "observations_duplicate.csv": [
        "3:indicator: duplicate row (expected one row per indicator, year, kind, source_id, vintage, value, got a repeat of line 2)"
    ],
    "observations_empty.csv": [
        "0:-: file is empty (expected a header row and data rows, got 0 rows)"
    ],
    "observations_excel_renamed.csv": [
        "0:-: file is an Excel workbook (.xlsx, a zip archive) renamed .csv (expected UTF-8 CSV text; export the sheet as CSV or use `dgm import`)"
    ],
    "observations_gbk.csv": [
        "2:-: file is not UTF-8 (expected UTF-8 text, got bytes d2 da; it reads as GBK/GB18030, re-save it as UTF-8)"
    ],
    "observations_header_only.csv": [
        "0:-: file has a header but no data rows (expected at least one row)"
    ],
    "observations_missing_column.csv": [
        f"1:-: header has missing quote (expected the observations columns {OBS_COLUMNS}, optionally period, got {OBS_COLUMNS.replace(',quote', '')})"
    ],
    "observations_missing_source.csv": [
        "2:source_id: missing value (expected text, got an empty cell)"
    ],
    "observations_quote_too_long.csv": [
        "2:quote: too long (expected at most 200 characters, got 223)"
    ],
    "observations_quote_without_figure.csv": [
        "2:quote: quote does not contain the figure (expected the text '6872.67亿元' in the quote, got '3日,东莞市统计局发布的经济运行情况显示,2016年,东莞实现地区生产总值6827.67亿元,比上年增长8.1%…')"
    ],
    "observations_ragged_row.csv": ["2:-: row has 14 fields (expected 13, as in the header)"],
    "observations_unknown_column.csv": [
        f"1:-: header has unknown comment (expected the observations columns {OBS_COLUMNS}, optionally period, got {OBS_COLUMNS},comment)"
    ],
    "observations_unknown_indicator.csv": [
        "2:indicator: unknown indicator (expected an id from indicators.csv, got 'gpd')"
    ],
    "observations_unknown_kind.csv": [
        "2:kind: not allowed (expected one of exact, lower_bound, upper_bound, approx, estimate, plan_target, got 'final')"
    ],
    "observations_unknown_reliability.csv": [
        "2:reliability: not allowed (expected one of A, B, C, D, got 'E')"
    ],
    "observations_unknown_source.csv": [
        "2:source_id: unknown source (expected a source_id from sources.csv, got 'dg-nowhere')"
    ],
    "observations_unreadable_figure.csv": [
        "2:as_written: cannot read the figure (expected digits with a unit, e.g. 5008.81亿元 or 3.54%, got '六千八百亿元')"
    ],
    "observations_value_mismatch.csv": [
        "2:value: value does not match as_written (expected the number '6827.67亿元' states in 亿元, got 6872.67)"
    ],
    "observations_value_not_number.csv": [
        "2:value: not a number (expected a decimal number, got '六千八百亿')"
    ],
    "observations_wrong_unit.csv": ["2:unit: wrong unit for gdp (expected '亿元', got '元')"],
    "observations_year_not_integer.csv": [
        "2:year: not a whole number (expected a whole number from 1978 to 2030, got '2016.5')"
    ],
    "observations_year_out_of_range.csv": [
        "2:year: out of range (expected a whole number from 1978 to 2030, got '1970')"
    ],
    "sources_bad_date.csv": [
        "2:published: not a date (expected an ISO date YYYY-MM-DD (or YYYY-MM, YYYY), got '2017年2月4日')"
    ],
    "publications_unknown_basis.csv": [
        "2:basis: not allowed (expected one of figure_read, target_read, table_seen, unverified, got 'heard_of')"
    ],
    "publications_without_source.csv": [
        "2:source_id: no source (expected a source_id from sources.csv or a url, got neither)"
    ],
    "sources_copy_of_without_date.csv": [
        "2:copy_of: bad format (expected the official document's title and its date YYYY-MM-DD, got '东莞市2019年计划执行情况的报告 (2020年6月11日)')"
    ],
    "sources_bad_url.csv": [
        "2:url: bad format (expected a URL starting with http:// or https:// (or offline: and where the copy is), got 'www.southcn.com')"
    ],
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corpus_is_complete():
    assert sorted(p.name for p in BAD.glob("*.csv")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gets_its_exact_message_and_is_left_untouched(name):
    path = BAD / name
    before = _sha(path)
    problems = check_dataset([path], manifests=False, reference_dir=REFERENCE)
    assert [f"{p.row}:{p.column}: {p.message}" for p in problems] == EXPECTED[name]
    assert all(p.file.endswith(name) for p in problems)
    assert _sha(path) == before


def test_cli_check_prints_file_row_column_and_exits_1(monkeypatch, capsys):
    monkeypatch.setattr(paths, "RAW", REFERENCE)
    path = BAD / "observations_value_mismatch.csv"
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.strip().endswith(
        "observations_value_mismatch.csv:2:value: value does not match as_written (expected the number '6827.67亿元' states in 亿元, got 6872.67)"
    )
    assert "Traceback" not in out + err


def test_cli_check_reports_a_missing_path(capsys):
    assert main(["check", "no/such/file.csv"]) == 1
    assert "no/such/file.csv:0:-: no such file or directory" in capsys.readouterr().out


def test_shipped_raw_data_passes(capsys):
    assert main(["check"]) == 0, capsys.readouterr().out
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("ok:")  # after the identity warnings (tests/test_identities.py)
    assert all(": warning: " in line for line in lines[:-1])


def test_manifest_checksum_mismatch_is_reported(tmp_path):
    src = REFERENCE / "sources.csv"
    copy = tmp_path / "sources.csv"
    copy.write_bytes(src.read_bytes())
    (tmp_path / "sources.csv.yml").write_text("description: test\nsha256: 0000\n", encoding="utf-8")
    (problem,) = check_dataset([copy], manifests=True, reference_dir=REFERENCE)
    assert problem.column == "sha256"
    assert problem.message.startswith(
        f"checksum does not match the file (expected {_sha(copy)}, got 0"
    )


def test_every_raw_file_has_a_manifest():
    files = [p for p in paths.RAW.rglob("*") if p.is_file() and p.suffix != ".yml"]
    assert files
    missing = [str(p) for p in files if not p.with_name(p.name + ".yml").exists()]
    assert not missing


def test_import_dgm_is_light():
    code = "import sys, dgm; print(sorted(m for m in ('pandas', 'matplotlib', 'statsmodels', 'seaborn') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_wording_fixes_the_kind_only_where_it_touches_the_figure_or_opens_its_sentence():
    from dgm.data.validate import wording_kinds

    quote = "预计全年GDP超1.1万亿元,增长8.2%左右;全年7400多家"
    assert wording_kinds("1.1万亿元", quote, quote.index("1.1万亿元")) == ("超", ("lower_bound",))
    assert wording_kinds("8.2%", quote, quote.index("8.2%")) == ("左右", ("approx", "estimate"))
    assert wording_kinds("7400", quote, quote.index("7400")) == ("多", ("lower_bound",))
    plain = "突破8000亿元大关,达8278.6亿元"
    assert wording_kinds("8278.6亿元", plain, plain.index("8278.6")) is None
