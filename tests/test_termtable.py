"""dgm.present.termtable: terminal tables that fit the width and line up after Chinese text."""

import subprocess
import sys
from types import SimpleNamespace

import pytest

from dgm.present import termtable


def test_text_width_follows_east_asian_width():
    assert termtable.text_width("亿元") == 4
    assert termtable.text_width("％") == 2  # full-width percent
    assert termtable.text_width("%") == 1
    assert termtable.text_width("e\u0301") == 1  # combining accent takes no column


def test_columns_line_up_after_chinese_text():
    text = termtable.render(
        [{"unit": "亿元", "value": "20000"}, {"unit": "%", "value": "4"}], right={"value"}
    )
    lines = text.splitlines()
    ends = {termtable.text_width(line) for line in lines}
    assert len(ends) == 1, text  # right-aligned numbers end in the same column


def test_table_fits_the_width_and_says_what_it_left_out():
    rows = [{f"column_{i}": "x" * 12 for i in range(10)}]
    text = termtable.render(rows, width=60)
    assert max(termtable.text_width(line) for line in text.splitlines()[:2]) <= 60
    assert text.splitlines()[-1].startswith("(6 more columns: column_4")
    assert "--wide" in text.splitlines()[-1]
    wide = termtable.render(rows, width=60, wide=True)
    assert "column_9" in wide and "more column" not in wide


def test_long_cells_shortened_unless_wide():
    rows = [{"id": "a_long_identifier_" * 3, "quote": "工" * 50}]
    line = termtable.render(rows, width=200).splitlines()[1]
    assert line.startswith("a_long_identifier_" * 3) and line.endswith("…")  # ids stay whole
    assert termtable.text_width(line.split("  ")[-1]) <= termtable.MAX_CELL
    assert termtable.render(rows, wide=True).splitlines()[1].endswith("工" * 50)


def test_coverage_header_has_four_digit_years(capsys):
    from dgm.cli import coverage

    coverage.run(SimpleNamespace(conflicts=False, json=False))
    head = capsys.readouterr().out.splitlines()[:4]
    years = ["".join(line[i] for line in head) for i in range(len(head[0])) if head[0][i] != " "]
    assert years and all(len(y) == 4 and y.isdigit() and y.startswith("20") for y in years)
    assert years == sorted(years)


def test_help_is_for_users(capsys):
    from dgm.cli import main

    out = subprocess.run(  # the real entry point once; the subcommands' help in-process
        [sys.executable, "-m", "dgm", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "lives in its own module" not in out
    for command in ("targets", "coverage", "assess", "backtest"):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0, command
        assert "--wide" in capsys.readouterr().out, command
