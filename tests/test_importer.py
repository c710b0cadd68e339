"""dgm import: the shipped template imports cleanly; an invalid workbook is refused and data/raw is unchanged."""

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from dgm import paths
from dgm.cli import main
from dgm.data.importer import import_file, write_template
from dgm.data.rawio import read_table
from dgm.data.schemas import TABLES
from dgm.data.validate import check_paths

TEMPLATE = paths.TEMPLATES / "observations_template.xlsx"


@pytest.fixture
def raw(tmp_path) -> Path:
    """A private copy of data/raw to import into."""
    copy = tmp_path / "raw"
    shutil.copytree(paths.RAW, copy)
    return copy


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_shipped_template_is_the_one_the_code_writes(tmp_path):
    fresh = tmp_path / "t.xlsx"
    write_template(fresh)
    for sheet in ("instructions", "observations", "sources"):
        shipped = [r for r in openpyxl.load_workbook(TEMPLATE)[sheet].iter_rows(values_only=True)]
        assert shipped == [
            r for r in openpyxl.load_workbook(fresh)[sheet].iter_rows(values_only=True)
        ]


def test_template_row_already_in_raw_is_refused_as_a_duplicate(raw):
    problems, written = import_file(TEMPLATE, raw=raw)
    assert written == []
    assert [p.message for p in problems] == [
        f"duplicate row (expected one row per indicator, year, kind, source_id, vintage, value, got a repeat of {raw / 'observations.csv'} line {_line_of_example(raw)})"
    ]


def test_new_rows_import_and_the_dataset_still_checks(raw, tmp_path):
    book = openpyxl.load_workbook(TEMPLATE)
    book["observations"]["I2"] = "2017-02-05"  # another vintage of the same figure: not a duplicate
    edited = tmp_path / "yearbook 2024.xlsx"
    book.save(edited)
    problems, written = import_file(edited, raw=raw)
    assert problems == []
    assert [p.name for p in written] == [
        "observations_yearbook_2024.csv"
    ]  # its source is already known
    assert all(p.with_name(p.name + ".yml").exists() for p in written)
    assert check_paths([raw])[0] == []


def _line_of_example(raw: Path) -> int:
    lines = (raw / "observations.csv").read_text(encoding="utf-8").splitlines()
    return next(
        i
        for i, line in enumerate(lines, start=1)
        if line.startswith("gdp,2016,6827.67,") and "2017-02-04" in line
    )


def test_invalid_workbook_is_refused_and_raw_is_unchanged(raw, tmp_path):
    bad = tmp_path / "bad.xlsx"
    shutil.copyfile(TEMPLATE, bad)
    book = openpyxl.load_workbook(bad)
    book["observations"]["C2"] = 6872.67  # value no longer matches as_written 6827.67亿元
    book["observations"]["F2"] = "final"  # not a kind
    book.save(bad)
    before = _tree_digest(raw)
    problems, written = import_file(bad, raw=raw)
    assert written == []
    assert [str(p).replace(str(bad), "bad.xlsx") for p in problems] == [
        "bad.xlsx[observations]:2:kind: not allowed (expected one of exact, lower_bound, upper_bound, approx, estimate, plan_target, got 'final')",
        "bad.xlsx[observations]:2:value: value does not match as_written (expected the number '6827.67亿元' states in 亿元, got 6872.67)",
    ]
    assert _tree_digest(raw) == before


def test_csv_import_and_no_overwrite(raw, tmp_path):
    csv_template = tmp_path / "figures.csv"
    text = (paths.TEMPLATES / "observations_template.csv").read_text(encoding="utf-8")
    csv_template.write_text(text.replace(",2017-02-04,", ",2017-02-05,"), encoding="utf-8")
    problems, written = import_file(csv_template, name="mine", raw=raw)
    assert problems == [] and [p.name for p in written] == ["observations_mine.csv"]
    before = _tree_digest(raw)
    problems, written = import_file(csv_template, name="mine", raw=raw)
    assert written == [] and problems[0].message.startswith("duplicate row")
    csv_template.write_text(text.replace(",2017-02-04,", ",2017-02-06,"), encoding="utf-8")
    problems, written = import_file(csv_template, name="mine", raw=raw)
    assert written == [] and [p.message for p in problems] == [
        "already exists (expected a new name; pass --name)"
    ]
    assert _tree_digest(raw) == before


def test_cli_refuses_other_file_types(tmp_path, capsys):
    odd = tmp_path / "figures.ods"
    odd.write_bytes(b"x")
    assert main(["import", str(odd)]) == 1
    assert "unsupported file type (expected .xlsx or .csv, got '.ods')" in capsys.readouterr().out


def test_import_refuses_a_figure_that_is_the_tail_of_a_longer_number(raw):
    bad = Path(__file__).parent / "fixtures" / "bad" / "observations_as_written_inside_number.csv"
    before = _tree_digest(raw)
    problems, written = import_file(bad, raw=raw)
    assert written == []
    # the audit's case: GDP 2016 = 7.67 read off 6827.67亿元, and graded A against the source's C
    shipped, _ = read_table(raw / "observations.csv", TABLES["observations"])
    first = shipped.index[shipped["source_id"] == "dg-jan-release-2016-southcn"][0]
    assert [f"{p.row}:{p.column}: {p.message}" for p in problems] == [
        f"2:reliability: grade differs within one source (expected 'C' for dg-jan-release-2016-southcn, as on {raw / 'observations.csv'} line {first}, got 'A')",
        "2:as_written: figure is part of a longer number in the quote (expected '7.67亿元' as a whole number, got it inside '6827.67亿元')",
    ]
    assert _tree_digest(raw) == before
